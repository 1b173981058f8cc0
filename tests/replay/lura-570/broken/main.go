// Package main is a response modifier plugin that copies one backend header into the response data.
package main

import (
	"errors"
	"io"

	"github.com/luraproject/lura/v2/proxy"
)

// ModifierRegisterer is the symbol KrakenD's modifier plugin loader looks up.
var ModifierRegisterer = registerer("header-echo")

type registerer string

// responseWrapper mirrors what KrakenD hands to response modifiers; Metadata uses lura's own type.
type responseWrapper interface {
	Data() map[string]interface{}
	Io() io.Reader
	IsComplete() bool
	Metadata() proxy.ResponseMetadataWrapper
}

var errUnexpected = errors.New("header-echo: unexpected response type")

func (r registerer) RegisterModifiers(f func(
	name string,
	factory func(map[string]interface{}) func(interface{}) (interface{}, error),
	appliesToRequest bool,
	appliesToResponse bool,
)) {
	f(string(r), r.newModifier, false, true)
}

func (r registerer) newModifier(_ map[string]interface{}) func(interface{}) (interface{}, error) {
	return func(input interface{}) (interface{}, error) {
		resp, ok := input.(responseWrapper)
		if !ok {
			return nil, errUnexpected
		}
		if values := resp.Metadata().Headers()["X-Trace"]; len(values) > 0 {
			resp.Data()["trace"] = values[0]
		}
		return input, nil
	}
}

func main() {}

// Package main is a response modifier plugin that copies one backend header into the response data.
// It declares the response interfaces it needs itself, so it shares no package with KrakenD.
package main

import (
	"errors"
	"io"
)

// ModifierRegisterer is the symbol KrakenD's modifier plugin loader looks up.
var ModifierRegisterer = registerer("header-echo")

type registerer string

type responseWrapper interface {
	Data() map[string]interface{}
	Io() io.Reader
	IsComplete() bool
	Headers() map[string][]string
	StatusCode() int
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
		if values := resp.Headers()["X-Trace"]; len(values) > 0 {
			resp.Data()["trace"] = values[0]
		}
		return input, nil
	}
}

func main() {}

// Package main is a response modifier plugin that marks responses assembled from several backends.
package main

import (
	"errors"
	"io"
)

// ModifierRegisterer is the symbol KrakenD's modifier plugin loader looks up.
var ModifierRegisterer = registerer("response-collector")

type registerer string

type responseWrapper interface {
	Data() map[string]interface{}
	Io() io.Reader
	IsComplete() bool
}

var errUnexpected = errors.New("response-collector: unexpected response type")

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
		resp.Data()["complete"] = resp.IsComplete()
		return input, nil
	}
}

func main() {}

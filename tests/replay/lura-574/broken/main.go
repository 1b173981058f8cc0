// Package main is a response modifier plugin that logs the backend status code and headers.
package main

import (
	"errors"
	"fmt"
	"io"
)

// ModifierRegisterer is the symbol KrakenD's modifier plugin loader looks up.
var ModifierRegisterer = registerer("status-logger")

type registerer string

// ResponseMetadataWrapper is declared here, in the plugin, for the metadata of a response.
type ResponseMetadataWrapper interface {
	Headers() map[string][]string
	StatusCode() int
}

// ResponseWrapper is what the plugin expects KrakenD to hand to a response modifier.
type ResponseWrapper interface {
	Data() map[string]interface{}
	Io() io.Reader
	IsComplete() bool
	Metadata() ResponseMetadataWrapper
}

var errUnknownType = errors.New("status-logger: unknown response type")

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
		resp, ok := input.(ResponseWrapper)
		if !ok {
			return nil, errUnknownType
		}
		fmt.Println("status:", resp.Metadata().StatusCode(), "headers:", resp.Metadata().Headers())
		return input, nil
	}
}

func main() {}

// Package main is a request/response modifier plugin that logs what passes through the proxy pipe.
package main

import (
	"errors"
	"fmt"
)

// ModifierRegisterer is the symbol KrakenD's modifier plugin loader looks up.
var ModifierRegisterer = registerer("traffic-dump")

type registerer string

type requestView interface {
	Method() string
	Path() string
}

type responseView interface {
	IsComplete() bool
}

var errUnexpected = errors.New("traffic-dump: unexpected value")

func (r registerer) RegisterModifiers(f func(
	name string,
	factory func(map[string]interface{}) func(interface{}) (interface{}, error),
	appliesToRequest bool,
	appliesToResponse bool,
)) {
	f(string(r), r.dumpRequest, true, false)
	f(string(r), r.dumpResponse, false, true)
}

func (r registerer) dumpRequest(_ map[string]interface{}) func(interface{}) (interface{}, error) {
	return func(input interface{}) (interface{}, error) {
		req, ok := input.(requestView)
		if !ok {
			return nil, errUnexpected
		}
		fmt.Println("request:", req.Method(), req.Path())
		return input, nil
	}
}

func (r registerer) dumpResponse(_ map[string]interface{}) func(interface{}) (interface{}, error) {
	return func(input interface{}) (interface{}, error) {
		resp, ok := input.(responseView)
		if !ok {
			return nil, errUnexpected
		}
		fmt.Println("response complete:", resp.IsComplete())
		return input, nil
	}
}

func main() {}

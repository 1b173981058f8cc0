package main

import (
	"errors"

	"github.com/luraproject/lura/v2/proxy"
)

// ModifierRegisterer is the symbol KrakenD's req-resp-modifier plugin loader looks up.
var ModifierRegisterer = modifierPlugin("modifier-plugin")

type modifierPlugin string

func (p modifierPlugin) RegisterModifiers(f func(
	name string,
	factory func(map[string]interface{}) func(interface{}) (interface{}, error),
	appliesToRequest bool,
	appliesToResponse bool,
)) {
	f(string(p), p.factory, false, true)
}

func (p modifierPlugin) factory(map[string]interface{}) func(interface{}) (interface{}, error) {
	return func(input interface{}) (interface{}, error) {
		resp, ok := input.(proxy.ResponseWrapper)
		if !ok {
			return nil, errors.New("unexpected response type")
		}
		return resp, nil
	}
}

func main() {}

// Package main is a KrakenD http-server plugin that stamps every response with a header.
// It imports nothing outside the standard library, so it can never disagree with KrakenD
// about the version of a shared module.
package main

import (
	"context"
	"errors"
	"net/http"
)

const pluginName = "header-stamp"

// HandlerRegisterer is the symbol KrakenD's http-server loader looks up.
var HandlerRegisterer = registerer(pluginName)

type registerer string

func (r registerer) RegisterHandlers(f func(
	name string,
	handler func(context.Context, map[string]interface{}, http.Handler) (http.Handler, error),
)) {
	f(string(r), r.newHandler)
}

func (r registerer) newHandler(_ context.Context, extra map[string]interface{}, next http.Handler) (http.Handler, error) {
	settings, ok := extra[string(r)].(map[string]interface{})
	if !ok {
		return nil, errors.New("header-stamp: missing settings")
	}
	value, _ := settings["value"].(string)
	return http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		w.Header().Set("X-Stamp", value)
		next.ServeHTTP(w, req)
	}), nil
}

func main() {}

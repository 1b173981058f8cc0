// Package main is an http-server plugin that rejects requests missing a configured header.
package main

import (
	"context"
	"errors"
	"net/http"
)

// HandlerRegisterer is the symbol KrakenD's http-server plugin loader looks up.
var HandlerRegisterer = registerer("require-header")

type registerer string

func (r registerer) RegisterHandlers(f func(
	name string,
	handler func(context.Context, map[string]interface{}, http.Handler) (http.Handler, error),
)) {
	f(string(r), r.newHandler)
}

func (r registerer) newHandler(_ context.Context, extra map[string]interface{}, next http.Handler) (http.Handler, error) {
	header, ok := extra["required_header"].(string)
	if !ok || header == "" {
		return nil, errors.New("require-header: required_header is not set")
	}
	return http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		if req.Header.Get(header) == "" {
			http.Error(w, "missing "+header, http.StatusBadRequest)
			return
		}
		next.ServeHTTP(w, req)
	}), nil
}

func main() {}

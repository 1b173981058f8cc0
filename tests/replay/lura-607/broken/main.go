// Package main is an http-server plugin that answers one path itself and passes the rest on.
package main

import (
	"context"
	"errors"
	"fmt"
	"html"
	"net/http"
)

// HandlerRegisterer is the symbol KrakenD's http-server plugin loader looks up.
var HandlerRegisterer = registerer("hello-server")

type registerer string

func (r registerer) RegisterHandlers(f func(
	name string,
	handler func(context.Context, map[string]interface{}, http.Handler) (http.Handler, error),
)) {
	f(string(r), r.newHandler)
}

func (r registerer) newHandler(_ context.Context, extra map[string]interface{}, next http.Handler) (http.Handler, error) {
	configured, ok := extra["name"].(string)
	if !ok {
		return nil, errors.New("hello-server: wrong config")
	}
	if configured != string(r) {
		return nil, fmt.Errorf("hello-server: unknown name %s", configured)
	}
	return http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		if req.URL.Path != "/hello" {
			next.ServeHTTP(w, req)
			return
		}
		fmt.Fprintf(w, "Hello, %q", html.EscapeString(req.URL.Path))
	}), nil
}

func main() {}

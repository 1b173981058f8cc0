// Package main adds a /__greeting route in front of every KrakenD endpoint.
package main

import (
	"context"
	"net/http"
)

type registerer string

// HandlerRegisterer is looked up by KrakenD's HTTP server plugin loader.
var HandlerRegisterer = registerer("greeter")

func (r registerer) RegisterHandlers(register func(
	name string,
	factory func(context.Context, map[string]interface{}, http.Handler) (http.Handler, error),
)) {
	register(string(r), r.wrap)
}

func (r registerer) wrap(_ context.Context, _ map[string]interface{}, next http.Handler) (http.Handler, error) {
	return http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		if req.URL.Path != "/__greeting" {
			next.ServeHTTP(w, req)
			return
		}
		w.Header().Set("Content-Type", "text/plain")
		_, _ = w.Write([]byte("hello from " + string(r)))
	}), nil
}

func main() {}

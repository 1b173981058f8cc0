// Package main is an http-server plugin that tags requests with the gateway's region.
package main

import (
	"context"
	"net/http"
)

// HandlerRegisterer is the symbol KrakenD's http-server plugin loader looks up.
var HandlerRegisterer = registerer("geo-header")

type registerer string

func (r registerer) RegisterHandlers(f func(
	name string,
	handler func(context.Context, map[string]interface{}, http.Handler) (http.Handler, error),
)) {
	f(string(r), r.newHandler)
}

func (r registerer) newHandler(_ context.Context, extra map[string]interface{}, next http.Handler) (http.Handler, error) {
	region := "unknown"
	if settings, ok := extra[string(r)].(map[string]interface{}); ok {
		if value, ok := settings["region"].(string); ok {
			region = value
		}
	}
	return http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		req.Header.Set("X-Gateway-Region", region)
		next.ServeHTTP(w, req)
	}), nil
}

func main() {}

// Package main is an http-server plugin that registers three small handlers, each with its own settings.
package main

import (
	"context"
	"fmt"
	"net/http"
)

// HandlerRegisterer is the symbol KrakenD's http-server plugin loader looks up.
var HandlerRegisterer = registerer("edge-guards")

type registerer string

func (r registerer) RegisterHandlers(f func(
	name string,
	handler func(context.Context, map[string]interface{}, http.Handler) (http.Handler, error),
)) {
	f("method-guard", headerHandler("method-guard", "X-Allowed-Methods"))
	f("tenant-tag", headerHandler("tenant-tag", "X-Tenant"))
	f("cache-hint", headerHandler("cache-hint", "Cache-Control"))
}

// headerHandler builds a handler that sets one response header from the plugin's own settings block.
func headerHandler(name, header string) func(context.Context, map[string]interface{}, http.Handler) (http.Handler, error) {
	return func(_ context.Context, extra map[string]interface{}, next http.Handler) (http.Handler, error) {
		settings, ok := extra[name].(map[string]interface{})
		if !ok {
			return nil, fmt.Errorf("no extra config for http handler plugin %s", name)
		}
		value, _ := settings["value"].(string)
		return http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
			w.Header().Set(header, value)
			next.ServeHTTP(w, req)
		}), nil
	}
}

func main() {}

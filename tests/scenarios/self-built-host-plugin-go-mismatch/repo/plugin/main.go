package main

import (
	"context"
	"errors"
	"fmt"
	"net/http"
)

var pluginName = "krakend-example"

// HandlerRegisterer is the symbol KrakenD's http-server loader looks up.
var HandlerRegisterer = registerer(pluginName)

type registerer string

func (r registerer) RegisterHandlers(f func(
	name string,
	handler func(context.Context, map[string]interface{}, http.Handler) (http.Handler, error),
)) {
	f(string(r), r.registerHandlers)
}

func (r registerer) registerHandlers(_ context.Context, extra map[string]interface{}, h http.Handler) (http.Handler, error) {
	config, ok := extra[pluginName].(map[string]interface{})
	if !ok {
		return h, errors.New("configuration not found")
	}
	path, _ := config["path"].(string)
	return http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		if req.URL.Path != path {
			h.ServeHTTP(w, req)
			return
		}
		fmt.Fprintf(w, "Hello, %q", req.URL.Path)
	}), nil
}

func main() {}

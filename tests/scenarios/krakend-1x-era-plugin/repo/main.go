package main

import (
	"context"
	"net/http"
)

// HandlerRegisterer is the symbol KrakenD 1.x looks up.
var HandlerRegisterer = registerer("hello")

type registerer string

func (r registerer) RegisterHandlers(f func(
	name string,
	handler func(context.Context, map[string]interface{}, http.Handler) (http.Handler, error),
)) {
	f(string(r), func(_ context.Context, _ map[string]interface{}, h http.Handler) (http.Handler, error) {
		return h, nil
	})
}

func main() {}

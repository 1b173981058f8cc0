package main

import (
	"context"
	"net/http"
)

// ClientRegisterer is the symbol KrakenD's http-client plugin loader looks up.
var ClientRegisterer = clientPlugin("clientPlugin")

type clientPlugin string

func (p clientPlugin) RegisterClients(f func(
	name string,
	handler func(context.Context, map[string]interface{}) (http.Handler, error),
)) {
	f(string(p), p.build)
}

func (p clientPlugin) build(_ context.Context, _ map[string]interface{}) (http.Handler, error) {
	return http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("X-Replayed-By", string(p))
		w.WriteHeader(http.StatusNoContent)
	}), nil
}

func main() {}

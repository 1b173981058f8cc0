// Package main is an http-server plugin that turns handler panics into a JSON error.
package main

import (
	"context"
	"net/http"

	"golang.org/x/xerrors"
)

// HandlerRegisterer is the symbol KrakenD's http-server plugin loader looks up.
var HandlerRegisterer = registerer("error-wrapper")

type registerer string

func (r registerer) RegisterHandlers(f func(
	name string,
	handler func(context.Context, map[string]interface{}, http.Handler) (http.Handler, error),
)) {
	f(string(r), r.newHandler)
}

func (r registerer) newHandler(_ context.Context, _ map[string]interface{}, next http.Handler) (http.Handler, error) {
	return http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		defer func() {
			if v := recover(); v != nil {
				err := xerrors.Errorf("error-wrapper: %v", v)
				w.Header().Set("Content-Type", "application/json")
				w.WriteHeader(http.StatusInternalServerError)
				_, _ = w.Write([]byte(`{"error":"` + err.Error() + `"}`))
			}
		}()
		next.ServeHTTP(w, req)
	}), nil
}

func main() {}

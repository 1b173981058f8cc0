package main

import (
	"context"
	"net/http"
	"strconv"
	"sync/atomic"
)

var hits int64

// HandlerRegisterer is looked up by KrakenD's http-server plugin loader.
var HandlerRegisterer = registerer("atomic-counter")

type registerer string

func (r registerer) RegisterHandlers(f func(
	name string,
	handler func(context.Context, map[string]interface{}, http.Handler) (http.Handler, error),
)) {
	f(string(r), r.wrap)
}

func (r registerer) wrap(_ context.Context, _ map[string]interface{}, next http.Handler) (http.Handler, error) {
	return http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		w.Header().Set("X-Hits", strconv.FormatInt(atomic.AddInt64(&hits, 1), 10))
		next.ServeHTTP(w, req)
	}), nil
}

func main() {}

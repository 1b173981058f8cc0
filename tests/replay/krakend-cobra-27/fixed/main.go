// Package main is an http-server plugin that counts requests per API key in Redis.
package main

import (
	"context"
	"errors"
	"net/http"
	"time"

	"github.com/redis/go-redis/v9"
)

// HandlerRegisterer is the symbol KrakenD's http-server plugin loader looks up.
var HandlerRegisterer = registerer("redis-quota")

type registerer string

func (r registerer) RegisterHandlers(f func(
	name string,
	handler func(context.Context, map[string]interface{}, http.Handler) (http.Handler, error),
)) {
	f(string(r), r.newHandler)
}

func (r registerer) newHandler(ctx context.Context, extra map[string]interface{}, next http.Handler) (http.Handler, error) {
	settings, ok := extra[string(r)].(map[string]interface{})
	if !ok {
		return nil, errors.New("redis-quota: missing settings")
	}
	addr, _ := settings["address"].(string)
	client := redis.NewClient(&redis.Options{Addr: addr})
	return http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		key := "quota:" + req.Header.Get("X-Api-Key")
		if err := client.Incr(req.Context(), key).Err(); err == nil {
			client.Expire(req.Context(), key, time.Minute)
		}
		next.ServeHTTP(w, req)
	}), nil
}

func main() {}

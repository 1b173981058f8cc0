// Package main counts calls through a KrakenD Enterprise middleware.
package main

import (
	"context"
	"sync/atomic"
)

type registerer string

// MiddlewareRegisterer is loaded by KrakenD Enterprise only.
var MiddlewareRegisterer = registerer("counter")

type proxy = func(context.Context, interface{}) (interface{}, error)

var calls atomic.Int64

func (r registerer) RegisterMiddlewares(register func(
	string,
	func(map[string]interface{}, func(context.Context, interface{}) (interface{}, error)) func(context.Context, interface{}) (interface{}, error),
)) {
	register(string(r), r.middleware)
}

func (r registerer) middleware(_ map[string]interface{}, next proxy) proxy {
	return func(ctx context.Context, req interface{}) (interface{}, error) {
		calls.Add(1)
		return next(ctx, req)
	}
}

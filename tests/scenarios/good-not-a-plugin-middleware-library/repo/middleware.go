// Package ratelimit is compiled into a custom KrakenD: it is not loaded as a plugin.
package ratelimit

import "net/http"

// New wraps a handler.
func New(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		next.ServeHTTP(w, r)
	})
}

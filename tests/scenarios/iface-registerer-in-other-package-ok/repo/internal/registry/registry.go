// Package registry holds the registerer type and its methods.
package registry

import (
	"context"
	"net/http"
)

// Name is registered as a plugin name.
type Name string

// Factory builds the handler wrapper.
type Factory = func(context.Context, map[string]any, http.Handler) (http.Handler, error)

// RegisterHandlers hands the plugin to KrakenD.
func (n Name) RegisterHandlers(register func(string, Factory)) {
	register(string(n), func(_ context.Context, _ map[string]any, next http.Handler) (http.Handler, error) {
		return next, nil
	})
}

// Package main answers backend calls from memory instead of the network.
package main

import (
	"context"
	"net/http"
)

type registerer struct {
	name string
}

// ClientRegisterer is a value; its methods use pointer receivers, which the loader accepts
// because it receives a pointer to this variable.
var ClientRegisterer = registerer{name: "canned-client"}

func (r *registerer) RegisterClients(register func(
	string,
	func(context.Context, map[string]interface{}) (http.Handler, error),
)) {
	register(r.name, r.client)
}

func (r *registerer) client(_ context.Context, _ map[string]interface{}) (http.Handler, error) {
	return http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte(`{"canned":true}`))
	}), nil
}

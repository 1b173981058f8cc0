// Package main is a request/response modifier with the mistakes the linter exists to catch:
// a pointer-typed registerer variable, a named callback type, and a name registered for both
// directions.
package main

import "context"

type modifierFactory func(map[string]interface{}) func(interface{}) (interface{}, error)

// ModifierRegisterer is a pointer: the loader's type assertion fails with "unknown type".
var ModifierRegisterer = &registerer{name: "body-rewriter"}

type registerer struct{ name string }

func (r *registerer) RegisterModifiers(f func(string, modifierFactory, bool, bool)) {
	f(r.name, r.factory, true, true)
}

func (r *registerer) RegisterContext(ctx context.Context) {}

func (r *registerer) factory(map[string]interface{}) func(interface{}) (interface{}, error) {
	return func(in interface{}) (interface{}, error) { return in, nil }
}

func main() {}

// Package main tags requests and responses that pass through KrakenD.
package main

import (
	"context"
	"errors"
)

type registerer string

// ModifierRegisterer registers one modifier per direction.
var ModifierRegisterer = registerer("tagger")

type modifierFactory = func(map[string]any) func(any) (any, error)

func (r registerer) RegisterModifiers(register func(string, modifierFactory, bool, bool)) {
	register(string(r)+"-request", r.requests, true, false)
	register(string(r)+"-response", r.responses, false, true)
}

// RegisterLogger receives KrakenD's logger as an empty interface.
func (r registerer) RegisterLogger(v interface{}) {
	if l, ok := v.(interface{ Debug(...interface{}) }); ok {
		logger = l
	}
}

// RegisterContext receives the service context (KrakenD 2.6.0 and later).
func (r *registerer) RegisterContext(ctx context.Context) { serviceCtx = ctx }

var (
	logger     interface{ Debug(...interface{}) }
	serviceCtx context.Context
)

func (r registerer) requests(map[string]any) func(any) (any, error) {
	return func(in any) (any, error) {
		if in == nil {
			return nil, errors.New("no request")
		}
		return in, nil
	}
}

func (r registerer) responses(map[string]any) func(any) (any, error) {
	return func(in any) (any, error) { return in, nil }
}

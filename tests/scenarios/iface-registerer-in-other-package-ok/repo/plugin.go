// Package main exports a registerer whose type lives in an internal package.
package main

import reg "example.com/iface-registerer-in-other-package-ok/internal/registry"

// HandlerRegisterer converts to the internal type, so the loader sees *registry.Name.
var HandlerRegisterer = reg.Name("greeter")

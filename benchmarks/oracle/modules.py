"""The synthetic Go modules the oracle's host and plugins build against.

They stand in for the real dependency landscape of a KrakenD plugin:

* ``example.com/shared``: a third-party library KrakenD links (only its package ``a``; ``b``
  is never linked by the host). v1.1.1 is a retag whose files are byte-identical to v1.1.0.
* ``example.com/sys``: plays golang.org/x/sys, linked by the host through ``cpu``.
* ``example.com/lura/v2``: plays the lura framework, with ``register`` and ``proxy`` packages.
* ``example.com/pluginonly``: a library only plugins use; its later versions depend on
  ``example.com/sys`` at versions other than the host's.
* ``example.com/Upper/Kit``: a plugin-only module whose path needs GOPROXY case escaping.
* ``example.com/unused``: required by some plugins but never imported.

Every file is produced from data here, so the proxy is deterministic.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Module:
    """One version of one module: its go.mod requirements and its files (path -> text)."""

    path: str
    version: str
    files: dict[str, str] = field(default_factory=dict)
    requires: tuple[tuple[str, str], ...] = ()
    go: str = "1.20"

    def gomod(self) -> str:
        lines = [f"module {self.path}", "", f"go {self.go}"]
        if self.requires:
            lines += ["", "require ("] + [f"\t{p} {v}" for p, v in self.requires] + [")"]
        return "\n".join(lines) + "\n"


def _shared_a(label: str) -> str:
    return f"""// Package a is the part of the shared library that the gateway links.
package a

// Release says which copy of the package this is.
const Release = "{label}"

// Tag marks a name with the release that produced it.
func Tag(name string) string {{
\treturn name + "@" + Release
}}
"""


def _shared_b(step: int) -> str:
    return f"""// Package b is the part of the shared library that only plugins use.
package b

// Scale multiplies by a factor that changed between releases.
func Scale(n int) int {{
\treturn n * {step}
}}
"""


def _sys_cpu(generation: int) -> str:
    return f"""// Package cpu stands in for a low-level system package shared by host and plugins.
package cpu

import "runtime"

// Generation changes with every release of the module.
const Generation = {generation}

// Cores reports how many logical CPUs the process may use.
func Cores() int {{
\treturn runtime.NumCPU() + Generation - Generation
}}
"""


def _lura_register(minor: int) -> str:
    extra = ""
    if minor >= 2:
        extra = """
// Len counts the names registered under a namespace.
func (n *Namespaced) Len(namespace string) int {
\tn.mu.RLock()
\tdefer n.mu.RUnlock()
\treturn len(n.data[namespace])
}
"""
    return f"""// Package register keeps named values grouped by namespace, like the framework's registries.
package register

import (
\t"sort"
\t"sync"
)

// Minor is the framework's minor release.
const Minor = {minor}

// Namespaced is a concurrency-safe namespace -> name -> value table.
type Namespaced struct {{
\tmu   sync.RWMutex
\tdata map[string]map[string]interface{{}}
}}

// New returns an empty table.
func New() *Namespaced {{
\treturn &Namespaced{{data: map[string]map[string]interface{{}}{{}}}}
}}

// Register stores v as name inside namespace, replacing an earlier value.
func (n *Namespaced) Register(namespace, name string, v interface{{}}) {{
\tn.mu.Lock()
\tdefer n.mu.Unlock()
\tif n.data[namespace] == nil {{
\t\tn.data[namespace] = map[string]interface{{}}{{}}
\t}}
\tn.data[namespace][name] = v
}}

// Get returns the value stored as name inside namespace.
func (n *Namespaced) Get(namespace, name string) (interface{{}}, bool) {{
\tn.mu.RLock()
\tdefer n.mu.RUnlock()
\tv, ok := n.data[namespace][name]
\treturn v, ok
}}

// Names lists the names of a namespace in sorted order.
func (n *Namespaced) Names(namespace string) []string {{
\tn.mu.RLock()
\tdefer n.mu.RUnlock()
\tout := make([]string, 0, len(n.data[namespace]))
\tfor k := range n.data[namespace] {{
\t\tout = append(out, k)
\t}}
\tsort.Strings(out)
\treturn out
}}
{extra}"""


def _lura_proxy(minor: int) -> str:
    return f"""// Package proxy holds the request and response shapes that modifiers work on.
package proxy

import (
\t"io"
\t"net/url"

\t"example.com/lura/v2/register"
)

// RequestWrapper is what a request modifier receives.
type RequestWrapper interface {{
\tParams() map[string]string
\tHeaders() map[string][]string
\tBody() io.ReadCloser
\tMethod() string
\tURL() *url.URL
\tQuery() url.Values
\tPath() string
}}

// ResponseWrapper is what a response modifier receives.
type ResponseWrapper interface {{
\tData() map[string]interface{{}}
\tIo() io.Reader
\tIsComplete() bool
\tHeaders() map[string][]string
\tStatusCode() int
}}

// Modifiers is the framework-wide modifier table.
var Modifiers = register.New()

// Version describes the framework release.
func Version() string {{
\treturn "v2.{minor}.0"
}}
"""


def _util(sys_import: bool, label: str) -> str:
    if not sys_import:
        return f"""// Package util is a helper library that only plugins use.
package util

import "strings"

// Shout upper-cases a message and marks it with the library release.
func Shout(s string) string {{
\treturn strings.ToUpper(s) + " ({label})"
}}
"""
    return f"""// Package util is a helper library that only plugins use.
package util

import (
\t"strconv"
\t"strings"

\t"example.com/sys/cpu"
)

// Shout upper-cases a message and marks it with the library release and the CPU count.
func Shout(s string) string {{
\treturn strings.ToUpper(s) + " ({label}, " + strconv.Itoa(cpu.Cores()) + " cpus)"
}}
"""


KIT = """// Package kit lives in a module whose path has capital letters.
package kit

// Wrap surrounds a value with brackets.
func Wrap(s string) string {
\treturn "[" + s + "]"
}
"""

NOTHING = """// Package nothing is required by some plugins and imported by none.
package nothing

// Answer is never read.
const Answer = 42
"""


def all_modules() -> tuple[Module, ...]:
    """Every module version served by the proxy, in a fixed order."""
    mods: list[Module] = []
    for version, label, step in (("v1.0.0", "v1.0.0", 2), ("v1.1.0", "v1.1.0", 3),
                                 ("v1.1.1", "v1.1.0", 3), ("v1.2.0", "v1.2.0", 4)):
        mods.append(Module("example.com/shared", version,
                           {"a/a.go": _shared_a(label), "b/b.go": _shared_b(step)}))
    for version, gen in (("v0.1.0", 1), ("v0.2.0", 2), ("v0.3.0", 3)):
        mods.append(Module("example.com/sys", version, {"cpu/cpu.go": _sys_cpu(gen)}))
    for minor in (0, 1, 2):
        mods.append(Module("example.com/lura/v2", f"v2.{minor}.0", {
            "register/register.go": _lura_register(minor),
            "proxy/proxy.go": _lura_proxy(minor),
        }))
    mods.append(Module("example.com/pluginonly", "v1.0.0", {"util/util.go": _util(False, "v1.0.0")}))
    mods.append(Module("example.com/pluginonly", "v1.1.0", {"util/util.go": _util(True, "v1.1.0")},
                       requires=(("example.com/sys", "v0.3.0"),)))
    # v1.2.0 declares go 1.16 (no module graph pruning), so its requirements' go.mod files stay in
    # the graph and a plugin that selects a newer sys still gets a graph-only sys v0.1.0/go.mod line.
    mods.append(Module("example.com/pluginonly", "v1.2.0", {"util/util.go": _util(True, "v1.2.0")},
                       requires=(("example.com/sys", "v0.1.0"),), go="1.16"))
    mods.append(Module("example.com/Upper/Kit", "v1.0.0", {"kit/kit.go": KIT}))
    mods.append(Module("example.com/unused", "v1.0.0", {"nothing/nothing.go": NOTHING}))
    return tuple(mods)


def find(path: str, version: str) -> Module:
    for mod in all_modules():
        if mod.path == path and mod.version == version:
            return mod
    raise KeyError(f"no synthetic module {path}@{version}")

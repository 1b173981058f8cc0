"""Valid inputs the fuzzers start from: small, but touching every construct each parser knows.

Mutating a valid file reaches far deeper into a parser than random bytes do, so each seed uses
the syntax real plugin repositories use (and the odd corners: quoted paths, retract ranges,
heredocs, escape directives, YAML anchors, Makefile conditionals).
"""

from __future__ import annotations

from pathlib import Path

from tests.fuzz.elf import go_plugin_elf

REPO = Path(__file__).resolve().parents[2]
EXAMPLES = REPO / "examples"

GOMOD = """\
// Package comment.
module "example.com/plugin"

go 1.22.4

toolchain go1.22.10

godebug (
	default=go1.21
	panicnil=1
)

require (
	github.com/luraproject/lura/v2 v2.6.0 // indirect
	github.com/krakend/krakend-ce/v2 v2.7.0
	"github.com/quoted/path" v1.0.0-rc.1+incompatible
	golang.org/x/sys v0.0.0-20240101000000-abcdefabcdef
)

require github.com/single/line v0.3.1

replace github.com/old/mod => github.com/new/mod v1.2.3
replace (
	github.com/local/mod v1.0.0 => ../local
	github.com/win/mod => C:\\\\mods\\\\win
)

exclude github.com/bad/mod v0.9.0

retract [v1.0.0, v1.0.5] // broken release
retract (
	v0.1.0
	[v0.2.0, v0.2.9]
)

tool golang.org/x/tools/cmd/stringer
"""

GOSUM = """\
github.com/gin-gonic/gin v1.9.1 h1:4idEAncQnU5cB7BeOkPtxjfCSye0AAm1R0RVIqJ+Jmg=
github.com/gin-gonic/gin v1.9.1/go.mod h1:hPrL7YrpYKXt5YId3A/Tnip5kqbEAP+KLuI3SUcPTeU=
github.com/luraproject/lura/v2 v2.6.0 h1:nmYTjvyUHEs8nv7bdbw8sZmsMP2ZEyA0dH4pdWTCFa0=
github.com/luraproject/lura/v2 v2.6.0/go.mod h1:JN2F2h5nbQ8bQyBRqzdjhkl2tzAR87OQg6gGf4JKw5Q=
golang.org/x/sys v0.0.0-20240101000000-abcdefabcdef/go.mod h1:oPkhp1MJrh7nUepCBck5+mAzfO9JrbApNNgaTdGDITg=
gopkg.in/yaml.v3 v3.0.1 h1:fxVm/GzAzEWqLHuvctI91KS9hhNmmWOoWu0XTYJS7CA=
"""

MODULES_TXT = """\
# github.com/luraproject/lura/v2 v2.6.0
## explicit; go 1.20
github.com/luraproject/lura/v2/config
github.com/luraproject/lura/v2/logging
# github.com/old/mod v1.0.0 => github.com/new/mod v1.2.3
## explicit
github.com/old/mod
# github.com/local/mod v1.0.0 => ../local
github.com/local/mod/sub
# github.com/wild/mod => ./wild
## explicit; go 1.21
"""

DOCKERFILE = """\
# syntax=docker/dockerfile:1.7
# escape=\\
ARG KRAKEND_VERSION=2.7.0
ARG GO_VERSION
FROM krakend/builder:${KRAKEND_VERSION} AS builder
ARG TARGETARCH
ENV CGO_ENABLED=1 \\
    GOOS=linux
WORKDIR /src
COPY go.mod go.sum ./
RUN --mount=type=cache,target=/go/pkg/mod go mod download
COPY . .
RUN go build -buildmode=plugin -trimpath -ldflags "-s -w" -o /out/plugin.so . && \\
    echo "built \\"plugin\\""
RUN <<EOF
set -eu
apk add --no-cache git
go env -w GOFLAGS=-mod=mod
EOF
RUN ["go", "version"]
COPY --from=builder /out/plugin.so /plugins/
FROM --platform=$BUILDPLATFORM golang:1.22.4-alpine3.19
ONBUILD RUN echo hi
HEALTHCHECK CMD wget -q -O- http://localhost:8080/__health || exit 1
FROM krakend:${KRAKEND_VERSION}
COPY --from=0 /out/plugin.so /opt/krakend/plugins/
COPY <<-CONF /etc/krakend/krakend.json
\t{"version": 3}
\tCONF
CMD ["run", "-c", "/etc/krakend/krakend.json"]
"""

DOCKERFILE_BACKTICK = """\
# escape=`
FROM golang:1.22 AS build
RUN go build `
    -buildmode=plugin -o C:\\out\\p.so .
"""

WORKFLOW = """\
name: build
on:
  pull_request:
env:
  GO_VERSION: "1.22.4"
  KRAKEND: &kd 2.7.0
jobs:
  build:
    runs-on: ubuntu-latest
    container: golang:1.22.4
    services:
      redis:
        image: redis:7
    strategy:
      matrix:
        go: [1.20, "1.21", 1.22.x]
        include:
          - go: stable
    env:
      CGO_ENABLED: "1"
    steps:
      - uses: actions/checkout@v4
      - uses: actions/setup-go@v5
        with:
          go-version: ${{ matrix.go }}
          go-version-file: go.mod
      - name: build
        run: |
          go build -buildmode=plugin -o plugin.so .
          docker run --rm -v "$PWD:/app" krakend/builder:2.7.0 go build -buildmode=plugin .
      - run: make plugin KRAKEND=${{ env.KRAKEND }}
      - uses: docker://krakend:2.7.0
        with:
          args: check -c krakend.json
  other:
    <<: {runs-on: ubuntu-latest}
    steps:
      - {uses: actions/setup-go@v4, with: {go-version: '${{ env.GO_VERSION }}'}}
      - run: echo *kd
"""

MAKEFILE = """\
KRAKEND_VERSION ?= 2.7.0
GO_VERSION := 1.22.4
BUILDER = krakend/builder:$(KRAKEND_VERSION)
LDFLAGS += -s -w
PLUGIN := $(shell basename $(CURDIR)).so
ifeq ($(ARCH),arm64)
  GOARCH = arm64
else
  GOARCH = amd64
endif
-include local.mk
define BUILD_CMD
go build -buildmode=plugin -o $(PLUGIN) .
endef

.PHONY: plugin
plugin: go.mod
\tdocker run --rm -v "$$PWD:/app" -w /app $(BUILDER) \\
\t\tgo build -buildmode=plugin -ldflags "$(LDFLAGS)" -o $(PLUGIN) .

local: ; CGO_ENABLED=1 go build -buildmode=plugin -o $@ .
"""

TASKFILE = """\
version: '3'
vars:
  KRAKEND_VERSION: 2.7.0
  IMAGE: krakend/builder:{{.KRAKEND_VERSION}}
  SHA: {sh: git rev-parse HEAD}
env:
  CGO_ENABLED: 1
x-cmds: &cmds
  - go vet ./...
tasks:
  build:
    dir: plugins/{{.NAME}}
    vars: {NAME: auth, OUT: '{{.NAME}}.so'}
    env: {GOOS: linux}
    cmds:
      - go build -buildmode=plugin -o {{.OUT}} .
      - cmd: |
          docker run --rm -v "$PWD:/app" {{ .IMAGE }} \\
            go build -buildmode=plugin -trimpath -o x.so .
      - task: test
      - defer: rm -f tmp.so
  test: go test ./...
  lint: *cmds
  both: [echo a, "echo {{.OUT}}"]
  single:
    <<: {dir: x}
    cmd: go build -o single.so .
"""

COMPOSE = """\
x-common: &common
  platform: linux/amd64
  environment: &env
    FC_ENABLE: 1
services:
  gateway:
    <<: *common
    image: "devopsfaith/krakend:${KRAKEND_VERSION:-2.7.0}"
    command: ["run", "-d", "-c", "/etc/krakend/krakend.json"]
    volumes:
      - ./config:/etc/krakend:ro
      - ${PLUGINS:-./plugins}:/opt/krakend/plugins
      - type: bind
        source: ./build
        target: /opt/krakend/plugins/extra
        read_only: true
    environment:
      TAG: ${TAG}
      PRICE: $$5
  builder:
    build:
      context: ./plugin
      dockerfile: build.Dockerfile
      args:
        - GO_VERSION=${GO_VERSION:?set it}
        - KRAKEND_VERSION
    entrypoint: >-
      krakend run
      -dc "/etc/krakend/my config.json"
  short:
    build: .
    environment: [MODE=debug, HOME]
"""

SHELL_SCRIPT = """\
#!/usr/bin/env bash
set -euo pipefail
export CGO_ENABLED=1 GOFLAGS="-mod=vendor"
VERSION="${KRAKEND_VERSION:-2.7.0}"
docker build --build-arg KRAKEND_VERSION="$VERSION" -t plugin-builder -f Dockerfile .
docker run --rm -v "$(pwd)":/src -w /src "krakend/builder:${VERSION}" \\
  go build -buildmode=plugin -o plugin.so .
if [ -n "${CI:-}" ]; then sudo apt-get install -y gcc; fi
for arch in amd64 arm64; do GOARCH=$arch go build -buildmode=plugin -o "p-$arch.so" . ; done
sh -c 'go build -ldflags="-X main.v=1" -buildmode=plugin .'
cat <<EOF > out.txt
$(go version)
EOF
"""

GO_VERSION_FILE = "1.22.4\n"
TOOL_VERSIONS = "golang 1.22.4\nnodejs 20.11.0 # comment\npython 3.11\n"

GO_SOURCE = """\
//go:build linux && !windows
// +build linux,!windows

package main

import (
	"context"
	"fmt"
	nethttp "net/http"
	_ "embed"
	. "strings"

	"github.com/luraproject/lura/v2/logging"
)

const (
	pluginName = "demo" + "-" + `raw\\name`
	version    = iota
)

// HandlerRegisterer is looked up by KrakenD.
var HandlerRegisterer = registerer(pluginName)
var ClientRegisterer, ModifierRegisterer = registerer("a"), registerer("b")

type registerer string
type alias = registerer
type Generic[T any, K comparable] struct{ items map[K]T }
type Iface interface{ RegisterLogger(interface{}) }

func (r registerer) RegisterHandlers(f func(
	name string,
	handler func(context.Context, map[string]interface{}, nethttp.Handler) (nethttp.Handler, error),
)) {
	f(string(r), r.registerHandlers)
}

func (registerer) RegisterLogger(v interface{}) {
	l, ok := v.(logging.Logger)
	if !ok {
		return
	}
	l.Debug(fmt.Sprintf("[PLUGIN: %s] Logger loaded", HandlerRegisterer), ToUpper("x"), '\\'')
}

func (r *registerer) registerHandlers(_ context.Context, extra map[string]interface{}, h nethttp.Handler) (nethttp.Handler, error) {
	return h, nil
}

func init() { fmt.Println("loaded", `multi
line`) }

func main() {}
"""

GATEWAY_JSON = """\
{
  "$schema": "https://www.krakend.io/schema/v2.7/krakend.json",
  "version": 3,
  "plugin": {"folder": "/opt/krakend/plugins/", "pattern": ".so"},
  "extra_config": {
    "plugin/http-server": {"name": ["demo", "other"], "demo": {"path": "/x"}},
    "telemetry/logging": {"level": "DEBUG"}
  },
  "endpoints": [
    {
      "endpoint": "/v1/{id}",
      "extra_config": {"plugin/req-resp-modifier": {"name": ["mod"]}},
      "backend": [{"host": ["http://b:8080"], "url_pattern": "/{id}",
                   "extra_config": {"plugin/http-client": {"name": "client"}}}]
    }
  ]
}
"""

GATEWAY_YAML = """\
version: 3
plugin:
  folder: /opt/krakend/plugins/
  pattern: .so
extra_config: &ec
  plugin/http-server:
    name: [demo]
endpoints:
  - endpoint: /a
    extra_config: *ec
    backend:
      - host: ["http://b:8080"]
        url_pattern: /a
"""

GATEWAY_TOML = """\
version = 3
[plugin]
folder = "/opt/krakend/plugins/"
pattern = ".so"
[extra_config."plugin/http-server"]
name = ["demo"]
"""

GATEWAY_TEMPLATE = """\
{
  "version": 3,
  "plugin": {{ include "partials/plugin.tmpl" }},
  "port": {{ .service.port }},
  "endpoints": [
    {{ range $idx, $e := .endpoints }}{{ if $idx }},{{ end }}
    {"endpoint": "{{ $e.path }}", "backend": [{"host": {{ marshal $e.hosts }}}]}
    {{ end }}
  ],
  "extra_config": {"plugin/http-server": {"name": ["{{ .plugin.name }}"]}}
}
"""

SHELL_SNIPPETS = (
    "go build -buildmode=plugin -o p.so .",
    'CGO_ENABLED=1 GOFLAGS="-mod=mod -trimpath" go build -ldflags "-s -w -X main.v=$(git describe)" .',
    "apk add --no-cache gcc musl-dev && go build -buildmode=plugin . || exit 1",
    "docker run --rm -v $PWD:/app krakend/builder:2.7.0 sh -c 'cd /app && go build -buildmode=plugin .'",
    "for f in *.go; do echo \"$f\"; done; case $x in a) make plugin;; esac",
    "export GOARCH=arm64; go env -w CGO_ENABLED=1; go build -buildmode=plugin ${FLAGS:-} ./cmd/...",
)


def _example(name: str) -> bytes | None:
    path = EXAMPLES / name
    return path.read_bytes() if path.is_file() else None


def _with_examples(own: tuple[bytes, ...], *names: str) -> tuple[bytes, ...]:
    found = tuple(data for data in (_example(name) for name in names) if data is not None)
    return own + found


SEEDS: dict[str, tuple[bytes, ...]] = {
    "gomod": _with_examples((GOMOD.encode(),), "plugin/go.mod", "broken-plugin/go.mod"),
    "gosum": (GOSUM.encode(),),
    "modules_txt": (MODULES_TXT.encode(),),
    "dockerfile": _with_examples((DOCKERFILE.encode(), DOCKERFILE_BACKTICK.encode()),
                                 "plugin/Dockerfile", "broken-plugin/Dockerfile"),
    "workflow": (WORKFLOW.encode(),),
    "makefile": (MAKEFILE.encode(),),
    "taskfile": (TASKFILE.encode(),),
    "compose": (COMPOSE.encode(),),
    "build_sh": (SHELL_SCRIPT.encode(),),
    "go_version_file": (GO_VERSION_FILE.encode(), TOOL_VERSIONS.encode()),
    "gosource": _with_examples((GO_SOURCE.encode(),), "plugin/main.go", "broken-plugin/main.go"),
    "gateway_config": _with_examples((GATEWAY_JSON.encode(),), "plugin/krakend.json", "broken-plugin/krakend.json"),
    "gateway_yaml": (GATEWAY_YAML.encode(),),
    "gateway_toml": (GATEWAY_TOML.encode(),),
    "gateway_tmpl": (GATEWAY_TEMPLATE.encode(),),
    "shell": tuple(snippet.encode() for snippet in SHELL_SNIPPETS),
    "gobinary": (go_plugin_elf(),),
}

# Tokens that break parsers when dropped into the middle of a valid file.
COMMON_TOKENS: tuple[bytes, ...] = (
    b'"', b"'", b"`", b"(", b")", b"[", b"]", b"{", b"}", b"\\", b"\\\n", b"\0", b"\r", b"\r\n", b"\n",
    b"\t", b" ", b"\xef\xbb\xbf", b"\xff", b"\xc3", b"\xe2\x82", b"\xed\xa0\x80", b"\xf4\x90\x80\x80",
    b"\xe2\x80\xa8", b"\x85", b"\x0b", b"\x0c", b"#", b"//", b"/*", b"*/", b"$", b"${", b"$(", b"=", b":",
    b",", b";", b"&&", b"|", b"<<EOF\n", b"EOF", b"%", b"\\u", b"\\x", b"\\U0010ffff", b"-", b"0", b"9" * 30,
)

TOKENS: dict[str, tuple[bytes, ...]] = {
    "gomod": (b"module ", b"require ", b"replace ", b"retract ", b"exclude ", b"godebug ", b"toolchain ",
              b"go ", b"tool ", b"=>", b" v1.2.3", b"v0.0.0-20240101000000-abcdefabcdef", b"+incompatible",
              b"[v1.0.0, v1.1.0]", b"// Deprecated: use x\n", b"\"\\u00e9\""),
    "gosum": (b" h1:", b"/go.mod", b" v1.2.3", b"=", b"h1:AAAA="),
    "modules_txt": (b"# ", b"## explicit", b"; go 1.21", b" => ", b" v1.2.3", b"##"),
    "dockerfile": (b"FROM ", b"RUN ", b"ARG ", b"ENV ", b"COPY --from=", b" AS ", b"# escape=`\n",
                   b"# syntax=x\n", b"<<EOF\n", b"<<-'EOF'\n", b"[\"a\",", b"ONBUILD ", b"--mount=type=cache,",
                   b"${A:-b}", b"$A", b"\\\n"),
    "workflow": (b"&a ", b"*a", b"<<: ", b"!!str ", b"!!binary ", b"? ", b"- ", b"|\n", b">-\n", b"${{ ",
                 b" }}", b"matrix.", b"%YAML 1.1\n", b"---\n", b"...\n", b"!tag ", b"@"),
    "taskfile": (b"{{.", b"}}", b"{{ .IMAGE }}", b"{{-", b"&a ", b"*a", b"<<: ", b"- ", b"|\n", b">-\n",
                 b"cmd: ", b"cmds:\n", b"vars:\n", b"sh: ", b"task: ", b"dir: ", b"$$"),
    "compose": (b"${", b"}", b":-", b":?", b":+", b"$$", b"$", b"&a ", b"*a", b"<<: ", b"- ", b"|\n", b">-\n",
                b"services:\n", b"volumes:\n", b"build:\n", b"-c ", b":ro", b"type: bind\n", b"!!str "),
    "makefile": (b"$(", b"${", b"$$", b":=", b"?=", b"+=", b"!=", b"ifeq (", b"endif\n", b"else\n",
                 b"define X\n", b"endef\n", b"include ", b"\t", b"$(shell ", b"$(call ", b"$(eval "),
    "build_sh": (b"$(", b"<<EOF\n", b"case ", b" esac", b"done", b"do ", b"if ", b"fi", b"${", b"}", b"'",
                 b"sh -c '", b"go build ", b"docker run "),
    "go_version_file": (b"golang ", b"go ", b"1.", b"ref:", b"system"),
    "gosource": (b"package ", b"import ", b"func ", b"type ", b"var ", b"const ", b"interface{", b"struct{",
                 b"map[", b"chan ", b"<-", b"...", b"//go:build ", b"/*", b"`", b"'", b"[T any]", b"iota",
                 b"0x", b"1e", b".", b"*"),
    "gateway_config": (b'{"', b'":', b"[", b"]", b"}", b"1e999", b"-0", b"NaN", b"null", b"true", b'"\\u',
                       b'"\\ud800"', b"{{", b"}}", b'{{ template "x" . }}', b"/* */"),
    "gateway_yaml": (b"&a ", b"*a", b"<<: ", b"!!python/object ", b"? ", b"- ", b"|\n", b"{{ ", b" }}"),
    "gateway_tmpl": (b"{{", b"}}", b"{{-", b"-}}", b"{{ end }}", b"{{ range . }}", b"{{/*", b"*/}}", b"$x",
                     b'{{ include "x" }}', b"|", b'"'),
    "gateway_toml": (b"[[", b"]]", b'"""', b"'''", b" = ", b"inf", b"nan", b"1979-05-27T07:32:00Z"),
    "shell": (b"$(", b"`", b"${", b"<<EOF\n", b"case ", b" esac", b"do ", b"done", b"if ", b"fi", b"sh -c '",
              b"go build ", b"docker run ", b"&&", b"||", b";;", b"((", b"))"),
    "gobinary": (b"\x7fELF", b"\xff Go buildinf:", b"\xff" * 8, b"\0" * 8, b"\x80" * 10, b"go1.22",
                 b"\ndep\t", b"\nbuild\t", b"\t", b"=>\t"),
}

// Command krakend-host loads Go plugins the way KrakenD CE v2 does and prints a JSON verdict.
//
// It reads a gateway config (version 3, top-level plugin.folder/pattern), lists the plugin
// folder (not recursively, directories skipped) for file names containing the pattern, and runs
// three loaders in KrakenD's order: client, server, modifier. Each loader opens every file,
// looks up its symbol, asserts it to the registerer interface with the framework's exact
// method signature, hands over a logger (and, for modifiers, a context) when the plugin offers
// the optional methods, and lets the plugin register its factories by name. Finally it checks
// that every name the config asks for was registered.
//
// The verdict is one JSON object on stdout; the exit code is 0 unless the runtime itself dies.
package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"plugin"
	"runtime"
	"sort"
	"strings"

	"example.com/lura/v2/proxy"
	"example.com/lura/v2/register"
	"example.com/shared/a"
	"example.com/sys/cpu"
)

// The three registerer contracts, with the framework's exact (unnamed) function types.
type clientRegisterer interface {
	RegisterClients(func(
		name string,
		factory func(context.Context, map[string]interface{}) (http.Handler, error),
	))
}

type handlerRegisterer interface {
	RegisterHandlers(func(
		name string,
		factory func(context.Context, map[string]interface{}, http.Handler) (http.Handler, error),
	))
}

type modifierRegisterer interface {
	RegisterModifiers(func(
		name string,
		factory func(map[string]interface{}) func(interface{}) (interface{}, error),
		appliesToRequest bool,
		appliesToResponse bool,
	))
}

type loggerRegisterer interface {
	RegisterLogger(interface{})
}

type contextRegisterer interface {
	RegisterContext(context.Context)
}

// Namespaces as KrakenD v2 accepts them: the short names and the long v1 names they alias.
var (
	serverNamespaces   = []string{"plugin/http-server", "github_com/devopsfaith/krakend/transport/http/server/handler"}
	clientNamespaces   = []string{"plugin/http-client", "github.com/devopsfaith/krakend/transport/http/client/executor"}
	modifierNamespaces = []string{"plugin/req-resp-modifier", "github.com/devopsfaith/krakend/proxy/plugin"}
)

// Registry namespaces inside the framework's register table.
const (
	nsClient   = "client"
	nsServer   = "server"
	nsRequest  = "request"
	nsResponse = "response"
)

type loaderResult struct {
	Status            string `json:"status"` // ok, open-failed, symbol-not-found, unknown-type, panic
	Error             string `json:"error,omitempty"`
	LoggerRegistered  bool   `json:"logger_registered"`
	ContextRegistered bool   `json:"context_registered"`
}

type fileResult struct {
	File             string                   `json:"file"`
	OpenError        string                   `json:"open_error,omitempty"`
	MismatchedPkg    string                   `json:"mismatched_package,omitempty"`
	Loaders          map[string]*loaderResult `json:"loaders"`
	registeredByThis int
}

type verdict struct {
	GoVersion       string              `json:"go_version"`
	Framework       string              `json:"framework"`
	Links           string              `json:"links"`
	ConfigError     string              `json:"config_error,omitempty"`
	Folder          string              `json:"folder"`
	Pattern         string              `json:"pattern"`
	ScanError       string              `json:"scan_error,omitempty"`
	Files           []*fileResult       `json:"files"`
	Registered      map[string][]string `json:"registered"`
	Wanted          map[string][]string `json:"wanted"`
	Ignored         []string            `json:"ignored_config"`
	Missing         []string            `json:"missing"`
	Shadowed        []string            `json:"shadowed_response_modifiers"`
	FactoryErrors   map[string]string   `json:"factory_errors"`
	LoggerCalls     int                 `json:"logger_calls"`
	Loads           bool                `json:"loads"`
	Failure         string              `json:"failure"`
	FailureDetail   string              `json:"failure_detail,omitempty"`
	registry        *register.Namespaced
	modifierWanted  map[string]bool
	serverExtra     map[string]interface{}
	clientExtras    map[string]map[string]interface{}
	modifierExtras  map[string]map[string]interface{}
}

// hostLogger is what plugins receive through RegisterLogger; it only counts calls.
type hostLogger struct{ calls *int }

func (l hostLogger) log(v ...interface{}) { *l.calls++ }

func (l hostLogger) Debug(v ...interface{})    { l.log(v...) }
func (l hostLogger) Info(v ...interface{})     { l.log(v...) }
func (l hostLogger) Warning(v ...interface{})  { l.log(v...) }
func (l hostLogger) Error(v ...interface{})    { l.log(v...) }
func (l hostLogger) Critical(v ...interface{}) { l.log(v...) }
func (l hostLogger) Fatal(v ...interface{})    { l.log(v...) }

func main() {
	configPath := flag.String("c", "krakend.json", "gateway config")
	pluginDir := flag.String("plugins", "", "plugin folder (overrides plugin.folder, like a volume mount)")
	flag.Parse()

	v := &verdict{
		GoVersion:      strings.TrimPrefix(runtime.Version(), "go"),
		Framework:      proxy.Version(),
		Links:          fmt.Sprintf("%s cpu-gen-%d", a.Tag("host"), cpu.Generation),
		Files:          []*fileResult{},
		Registered:     map[string][]string{},
		Wanted:         map[string][]string{"server": {}, "client": {}, "modifier": {}},
		Ignored:        []string{},
		Missing:        []string{},
		Shadowed:       []string{},
		FactoryErrors:  map[string]string{},
		registry:       register.New(),
		modifierWanted: map[string]bool{},
		clientExtras:   map[string]map[string]interface{}{},
		modifierExtras: map[string]map[string]interface{}{},
	}
	run(v, *configPath, *pluginDir)
	out := json.NewEncoder(os.Stdout)
	out.SetIndent("", "  ")
	if err := out.Encode(v); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}
}

func run(v *verdict, configPath, pluginDir string) {
	cfg, err := readConfig(configPath)
	if err != nil {
		v.ConfigError = err.Error()
		v.decide()
		return
	}
	v.collectWanted(cfg)
	pluginCfg, ok := cfg["plugin"].(map[string]interface{})
	if !ok {
		v.ConfigError = "no top-level plugin section: no plugin is loaded"
		v.decide()
		return
	}
	v.Folder, _ = pluginCfg["folder"].(string)
	v.Pattern, _ = pluginCfg["pattern"].(string)
	if pluginDir != "" {
		v.Folder = pluginDir
	}
	files, err := scan(v.Folder, v.Pattern)
	if err != nil {
		v.ScanError = err.Error()
	}
	for _, f := range files {
		v.Files = append(v.Files, &fileResult{File: f, Loaders: map[string]*loaderResult{}})
	}
	ctx := context.Background()
	logger := hostLogger{calls: &v.LoggerCalls}
	// KrakenD CE runs the loaders in this order, each over every file.
	for _, fr := range v.Files {
		fr.Loaders["client"] = v.loadClient(fr, logger)
	}
	for _, fr := range v.Files {
		fr.Loaders["server"] = v.loadServer(fr, logger)
	}
	for _, fr := range v.Files {
		fr.Loaders["modifier"] = v.loadModifier(fr, logger, ctx)
	}
	for _, ns := range []string{nsClient, nsServer, nsRequest, nsResponse} {
		v.Registered[ns] = v.registry.Names(ns)
	}
	v.checkWanted(ctx)
	v.decide()
}

func readConfig(path string) (map[string]interface{}, error) {
	raw, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var cfg map[string]interface{}
	if err := json.Unmarshal(raw, &cfg); err != nil {
		return nil, fmt.Errorf("parsing %s: %w", path, err)
	}
	if version, _ := cfg["version"].(float64); version != 3 {
		return nil, fmt.Errorf("unsupported version: %v (want: 3)", cfg["version"])
	}
	return cfg, nil
}

// scan lists folder (not recursively) and keeps files whose name contains pattern.
func scan(folder, pattern string) ([]string, error) {
	entries, err := os.ReadDir(folder)
	if err != nil {
		return nil, err
	}
	var found []string
	for _, e := range entries {
		if !e.IsDir() && strings.Contains(e.Name(), pattern) {
			found = append(found, filepath.Join(folder, e.Name()))
		}
	}
	return found, nil
}

// lookup opens the file and finds the symbol, turning a panic during open into an error.
func lookup(fr *fileResult, symbol string) (sym plugin.Symbol, res *loaderResult) {
	res = &loaderResult{}
	defer func() {
		if r := recover(); r != nil {
			res.Status, res.Error = "panic", fmt.Sprint(r)
			if fr.OpenError == "" {
				fr.OpenError = res.Error
			}
			sym = nil
		}
	}()
	p, err := plugin.Open(fr.File)
	if err != nil {
		res.Status, res.Error = "open-failed", err.Error()
		if fr.OpenError == "" {
			fr.OpenError = err.Error()
			const marker = "different version of package "
			if i := strings.Index(fr.OpenError, marker); i >= 0 {
				fr.MismatchedPkg = strings.TrimSpace(fr.OpenError[i+len(marker):])
			}
		}
		return nil, res
	}
	sym, err = p.Lookup(symbol)
	if err != nil {
		res.Status, res.Error = "symbol-not-found", err.Error()
		return nil, res
	}
	return sym, res
}

func (v *verdict) loadClient(fr *fileResult, logger hostLogger) *loaderResult {
	sym, res := lookup(fr, "ClientRegisterer")
	if sym == nil {
		return res
	}
	r, ok := sym.(clientRegisterer)
	if !ok {
		res.Status, res.Error = "unknown-type", "http-request-executor plugin loader: unknown type"
		return res
	}
	if lr, ok := sym.(loggerRegisterer); ok {
		lr.RegisterLogger(logger)
		res.LoggerRegistered = true
	}
	r.RegisterClients(func(name string, f func(context.Context, map[string]interface{}) (http.Handler, error)) {
		v.registry.Register(nsClient, name, f)
		fr.registeredByThis++
	})
	res.Status = "ok"
	return res
}

func (v *verdict) loadServer(fr *fileResult, logger hostLogger) *loaderResult {
	sym, res := lookup(fr, "HandlerRegisterer")
	if sym == nil {
		return res
	}
	r, ok := sym.(handlerRegisterer)
	if !ok {
		res.Status, res.Error = "unknown-type", "http-server-handler plugin loader: unknown type"
		return res
	}
	if lr, ok := sym.(loggerRegisterer); ok {
		lr.RegisterLogger(logger)
		res.LoggerRegistered = true
	}
	r.RegisterHandlers(func(name string, f func(context.Context, map[string]interface{}, http.Handler) (http.Handler, error)) {
		v.registry.Register(nsServer, name, f)
		fr.registeredByThis++
	})
	res.Status = "ok"
	return res
}

func (v *verdict) loadModifier(fr *fileResult, logger hostLogger, ctx context.Context) *loaderResult {
	sym, res := lookup(fr, "ModifierRegisterer")
	if sym == nil {
		return res
	}
	r, ok := sym.(modifierRegisterer)
	if !ok {
		res.Status, res.Error = "unknown-type", "modifier plugin loader: unknown type"
		return res
	}
	if lr, ok := sym.(loggerRegisterer); ok {
		lr.RegisterLogger(logger)
		res.LoggerRegistered = true
	}
	if cr, ok := sym.(contextRegisterer); ok {
		cr.RegisterContext(ctx)
		res.ContextRegistered = true
	}
	r.RegisterModifiers(func(name string, f func(map[string]interface{}) func(interface{}) (interface{}, error), req, resp bool) {
		if req {
			v.registry.Register(nsRequest, name, f)
		}
		if resp {
			v.registry.Register(nsResponse, name, f)
		}
		fr.registeredByThis++
	})
	res.Status = "ok"
	return res
}

func extraConfig(node map[string]interface{}) map[string]interface{} {
	ec, _ := node["extra_config"].(map[string]interface{})
	return ec
}

func namespaceObject(ec map[string]interface{}, names []string) (string, map[string]interface{}) {
	for _, ns := range names {
		if obj, ok := ec[ns].(map[string]interface{}); ok {
			return ns, obj
		}
	}
	return "", nil
}

// collectWanted records the plugin names the config asks for, with the type rules KrakenD
// applies: server name string or list, client name string only, modifier name list only.
func (v *verdict) collectWanted(cfg map[string]interface{}) {
	if _, obj := namespaceObject(extraConfig(cfg), serverNamespaces); obj != nil {
		v.serverExtra = obj
		switch name := obj["name"].(type) {
		case string:
			v.Wanted["server"] = append(v.Wanted["server"], name)
		case []interface{}:
			for _, n := range name {
				if s, ok := n.(string); ok {
					v.Wanted["server"] = append(v.Wanted["server"], s)
				}
			}
		}
	}
	endpoints, _ := cfg["endpoints"].([]interface{})
	for i, e := range endpoints {
		endpoint, _ := e.(map[string]interface{})
		v.collectModifiers(fmt.Sprintf("endpoints[%d]", i), endpoint)
		backends, _ := endpoint["backend"].([]interface{})
		for j, b := range backends {
			backend, _ := b.(map[string]interface{})
			where := fmt.Sprintf("endpoints[%d].backend[%d]", i, j)
			v.collectModifiers(where, backend)
			ns, obj := namespaceObject(extraConfig(backend), clientNamespaces)
			if obj == nil {
				continue
			}
			if name, ok := obj["name"].(string); ok {
				v.Wanted["client"] = append(v.Wanted["client"], name)
				v.clientExtras[name] = obj
			} else {
				v.Ignored = append(v.Ignored, where+": "+ns+" name is not a string")
			}
		}
	}
}

func (v *verdict) collectModifiers(where string, node map[string]interface{}) {
	ns, obj := namespaceObject(extraConfig(node), modifierNamespaces)
	if obj == nil {
		return
	}
	names, ok := obj["name"].([]interface{})
	if !ok {
		v.Ignored = append(v.Ignored, where+": "+ns+" name is not a list")
		return
	}
	for _, n := range names {
		if s, ok := n.(string); ok {
			v.Wanted["modifier"] = append(v.Wanted["modifier"], s)
			v.modifierExtras[s] = obj
		}
	}
}

// checkWanted looks every wanted name up and calls its factory once, like the gateway does
// while it builds its pipes; factory errors and panics are recorded but do not decide loading.
func (v *verdict) checkWanted(ctx context.Context) {
	for _, name := range v.Wanted["server"] {
		f, ok := v.registry.Get(nsServer, name)
		if !ok {
			v.Missing = append(v.Missing, "server:"+name)
			continue
		}
		factory := f.(func(context.Context, map[string]interface{}, http.Handler) (http.Handler, error))
		v.callFactory("server:"+name, func() error {
			_, err := factory(ctx, v.serverExtra, http.NotFoundHandler())
			return err
		})
	}
	for _, name := range v.Wanted["client"] {
		f, ok := v.registry.Get(nsClient, name)
		if !ok {
			v.Missing = append(v.Missing, "client:"+name)
			continue
		}
		factory := f.(func(context.Context, map[string]interface{}) (http.Handler, error))
		v.callFactory("client:"+name, func() error {
			_, err := factory(ctx, v.clientExtras[name])
			return err
		})
	}
	for _, name := range v.Wanted["modifier"] {
		// The request table is consulted first; a name found there is never used on responses.
		f, ok := v.registry.Get(nsRequest, name)
		if ok {
			if _, both := v.registry.Get(nsResponse, name); both {
				v.Shadowed = append(v.Shadowed, name)
			}
		} else if f, ok = v.registry.Get(nsResponse, name); !ok {
			v.Missing = append(v.Missing, "modifier:"+name)
			continue
		}
		factory := f.(func(map[string]interface{}) func(interface{}) (interface{}, error))
		v.callFactory("modifier:"+name, func() error {
			if factory(v.modifierExtras[name]) == nil {
				return errors.New("factory returned a nil modifier")
			}
			return nil
		})
	}
	sort.Strings(v.Missing)
}

func (v *verdict) callFactory(key string, call func() error) {
	defer func() {
		if r := recover(); r != nil {
			v.FactoryErrors[key] = fmt.Sprint("panic: ", r)
		}
	}()
	if err := call(); err != nil {
		v.FactoryErrors[key] = err.Error()
	}
}

// decide sets loads and the first failure category, most fundamental first.
func (v *verdict) decide() {
	v.Loads, v.Failure, v.FailureDetail = false, "", ""
	fail := func(category, detail string) {
		if v.Failure == "" {
			v.Failure, v.FailureDetail = category, detail
		}
	}
	switch {
	case strings.HasPrefix(v.ConfigError, "no top-level plugin"):
		fail("no-plugin-config", v.ConfigError)
	case v.ConfigError != "":
		fail("config-invalid", v.ConfigError)
	case len(v.Files) == 0:
		fail("no-plugin-file", fmt.Sprintf("no file in %q contains %q %s", v.Folder, v.Pattern, v.ScanError))
	}
	for _, fr := range v.Files {
		if fr.OpenError != "" {
			fail(openCategory(fr), fr.OpenError)
		}
	}
	for _, fr := range v.Files {
		for _, kind := range []string{"client", "server", "modifier"} {
			if l := fr.Loaders[kind]; l != nil && l.Status == "unknown-type" {
				fail("unknown-type", l.Error)
			}
		}
	}
	for _, fr := range v.Files {
		if fr.OpenError == "" && fr.registeredByThis == 0 && !anyOK(fr) {
			fail("no-registerer", filepath.Base(fr.File)+" exports none of the registerer symbols")
		}
	}
	if len(v.Missing) > 0 {
		fail("unregistered-name", strings.Join(v.Missing, ", "))
	}
	v.Loads = v.Failure == ""
	if v.Loads {
		v.Failure = "none"
	}
}

func anyOK(fr *fileResult) bool {
	for _, l := range fr.Loaders {
		if l.Status == "ok" {
			return true
		}
	}
	return false
}

func openCategory(fr *fileResult) string {
	switch {
	case strings.Contains(fr.OpenError, "plugin already loaded"):
		return "already-loaded"
	case fr.MismatchedPkg != "":
		first := strings.SplitN(fr.MismatchedPkg, "/", 2)[0]
		if strings.Contains(first, ".") {
			return "different-version-module"
		}
		return "different-version-std"
	case strings.HasPrefix(fr.OpenError, "panic") || !strings.HasPrefix(fr.OpenError, "plugin.Open"):
		return "open-panic"
	default:
		return "open-failed"
	}
}

"""Offline checks of the oracle's data and generators (no Go toolchain needed)."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

from benchmarks.oracle import modules, proxy, run, scenarios, sources

KNOWN_FAILURES = {
    scenarios.NONE, scenarios.BUILD_FAILED, scenarios.STD, scenarios.MODULE, scenarios.ALREADY,
    scenarios.UNKNOWN_TYPE, scenarios.NO_REGISTERER, scenarios.UNREGISTERED, scenarios.NO_FILE,
    scenarios.NO_PLUGIN_CONFIG, scenarios.CONFIG_INVALID, scenarios.OPEN_PANIC, scenarios.HOST_TIMEOUT,
    scenarios.HOST_CRASHED,
}


def test_proxy_escapes_capitals() -> None:
    assert proxy.escape("example.com/Upper/Kit") == "example.com/!upper/!kit"
    assert proxy.escape("example.com/lura/v2") == "example.com/lura/v2"


def test_module_zip_is_deterministic_and_prefixed() -> None:
    mod = modules.find("example.com/Upper/Kit", "v1.0.0")
    data = proxy.zip_bytes(mod)
    assert data == proxy.zip_bytes(mod)
    names = zipfile.ZipFile(io.BytesIO(data)).namelist()
    assert names == ["example.com/Upper/Kit@v1.0.0/go.mod", "example.com/Upper/Kit@v1.0.0/kit/kit.go"]


def test_write_proxy_layout(tmp_path: Path) -> None:
    root = proxy.write_proxy(tmp_path / "proxy")
    base = root / "example.com" / "shared" / "@v"
    assert (base / "list").read_text().split() == ["v1.0.0", "v1.1.0", "v1.1.1", "v1.2.0"]
    assert (base / "v1.1.0.mod").read_text().startswith("module example.com/shared\n")
    assert '"Version": "v1.1.0"' in (base / "v1.1.0.info").read_text()
    assert (root / "example.com" / "!upper" / "!kit" / "@v" / "v1.0.0.zip").is_file()


def test_scenarios_are_many_unique_and_well_formed() -> None:
    all_ = scenarios.all_scenarios()
    assert len(all_) >= 60
    assert len({s.name for s in all_}) == len(all_)
    for scn in all_:
        assert scn.expect.failure in KNOWN_FAILURES, scn.name
        assert scn.expect.loads == (scn.expect.failure == scenarios.NONE), scn.name
        assert scn.config()["endpoints"], scn.name
        assert "main.go" in scn.plugins[0].sources() or scn.plugins[0].files, scn.name


def test_ci_subset_is_small() -> None:
    ci = [s for s in scenarios.all_scenarios() if s.ci]
    assert 8 <= len(ci) <= 15


def test_generated_source_shapes() -> None:
    text = sources.plugin_main(sources.Src(decl="pointer", receiver="pointer", use_any=True))
    assert 'var HandlerRegisterer = &serverPlugin{label: "hello"}' in text
    assert "func (p *serverPlugin) RegisterHandlers(register func(" in text
    assert "map[string]any" in text and "interface{}" not in text
    named = sources.plugin_main(sources.Src(named_callback="named"))
    assert "type ServerCallback func(" in named and "RegisterHandlers(register ServerCallback)" in named
    alias = sources.plugin_main(sources.Src(named_callback="alias"))
    assert "type ServerCallback = func(" in alias


def test_gateway_config_name_types() -> None:
    cfg = sources.gateway_config(sources.Gateway(server=("s",), server_as_string=True, clients=("c",),
                                                 endpoint_modifiers=("m",), modifier_as_string=True))
    assert cfg["version"] == 3 and cfg["plugin"] == {"folder": "/opt/krakend/plugins/", "pattern": ".so"}
    assert cfg["extra_config"]["plugin/http-server"]["name"] == "s"
    endpoint = cfg["endpoints"][0]
    assert endpoint["extra_config"]["plugin/req-resp-modifier"]["name"] == "m"
    assert endpoint["backend"][0]["extra_config"]["plugin/http-client"]["name"] == "c"


def test_gomod_and_dockerfile_rendering() -> None:
    scn = scenarios.by_name("replace-to-local-copy")
    gomod = run.gomod_text(scn, scn.plugins[0])
    assert "module example.com/plugins/replace-to-local-copy\n" in gomod
    assert "\texample.com/shared => ./third_party/shared\n" in gomod
    docker = run.dockerfile(scenarios.by_name("gcflags-all-no-optimisation"))
    assert "FROM golang:1.22.10-bookworm AS builder" in docker
    assert "RUN go build -buildmode=plugin '-gcflags=all=-N -l' -o /plugins/plugin.so ." in docker
    cache = run.dockerfile(scenarios.by_name("custom-gomodcache"))
    assert "ENV GOMODCACHE=/tmp/custom-modcache" in cache
    two = run.dockerfile(scenarios.by_name("two-plugins"))
    assert "WORKDIR /src/server-plugin" in two and "WORKDIR /src/client-plugin" in two


def test_mismatches_reports_every_difference() -> None:
    scn = scenarios.by_name("shared-linked-newer")
    good = {"loads": False, "failure": scenarios.MODULE, "package": "example.com/shared/a"}
    assert run.mismatches(scn, good) == []
    bad = {"loads": True, "failure": scenarios.NONE, "package": ""}
    assert len(run.mismatches(scn, bad)) == 3

"""The deployment model: which files meet which plugin, and the severity policy applied per deployment."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from linter.cli import main
from linter.model import Severity
from tests.helpers import chdir, lint_files, lint_tree, positions, write_tree

MAIN = (
    'package main\n\nimport (\n\t"context"\n\t"net/http"\n)\n\n'
    'var HandlerRegisterer = registerer("hello")\n\ntype registerer string\n\n'
    "func (r registerer) RegisterHandlers(f func(\n\tname string,\n"
    "\thandler func(context.Context, map[string]interface{}, http.Handler) (http.Handler, error),\n)) {\n"
    "\tf(string(r), func(_ context.Context, _ map[string]interface{}, h http.Handler) (http.Handler, error) {\n"
    "\t\treturn h, nil\n\t})\n}\n\nfunc main() {}\n"
)
CONFIG = (
    '{\n  "version": 3,\n  "plugin": {"folder": "/opt/krakend/plugins/", "pattern": ".so"},\n'
    '  "extra_config": {"plugin/http-server": {"name": ["%s"]}},\n  "endpoints": []\n}\n'
)


def dockerfile(builder: str, runtime: str) -> str:
    return (f"FROM krakend/builder:{builder} AS build\nWORKDIR /src\nCOPY . .\n"
            "RUN go build -buildmode=plugin -o hello.so .\n"
            f"FROM {runtime}\nCOPY --from=build /src/hello.so /opt/krakend/plugins/\n"
            "COPY krakend.json /etc/krakend/krakend.json\n")


def test_each_example_is_checked_against_its_own_release(tmp_path: Path) -> None:
    write_tree(tmp_path, {
        "Dockerfile": "FROM krakend:2.4.0\nCOPY krakend.json /etc/krakend/\n",
        "krakend.json": '{"version": 3, "endpoints": []}\n',
        **{f"examples/{name}/{file}": text for name, version in (("a", "2.7.0"), ("b", "2.9.0"))
           for file, text in (("go.mod", f"module example.com/{name}\n\ngo 1.22\n"), ("main.go", MAIN),
                              ("Dockerfile", dockerfile(version, f"krakend:{version}")),
                              ("krakend.json", CONFIG % "hello"))},
    })
    report = lint_tree(tmp_path).report
    versions = {p.root: next(f.value for f in p.krakend if f.name == "version") for p in report.plugins}
    assert versions == {"examples/a": "2.7.0", "examples/b": "2.9.0"}
    files = {p.root: p.files for p in report.plugins}
    assert files["examples/a"] == ("examples/a/Dockerfile", "examples/a/krakend.json")
    assert positions(report.findings, "KP2") == positions(report.findings, "KP6") == []


def test_a_file_that_names_a_plugin_folder_joins_that_plugin(tmp_path: Path) -> None:
    write_tree(tmp_path, {
        "plugins/a/go.mod": "module example.com/a\n\ngo 1.22\n", "plugins/a/main.go": MAIN,
        "plugins/b/go.mod": "module example.com/b\n\ngo 1.22\n", "plugins/b/main.go": MAIN,
        "Dockerfile": dockerfile("2.7.0", "krakend:2.7.0").replace("COPY . .", "COPY plugins/a ."),
    })
    files = {p.root: p.files for p in lint_tree(tmp_path).report.plugins}
    assert files == {"plugins/a": ("Dockerfile",), "plugins/b": ()}


def test_a_deployment_without_plugins_gets_no_build_or_version_findings(tmp_path: Path) -> None:
    """A KrakenD host's own workflow floats its Go: nothing of ours is built there."""
    findings = lint_files(tmp_path, {
        "go.mod": "module github.com/krakend/krakend-ce/v2\n\ngo 1.22\n",
        "cmd/krakend-ce/main.go": 'package main\n\nimport "os"\n\nfunc main() {\n\tos.Exit(0)\n}\n',
        "Makefile": "run:\n\tdocker run --rm devopsfaith/krakend run -c krakend.json\n",
        ".github/workflows/go.yml": ("on: push\njobs:\n  build:\n    runs-on: ubuntu-latest\n    steps:\n"
                                    "      - uses: actions/setup-go@v5\n        with:\n          go-version: '1.22'\n"
                                    "      - run: go build ./...\n"),
    })
    assert positions(findings) == []


def test_errors_against_an_assumed_release_are_warnings(tmp_path: Path) -> None:
    """The runtime floats (`watch` means the newest release): the plugin may not load, not will not."""
    findings = lint_files(tmp_path, {
        "go.mod": "module example.com/hello\n\ngo 1.22\n", "main.go": MAIN,
        "Dockerfile": dockerfile("2.9.1", "devopsfaith/krakend:watch"),
        "krakend.json": CONFIG % "hello",
    })
    assert [(f.rule, f.location.line, f.severity) for f in findings if f.severity > Severity.NOTICE] == [
        ("KP605", 1, Severity.WARNING), ("KP606", 5, Severity.WARNING)]


def test_a_gateway_without_plugin_source_trusts_names_built_elsewhere(tmp_path: Path) -> None:
    """A builder stage compiles the plugins of a submodule: their names are not ours to check."""
    findings = lint_files(tmp_path, {
        "krakend.json": CONFIG % "access-log",
        "Dockerfile": ("FROM ghcr.io/acme/krakend-builder:1 AS build\nCOPY plugins /src\nRUN make -C /src\n"
                       "FROM krakend:2.7.0\nCOPY --from=build /src/out/ /opt/krakend/plugins/\n"
                       "COPY krakend.json /etc/krakend/krakend.json\n"),
    })
    assert positions(findings, "KP508") == []


def test_a_stock_image_with_nothing_in_its_plugin_folder_cannot_register_a_name(tmp_path: Path) -> None:
    findings = lint_files(tmp_path, {
        "krakend.json": CONFIG % "ip-filter",
        "Dockerfile": "FROM devopsfaith/krakend:2.7.0\nCOPY krakend.json /etc/krakend/krakend.json\n",
    })
    assert positions(findings, "KP508") == [("KP508", "krakend.json", 4, 52)]


def test_a_namespace_without_a_name_asks_for_nothing(tmp_path: Path) -> None:
    config = ('{\n  "version": 3,\n  "extra_config": {\n'
              '    "github_com/devopsfaith/krakend/transport/http/server/handler": {"x": 1}\n  },\n'
              '  "endpoints": []\n}\n')
    findings = lint_files(tmp_path, {"krakend.json": config}, krakend_version="2.7.0")
    assert positions(findings, "KP502") == []
    assert [(f.rule, f.severity) for f in findings if f.rule == "KP506"] == [("KP506", Severity.NOTICE)]


def test_an_unreadable_workflow_is_a_notice_and_an_unreadable_template_a_template(tmp_path: Path) -> None:
    template = ('{\n  "version": 3,\n  {{ template "endpoints.tmpl" . }},\n'
                '  "extra_config": {\n    {{ include "cors.tmpl" }}\n  }\n}\n')
    findings = lint_files(tmp_path, {
        ".github/workflows/build.yml": "on:\n  push:\n    branches:\n      - *\n",
        "krakend.tmpl": template,
    })
    assert [(f.rule, f.location.path, f.severity) for f in findings if f.rule in ("KP901", "KP906")] == [
        ("KP901", ".github/workflows/build.yml", Severity.NOTICE),
        ("KP906", "krakend.tmpl", Severity.NOTICE),
    ]


def test_a_script_a_deployment_file_runs_joins_that_deployment(tmp_path: Path) -> None:
    write_tree(tmp_path, {
        "src/plugin/go.mod": "module example.com/p\n\ngo 1.22\n", "src/plugin/main.go": MAIN,
        "Dockerfile": "FROM debian\nADD installers installers\nRUN bash installers/host.sh\nADD src/plugin /p\n",
        "installers/host.sh": "git clone https://github.com/krakend/krakend-ce.git k\n",
    })
    files = {p.root: p.files for p in lint_tree(tmp_path).report.plugins}
    assert files == {"src/plugin": ("Dockerfile", "installers/host.sh")}


def test_a_compose_deployment_sets_the_release_and_its_mounts_are_read(tmp_path: Path) -> None:
    compose = ("services:\n  gateway:\n    image: devopsfaith/krakend:2.7.0\n    volumes:\n"
               "      - ./config:/etc/krakend\n")
    findings = lint_files(tmp_path, {"config/krakend.json": CONFIG % "jwk-aggregator", "docker-compose.yml": compose})
    assert positions(findings, "KP508") == [("KP508", "config/krakend.json", 4, 52)]
    mounted = compose + "      - ./plugins:/opt/krakend/plugins\n"
    findings = lint_files(tmp_path / "b", {"config/krakend.json": CONFIG % "jwk-aggregator",
                                           "docker-compose.yml": mounted})
    assert positions(findings, "KP508") == []


def test_a_taskfile_pins_the_release_of_its_plugin(tmp_path: Path) -> None:
    taskfile = ("version: '3'\nvars:\n  KRAKEND_VERSION: 2.9.0\ntasks:\n  build:\n    cmds:\n"
                "      - docker run --rm -v $PWD:/app -w /app krakend/builder:{{.KRAKEND_VERSION}} "
                "go build -buildmode=plugin -o p.so .\n")
    write_tree(tmp_path, {"go.mod": "module example.com/p\n\ngo 1.22\n", "main.go": MAIN, "Taskfile.yml": taskfile})
    plugin = lint_tree(tmp_path).report.plugins[0]
    assert [(f.value, f.source) for f in plugin.krakend if f.name == "version"] == [
        ("2.9.0", "Taskfile.yml:3 docker run krakend/builder:2.9.0")]


def test_a_config_a_dockerfile_copies_is_read_whatever_its_name(tmp_path: Path) -> None:
    findings = lint_files(tmp_path, {
        "deploy/gateway.json": '{\n  "version": 2,\n  "endpoints": []\n}\n',
        "deploy/Dockerfile": "FROM krakend:2.7.0\nCOPY gateway.json /etc/krakend/krakend.json\n",
        "unrelated.json": '{"version": 2}\n',
    })
    assert positions(findings, "KP501") == [("KP501", "deploy/gateway.json", 2, 14)]


def test_a_config_file_a_compose_service_mounts_is_read(tmp_path: Path) -> None:
    compose = ("services:\n  gw:\n    image: krakend:2.7.0\n    volumes:\n"
               "      - ./conf/api.yaml:/etc/krakend/krakend.yaml:ro\n")
    findings = lint_files(tmp_path, {"docker-compose.yml": compose, "conf/api.yaml": "version: 2\nendpoints: []\n"})
    assert positions(findings, "KP501") == [("KP501", "conf/api.yaml", 1, 10)]


def test_the_json_report_and_the_summary_carry_each_plugins_deployment(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write_tree(tmp_path, {
        **{f"examples/{name}/{file}": text for name, version in (("a", "2.7.0"), ("b", "2.9.0"))
           for file, text in (("go.mod", f"module example.com/{name}\n\ngo 1.22\n"), ("main.go", MAIN),
                              ("Dockerfile", dockerfile(version, f"krakend:{version}")))},
    })
    with chdir(tmp_path):
        main(["check", "--offline", "--format", "json", "--output", "terminal=out.txt", "."])
    plugins = json.loads(capsys.readouterr().out)["plugins"]
    assert [(p["root"], p["deployment"]["files"], p["deployment"]["krakend"][0]["value"]) for p in plugins] == [
        ("examples/a", ["examples/a/Dockerfile"], "2.7.0"), ("examples/b", ["examples/b/Dockerfile"], "2.9.0")]
    assert (tmp_path / "out.txt").read_text(encoding="utf-8").rstrip().endswith("(KrakenD 2.7.0 and 2.9.0, per plugin)")

from __future__ import annotations

from pathlib import Path

from tests.helpers import lint_files, positions


def config(folder: str) -> str:
    return ('{\n  "version": 3,\n  "plugin": {"folder": "' + folder + '", "pattern": ".so"},\n'
            '  "extra_config": {"plugin/http-server": {"name": ["hello"]}}\n}\n')


BUILDER = """FROM krakend/builder:2.7.0 AS builder
WORKDIR /src
COPY . .
RUN go build -buildmode=plugin -o hello.so .

FROM krakend:2.7.0
"""  # the runtime instructions under test start on line 7


def test_copy_to_another_directory_is_reported_with_a_fix(tmp_path: Path) -> None:
    dockerfile = BUILDER + "COPY --from=builder /src/hello.so /etc/krakend/\n"
    findings = lint_files(tmp_path, {"krakend.json": config("/opt/krakend/plugins/"), "Dockerfile": dockerfile})
    assert positions(findings, "KP504") == [("KP504", "Dockerfile", 7, 1)]
    finding = next(f for f in findings if f.rule == "KP504")
    assert finding.fix is not None
    assert finding.fix.replacement == "COPY --from=builder /src/hello.so /opt/krakend/plugins/"


def test_no_copy_at_all_is_a_notice_on_the_folder(tmp_path: Path) -> None:
    dockerfile = BUILDER + "COPY krakend.json /etc/krakend/krakend.json\n"
    findings = lint_files(tmp_path, {"krakend.json": config("/opt/krakend/plugins/"), "Dockerfile": dockerfile})
    assert positions(findings, "KP504") == [("KP504", "krakend.json", 3, 24)]


def test_relative_folder_and_workdir_resolve_to_the_same_place(tmp_path: Path) -> None:
    dockerfile = BUILDER + "WORKDIR /etc/krakend\nCOPY --from=builder /src/hello.so ./plugins/\n"
    findings = lint_files(tmp_path, {"krakend.json": config("./plugins"), "Dockerfile": dockerfile})
    assert positions(findings, "KP504") == []


def test_copy_into_the_folder_passes(tmp_path: Path) -> None:
    dockerfile = BUILDER + "COPY --from=builder /src/hello.so /opt/krakend/plugins/hello.so\n"
    findings = lint_files(tmp_path, {"krakend.json": config("/opt/krakend/plugins"), "Dockerfile": dockerfile})
    assert positions(findings, "KP504") == []


def test_copying_a_folder_of_built_plugins_into_the_folder_passes(tmp_path: Path) -> None:
    files = {
        "krakend.json": '{"version": 3, "plugin": {"folder": "/opt/krakend/plugins/", "pattern": ".so"}}',
        "Dockerfile": "FROM krakend/builder:2.7.0 AS b\nRUN go build -buildmode=plugin -o /out/p.so .\n"
                      "FROM krakend:2.7.0\nCOPY --from=b /out/ /opt/krakend/plugins/\n",
    }
    assert positions(lint_files(tmp_path, files), "KP504") == []

"""Plugin roots and inputs are found the way a user expects, and skipped where they must be."""

from __future__ import annotations

import os
from pathlib import Path

from linter.discovery import discover
from linter.load import load_workspace
from tests.helpers import chdir, lint_tree, write_tree

MAIN = "package main\n\nfunc main() {}\n"


def roots(tmp_path: Path, excludes: tuple[str, ...] = ()) -> list[tuple[str, str]]:
    with chdir(tmp_path):
        ws = load_workspace(discover([Path(".")], Path.cwd(), excludes), Path.cwd()).workspace
    return [(p.dir, p.module) for p in ws.plugins]


def test_monorepo_has_one_root_per_plugin_module(tmp_path: Path) -> None:
    write_tree(tmp_path, {
        "plugins/a/go.mod": "module example.com/a\n\ngo 1.22\n",
        "plugins/a/main.go": MAIN,
        "plugins/b/go.mod": "module example.com/b\n\ngo 1.22\n",
        "plugins/b/cmd/plugin.go": MAIN,
        "lib/go.mod": "module example.com/lib\n\ngo 1.22\n",
        "lib/lib.go": "package lib\n",
    })
    assert roots(tmp_path) == [("plugins/a", "example.com/a"), ("plugins/b", "example.com/b")]


def test_a_registerer_in_a_non_main_package_still_makes_a_root(tmp_path: Path) -> None:
    write_tree(tmp_path, {"go.mod": "module example.com/p\n\ngo 1.22\n",
                          "plugin.go": "package plugin\n\nvar HandlerRegisterer = 1\n"})
    assert roots(tmp_path) == [(".", "example.com/p")]


def test_vendor_node_modules_and_excludes_are_skipped(tmp_path: Path) -> None:
    write_tree(tmp_path, {
        "go.mod": "module example.com/p\n\ngo 1.22\n",
        "main.go": MAIN,
        "vendor/example.com/x/go.mod": "module example.com/x\n",
        "vendor/example.com/x/main.go": MAIN,
        "node_modules/y/go.mod": "module example.com/y\n",
        "node_modules/y/main.go": MAIN,
        "legacy/go.mod": "module example.com/legacy\n",
        "legacy/main.go": MAIN,
    })
    assert roots(tmp_path, ("legacy",)) == [(".", "example.com/p")]


def test_nested_module_owns_its_own_go_files(tmp_path: Path) -> None:
    write_tree(tmp_path, {
        "go.mod": "module example.com/outer\n\ngo 1.22\n",
        "outer.go": "package outer\n",
        "inner/go.mod": "module example.com/inner\n\ngo 1.22\n",
        "inner/main.go": MAIN,
    })
    assert roots(tmp_path) == [("inner", "example.com/inner")]


def test_inputs_are_classified_by_name(tmp_path: Path) -> None:
    write_tree(tmp_path, {
        "Dockerfile": "FROM scratch\n", "build/plugin.Dockerfile": "FROM scratch\n",
        "Dockerfile.arm64": "FROM scratch\n", "config/krakend.yaml": "version: 3\n",
        ".github/workflows/ci.yml": "on: push\n", "Makefile": "all:\n", "scripts/build.sh": "echo\n",
        ".go-version": "1.22.5\n", "README.md": "# no\n",
    })
    with chdir(tmp_path):
        found = discover([Path(".")], Path.cwd())
    assert sorted(found.dockerfiles) == ["Dockerfile", "Dockerfile.arm64", "build/plugin.Dockerfile"]
    assert list(found.gateway_configs) == ["config/krakend.yaml"]
    assert list(found.workflows) == [".github/workflows/ci.yml"]
    assert sorted(found.build_scripts) == ["Makefile", "scripts/build.sh"]
    assert list(found.go_version_files) == [".go-version"]


def test_a_plugin_folder_without_go_mod_is_a_plugin_root_and_a_program_is_not(tmp_path: Path) -> None:
    write_tree(tmp_path, {
        "src/plugin/plugin.go": "package main\n\nvar ClientRegisterer = registerer(\"grpc\")\n\ntype registerer string\n",
        "tools/go.mod": "module example.com/tools\n\ngo 1.22\n",
        "tools/main.go": "package main\n\nimport \"fmt\"\n\nfunc main() {\n\tfmt.Println(\"hi\")\n}\n",
    })
    assert [p.root for p in lint_tree(tmp_path).report.plugins] == ["src/plugin"]


def test_compose_files_taskfiles_and_dotenv_are_found_by_name(tmp_path: Path) -> None:
    names = ["docker-compose.yml", "docker-compose.prod.yaml", "deploy/compose.yaml", "deploy/compose.override.yml",
             "ops/krakend.compose.yml", "Taskfile.yml", "plugin/taskfile.yaml", "Taskfile.dist.yml", "deploy/.env",
             "compose.json", "notes/composer.md", "Taskfile.txt", "config/krakend.yaml"]
    write_tree(tmp_path, dict.fromkeys(names, "services: {}\n"))
    with chdir(tmp_path):
        found = discover([Path(".")], Path.cwd())
    assert sorted(found.compose_files) == ["deploy/compose.override.yml", "deploy/compose.yaml",
                                           "docker-compose.prod.yaml", "docker-compose.yml", "ops/krakend.compose.yml"]
    assert sorted(found.build_scripts) == ["Taskfile.dist.yml", "Taskfile.yml", "plugin/taskfile.yaml"]
    assert list(found.dotenv_files) == ["deploy/.env"]
    assert list(found.gateway_configs) == ["config/krakend.yaml"]


def test_compose_files_are_loaded_with_the_dotenv_beside_them(tmp_path: Path) -> None:
    write_tree(tmp_path, {
        "deploy/compose.yaml": "services:\n  k:\n    image: devopsfaith/krakend:${V}\n",
        "deploy/.env": "V=2.7.0\n",
        "other/docker-compose.yml": "services:\n  k:\n    image: devopsfaith/krakend:${V}\n",
        "Taskfile.yml": "tasks:\n  build: go build -buildmode=plugin -o p.so .\n",
        "Makefile": "build:\n\tgo build -buildmode=plugin -o q.so .\n",
    })
    with chdir(tmp_path):
        ws = load_workspace(discover([Path(".")], Path.cwd()), Path.cwd()).workspace
        alone = load_workspace(discover([Path("deploy/compose.yaml")], Path.cwd()), Path.cwd()).workspace
    images = [(c.path, c.services[0].image.text, c.services[0].image.unresolved)  # type: ignore[union-attr]
              for c in ws.compose_files]
    assert images == [("deploy/compose.yaml", "devopsfaith/krakend:2.7.0", False),
                      ("other/docker-compose.yml", "devopsfaith/krakend:${V}", True)]
    assert [(s.path, s.kind) for s in ws.build_scripts] == [("Makefile", "makefile"), ("Taskfile.yml", "taskfile")]
    assert [c.services[0].image.text for c in alone.compose_files] == ["devopsfaith/krakend:2.7.0"]  # type: ignore[union-attr]
    assert ws.problems == ()


def test_an_unreadable_dotenv_is_said_and_the_compose_file_still_read(tmp_path: Path) -> None:
    write_tree(tmp_path, {"compose.yaml": "services:\n  k:\n    image: k:${V:-1}\n"})
    os.mkfifo(tmp_path / ".env")
    with chdir(tmp_path):
        ws = load_workspace(discover([Path(".")], Path.cwd()), Path.cwd()).workspace
    assert [c.services[0].image.text for c in ws.compose_files] == ["k:1"]  # type: ignore[union-attr]
    assert [(p.location.path, p.kind) for p in ws.problems] == [(".env", "skipped")]

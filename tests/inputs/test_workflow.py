from __future__ import annotations

import textwrap

from linter.inputs.workflow import Workflow, parse_workflow
from linter.model import Location

PATH = ".github/workflows/build.yml"


def parse(text: str) -> Workflow:
    return parse_workflow(textwrap.dedent(text).lstrip("\n").encode(), PATH)


WORKFLOW = """
    name: build
    on: [push]
    env:
      KRAKEND_VERSION: 2.7.0
    jobs:
      plugin:
        runs-on: ubuntu-latest
        container:
          image: krakend/builder:2.7.0
        strategy:
          matrix:
            go: [1.20, "1.22.5"]
        steps:
          - uses: actions/checkout@v4
          - uses: actions/setup-go@v5
            with:
              go-version: ${{ matrix.go }}
          - name: build
            env:
              CGO_ENABLED: "1"
            run: |
              echo building
              go build -buildmode=plugin -trimpath -o plugin.so .
          - uses: docker://krakend/krakend-ee:2.7
    """


def test_jobs_steps_and_locations() -> None:
    wf = parse(WORKFLOW)
    assert wf.problems == ()
    job = wf.jobs[0]
    assert job.id == "plugin" and len(job.steps) == 4
    assert job.container is not None and job.container.text == "krakend/builder:2.7.0"
    assert job.container.location == Location(PATH, 9, 14, 9, 35)
    assert wf.env["KRAKEND_VERSION"].value == "2.7.0"


def test_setup_go_expands_the_matrix_and_keeps_numbers_visible() -> None:
    setup = parse(WORKFLOW).setup_go[0]
    assert setup.go_version is not None and setup.go_version.text == "${{ matrix.go }}"
    assert [(v.text, v.numeric, v.location.line, v.location.column) for v in setup.versions] == [
        ("1.20", True, 12, 14), ("1.22.5", False, 12, 21),
    ]


def test_run_block_is_parsed_with_file_positions() -> None:
    wf = parse(WORKFLOW)
    script = wf.scripts[0]
    build = script.go_builds[0]
    assert build.flag("trimpath").location == Location(PATH, 23, 38, 23, 47)  # type: ignore[union-attr]
    assert build.getenv("CGO_ENABLED").origin == "workflow"  # type: ignore[union-attr]


def test_images_include_docker_uses() -> None:
    images = [(v.text, v.location.column) for v in parse(WORKFLOW).images]
    assert images == [("krakend/builder:2.7.0", 14), ("krakend/krakend-ee:2.7", 24)]


def test_go_version_file_and_env_expression() -> None:
    wf = parse("""
        env:
          GO: 1.22.5
        jobs:
          a:
            steps:
              - uses: actions/setup-go@v5
                with:
                  go-version: ${{ env.GO }}
              - uses: actions/setup-go@v5
                with:
                  go-version-file: go.mod
        """)
    first, second = wf.setup_go
    assert [(v.text, v.location.line) for v in first.versions] == [("1.22.5", 2)]
    assert second.go_version_file is not None and second.go_version_file.text == "go.mod"


def test_multi_line_go_version() -> None:
    wf = parse("""
        jobs:
          a:
            steps:
              - uses: actions/setup-go@v5
                with:
                  go-version: |
                    1.22.5
                    1.23.1
        """)
    assert [(v.text, v.location.line) for v in wf.setup_go[0].versions] == [("1.22.5", 7), ("1.23.1", 8)]


def test_single_line_run_and_quoted_run() -> None:
    wf = parse("""
        jobs:
          a:
            steps:
              - run: go build -o a.so .
              - run: "go build -o b.so ."
        """)
    outputs = [(s.go_builds[0].output, s.go_builds[0].location.column) for s in wf.scripts]
    assert outputs == [("a.so", 14), ("b.so", 15)]


def test_invalid_yaml_is_a_problem() -> None:
    wf = parse("jobs:\n  a: [\n")
    assert wf.jobs == () and wf.problems[0].location.line == 3


def test_non_mapping_and_empty() -> None:
    assert parse("- a\n").problems[0].message == "a workflow must be a mapping"
    assert parse("").jobs == ()

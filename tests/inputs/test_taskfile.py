from __future__ import annotations

import textwrap

from linter.inputs.build_files import parse_build_script
from linter.inputs.buildscript import BuildScript
from linter.inputs.taskfile import parse_taskfile
from linter.model import Location

PATH = "deploy/Taskfile.yml"

TASKFILE = """
    version: '3'
    vars:
      KRAKEND_VERSION: 2.7.0
      IMAGE: krakend/builder:{{.KRAKEND_VERSION}}
      COMMIT:
        sh: git rev-parse HEAD
    env:
      CGO_ENABLED: 1
    tasks:
      build:
        dir: plugins/{{.NAME}}
        vars:
          NAME: auth
          OUT: '{{.NAME}}.so'
        env:
          GOOS: linux
        cmds:
          - go build -buildmode=plugin -o {{.OUT}} .
          - cmd: |
              docker run --rm -v $PWD:/app {{ .IMAGE }} \\
                go build -buildmode=plugin -trimpath -o x.so .
          - task: test
          - defer: rm -f tmp.so
      test: go test ./...
      both: [echo a, "echo {{.OUT}}"]
      single:
        cmd: go build -o single.so .
    """


def parse(text: str = TASKFILE, path: str = PATH) -> BuildScript:
    return parse_taskfile(textwrap.dedent(text).lstrip("\n").encode(), path)


def test_variables_global_and_per_task_with_locations() -> None:
    tf = parse()
    assert tf.kind == "taskfile" and tf.problems == ()
    assert sorted(tf.variables) == ["IMAGE", "KRAKEND_VERSION", "build:NAME", "build:OUT"]  # `sh:` skipped
    version = tf.variables["KRAKEND_VERSION"]
    assert (version.name, version.value, version.scope) == ("KRAKEND_VERSION", "2.7.0", "")
    assert version.location == Location(PATH, 3, 3, 3, 18)
    assert version.value_location == Location(PATH, 3, 20, 3, 25)
    out = tf.variables["build:OUT"]
    assert (out.name, out.scope, out.value_location) == ("OUT", "build", Location(PATH, 14, 13, 14, 25))
    assert tf.expand(tf.variables["IMAGE"].value) == "krakend/builder:2.7.0"
    assert tf.expand("{{.OUT}}", scope="build") == "auth.so"
    assert tf.expand("{{.OUT}}") == "{{.OUT}}"  # outside the task it is not set


def test_tasks_are_recipes_with_one_script_per_command() -> None:
    tf = parse()
    assert [(r.target, r.location.line, r.location.column, len(r.scripts)) for r in tf.recipes] == [
        ("build", 10, 3, 3), ("test", 24, 3, 1), ("both", 25, 3, 2), ("single", 26, 3, 1),
    ]
    assert [r.dir for r in tf.recipes] == ["plugins/auth", "", "", ""]
    assert [b.output for b in tf.go_builds] == ["auth.so", "x.so", "single.so"]


def test_expanded_words_point_at_the_reference_and_origin_at_the_variable() -> None:
    tf = parse()
    first, block, _defer = tf.recipes[0].scripts
    build = first.go_builds[0]
    assert build.flag("buildmode").location == Location(PATH, 18, 18, 18, 35)  # type: ignore[union-attr]
    output = build.command.words[-2]
    assert output.text == "auth.so" and output.location == Location(PATH, 18, 39, 18, 40)
    location, variable = tf.origin(output)
    assert variable is not None and (variable.name, variable.scope) == ("OUT", "build")
    assert location == Location(PATH, 14, 7, 14, 10)
    run = block.docker_runs[0]
    assert run.image.text == "krakend/builder:2.7.0" and run.image.location.line == 20
    location, variable = tf.origin(run.image)
    assert variable is not None and variable.name == "KRAKEND_VERSION" and location.line == 3


def test_block_scalar_commands_keep_exact_lines_and_columns() -> None:
    block = parse().recipes[0].scripts[1]
    build = block.go_builds[0]
    assert build.container == "krakend/builder:2.7.0"
    assert build.flag("trimpath").location == Location(PATH, 21, 40, 21, 49)  # type: ignore[union-attr]
    assert build.command.words[0].location == Location(PATH, 21, 13, 21, 15)


def test_environment_of_the_file_and_the_task_reaches_the_build() -> None:
    build = parse().recipes[0].scripts[0].go_builds[0]
    cgo, goos = build.getenv("CGO_ENABLED"), build.getenv("GOOS")
    assert cgo is not None and (cgo.value, cgo.origin, cgo.location) == ("1", "taskfile", Location(PATH, 8, 16, 8, 17))
    assert goos is not None and goos.location == Location(PATH, 16, 13, 16, 18)


def test_unknown_references_stay_as_written() -> None:
    both = parse().recipes[2]
    assert [w.text for w in both.scripts[1].commands[0].words] == ["echo", "{{.OUT}}"]


def test_dispatch_by_name_goes_to_the_taskfile_reader() -> None:
    data = textwrap.dedent(TASKFILE).lstrip("\n").encode()
    for name in ("Taskfile.yml", "taskfile.yaml", "Taskfile.dist.yml", "sub/Taskfile.dist.yaml"):
        assert parse_build_script(data, name).kind == "taskfile"
    assert parse_build_script(b"all:\n\techo\n", "Makefile").kind == "makefile"


def test_makefile_expansion_is_unchanged_by_templates() -> None:
    mk = parse_build_script(b"V = 1\nall:\n\techo $(V) {{.V}} $$HOME\n", "Makefile")
    assert [w.text for w in mk.recipes[0].scripts[0].commands[0].words] == ["echo", "1", "{{.V}}", "$HOME"]
    assert mk.expand("$(V){{.V}}") == "1{{.V}}"


def test_taskfile_keeps_shell_variables_and_dollars_for_the_shell() -> None:
    tf = parse("""
        vars:
          V: one
        tasks:
          a: echo ${V} $$ {{.V}}
        """)
    assert [w.text for w in tf.recipes[0].scripts[0].commands[0].words] == ["echo", "${V}", "$$", "one"]


def test_merge_keys_and_short_forms() -> None:
    tf = parse("""
        x-build: &build
          cmds: [go build -buildmode=plugin -o a.so .]
        tasks:
          a:
            <<: *build
            dir: a
        """)
    assert [(r.target, r.dir, len(r.scripts)) for r in tf.recipes] == [("a", "a", 1)]


def test_invalid_yaml_is_one_problem_at_its_line() -> None:
    tf = parse("version: '3'\ntasks:\n  build:\n    cmds: [\n")
    assert [(p.kind, p.location.line) for p in tf.problems] == [("unparsable", 5)]
    assert tf.recipes == () and tf.lines[0] == "version: '3'"


def test_not_a_mapping_and_empty() -> None:
    assert [(p.message, p.location.line) for p in parse("- a\n").problems] == [("a Taskfile must be a mapping", 1)]
    assert parse("").recipes == () and parse("").problems == ()
    assert parse("tasks: [a, b]\nvars: 3\n").recipes == ()


def test_variable_expansion_bomb_is_bounded_and_said() -> None:
    lines = ["vars:", "  A0: xxxxxxxxxx", *(f"  A{n}: '{f'{{{{.A{n - 1}}}}}' * 50}'" for n in range(1, 12)),
             "tasks:", "  a: go build -o {{.A11}} ."]
    tf = parse("\n".join(lines) + "\n")
    assert [(p.kind, p.location.line) for p in tf.problems] == [("unparsable", 15)]
    assert len(tf.recipes[0].scripts[0].commands[0].words[3].text) <= 1 << 17


def test_commands_repeated_through_aliases_are_capped() -> None:
    commands = "x: &cmds [" + ", ".join(f"echo {n} {'y' * 40}" for n in range(200)) + "]\n"
    tasks = "tasks:\n" + "".join(f"  t{n}: {{cmds: *cmds}}\n" for n in range(200))
    tf = parse(commands + tasks)
    assert [(p.kind, p.location.line) for p in tf.problems] == [("unparsable", 1)]
    assert 200 <= sum(len(r.scripts) for r in tf.recipes) < 200 * 200 // 2


def test_deep_nesting_is_a_problem_not_a_crash() -> None:
    tf = parse_taskfile(b"tasks: " + b"[" * 20_000 + b"]" * 20_000, PATH)
    assert [(p.kind, p.location.line) for p in tf.problems] == [("unparsable", 0)]


def test_origin_follows_task_variables_to_the_one_holding_the_version() -> None:
    tf = parse("""
        vars:
          V: 9.9.9
        tasks:
          run:
            vars:
              V: 2.7.0
              IMG: krakend/builder:{{.V}}
            cmds:
              - docker run --rm {{.IMG}} go build -buildmode=plugin -o a.so .
        """)
    run = tf.recipes[0].scripts[0].docker_runs[0]
    assert run.image.text == "krakend/builder:2.7.0"
    location, variable = tf.origin(run.image)
    assert variable is not None and (variable.name, variable.scope) == ("V", "run")
    assert location == Location(PATH, 6, 7, 6, 8)

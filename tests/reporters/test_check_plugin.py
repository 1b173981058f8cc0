"""`krakend check-plugin` reproduced: its comparison per CE version, and its exact text.

The golden files under golden/check_plugin/ were written by hand from the layout documented in
research/krakend-plugins.md §a (and krakend-cobra's own test expectations), never generated from
this code, so they are compared byte for byte and have no update switch.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from linter.formats.check_plugin import render_check_plugin
from linter.inputs.gomod import parse_gomod
from linter.inputs.gosum import GoSum, parse_gosum
from linter.krakend import checkplugin
from linter.krakend.checkplugin import (
    GO_PANIC_INDEX,
    GO_PANIC_PREPEND,
    CheckPluginCrashError,
    Descriptor,
    Diff,
    behaviour,
    compare,
    describe,
    fix_command,
    indirect_requirements,
)

GOLDEN = Path(__file__).parent / "golden" / "check_plugin"

DIFFS = (
    Diff("libc", "", "MUSL-1.2.4_(alpine-3.18.4)"),
    Diff("go", "1.22.5", "1.20.10"),
    Diff("golang.org/x/sys", "v0.21.0", "v0.20.0"),
    Diff("google.golang.org/grpc", "v1.65.0", "v1.58.3"),
)
INDIRECT = frozenset({"golang.org/x/sys"})


def golden(name: str) -> str:
    with (GOLDEN / name).open(encoding="utf-8", newline="") as handle:
        return handle.read()


# --- text layout ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("version", "fix", "name"),
    [
        ("2.4.6", False, "v2.4.6.txt"),
        ("2.4.6", True, "v2.4.6-fix.txt"),
        ("2.6.3", False, "v2.4.6.txt"),
        ("2.7.0", False, "v2.7.0.txt"),
        ("2.7.0", True, "v2.7.0-fix.txt"),
        ("2.7.1", False, "v2.7.1.txt"),
        ("2.7.1", True, "v2.7.1-fix.txt"),
        ("2.13.8", True, "v2.7.1-fix.txt"),
        ("", True, "v2.7.1-fix.txt"),  # unknown version: the newest behaviour
    ],
)
def test_layout_matches_the_real_command(version: str, fix: bool, name: str) -> None:
    assert render_check_plugin(DIFFS, version=version, fix_commands=fix, indirect=INDIRECT).text == golden(name)


@pytest.mark.parametrize("version", ["2.0.0", "2.6.3", "2.7.0", "2.13.8"])
def test_no_differences(version: str) -> None:
    printed = render_check_plugin((), version=version, fix_commands=version != "2.0.0", indirect=INDIRECT)
    assert (printed.stderr, printed.stdout, printed.exit_code) == (golden("none.txt"), "", 0)


def test_single_difference_wording() -> None:
    one = (Diff("github.com/gin-gonic/gin", "v1.9.1", "v1.9.0"),)
    assert render_check_plugin(one, version="2.0.2", fix_commands=False, indirect=frozenset()).stderr == golden(
        "single-v2.0.2.txt"
    )
    assert render_check_plugin(one, version="v2.13.8", fix_commands=False, indirect=frozenset()).stderr == golden(
        "single-v2.13.8.txt"
    )


def test_fix_flag_did_not_exist_before_2_0_6() -> None:
    refused = render_check_plugin(DIFFS, version="2.0.5", fix_commands=True, indirect=INDIRECT)
    assert (refused.stderr, refused.stdout, refused.exit_code) == (
        "Error: unknown shorthand flag: 'f' in -f\n", "unknown shorthand flag: 'f' in -f\n", 255)
    assert "go get" in render_check_plugin(DIFFS, version="2.0.6", fix_commands=True, indirect=INDIRECT).stderr


def test_streams_and_status_per_style() -> None:
    header = render_check_plugin(DIFFS, version="2.4.6", fix_commands=False, indirect=INDIRECT)
    assert (header.stdout, header.exit_code) == ("", 1)
    cobra = render_check_plugin(DIFFS, version="2.7.0", fix_commands=False, indirect=INDIRECT)
    assert (cobra.stdout, cobra.exit_code) == ("4 incompatibilities found\n", 255)
    assert cobra.stderr.endswith("Error: 4 incompatibilities found\n")
    trailer = render_check_plugin(DIFFS, version="2.7.1", fix_commands=False, indirect=INDIRECT)
    assert (trailer.stdout, trailer.exit_code) == ("", 1)


def test_the_2_0_1_prepend_panic_is_a_go_panic() -> None:
    from linter.formats.check_plugin import go_panic

    outcome = checkplugin.run(gosum(b"a v1 h1:x=\n"), {"a": "v1"}, version="2.0.1", libc_want="MUSL-1.2.2",
                              libc_have="")
    printed = go_panic(outcome.panic)
    assert printed.exit_code == 2 and printed.stdout == ""
    assert printed.stderr == "panic: runtime error: slice bounds out of range [1:0]\n\ngoroutine 1 [running]:\n"


def test_several_runs_keep_their_streams_and_the_highest_status() -> None:
    from linter.formats.check_plugin import Printed, combine

    runs = [("a/go.sum", Printed(stderr="x\n", exit_code=1)), ("b/go.sum", Printed("y\n", "z\n", 255))]
    assert combine(runs) == Printed("==> a/go.sum <==\nx\n==> b/go.sum <==\ny\n", "==> b/go.sum <==\nz\n", 255)
    assert combine(runs[:1]) == runs[0][1]


def test_krakend_1_has_no_check_plugin() -> None:
    printed = render_check_plugin(DIFFS, version="1.4.1", fix_commands=False, indirect=INDIRECT)
    assert (printed.stderr, printed.exit_code) == (golden("v1.4.1.txt"), 255)


# --- behaviour per version --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("version", "semver", "skips", "bug", "fix", "replace", "style", "exit_code"),
    [
        ("2.0.0", False, False, True, False, False, "header", 1),
        ("2.0.1", False, False, True, False, False, "header", 1),
        ("2.0.2", False, False, False, False, False, "header", 1),
        ("2.0.5", False, False, False, False, False, "header", 1),
        ("2.0.6", True, False, False, True, False, "header", 1),
        ("2.1.0", True, True, False, True, False, "header", 1),
        ("2.6.3", True, True, False, True, False, "header", 1),
        ("2.7.0", True, True, False, True, True, "cobra-error", 255),
        ("2.7.1", True, True, False, True, True, "trailer", 1),
        ("v2.13.8", True, True, False, True, True, "trailer", 1),
    ],
)
def test_behaviour_table(
    version: str, semver: bool, skips: bool, bug: bool, fix: bool, replace: bool, style: str, exit_code: int
) -> None:
    how = behaviour(version)
    assert how.available
    assert (how.semver_max, how.skips_short_lines, how.drops_last_module_diff) == (semver, skips, bug)
    assert (how.fix_flag, how.indirect_fix_uses_replace) == (fix, replace)
    assert (how.output_style, how.failure_exit_code) == (style, exit_code)


def test_behaviour_agrees_with_the_release_table() -> None:
    from linter.krakend import releases

    try:
        table = [r for r in releases.all_releases() if r.major >= 2]
    except (FileNotFoundError, ModuleNotFoundError):
        pytest.skip("the bundled release table is not generated yet")
    for release in table:
        ours, theirs = behaviour(release.version), release.check_plugin
        fields = ("available", "output_style", "failure_exit_code", "fix_flag", "semver_max")
        fields += ("skips_short_lines", "drops_last_module_diff", "indirect_fix_uses_replace")
        assert {f: getattr(ours, f) for f in fields} == {f: getattr(theirs, f) for f in fields}, release.version


def test_krakend_1_and_unknown_versions() -> None:
    assert not behaviour("1.4.1").available
    assert behaviour("latest").output_style == "trailer"


# --- Describe ------------------------------------------------------------------------------------

SUM = "\n".join(
    [
        "github.com/a/b v1.9.0 h1:x=",
        "github.com/a/b v1.10.0/go.mod h1:y=",
        "github.com/c/d v2.0.0+incompatible h1:z=",
        "github.com/e/f  v1.0.0 h1:double-space=",
        "",
    ]
).encode()


def gosum(data: bytes) -> GoSum:
    return parse_gosum(data, "go.sum")


def test_describe_takes_the_semver_max_over_every_line() -> None:
    desc = describe(gosum(SUM), go="1.22.5", libc="", how=behaviour("2.7.1"))
    # The double-spaced line splits into an empty version, which never wins by semver.
    assert dict(desc.deps) == {"github.com/a/b": "v1.10.0", "github.com/c/d": "v2.0.0+incompatible"}
    assert (desc.go, desc.libc) == ("1.22.5", "")


def test_describe_before_2_0_6_compares_strings() -> None:
    deps = describe(gosum(SUM), how=behaviour("2.0.5")).deps
    assert deps["github.com/a/b"] == "v1.9.0"
    assert "github.com/e/f" not in deps  # "" never beats the empty start value


def test_short_line_crashes_before_2_1_0_and_is_skipped_after() -> None:
    data = b"github.com/a/b v1.0.0 h1:x=\n\ngithub.com/c/d v1.0.0 h1:y=\n"
    with pytest.raises(CheckPluginCrashError) as crash:
        describe(gosum(data), how=behaviour("2.0.6"))
    assert (crash.value.message, crash.value.line) == (GO_PANIC_INDEX, 2)
    assert len(describe(gosum(data), how=behaviour("2.1.0")).deps) == 2


# --- Compare -------------------------------------------------------------------------------------


def test_compare_only_shared_modules_exact_strings_in_order() -> None:
    want = Descriptor("1.20.10", "MUSL-1.2.4", {"z.example/m": "v1.0.0", "a.example/m": "v2.0.0", "only/krakend": "v1"})
    have = Descriptor(
        "1.20.10", "", {"z.example/m": "v1.0.1", "a.example/m": "v2.0.0+incompatible", "only/plugin": "v"}
    )
    assert compare(want, have, how=behaviour("2.7.1")) == [
        Diff("libc", "", "MUSL-1.2.4"),
        Diff("a.example/m", "v2.0.0+incompatible", "v2.0.0"),
        Diff("z.example/m", "v1.0.1", "v1.0.0"),
    ]


def test_go_and_libc_are_skipped_when_not_given() -> None:
    want = Descriptor(None, None, {"m": "v1.0.0"})
    assert compare(want, Descriptor("1.22.5", "", {"m": "v1.0.0"}), how=behaviour("2.7.1")) == []


def test_2_0_0_drops_the_last_module_diff_when_libc_differs() -> None:
    want = Descriptor("1.17.8", "MUSL-1.2.2", {"a": "v1", "b": "v1", "c": "v1"})
    have = Descriptor("1.17.8", "", {"a": "v2", "b": "v2", "c": "v2"})
    assert [d.name for d in compare(want, have, how=behaviour("2.0.1"))] == ["libc", "a", "b"]
    assert [d.name for d in compare(want, have, how=behaviour("2.0.2"))] == ["libc", "a", "b", "c"]
    both = Descriptor("1.18.0", "", {"a": "v2", "b": "v2", "c": "v2"})
    assert [d.name for d in compare(want, both, how=behaviour("2.0.0"))] == ["libc", "go", "a"]


def test_2_0_0_crashes_when_only_libc_differs() -> None:
    want = Descriptor("1.17.8", "MUSL-1.2.2", {"a": "v1"})
    have = Descriptor("1.17.8", "", {"a": "v1"})
    with pytest.raises(CheckPluginCrashError) as crash:
        compare(want, have, how=behaviour("2.0.0"))
    assert crash.value.message == GO_PANIC_PREPEND
    outcome = checkplugin.run(gosum(b"a v1 h1:x=\n"), {"a": "v1"}, version="2.0.0", libc_want="MUSL", libc_have="")
    assert (outcome.diffs, outcome.panic) == ((), GO_PANIC_PREPEND)


def test_whole_run_like_krakend_cobras_own_fixture() -> None:
    sums = b"\n".join(
        [
            b"cloud.google.com/go v0.100.3 h1:a=",
            b"cloud.google.com/go v0.100.3/go.mod h1:b=",
            b"github.com/Azure/azure-sdk-for-go v59.3.1+incompatible h1:c=",
            b"golang.org/x/mod v0.6.10-dev.0.20220419223038-86c51ed26bb4 h1:d=",
            b"not/in-krakend v1.0.0 h1:e=",
        ]
    )
    reference = {
        "golang.org/x/mod": "v0.6.0-dev.0.20220419223038-86c51ed26bb4",
        "github.com/Azure/azure-sdk-for-go": "v59.3.0+incompatible",
        "cloud.google.com/go": "v0.100.2",
    }
    outcome = checkplugin.run(gosum(sums), reference, version="2.13.8")
    assert [d.name for d in outcome.diffs] == [
        "cloud.google.com/go",
        "github.com/Azure/azure-sdk-for-go",
        "golang.org/x/mod",
    ]
    mod = parse_gomod(
        b"module m\ngo 1.22\nrequire (\n\tcloud.google.com/go v0.100.3 // indirect\n"
        b"\tgithub.com/Azure/azure-sdk-for-go v59.3.1+incompatible // indirect\n"
        b"\tgolang.org/x/mod v0.6.10-dev.0.20220419223038-86c51ed26bb4\n)\n",
        "go.mod",
    )
    indirect = indirect_requirements(mod)
    text = render_check_plugin(outcome.diffs, version="2.13.8", fix_commands=True, indirect=indirect).stderr
    assert text == (
        "go mod edit --replace cloud.google.com/go=cloud.google.com/go@v0.100.2\n"
        "go mod edit --replace github.com/Azure/azure-sdk-for-go="
        "github.com/Azure/azure-sdk-for-go@v59.3.0+incompatible\n"
        "go get golang.org/x/mod@v0.6.0-dev.0.20220419223038-86c51ed26bb4\n"
        "3 incompatibilities found\n"
    )


def test_fix_command_per_version() -> None:
    diff = Diff("golang.org/x/sys", "v0.21.0", "v0.20.0")
    assert fix_command(diff, indirect=INDIRECT, version="2.6.3") == "go get golang.org/x/sys@v0.20.0"
    assert fix_command(diff, indirect=INDIRECT, version="2.7.0") == (
        "go mod edit --replace golang.org/x/sys=golang.org/x/sys@v0.20.0"
    )
    assert fix_command(diff, indirect=frozenset(), version="2.7.0") == "go get golang.org/x/sys@v0.20.0"
    assert indirect_requirements(None) == frozenset()


@pytest.mark.parametrize(
    ("version", "libc", "expected"),
    [
        ("2.0.0", "musl", "MUSL-1.2.2"),  # find_glibc.sh before 2.1.2: no os-release part
        ("2.1.0", "musl", "MUSL-1.2.3"),
        ("2.1.1", "musl", None),  # that tag's Makefile ran the script with bash, absent in the build stage
        ("2.4.3", "musl", "MUSL-1.2.4_(alpine-3.18)"),  # seen as MUSL-1.2.4_(alpine-3.18.2): patch unknown
        ("2.7.0", "glibc", "GLIBC-2.31_(debian-11)"),
        ("2.13.8", "glibc", "GLIBC-2.36_(debian-12)"),
        ("2.0.0", "glibc", None),  # a golang image without a Debian codename in its tag
    ],
)
def test_libc_string_of_the_official_binary(version: str, libc: str, expected: str | None) -> None:
    from linter.krakend import releases
    from linter.krakend.checkplugin import libc_string

    found = releases.release(version)
    assert found is not None
    assert libc_string(found, libc) == expected

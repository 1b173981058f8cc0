"""One synthetic plugin checked against every KrakenD CE v2 tag's real go.mod/go.sum.

The plugin pins the versions KrakenD 2.7.0 uses. For each tag under shared/krakend/v*/ a
``Reference`` is built the way `--krakend-go-mod/--krakend-go-sum` files give it (modules =
go.mod requirements, replacements = go.mod replaces, sum_versions = highest go.sum version per
module), and the KP1xx findings must be exactly what that tag's data implies. Expectations come
from the research note (release ranges) or from a naive read of the tag's go.mod, never from
the rules themselves.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from linter.inputs.gomod import compare_semver, parse_gomod
from linter.inputs.gosum import parse_gosum
from linter.inputs.workspace import PluginRoot, Workspace
from linter.krakend.reference import Reference, Replacement
from linter.krakend.releases import version_key
from linter.model import Finding, Severity
from linter.rules import gosum_only_difference, krakend_framework_import, shared_module_replace, shared_module_version
from linter.rules.base import RuleContext
from tests.helpers import positions

SHARED = Path(__file__).parents[2].parent / "shared"
TAGS = sorted((p.name for p in SHARED.glob("krakend/v2.*") if (p / "go.sum").is_file()), key=version_key)

SYS = "golang.org/x/sys"
AUTH0 = "github.com/auth0-community/go-auth0"
LURA = "github.com/luraproject/lura/v2"
COBRA = "github.com/krakendio/krakend-cobra/v2"

PLUGIN_GOMOD = """module example.com/corpus-plugin

go 1.22

require (
\tgolang.org/x/sys {sys} // indirect
\tgithub.com/auth0-community/go-auth0 v1.0.0 // indirect
\tgithub.com/luraproject/lura/v2 {lura}
\tgithub.com/krakendio/krakend-cobra/v2 {cobra}
)
"""
LINES = {SYS: 6, AUTH0: 7, LURA: 8, COBRA: 9}


def _require_shared() -> None:
    if TAGS:
        return
    reason = f"no KrakenD reference data under {SHARED / 'krakend'}"
    if os.environ.get("REQUIRE_SHARED") == "1":
        pytest.fail(reason)
    pytest.skip(reason)


def naive_requires(tag: str) -> dict[str, str]:
    """module -> version from a tag's go.mod by splitting lines (independent of our parser)."""
    found: dict[str, str] = {}
    for line in (SHARED / "krakend" / tag / "go.mod").read_text(encoding="utf-8").splitlines():
        words = line.split()
        if words[:1] == ["require"]:
            words = words[1:]
        if len(words) >= 2 and "." in words[0] and words[1].startswith("v") and "=>" not in words:
            found.setdefault(words[0], words[1])
    return found


def krakend_reference(tag: str) -> Reference:
    folder = SHARED / "krakend" / tag
    gomod = parse_gomod((folder / "go.mod").read_bytes(), f"{tag}/go.mod")
    gosum = parse_gosum((folder / "go.sum").read_bytes(), f"{tag}/go.sum")
    return Reference(
        krakend_version=tag.removeprefix("v"),
        source="files",
        origin=str(folder),
        modules={r.path: r.version for r in gomod.requires},
        sum_versions=gosum.max_versions(),
        replacements=tuple(Replacement(r.old_path, r.old_version, r.new_path, r.new_version) for r in gomod.replaces),
    )


def plugin_workspace() -> Workspace:
    pinned = naive_requires("v2.7.0")
    text = PLUGIN_GOMOD.format(sys=pinned[SYS], lura=pinned[LURA], cobra=pinned[COBRA])
    gosum = f"{SYS} {pinned[SYS]} h1:x=\n{SYS} {pinned[SYS]}/go.mod h1:y=\n"
    plugin = PluginRoot(".", parse_gomod(text.encode(), "go.mod"), parse_gosum(gosum.encode(), "go.sum"))
    return Workspace(plugins=(plugin,))


def run(tag: str, mode: str) -> list[Finding]:
    ctx = RuleContext(reference=krakend_reference(tag), mode=mode)
    ws = plugin_workspace()
    rules = (shared_module_version, gosum_only_difference, shared_module_replace, krakend_framework_import)
    return [finding for rule in rules for finding in rule.check(ws, ctx)]


def in_range(tag: str, low: str, high: str) -> bool:
    return version_key(low) <= version_key(tag) <= version_key(high)


@pytest.mark.parametrize("tag", TAGS or ["none"])
def test_precise_findings_per_tag(tag: str) -> None:
    _require_shared()
    krakend, pinned = naive_requires(tag), naive_requires("v2.7.0")
    findings = run(tag, "precise")
    expected = [("KP104", "go.mod", LINES[LURA], 2), ("KP104", "go.mod", LINES[COBRA], 2)]
    if krakend[SYS] != pinned[SYS]:
        expected.append(("KP101", "go.mod", LINES[SYS], 2))
    if in_range(tag, "2.0.2", "2.4.6"):  # CE replaced go-auth0 in exactly these releases
        expected.append(("KP103", "go.mod", LINES[AUTH0], 2))
    assert positions(findings) == sorted(expected)
    lura = next(f for f in findings if f.location.line == LINES[LURA])
    assert (lura.severity == Severity.ERROR) == (krakend[LURA] != pinned[LURA])


@pytest.mark.parametrize("tag", TAGS or ["none"])
def test_component_paths_follow_the_renames(tag: str) -> None:
    _require_shared()
    cobra = next(f for f in run(tag, "precise") if f.location.line == LINES[COBRA])
    if in_range(tag, "2.0.5", "2.10.2"):  # the krakendio/ years
        same = naive_requires(tag)[COBRA] == naive_requires("v2.7.0")[COBRA]
        assert cobra.severity == (Severity.NOTICE if same else Severity.ERROR)
        assert "is not the module" not in cobra.message
    else:
        owner = "devopsfaith" if in_range(tag, "2.0.0", "2.0.4") else "krakend"
        assert cobra.severity == Severity.WARNING
        assert f"github.com/{owner}/krakend-cobra/v2" in cobra.message


@pytest.mark.parametrize("tag", TAGS or ["none"])
def test_check_plugin_mode_per_tag(tag: str) -> None:
    _require_shared()
    reference = krakend_reference(tag)
    pinned = naive_requires("v2.7.0")[SYS]
    findings = [f for f in run(tag, "check-plugin") if f.rule == "KP101"]
    want = reference.modules[SYS]  # check-plugin's "want" side is KrakenD's build list
    if want == pinned:
        assert findings == []
        return
    # one report per module: on the go.mod requirement, which differs too
    assert positions(findings) == [("KP101", "go.mod", LINES[SYS], 2)]
    assert all(want in f.message for f in findings)


def test_the_pinned_version_passes_only_where_krakend_agrees() -> None:
    _require_shared()
    passing = [tag for tag in TAGS if not any(f.rule == "KP101" for f in run(tag, "precise"))]
    assert "v2.7.0" in passing
    assert all(naive_requires(tag)[SYS] == naive_requires("v2.7.0")[SYS] for tag in passing)
    # go.sum's highest x/sys is never below the go.mod requirement (MVS picks the maximum).
    for tag in TAGS:
        reference = krakend_reference(tag)
        assert compare_semver(reference.sum_versions[SYS], reference.modules[SYS]) >= 0

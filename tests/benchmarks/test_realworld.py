"""Offline checks of benchmarks.realworld on tiny git mirrors made in tmp_path.

Two repositories: a correct plugin (the build-good-builder scenario) and a broken one (a glibc build
loaded into the musl runtime image: KP301). The corpus judges them, plus the broken tree once more
under a reviewer who calls it PASS (so its error is a false one) and a repository with no mirror.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from benchmarks.realworld import cli, run
from benchmarks.realworld.corpus import CorpusError, Entry, Judgment, load_corpus, parse_entry
from benchmarks.realworld.run import Finding, LintRun, Places
from benchmarks.realworld.score import FALSE, TRUE, UNJUDGED, linter_verdict, matching_judgment, score, totals

SCENARIOS = Path(__file__).resolve().parents[1] / "scenarios"
GIT_ENV = {"GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.com", "GIT_COMMITTER_NAME": "t",
           "GIT_COMMITTER_EMAIL": "t@example.com", "GIT_AUTHOR_DATE": "2024-01-01T00:00:00Z",
           "GIT_COMMITTER_DATE": "2024-01-01T00:00:00Z", "GIT_CONFIG_GLOBAL": os.devnull,
           "GIT_CONFIG_NOSYSTEM": "1"}


def git(cwd: Path, *args: str) -> str:
    proc = subprocess.run(["git", *args], cwd=cwd, env={**os.environ, **GIT_ENV}, capture_output=True, text=True,
                          check=True)
    return proc.stdout.strip()


def mirror_of(mirrors: Path, name: str, scenario: str) -> str:
    """A git repository holding the scenario's repo/ at ``<mirrors>/<owner>+<name>/``; its commit."""
    folder = mirrors / name.replace("/", "+")
    shutil.copytree(SCENARIOS / scenario / "repo", folder)
    git(folder, "init", "-q")
    git(folder, "add", "-A")
    git(folder, "commit", "-q", "-m", "scenario")
    return git(folder, "rev-parse", "HEAD")


def entry_toml(name: str, commit: str, verdict: str, extra: str = "") -> str:
    return (f'[[repo]]\nname = "{name}"\ncommit = "{commit}"\nkind = "plugin"\nverdict = "{verdict}"\n'
            f'target = "2.7.0"\nplugins = ["."]\nreasons = """\nline one\nline two\nline three\nline four\n"""\n'
            f"{extra}\n")


@pytest.fixture
def places(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Places:
    mirrors, shared = tmp_path / "mirrors", tmp_path / "shared" / "krakend" / "v2.7.0"
    shared.mkdir(parents=True)
    for name in ("go.mod", "go.sum"):
        shutil.copy(SCENARIOS / "build-good-builder" / "krakend" / name, shared / name)
    mirrors.mkdir()
    monkeypatch.setenv("KPL_REALWORLD_MIRRORS", str(mirrors))
    monkeypatch.setenv("KPL_REALWORLD_WORK", str(tmp_path / "work"))
    monkeypatch.setenv("KPL_SHARED", str(tmp_path / "shared"))
    return Places.from_env(os.environ)


@pytest.fixture
def corpus(places: Places, tmp_path: Path) -> Path:
    good = mirror_of(places.mirrors, "acme/good", "build-good-builder")
    broken = mirror_of(places.mirrors, "acme/broken", "build-glibc-into-musl")
    shutil.copytree(places.mirrors / "acme+broken", places.mirrors / "acme+misjudged")
    problem = '[[repo.problem]]\nseverity = "error"\npath = "Dockerfile"\nline = 1\nwhat = "glibc build"\n'
    path = tmp_path / "corpus.toml"
    path.write_text(entry_toml("acme/good", good, "PASS") + entry_toml("acme/broken", broken, "FAIL", problem)
                    + entry_toml("acme/misjudged", broken, "PASS") + entry_toml("acme/gone", "a" * 40, "WARN"))
    return path


def test_the_benchmark_scores_verdicts_and_false_errors(corpus: Path, tmp_path: Path,
                                                        capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "results.json"
    assert cli.main(["--corpus", str(corpus), "--jobs", "2", "--json", str(out)]) == 0
    data = json.loads(out.read_text())
    repos = {r["name"]: r for r in data["repos"]}
    assert {n: (r["reviewer"], r["linter"], r["agrees"]) for n, r in repos.items()} == {
        "acme/good": ("PASS", "PASS", True), "acme/broken": ("FAIL", "FAIL", True),
        "acme/misjudged": ("PASS", "FAIL", False), "acme/gone": ("WARN", "", False)}
    assert repos["acme/gone"]["skipped"] == "no mirror"
    broken = [(f["rule"], f["path"], f["line"], f["truth"]) for f in repos["acme/broken"]["findings"]
              if f["severity"] == "error"]
    assert broken == [("KP301", "Dockerfile", 1, TRUE)]
    assert repos["acme/misjudged"]["counts"]["false_errors"] == 1
    t = data["totals"]
    assert (t["run"], t["skipped"], t["agreed"], t["false_errors"], t["false_error_repos"]) == (3, 1, 2, 1, 1)
    assert t["confusion"]["PASS"] == {"PASS": 1, "WARN": 0, "FAIL": 1, "CRASH": 0}
    text = capsys.readouterr().out
    assert "2/3 (66.7%)" in text and "skipped (no mirror)" in text
    assert "- acme/misjudged" in text and "line three" in text and "line four" not in text
    assert "KP301 Dockerfile:1" in text


def test_only_runs_a_subset_and_rejects_unknown_names(corpus: Path, tmp_path: Path,
                                                      capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "only.json"
    assert cli.main(["--corpus", str(corpus), "--only", "acme/gone", "--json", str(out)]) == 0
    assert [r["name"] for r in json.loads(out.read_text())["repos"]] == ["acme/gone"]
    assert cli.main(["--corpus", str(corpus), "--only", "acme/nobody"]) == 2
    assert "acme/nobody" in capsys.readouterr().err


def test_an_extracted_tree_is_reused(corpus: Path, places: Places) -> None:
    entries, _ = load_corpus([corpus])
    git_dir = run.find_git_dir(places.mirrors, entries[0])
    assert git_dir == places.mirrors / "acme+good" / ".git"
    tree, absent = run.extract(git_dir, entries[0], places.work)
    assert (tree / "main.go").is_file() and absent == []
    (tree / "marker").write_text("kept")
    assert run.extract(git_dir, entries[0], places.work)[0] == tree
    assert (tree / "marker").is_file()


def test_blobs_missing_from_a_mirror_are_left_out_and_named(corpus: Path, places: Places) -> None:
    entries, _ = load_corpus([corpus])
    git_dir = places.mirrors / "acme+good" / ".git"
    blob = git(git_dir.parent, "rev-parse", "HEAD:main.go")
    (git_dir / "objects" / blob[:2] / blob[2:]).unlink()
    tree, absent = run.extract(git_dir, entries[0], places.work)
    assert absent == ["main.go"]
    assert (tree / "go.mod").is_file() and not (tree / "main.go").exists()


def test_seeding_goes_through_the_reference_cache(places: Places) -> None:
    from linter.krakend.cache import Cache

    count, note = run.seed_references(places.shared, places.references)
    assert count == 1 and "1 releases" in note
    entry, _ = Cache(places.references).load("github", "2.7.0")
    assert entry is not None and entry.files["go.mod"].startswith("module github.com/krakendio/krakend-ce/v2")
    assert run.seed_references(places.shared / "nowhere", places.references)[0] == 0


@pytest.mark.parametrize(("code", "why"), [
    ("import sys; sys.exit(3)", "exit 3"),
    ("print('not json')", "no JSON report"),
    ("import time; time.sleep(5)", "timed out"),
])
def test_a_linter_that_gives_no_report_is_a_crash(tmp_path: Path, code: str, why: str) -> None:
    got = run.lint(tmp_path, [sys.executable, "-c", code], timeout=0.5)
    assert why in got.crash and linter_verdict(got) == "CRASH"


def finding(rule: str, severity: str, path: str, line: int, suppressed: bool = False) -> Finding:
    return Finding(rule, severity, path, line, "m", suppressed)


def test_verdict_counts_active_findings_only() -> None:
    assert linter_verdict(LintRun([finding("KP101", "error", "go.mod", 3, suppressed=True)])) == "PASS"
    assert linter_verdict(LintRun([finding("KP104", "warning", "go.mod", 3), finding("KP106", "notice", "", 0)])) \
        == "WARN"
    assert linter_verdict(LintRun([finding("KP104", "warning", "go.mod", 3), finding("KP101", "error", "go.mod", 4)])) \
        == "FAIL"


def test_judgments_match_rule_path_and_line_when_given() -> None:
    any_line = Judgment("KP104", "go.mod", None, False, "own version")
    line_7 = Judgment("KP101", "go.mod", 7, True, "real")
    judgments = [any_line, line_7]
    assert matching_judgment(finding("KP104", "warning", "go.mod", 12), judgments) is any_line
    assert matching_judgment(finding("KP101", "error", "go.mod", 7), judgments) is line_7
    assert matching_judgment(finding("KP101", "error", "go.mod", 8), judgments) is None
    assert matching_judgment(finding("KP104", "warning", "sub/go.mod", 12), judgments) is None


def test_truth_of_unjudged_findings_follows_the_reviewer_verdict() -> None:
    def entry(verdict: str) -> Entry:
        return parse_entry({"name": "a/b", "commit": "b" * 40, "kind": "plugin", "verdict": verdict,
                            "problem": [{"severity": "error", "path": "./plugins/x", "line": 0, "what": "w"}],
                            "finding": [{"rule": "kp301", "path": "Dockerfile", "truth": False, "why": "musl"}]},
                           "t.toml#1")

    findings = [finding("KP101", "error", "plugins/x/go.mod", 3), finding("KP201", "error", "Makefile", 1),
                finding("KP604", "warning", "Makefile", 2), finding("KP301", "error", "Dockerfile", 1)]
    truths = {v: [s.truth for s in score(entry(v), LintRun(findings)).scored] for v in ("PASS", "WARN", "FAIL")}
    assert truths == {"PASS": [FALSE, FALSE, FALSE, FALSE], "WARN": [FALSE, FALSE, UNJUDGED, FALSE],
                      "FAIL": [TRUE, UNJUDGED, UNJUDGED, FALSE]}
    results = [score(entry(v), LintRun(findings)) for v in ("PASS", "WARN", "FAIL")]
    t = totals(results)
    assert (t.false_errors, t.false_error_repos, t.false_warnings, t.false_warning_repos) == (7, 3, 1, 1)
    assert (t.agreed, t.missed_fail, t.missed_warn) == (1, 0, 0)
    assert t.false_by_rule == {"KP301 error": 3, "KP101 error": 2, "KP201 error": 2, "KP604 warning": 1}


@pytest.mark.parametrize(("text", "message"), [
    ('[[repo]]\nname = "a/b"\n', "commit"),
    ('[[repo]]\nname = "a/b"\ncommit = "' + "c" * 40 + '"\nkind = "plugin"\nverdict = "MAYBE"\n', "verdict"),
    ("[[repo]\n", "invalid TOML"),
])
def test_a_bad_corpus_file_is_named(tmp_path: Path, text: str, message: str) -> None:
    path = tmp_path / "bad.toml"
    path.write_text(text)
    with pytest.raises(CorpusError, match=message) as err:
        load_corpus([tmp_path])
    assert "bad.toml" in str(err.value)


def test_disagreements_list_findings_up_to_the_cap_and_changes_since_a_baseline(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from benchmarks.realworld import report

    entry = parse_entry({"name": "a/b", "commit": "d" * 40, "kind": "plugin", "verdict": "PASS",
                         "reasons": "first\n\nsecond\nthird\nfourth"}, "t.toml#1")
    findings = [finding("KP101", "error", "go.mod", n) for n in (3, 4, 5)] + [finding("KP106", "notice", "go.mod", 0)]
    result = score(entry, LintRun(findings))
    lines = report.disagreement_lines([result], max_findings=2)
    assert [ln.strip() for ln in lines if "reviewer:" in ln] == ["reviewer: first", "reviewer: second", "reviewer: third"]
    assert sum("KP101 go.mod:" in ln for ln in lines) == 2 and any("1 more" in ln for ln in lines)
    assert not any("KP106" in ln for ln in lines)
    baseline = {"repos": [{"name": "a/b", "reviewer": "PASS", "linter": "PASS", "agrees": True, "counts": {}},
                          {"name": "c/d", "reviewer": "PASS", "linter": "FAIL", "counts": {"false_errors": 9}}]}
    changes = report.change_lines([result], baseline)
    assert changes[0] == "on the 1 repositories run both times:"
    assert "agreed              1 -> 0" in changes and "false errors        0 -> 3" in changes
    assert "a/b: linter PASS -> FAIL (agreed before, reviewer PASS)" in changes
    bad = tmp_path / "bad.json"
    bad.write_text("[]")
    (tmp_path / "empty.toml").write_text("")
    assert cli.main(["--corpus", str(tmp_path / "empty.toml"), "--baseline", str(bad)]) == 2
    assert "bad.json: not a results file" in capsys.readouterr().err

"""Files and step outputs for later steps: the SARIF and JSON reports, and ``$GITHUB_OUTPUT``.

Reports go under ``$RUNNER_TEMP`` (never into the checkout, where a container would leave
root-owned files). A Docker action cannot write the host's ``$RUNNER_TEMP`` directly; its HOME
(/github/home) is the host's ``$RUNNER_TEMP/_github_home``, so files go there and the outputs carry
the host path.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Mapping
from dataclasses import replace
from pathlib import Path

from linter.github.channels.common import SourceLines, count_line
from linter.github.channels.options import ChannelOptions
from linter.model import Report, RuleDoc

RESULTS_DIR = "krakend-plugin-lint"
CONTAINER_HOME = "/github/home"


def counts_and_verdict(report: Report, the_verdict: str) -> dict[str, str]:
    """The ``errors``, ``warnings``, ``notices`` and ``verdict`` outputs."""
    counts = count_line(report)
    return {"errors": str(counts["errors"]), "warnings": str(counts["warnings"]),
            "notices": str(counts["notices"]), "verdict": the_verdict}


def write_report_files(report: Report, rules: tuple[RuleDoc, ...], env: Mapping[str, str], opts: ChannelOptions,
                       source_lines: SourceLines | None, log: Callable[[str], None]) -> dict[str, str]:
    """SARIF and JSON reports for later steps (upload-sarif, artifacts); paths go to the outputs. A
    report the CLI writes anyway (``--output sarif=FILE``) is not written twice: its path is given."""
    given = opts.report_files
    found: dict[str, str] = {"sarif-file": given.get("sarif", ""), "json-file": given.get("json", "")}
    missing = [name for name in ("sarif", "json") if name not in given]
    folder = _results_dir(env)
    if not missing or folder is None:
        return found
    from linter.formats import FORMATS, RenderContext

    context = RenderContext(rules=rules, fail_on=opts.fail_on)
    if source_lines is not None:
        context = replace(context, source_lines=source_lines)
    inside, host = folder
    for name in missing:
        filename = "results.sarif" if name == "sarif" else "report.json"
        try:
            inside.mkdir(parents=True, exist_ok=True)
            (inside / filename).write_text(FORMATS[name](report, context), encoding="utf-8")
        except Exception as err:  # a file we cannot write must not stop the other channels
            log(f"cannot write the {name} report: {type(err).__name__}: {str(err)[:200]}")
            continue
        found[f"{name}-file"] = str(host / filename)
    return found


def _results_dir(env: Mapping[str, str], container_home: str = CONTAINER_HOME) -> tuple[Path, Path] | None:
    """(where we write, the same folder as later steps see it).

    A Docker action sees only the workspace, HOME and the file-command folder of the host. HOME
    (/github/home) is the host's ``$RUNNER_TEMP/_github_home``, so files written there outlive the
    container and stay out of the workspace (no root-owned files in the checkout).
    """
    temp = env.get("RUNNER_TEMP", "")
    if not temp:
        return None
    if env.get("HOME") == container_home and Path(container_home).is_dir() and not Path(temp).is_dir():
        return Path(container_home) / RESULTS_DIR, Path(temp) / "_github_home" / RESULTS_DIR
    return Path(temp) / RESULTS_DIR, Path(temp) / RESULTS_DIR


def write_outputs(path: str, outputs: Mapping[str, str], log: Callable[[str], None]) -> None:
    """Append ``name<<DELIMITER`` blocks (safe for any value) to the ``$GITHUB_OUTPUT`` file."""
    if not path:
        return
    lines = []
    for name, value in outputs.items():
        delimiter = f"ghadelimiter_{uuid.uuid4()}"
        lines.append(f"{name}<<{delimiter}\n{value}\n{delimiter}\n")
    try:
        with Path(path).open("a", encoding="utf-8") as handle:
            handle.write("".join(lines))
    except OSError as err:
        log(f"cannot write step outputs: {err.strerror}")

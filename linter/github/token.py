"""Which GitHub token a run uses, decided in one place. Kept apart from the run context so that
every command can ask without importing the rest of linter/github."""

from __future__ import annotations

from collections.abc import Mapping


def action_token(env: Mapping[str, str]) -> str:
    """The action's ``github-token`` input (the runner passes each input as ``INPUT_<NAME>``)."""
    return env.get("INPUT_GITHUB-TOKEN", "").strip()


def github_token(flag: str | None, env: Mapping[str, str]) -> str:
    """The token every GitHub call uses: ``--github-token``, else the action's input, else
    ``GITHUB_TOKEN``. The one place that decides it."""
    return (flag or action_token(env) or env.get("GITHUB_TOKEN", "")).strip()

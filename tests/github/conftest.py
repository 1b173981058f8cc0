"""Fixtures of the GitHub channel tests (the fake server fixture comes from tests.fakegithub)."""

from __future__ import annotations

from typing import Any

import pytest

from tests.fakegithub.server import fake_github  # noqa: F401 - a fixture, used by name
from tests.github.support import pull_request_payload, webhook_examples


@pytest.fixture(scope="session")
def examples() -> list[dict[str, Any]] | None:
    """@octokit/webhooks-examples, fetched once with ``npm pack`` (None when npm is unavailable)."""
    return webhook_examples()


@pytest.fixture
def pr_payload(examples: list[dict[str, Any]] | None) -> dict[str, Any]:
    """A real ``pull_request`` ``opened`` payload (or our small copy of its shape)."""
    return pull_request_payload(examples)

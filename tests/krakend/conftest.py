"""Fixtures for the KrakenD knowledge tests: the fake GitHub and the shared research data."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.fakegithub.openapi import shared_dir
from tests.fakegithub.server import fake_github  # noqa: F401  (a fixture, used by name)


def shared_krakend_dir() -> Path:
    return shared_dir() / "krakend"


@pytest.fixture(scope="session")
def shared_krakend() -> Path:
    """``shared/krakend``; skipped (visibly) when absent, a failure when REQUIRE_SHARED=1."""
    folder = shared_krakend_dir()
    if not (folder / "releases.csv").is_file():
        message = f"{folder} is absent (set KPL_SHARED_DIR); the corpus tests need it"
        if os.environ.get("REQUIRE_SHARED") == "1":
            pytest.fail(message)
        pytest.skip(message)
    return folder

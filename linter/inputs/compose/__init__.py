"""Compose files (``docker-compose.yml``, ``compose.yaml``, ...): the services that run KrakenD.

For each service: its image, how it is built (context, Dockerfile, build args), its platform,
volumes (short ``./plugins:/opt/krakend/plugins:ro`` and long syntax), command, entrypoint and
environment, each value with the place it is written. Values are interpolated as Compose does it:
``$$`` is a ``$``, ``${VAR}`` and ``$VAR`` take the value set in the ``.env`` file beside the
Compose file, ``${VAR:-default}`` / ``${VAR-default}`` fall back to their default, ``${VAR:+alt}``
and ``${VAR:?message}`` are followed too. A variable set nowhere we can see (the shell Compose runs
in) leaves the value *unresolved*: its text keeps the reference as written and ``unresolved`` is
set, so nobody reports ``${VERSION}`` as a version. Not followed: ``extends:``, ``include:``, ``env_file:``
and the merging of ``docker-compose.override.yml`` into its base file (each file is read alone).

The YAML is read as the workflow reader reads workflows (``linter.inputs.yamlnodes``), with merge
keys followed. Aliases can repeat a long list under many services; the values read from one file
are capped well above anything a file without aliases holds, so a small hostile file stays cheap.
"""

from __future__ import annotations

from linter.inputs.compose.interpolation import DotenvValue, interpolate, parse_dotenv
from linter.inputs.compose.model import (
    ComposeBuild,
    ComposeFile,
    ComposeService,
    ComposeValue,
    ComposeVariable,
    ComposeVolume,
    config_flag,
)
from linter.inputs.compose.reader import parse_compose

__all__ = [
    "ComposeBuild",
    "ComposeFile",
    "ComposeService",
    "ComposeValue",
    "ComposeVariable",
    "ComposeVolume",
    "DotenvValue",
    "config_flag",
    "interpolate",
    "parse_compose",
    "parse_dotenv",
]

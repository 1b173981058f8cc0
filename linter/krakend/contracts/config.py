"""Where a gateway config injects plugins: the plugin namespaces in its ``extra_config`` objects."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from linter.inputs.gateway_config import ConfigNode, GatewayConfig
from linter.krakend.contracts.definitions import MISSPELLED_NAMESPACES, Namespace, namespace
from linter.model import Location


@dataclass(frozen=True)
class NamespaceUse:
    """A plugin namespace in an ``extra_config`` object of a gateway config."""

    config: GatewayConfig
    key: str
    namespace: Namespace  # for a misspelt long name, the namespace it was meant to be
    spelling: str  # "short", "long" or "misspelled"
    level: str  # "service", "endpoint" or "backend"
    where: str  # JSON pointer of the extra_config object
    key_location: Location
    value: ConfigNode

    @property
    def name_node(self) -> ConfigNode | None:
        return self.value.get("name") if self.value.kind == "object" else None

    def names(self) -> tuple[ConfigNode, ...]:
        """The string names configured (a string, or the strings of a list)."""
        node = self.name_node
        if node is None:
            return ()
        if node.kind == "string":
            return (node,)
        if node.kind == "array":
            return tuple(c for c in node.children if c.kind == "string")
        return ()


def extra_configs(config: GatewayConfig) -> Iterator[tuple[str, str, ConfigNode]]:
    """(level, JSON pointer, extra_config object) for the service, endpoints and backends
    (async agents' backends included)."""
    root = config.root
    if root is None or root.kind != "object":
        return
    service = root.get("extra_config")
    if service is not None and service.kind == "object":
        yield "service", "/extra_config", service
    for group, level in (("endpoints", "endpoint"), ("async_agent", "")):
        items = root.get(group)
        for item in items.children if items is not None and items.kind == "array" else ():
            base = f"/{group}/{item.key}"
            extra = item.get("extra_config")
            if level and extra is not None and extra.kind == "object":
                yield level, base + "/extra_config", extra
            backends = item.get("backend")
            for backend in backends.children if backends is not None and backends.kind == "array" else ():
                extra = backend.get("extra_config")
                if extra is not None and extra.kind == "object":
                    yield "backend", f"{base}/backend/{backend.key}/extra_config", extra


def namespace_uses(config: GatewayConfig) -> Iterator[NamespaceUse]:
    for level, where, extra in extra_configs(config):
        for child in extra.children:
            found = namespace(child.key)
            spelling = "long" if found is not None and found.long else "short"
            if found is None:
                found = MISSPELLED_NAMESPACES.get(child.key)
                spelling = "misspelled"
            if found is None or child.key_location is None:
                continue
            yield NamespaceUse(config, child.key, found, spelling, level, where, child.key_location, child)


def is_gateway_config(config: GatewayConfig) -> bool:
    """A whole KrakenD config (not a Flexible Configuration partial or settings file)."""
    root = config.root
    return root is not None and root.kind == "object" and any(
        root.get(k) is not None for k in ("version", "endpoints", "plugin")
    )

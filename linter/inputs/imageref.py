"""Container image references: ``[registry/]repository[:tag][@digest]``, as Docker reads them."""

from __future__ import annotations

from dataclasses import dataclass

# Docker Hub spellings that all mean "no registry" for matching image names.
_HUB_REGISTRIES = frozenset({"docker.io", "index.docker.io", "registry-1.docker.io", "registry.hub.docker.com"})


@dataclass(frozen=True)
class ImageRef:
    raw: str  # as written (after ARG substitution, when the caller did it)
    registry: str  # "" when none is written; "docker.io", "ghcr.io", "localhost:5000"
    repository: str  # "golang", "krakend/builder", "library/golang"
    tag: str  # "" when none is written
    digest: str  # "sha256:..." or ""

    @property
    def name(self) -> str:
        """The repository as Docker Hub users say it: no Hub registry, no ``library/`` prefix."""
        repository = self.repository
        if self.registry and self.registry not in _HUB_REGISTRIES:
            return f"{self.registry}/{repository}"
        return repository.removeprefix("library/")

    @property
    def resolved(self) -> bool:
        """False when a build argument could not be substituted (``${BASE}``)."""
        return "$" not in self.raw

    @property
    def is_scratch(self) -> bool:
        return self.name == "scratch"

    def with_tag(self, tag: str) -> str:
        """The same reference with another tag (and no digest, which would pin the old one)."""
        prefix = f"{self.registry}/" if self.registry else ""
        return f"{prefix}{self.repository}:{tag}"


def parse_image(text: str) -> ImageRef:
    """Split a reference; never raises (an empty or odd string gives empty parts)."""
    raw = text.strip()
    name, _, digest = raw.partition("@")
    slash = name.rfind("/")
    colon = name.rfind(":")
    tag = ""
    if colon > slash:
        name, tag = name[:colon], name[colon + 1 :]
    registry = ""
    first, sep, rest = name.partition("/")
    if sep and ("." in first or ":" in first or first == "localhost") and "$" not in first:
        registry, name = first, rest
    return ImageRef(raw=raw, registry=registry, repository=name, tag=tag, digest=digest)

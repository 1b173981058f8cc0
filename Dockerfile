# The action's image, in two stages.
#
# build: every locked distribution is fetched and checked against its hash in requirements.lock
# (the build backend included), the linter is built into a wheel, and the wheel is installed into
# a virtualenv with pip resolving its requirements from those locked wheels only (--no-index). So
# the virtualenv holds exactly what `pip install krakend-plugin-lint` gives, at the locked versions,
# byte-compiled, and nothing else: no pip, no setuptools, no sources.
#
# runtime: the same Python base, git, that virtualenv and the entry point. It runs as root (the
# runner mounts the workspace and the file-command folder for root) and sets no WORKDIR: the runner
# mounts the checkout at /github/workspace and starts us there. Reports are written under
# $RUNNER_TEMP/HOME, never into the checkout, so no root-owned files are left behind.
#
# Release tags do not build this file on the runner: .github/workflows/release.yml pushes the image
# to GHCR and the tagged action.yml points at it (see README, "Releasing").
FROM python:3.11.14-slim-bookworm AS build

ENV PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

# Every dependency (and the build backend) pinned by hash; --no-deps: nothing unlisted sneaks in.
COPY requirements.lock /src/requirements.lock
RUN pip install --require-hashes --no-deps -r /src/requirements.lock \
 && pip wheel --require-hashes --no-deps -r /src/requirements.lock --wheel-dir /wheels

COPY pyproject.toml README.md /src/
COPY linter /src/linter
RUN pip wheel --no-deps --no-build-isolation --wheel-dir /dist /src \
 && python -m venv --without-pip /opt/krakend-plugin-lint \
 && pip --python /opt/krakend-plugin-lint/bin/python install --no-index --find-links /wheels /dist/*.whl

FROM python:3.11.14-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PATH=/opt/krakend-plugin-lint/bin:$PATH

# git: the diff fallback for changed files GitHub sends no patch for. The checkout belongs to the
# runner's user, so git refuses it to root ("dubious ownership") unless it is a safe directory.
# Debian's git is not pinned: security updates replace the exact version in the archive.
# hadolint ignore=DL3008
RUN apt-get update \
 && apt-get install -y --no-install-recommends git \
 && rm -rf /var/lib/apt/lists/* \
 && git config --system --add safe.directory '*'

COPY --from=build /opt/krakend-plugin-lint /opt/krakend-plugin-lint
COPY entrypoint.py /app/entrypoint.py
ENTRYPOINT ["/opt/krakend-plugin-lint/bin/python", "/app/entrypoint.py"]

# The action's image: Python 3.11, dependencies from the hashed lock file, git, then the linter.
# It runs as root (the runner mounts the workspace and the file-command folder for root) and sets
# no WORKDIR: the runner mounts the checkout at /github/workspace and starts us there. Reports are
# written under $RUNNER_TEMP/HOME, never into the checkout, so no root-owned files are left behind.
FROM python:3.11.14-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

# git: the diff fallback for changed files GitHub sends no patch for. The checkout belongs to the
# runner's user, so git refuses it to root ("dubious ownership") unless it is a safe directory.
# Debian's git is not pinned: security updates replace the exact version in the archive.
# hadolint ignore=DL3008
RUN apt-get update \
 && apt-get install -y --no-install-recommends git \
 && rm -rf /var/lib/apt/lists/* \
 && git config --system --add safe.directory '*'

# Every dependency (and the build backend) pinned by hash; --no-deps: nothing unlisted sneaks in.
COPY requirements.lock /app/requirements.lock
RUN pip install --require-hashes --no-deps -r /app/requirements.lock

COPY pyproject.toml README.md /app/src/
COPY linter /app/src/linter
RUN pip install --no-deps --no-build-isolation /app/src \
 && rm -rf /app/src

COPY entrypoint.py /app/entrypoint.py
ENTRYPOINT ["python", "/app/entrypoint.py"]

# syntax=docker/dockerfile:1
# Englivo AI Engine image: `docker build -t englivo-engine .`
# One image serves every role: `englivo serve` (default), `englivo worker`, `englivo migrate`.
# It holds the runtime only: no tests, no training code (see .dockerignore), no dev tools; every model
# ships inside the installed packages, so nothing is downloaded at run time.
# BASE_IMAGE: any Debian-like image with Python 3.11 at /usr/local/bin/python3.11 and pip, as python:3.11-slim;
# scripts/container-check.sh passes one it makes offline (debootstrap) where no registry is reachable.
ARG BASE_IMAGE=python:3.11-slim

# ---- builder: the locked dependencies and the engine (non-editable, with its package data) in /opt/venv
FROM ${BASE_IMAGE} AS builder

ENV PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PIP_NO_CACHE_DIR=1 \
    UV_COMPILE_BYTECODE=1 \
    UV_LINK_MODE=copy \
    UV_PYTHON_DOWNLOADS=never \
    VIRTUAL_ENV=/opt/venv

RUN pip install "uv==0.13.9" \
 && uv venv --python /usr/local/bin/python3.11 /opt/venv

WORKDIR /src

# Dependencies first: this layer is rebuilt only when they change. The runtime dependencies of
# pyproject.toml at the versions of the lock (the lock also pins the dev tools, which stay out).
COPY pyproject.toml requirements.lock ./
RUN --mount=type=cache,target=/root/.cache/uv \
    uv pip install -r pyproject.toml -c requirements.lock

# Then the engine itself, as a regular (non-editable) install: setuptools copies each package's data files
# ([tool.setuptools.package-data] in pyproject.toml: the migrations' script.py.mako, shipped models...) into
# /opt/venv. README.m[d] matches README.md when it exists and nothing when it does not.
COPY README.m[d] ./
COPY domain ./domain
COPY application ./application
COPY adapters ./adapters
COPY entrypoints ./entrypoints
COPY migrations ./migrations
RUN --mount=type=cache,target=/root/.cache/uv \
    uv pip install --no-deps . \
 && /opt/venv/bin/englivo --version

# ---- runtime: the virtual environment and a non-root user, no build tools, no source tree
FROM ${BASE_IMAGE} AS runtime

# LightGBM (the CEFR model) links the system's OpenMP runtime, libgomp1, which the slim base lacks.
RUN apt-get update \
 && apt-get install -y --no-install-recommends libgomp1 \
 && rm -rf /var/lib/apt/lists/* \
 && groupadd --system englivo \
 && useradd --system --gid englivo --home-dir /app --no-create-home --shell /usr/sbin/nologin englivo \
 && mkdir -p /app/var \
 && chown -R englivo:englivo /app

COPY --from=builder /opt/venv /opt/venv

ENV PATH=/opt/venv/bin:$PATH \
    VIRTUAL_ENV=/opt/venv \
    PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    ENGLIVO_HOST=0.0.0.0 \
    ENGLIVO_PORT=8001

WORKDIR /app
USER englivo

EXPOSE 8001

# Liveness only (/health needs no API key); /health/ready also checks the database and Redis.
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
    CMD ["python", "-c", "import os, urllib.request; urllib.request.urlopen('http://127.0.0.1:%s/health' % os.environ.get('ENGLIVO_PORT', '8001'), timeout=4)"]

CMD ["englivo", "serve"]

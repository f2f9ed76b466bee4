# anjian 安检 — the server in a container: `docker compose up -d` (compose.yaml) starts it with
# PostgreSQL; `docker run -p 8000:8000 -v anjian-data:/data anjian` alone runs it on SQLite in /data.
# docs/operations.md describes the settings, the volumes, backups and the health checks.

# Debian trixie's PostgreSQL client (17) can dump the PostgreSQL 16 of compose.yaml: pg_dump must
# be of the server's major version or newer, and bookworm's is 15.
ARG PYTHON_IMAGE=python:3.11-slim-trixie

FROM ${PYTHON_IMAGE} AS build
WORKDIR /src
COPY pyproject.toml README.md server.py ./
COPY core ./core
COPY sync ./sync
COPY checklists ./checklists
COPY plugins ./plugins
COPY web ./web
RUN pip wheel --no-cache-dir --wheel-dir /wheels .

FROM ${PYTHON_IMAGE}
# pg_dump / pg_restore for `anjian backup` / `anjian restore` against PostgreSQL.
RUN apt-get update \
    && apt-get install -y --no-install-recommends postgresql-client \
    && rm -rf /var/lib/apt/lists/*
COPY --from=build /wheels /wheels
RUN pip install --no-cache-dir /wheels/*.whl && rm -rf /wheels

# Not root: the server needs to write only its data directory (and backups, when asked for them).
RUN groupadd --system --gid 10001 anjian \
    && useradd --system --uid 10001 --gid anjian --home-dir /data --no-create-home --shell /usr/sbin/nologin anjian \
    && mkdir -p /data /backups \
    && chown anjian:anjian /data /backups
USER anjian
WORKDIR /backups

ENV PYTHONUNBUFFERED=1 \
    PYTHONDONTWRITEBYTECODE=1 \
    ANJIAN_HOST=0.0.0.0 \
    ANJIAN_PORT=8000 \
    ANJIAN_DATA_DIR=/data \
    ANJIAN_DATABASE_URL=sqlite+aiosqlite:////data/anjian.db \
    ANJIAN_LOG_FORMAT=json

VOLUME ["/data"]
EXPOSE 8000

# Liveness: the process answers. /readyz (database up, migrations current) is for load balancers.
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s --retries=3 \
    CMD ["python", "-c", "import os, sys, urllib.request; port = os.environ.get('ANJIAN_PORT', '8000'); sys.exit(0 if urllib.request.urlopen(f'http://127.0.0.1:{port}/healthz', timeout=4).status == 200 else 1)"]

ENTRYPOINT ["anjian"]
CMD ["serve"]

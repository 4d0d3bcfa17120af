# Production image. Not buildable on the development machines of this project (no Docker
# engine there): kept plain and checked by review. Build: docker build -t guichet .
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    DJANGO_SETTINGS_MODULE=guichet.settings

# WeasyPrint's system libraries (Pango, HarfBuzz) and fonts for the PDFs.
RUN apt-get update \
    && apt-get install -y --no-install-recommends \
        libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz0b libharfbuzz-subset0 fonts-dejavu-core \
    && rm -rf /var/lib/apt/lists/*

RUN groupadd --system guichet && useradd --system --gid guichet --home /app guichet
WORKDIR /app

COPY requirements.lock .
RUN pip install --no-cache-dir --require-hashes --no-deps -r requirements.lock

COPY --chown=guichet:guichet . .

# collectstatic needs settings but no database: a throwaway key and URL for this step only.
RUN SECRET_KEY=collectstatic-only DATABASE_URL=postgres://build@localhost/build \
    python manage.py collectstatic --noinput \
    && mkdir -p /app/.data/media && chown -R guichet:guichet /app/.data

USER guichet
EXPOSE 8000
# /healthz runs a query: the container is unhealthy as soon as the database is unreachable.
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
    CMD ["python", "-m", "guichet.healthcheck"]
# gunicorn trusts X-Forwarded-* from FORWARDED_ALLOW_IPS: "*" because this port is reachable
# only from the reverse proxy (never publish it); the portal itself trusts TRUSTED_PROXY_COUNT.
ENV FORWARDED_ALLOW_IPS="*"
# Workers, recycling and preloading: gunicorn.conf.py (shared with `make bench`).
CMD ["gunicorn", "--config", "gunicorn.conf.py", "guichet.wsgi:application"]

# One image for web, worker and beat (see docker-compose.yml).
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

WORKDIR /app
COPY pyproject.toml ./
# Installs the dependencies only (the project itself runs from /app).
RUN pip install .

COPY . .
# Static files are collected at build time and served by WhiteNoise.
RUN CAMPAIGN_ENV=production SECRET_KEY=collectstatic-only-not-used-at-runtime-0123456789abcdefghij \
    ALLOWED_HOSTS=localhost CAMPAIGN_VAR_DIR=/tmp/build-var python manage.py collectstatic --noinput \
    && useradd --create-home --uid 1000 campaign \
    && mkdir -p /data && chown campaign /data

USER campaign
EXPOSE 8000
CMD ["gunicorn", "campaign.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "3"]

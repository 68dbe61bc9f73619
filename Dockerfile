# Production image: gunicorn serving the tracker, static files collected, running as a non-root user.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

WORKDIR /app

COPY pyproject.toml README.md manage.py ./
COPY tracker ./tracker
COPY campaigns ./campaigns
COPY following ./following
COPY workspace ./workspace
COPY templates ./templates
COPY static ./static
# Editable, so the code runs from /app, where settings find templates/ and static/.
RUN pip install -e .

# collectstatic needs settings that start in production mode, which refuse a weak secret key;
# this throwaway one is used only here and kept nowhere.
RUN DJANGO_DEBUG=0 DJANGO_ALLOWED_HOSTS=localhost \
    DJANGO_SECRET_KEY="$(python -c 'import secrets; print(secrets.token_urlsafe(50))')" \
    python manage.py collectstatic --no-input

RUN useradd --system --create-home --uid 1000 tracker \
    && mkdir -p /app/media \
    && chown tracker /app/media
USER tracker

ENV DJANGO_DEBUG=0 \
    DJANGO_MEDIA_ROOT=/app/media
EXPOSE 8000

# The full CSV of 100,000 requests streams for about 30 s; the default 30 s timeout would cut it.
CMD ["gunicorn", "tracker.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "3", "--timeout", "120", "--access-logfile", "-"]

# Yixian Safety — production image (web, worker and beat all run from it; see docker-compose.yml).
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1
# WeasyPrint needs Pango/HarfBuzz (libharfbuzz-subset0 keeps Chinese PDFs fast); Noto CJK gives
# real Chinese glyphs in PDFs; gettext compiles the zh_Hans catalog.
RUN apt-get update \
 && apt-get install -y --no-install-recommends libpango-1.0-0 libpangoft2-1.0-0 \
      libharfbuzz-subset0 fonts-noto-cjk gettext \
 && rm -rf /var/lib/apt/lists/*

WORKDIR /app
COPY requirements.lock ./
RUN pip install -r requirements.lock
COPY . .
RUN DATABASE_URL=sqlite:////tmp/build.sqlite3 SECRET_KEY=build python manage.py collectstatic --noinput \
 && useradd --system --home /app yixian && mkdir -p /app/var && chown -R yixian /app/var
USER yixian
EXPOSE 8000
CMD ["gunicorn", "yixian_safety.wsgi", "--bind", "0.0.0.0:8000", "--workers", "3", "--timeout", "120"]

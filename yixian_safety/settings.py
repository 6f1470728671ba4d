"""Settings for Yixian Safety — the one settings module, read from the environment.

Embedded default (no environment at all): SQLite in ``var/db.sqlite3``, Celery tasks run eagerly
in-process, e-mail printed to the console, DEBUG off, a secret key generated once into
``var/secret_key``.

Production / CI: set ``DATABASE_URL`` (``postgres://…``, psycopg 3), ``REDIS_URL``
(broker + cache; a real worker and beat then run the jobs), ``SECRET_KEY``, ``ALLOWED_HOSTS``,
``EMAIL_URL`` and ``HTTPS=on`` behind TLS. See README.md for the full list.
"""

import datetime
import secrets
import sys
from pathlib import Path

import environ
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = BASE_DIR / "var"
VAR_DIR.mkdir(exist_ok=True)

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)


def _default_secret_key() -> str:
    """A per-checkout random key kept in var/ so sessions survive restarts of the embedded app."""
    path = VAR_DIR / "secret_key"
    if not path.exists():
        path.write_text(secrets.token_urlsafe(50))
        path.chmod(0o600)
    return path.read_text().strip()


DEBUG = env.bool("DEBUG", default=False)
SECRET_KEY = env.str("SECRET_KEY", default="") or _default_secret_key()
# Old keys still accepted (sessions, signatures and the tip-off field keys below) while rotating.
SECRET_KEY_FALLBACKS = env.list("SECRET_KEY_FALLBACKS", default=[])
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

# The demo's date override (DEMO_TODAY=2027-01-15 make run): yixian_safety.dates.today_local
# returns it instead of today. Refused in production (HTTPS=on) by the check yixian.E001.
_demo_today = env.str("DEMO_TODAY", default="").strip()
try:
    DEMO_TODAY = datetime.date.fromisoformat(_demo_today) if _demo_today else None
except ValueError:
    raise SystemExit(f"DEMO_TODAY={_demo_today!r}: give a date as YYYY-MM-DD") from None

# Plan document the plan data was taken from (tests compare the two). Default: ../shared/seed/.
PLAN_SEED_DIR = Path(env.str("PLAN_SEED_DIR", default=str(BASE_DIR.parent / "shared" / "seed")))

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "rest_framework.authtoken",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "simple_history",
    "django_celery_beat",
    "axes",
    "django_ratelimit",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "csp",
    "campaigns",
    "hazards",
    "training",
    "enforcement",
    "tipoffs",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "yixian_safety.middleware.ChosenLanguageMiddleware",
    "yixian_safety.middleware.RejectNulMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # The audit trail: every 403, export and download (campaigns/audit/middleware.py).
    "campaigns.audit.middleware.AuditMiddleware",
    "django_otp.middleware.OTPMiddleware",
    # An unverified safety-office/admin session goes to the second factor first, then an
    # admin-created account to the password change (campaigns/accounts/middleware.py).
    "campaigns.accounts.middleware.SecondFactorMiddleware",
    "campaigns.accounts.middleware.PasswordChangeRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # Embedded mode (no beat): the day's reminders on the first request of the day.
    "campaigns.notifications.middleware.RemindersOnFirstRequestMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "yixian_safety.security.PermissionsPolicyMiddleware",
    # Last, as django-axes requires: turns a locked-out login into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "yixian_safety.urls"
WSGI_APPLICATION = "yixian_safety.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "campaigns.org.context_processors.navigation",
                "campaigns.plan.context_processors.campaign",
            ],
        },
    },
]

DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'db.sqlite3'}"),
}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
# Persistent connections (seconds; 0 = one per request) are checked before each request reuses
# them: a PostgreSQL restart or a killed backend costs one reconnect, not a 500.
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    # The embedded demo serves several browsers at once and every API call writes the DB
    # rate-limit cache: SQLite's default deferred transactions (read, then write) deadlock
    # against a concurrent writer and fail at once with "database is locked" (a 500). IMMEDIATE
    # takes the write lock at BEGIN, so a second writer waits (up to ``timeout`` seconds); WAL
    # lets readers go on while one writes.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        }
    )
if DATABASES["default"]["ENGINE"].endswith("postgresql"):
    # No JIT compilation: the planner over-estimates the league's and statistics' correlated
    # subqueries and then spends seconds compiling them (EXPLAIN ANALYZE: JIT 4.7 s of a 5.0 s
    # league query at 5,000 hazards, issue 19); our queries are short OLTP reads. DB_JIT=on
    # restores the server's default.
    if not env.bool("DB_JIT", default=False):
        options = DATABASES["default"].setdefault("OPTIONS", {})
        options["options"] = (options.get("options", "") + " -c jit=off").strip()
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "campaigns.User"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "campaigns:dashboard"
LOGOUT_REDIRECT_URL = "login"
# django-axes first: it refuses a locked-out user+IP before the password is even checked.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# Password policy (issue 15): ≥ 10 characters, 3 of the 4 classes upper/lower/digit/symbol, not
# like the user name and not a common password; messages in Chinese (yixian_safety/passwords.py).
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "yixian_safety.passwords.UserAttributeSimilarityValidator"},
    {
        "NAME": "yixian_safety.passwords.MinimumLengthValidator",
        "OPTIONS": {"min_length": env.int("PASSWORD_MIN_LENGTH", default=10)},
    },
    {
        "NAME": "yixian_safety.passwords.CharacterClassesValidator",
        "OPTIONS": {"min_classes": 3},
    },
    {"NAME": "yixian_safety.passwords.CommonPasswordValidator"},
]

# Second factor (django-otp, TOTP): the roles that must verify a one-time code after the password,
# on every page and session API call. On by default in production (HTTPS=on); off in the embedded
# demo (`make run`) and in the test suite, which turns it on where it tests it. SECURITY.md.
TWO_FACTOR_REQUIRED = env.bool("TWO_FACTOR_REQUIRED", default=env.bool("HTTPS", default=False))
OTP_REQUIRED_ROLES = env.list("OTP_REQUIRED_ROLES", default=["safety_office", "admin"])
OTP_TOTP_ISSUER = env.str("OTP_TOTP_ISSUER", default="黟县安全生产")

# Sessions end after 30 minutes without a request (each request renews the clock).
SESSION_COOKIE_AGE = env.int("SESSION_IDLE_SECONDS", default=30 * 60)
SESSION_SAVE_EVERY_REQUEST = True
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True

# HTTPS hardening, switched on together by HTTPS=on (production behind TLS).
HTTPS = env.bool("HTTPS", default=False)
SECURE_SSL_REDIRECT = HTTPS
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31536000 if HTTPS else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = HTTPS
SECURE_HSTS_PRELOAD = HTTPS
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# BEHIND_PROXY=on: a reverse proxy we run sets X-Forwarded-Proto and appends the client address
# to X-Forwarded-For (PROXY_COUNT such proxies in a row). Off: both headers are ignored, since
# any client can send them.
BEHIND_PROXY = env.bool("BEHIND_PROXY", default=False)
PROXY_COUNT = env.int("PROXY_COUNT", default=1)
if BEHIND_PROXY:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# Permissions-Policy: browser features a page may use. The camera for the photo fields and
# geolocation on our own origin; everything else off.
PERMISSIONS_POLICY = {
    "camera": ["self"],
    "geolocation": ["self"],
    "microphone": [],
    "payment": [],
    "usb": [],
    "serial": [],
    "bluetooth": [],
    "hid": [],
    "midi": [],
    "magnetometer": [],
    "gyroscope": [],
    "accelerometer": [],
    "display-capture": [],
    "fullscreen": [],
    "browsing-topics": [],
}

# Content-Security-Policy (django-csp 4): scripts only from our own origin (static/js and the
# vendored libraries), no inline script or handler anywhere. Inline styles stay allowed
# (Bootstrap's and htmx's style attributes; ECharts and Swagger UI set styles); see SECURITY.md.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:", "blob:"],
        "font-src": ["'self'", "data:"],
        "connect-src": ["'self'"],
        # The installable app (issue 18): the manifest and the service worker (/sw.js) come
        # from our origin (default-src would cover both; named so that nobody widens them).
        "manifest-src": ["'self'"],
        "worker-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    },
}

# Login lockout (django-axes): 5 failures of one user name from one IP → that pair is locked for
# 15 minutes (each further failure restarts the clock); a success resets the count. Attempts are
# kept in the database (works with Redis down); `manage.py axes_reset` unlocks everyone.
AXES_ENABLED = env.bool("AXES_ENABLED", default=True)
AXES_HANDLER = "axes.handlers.database.AxesDatabaseHandler"
AXES_FAILURE_LIMIT = env.int("LOGIN_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = datetime.timedelta(minutes=env.int("LOGIN_LOCKOUT_MINUTES", default=15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_CLIENT_IP_CALLABLE = "yixian_safety.security.client_ip"
AXES_LOCKOUT_CALLABLE = "yixian_safety.security.lockout_response"
AXES_COOLOFF_MESSAGE = _(
    "Too many failed logins: this account is locked for a while on this "
    "computer. Try again later or ask the administrator to unlock it."
)
AXES_VERBOSE = False

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = Path(env.str("STATIC_ROOT", default=str(VAR_DIR / "staticfiles")))
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if not DEBUG
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
WHITENOISE_USE_FINDERS = DEBUG
MEDIA_URL = "media/"
MEDIA_ROOT = Path(env.str("MEDIA_ROOT", default=str(VAR_DIR / "media")))
# Uploads: photos and documents are size-limited (bytes).
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 20 * 1024 * 1024

REDIS_URL = env.str("REDIS_URL", default="")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "TIMEOUT": 60,
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# Rate limits of the public tip-off pages (django-ratelimit) count in the DATABASE cache, not in
# Redis: shared by every app-server process, and still counting when Redis is down (a flood is
# then refused with the 429 page, never a 500). Its table is created by tipoffs' migration 0002.
CACHES["ratelimit"] = {
    "BACKEND": "django.core.cache.backends.db.DatabaseCache",
    "LOCATION": "yixian_ratelimit_cache",
    "TIMEOUT": 24 * 3600,
    "OPTIONS": {"MAX_ENTRIES": 100_000},
}
RATELIMIT_USE_CACHE = "ratelimit"
RATELIMIT_FAIL_OPEN = False  # a failing counter refuses (429) rather than letting a flood in
# Behind a reverse proxy, the client address the rate limits count by (e.g. HTTP_X_REAL_IP).
if env.str("RATELIMIT_IP_META_KEY", default=""):
    RATELIMIT_IP_META_KEY = env.str("RATELIMIT_IP_META_KEY")

# Celery: eager in-process without Redis; a real worker + beat with it.
CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_RESULT_BACKEND = None
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=not REDIS_URL)
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TIMEZONE = TIME_ZONE
CELERY_ENABLE_UTC = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_TIME_LIMIT = 15 * 60
CELERY_TASK_SOFT_TIME_LIMIT = 14 * 60
# Memory bound of a worker process: a big report (WeasyPrint) is followed by a fresh process
# once a child has used 600 MB or run 50 tasks (issue 11).
CELERY_WORKER_MAX_TASKS_PER_CHILD = env.int("CELERY_WORKER_MAX_TASKS_PER_CHILD", default=50)
CELERY_WORKER_MAX_MEMORY_PER_CHILD = env.int(
    "CELERY_WORKER_MAX_MEMORY_PER_CHILD", default=600_000
)  # KiB
CELERY_BROKER_CONNECTION_TIMEOUT = 2
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
# Redis redelivers a task that was not acknowledged within visibility_timeout seconds (acks_late:
# a killed worker's task runs again). Keep it above the longest task; tests lower it.
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": env.int("CELERY_VISIBILITY_TIMEOUT", default=3600),
    "unacked_restore_interval": env.int("CELERY_UNACKED_RESTORE_INTERVAL", default=10),
    "unacked_restore_throttle": env.int("CELERY_UNACKED_RESTORE_THROTTLE", default=10),
}
DJANGO_CELERY_BEAT_TZ_AWARE = True

EMAIL_CONFIG = env.email_url("EMAIL_URL", default="consolemail://")
vars().update(EMAIL_CONFIG)
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="黟县安委办 <noreply@yixian.invalid>")

# Reminder digests: channels besides in-app (email, webhook, sms), and their endpoints.
# webhook: a WeCom (企业微信) or DingTalk (钉钉) group-robot URL, NOTIFY_WEBHOOK_FLAVOR wecom|dingtalk;
# sms: an SMS gateway accepting JSON {"phone", "text"} (NOTIFY_SMS_TOKEN sent as a Bearer token).
NOTIFY_CHANNELS = env.list("NOTIFY_CHANNELS", default=["email"])
# Reminder sources the daily run collects (names: milestone, subplan, hazard, …); empty = all.
REMINDER_SOURCES = env.list("REMINDER_SOURCES", default=[])
# Without Redis and beat (the embedded mode) nothing schedules the daily reminder run: the first
# request of each Asia/Shanghai day runs it once instead (campaigns/notifications/middleware.py).
# Off where a beat runs it (REDIS_URL set); set explicitly to override.
REMINDERS_ON_FIRST_REQUEST = env.bool(
    "REMINDERS_ON_FIRST_REQUEST", default=CELERY_TASK_ALWAYS_EAGER
)
# The figures summary of the dashboard and the statistics (hazards.models.HazardFigure): beat
# rebuilds it every minute where it runs (REDIS_URL set); without beat (the embedded mode) the
# pages rebuild a stale summary on demand before reading it. Set explicitly to override.
HAZARD_FIGURES_ON_DEMAND = env.bool("HAZARD_FIGURES_ON_DEMAND", default=CELERY_TASK_ALWAYS_EAGER)
NOTIFY_WEBHOOK_URL = env.str("NOTIFY_WEBHOOK_URL", default="")
NOTIFY_WEBHOOK_FLAVOR = env.str("NOTIFY_WEBHOOK_FLAVOR", default="wecom")
NOTIFY_SMS_URL = env.str("NOTIFY_SMS_URL", default="")
NOTIFY_SMS_TOKEN = env.str("NOTIFY_SMS_TOKEN", default="")
NOTIFY_HTTP_TIMEOUT = env.float("NOTIFY_HTTP_TIMEOUT", default=10.0)
# Absolute base of links in e-mails and webhooks, e.g. https://safety.yixian.gov.cn
SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000")

# django-filter: the empty choice of a filter reads "All" (全部), not "---------".
FILTERS_EMPTY_CHOICE_LABEL = _("All")

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        # Token first: an unauthenticated API call then answers 401 with WWW-Authenticate.
        "yixian_safety.security.TokenAuthentication",
        "yixian_safety.security.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_THROTTLE_CLASSES": [
        "yixian_safety.security.UserThrottle",
        "yixian_safety.security.AnonThrottle",
    ],
    "DEFAULT_PAGINATION_CLASS": "yixian_safety.api.Pagination",
    "PAGE_SIZE": 50,
    "DEFAULT_FILTER_BACKENDS": [
        "yixian_safety.api.StrictFilterBackend",
        "rest_framework.filters.OrderingFilter",
    ],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_VERSIONING_CLASS": None,
    # DRF's handler, plus the audit row of a detail 404 whose object exists out of scope.
    "EXCEPTION_HANDLER": "campaigns.audit.api.exception_handler",
}
# API throttling (DRF), read per request: per user (token or session), per client IP for
# anonymous calls, and wrong tokens per client IP. "N/second|minute|hour|day"; empty = off.
API_THROTTLE_RATES = {
    "user": env.str("API_RATE_USER", default="600/minute") or None,
    "anon": env.str("API_RATE_ANON", default="60/minute") or None,
    "token_failure": env.str("API_RATE_TOKEN_FAILURE", default="10/minute") or None,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Yixian Safety API",
    "DESCRIPTION": "黟县安全生产治本攻坚三年行动（2024—2026）平台接口。Session or token auth.",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    # Swagger UI assets come from the drf-spectacular-sidecar package: no CDN.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "ENUM_NAME_OVERRIDES": {
        "InspectionMethodEnum": "enforcement.inspections.models.Method",
        "RewardPaymentMethodEnum": "tipoffs.models.Reward.Method",
        "FrequencyEnum": "yixian_safety.periods.Frequency",
        "SubPlanStatusEnum": "campaigns.models.SubPlan.Status",
        "ProgressStatusEnum": "campaigns.models.ProgressReport.Status",
        "ObligationPeriodStatusEnum": ["met", "pending", "missed"],
        # several apps have a "status" field: name each choice set
        "HazardStatusEnum": "hazards.models.Status",
        "ListingStatusEnum": "enforcement.models.Listing.Status",
        "ExtensionStatusEnum": "enforcement.models.ExtensionRequest.Status",
        "EscalationStatusEnum": "enforcement.models.EscalationStep.Status",
        "TipOffStatusEnum": "tipoffs.models.Status",
        "TipOffOutcomeEnum": "tipoffs.models.Outcome",
        "TipOffDismissOutcomeEnum": ["duplicate", "out_of_scope"],
        "ReportStatusEnum": "campaigns.reports.models.Report.Status",
        "ReportKindEnum": "campaigns.reports.models.Report.Kind",
        "ReportScopeKindEnum": "campaigns.reports.models.Report.ScopeKind",
        # and a "level": hazard level (重大/一般) and reminder escalation level
        "HazardLevelEnum": "hazards.models.Level",
        "ReminderLevelEnum": "campaigns.models.ReminderItem.Level",
        # enforcement: inspection status and the kind of an enforcement action
        "InspectionStatusEnum": "enforcement.models.Inspection.Status",
        "EnforcementActionKindEnum": "enforcement.models.ActionKind",
        # and a "source": how a hazard was found, how a reminder run was started
        "HazardSourceEnum": "hazards.models.Source",
        "ReminderRunSourceEnum": "campaigns.notifications.models.ReminderRun.Source",
    },
    "SERVE_PERMISSIONS": ["rest_framework.permissions.IsAuthenticated"],
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    # WeasyPrint logs every layout step at INFO; only its warnings matter.
    # django-axes logs every successful login's reset at INFO; lockouts are warnings.
    "loggers": {
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
        "axes": {"level": "WARNING"},
    },
}

SILENCED_SYSTEM_CHECKS: list[str] = [
    # django-ratelimit warns that the database cache increments with get + set (not atomic):
    # concurrent requests of one client in the same instant may each pass once more. Accepted for
    # the tip-off flood guard, which must keep counting without Redis (CACHES["ratelimit"]).
    "django_ratelimit.E003",
    "django_ratelimit.W001",
]
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    # "unique … nulls distinct" constraints (one sub-plan / report per unit) are enforced by
    # PostgreSQL in production; on the embedded SQLite the services' own checks do it.
    SILENCED_SYSTEM_CHECKS.append("models.W047")

# Supervision (enforcement app): an extension (延期) must be filed at least this many Chinese
# working days before the current deadline.
EXTENSION_MIN_WORKING_DAYS = env.int("EXTENSION_MIN_WORKING_DAYS", default=15)

# Tip-off reporter identities (tipoffs app, 保密制度) are encrypted at rest with Fernet
# (django-fernet-encrypted-fields). The library derives each Fernet key with PBKDF2 from
# SECRET_KEY (and every SECRET_KEY_FALLBACKS entry) salted with each FIELD_ENCRYPTION_KEY entry
# (its SALT_KEY setting) and decrypts with any of them (MultiFernet); it encrypts with the first.
# FIELD_ENCRYPTION_KEY: comma-separated, newest first. Rotation: put a new random value first
# (or a new SECRET_KEY, the old one in SECRET_KEY_FALLBACKS), run `manage.py tipoffs_reencrypt`,
# then drop the old value. Without it: a fixed development value under DEBUG or the tests, a
# per-checkout random one in var/ for the embedded app; refused in production (HTTPS=on).
FIELD_ENCRYPTION_KEY = env.list("FIELD_ENCRYPTION_KEY", default=[])
if not FIELD_ENCRYPTION_KEY:
    if DEBUG or "pytest" in sys.modules:
        FIELD_ENCRYPTION_KEY = ["yixian-development-only-field-key"]
    elif HTTPS:
        from django.core.exceptions import ImproperlyConfigured

        raise ImproperlyConfigured("Set FIELD_ENCRYPTION_KEY (tip-off identities are encrypted).")
    else:
        _key_file = VAR_DIR / "field_encryption_key"
        if not _key_file.exists():
            _key_file.write_text(secrets.token_urlsafe(32))
            _key_file.chmod(0o600)
        FIELD_ENCRYPTION_KEY = [_key_file.read_text().strip()]
SALT_KEY = FIELD_ENCRYPTION_KEY

# The audit trail (campaigns/audit): role and permission changes are recorded by signal hooks;
# `restore` turns them off while it reloads a backup (whose audit rows are in the dump).
AUDIT_CHANGE_HOOKS = True

"""Settings for the campaign workflow manager.

Everything that differs between a laptop and a deployment comes from the
environment (see .env.example). With no environment at all the project runs on
an SQLite file and kombu's filesystem broker under ./var, which is what
`make run` uses.
"""

from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from campaign.env import env_bool, env_choice, env_date, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(env_str("CAMPAIGN_VAR_DIR", str(BASE_DIR / "var")))
# Runtime state (SQLite file, beat schedule, embedded broker queue) lives here.
VAR_DIR.mkdir(parents=True, exist_ok=True)

# "development" is the embedded default; "production" turns on every
# deployment safeguard so that `manage.py check --deploy` is clean.
CAMPAIGN_ENV = env_choice("CAMPAIGN_ENV", "development", ("development", "production"))
PRODUCTION = CAMPAIGN_ENV == "production"

DEBUG = env_bool("DEBUG", not PRODUCTION)
_DEV_SECRET = "dev-only-secret-key-not-for-deployment-3f9c1a7e5b2d4c6e8a0b"
SECRET_KEY = env_str("SECRET_KEY", "" if PRODUCTION else _DEV_SECRET)
if not SECRET_KEY:
    raise ImproperlyConfigured("SECRET_KEY must be set when CAMPAIGN_ENV=production")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", [] if PRODUCTION else ["127.0.0.1", "localhost", "testserver"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

# Our own apps, in dependency order; API routes and demo data are collected from them.
PROJECT_APPS = ["campaign", "units", "stages", "materials", "rectification", "supervision"]
INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "rest_framework",
    "rest_framework.authtoken",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "guardian",
    "simple_history",
    "treebeard",
    "axes",
    *PROJECT_APPS,
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "campaign.middleware.DefaultLanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "csp.middleware.CSPMiddleware",
    # Last: it turns a locked-out login into the lockout response.
    "axes.middleware.AxesMiddleware",
]

if PRODUCTION:
    # Static files from gunicorn after collectstatic; runserver serves them in development.
    MIDDLEWARE.insert(1, "whitenoise.middleware.WhiteNoiseMiddleware")

ROOT_URLCONF = "campaign.urls"
WSGI_APPLICATION = "campaign.wsgi.application"

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
            ],
        },
    },
]

# --- Database -------------------------------------------------------------
DATABASE_URL = env_str("DATABASE_URL", f"sqlite:///{VAR_DIR / 'db.sqlite3'}")
DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=env_int("DB_CONN_MAX_AGE", 0))}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # The web server and the Celery worker share one file: WAL lets readers
    # run beside a writer, IMMEDIATE transactions take the write lock up front
    # instead of failing half-way with "database is locked".
    DATABASES["default"]["OPTIONS"] = {
        "timeout": 30,
        "transaction_mode": "IMMEDIATE",
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
    # A file, not shared-cache memory: the Celery worker tests read and write it
    # from another thread, which shared cache would lock at table level.
    DATABASES["default"]["TEST"] = {"NAME": str(VAR_DIR / "test-db.sqlite3")}
elif DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Auth and object permissions ------------------------------------------
AUTHENTICATION_BACKENDS = [
    # First: refuses the attempt outright while a username+IP pair is locked out.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
    "guardian.backends.ObjectPermissionBackend",
]
# No implicit "AnonymousUser" row: the public never gets object permissions.
ANONYMOUS_USER_NAME = None
GUARDIAN_RENDER_403 = False
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Password guessing: 5 failures for one username from one address lock that pair
# out for an hour; a successful login resets the count.
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = env_int("AXES_COOLOFF_HOURS", 1)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_IPWARE_PROXY_COUNT = env_int("AXES_PROXY_COUNT", 1 if PRODUCTION else 0)

# --- Language and time -----------------------------------------------------
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
# Run the campaign "as of" a fixed day (demos of the 2014 campaign); unset = the real date.
CAMPAIGN_CLOCK_DATE = env_date("CAMPAIGN_CLOCK_DATE")
USE_I18N = True
USE_TZ = True

# --- Files -----------------------------------------------------------------
STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(env_str("STATIC_ROOT", str(BASE_DIR / "staticfiles")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if PRODUCTION
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
# Uploaded and generated files live outside the web root and are only handed
# out by views that check access; there is deliberately no MEDIA_URL.
PRIVATE_MEDIA_ROOT = Path(env_str("PRIVATE_MEDIA_ROOT", str(VAR_DIR / "private")))
MAX_UPLOAD_BYTES = env_int("MAX_UPLOAD_BYTES", 20 * 1024 * 1024)
# Files a background job wrote (exports, reports) are kept this many days, then deleted.
JOB_FILE_RETENTION_DAYS = env_int("JOB_FILE_RETENTION_DAYS", 7)
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

# --- Celery ----------------------------------------------------------------
CELERY_QUEUE_DIR = VAR_DIR / "celery"
CELERY_BROKER_URL = env_str("CELERY_BROKER_URL", "filesystem://")
if CELERY_BROKER_URL.startswith("filesystem://"):
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(CELERY_QUEUE_DIR / "queue"),
        "data_folder_out": str(CELERY_QUEUE_DIR / "queue"),
        "control_folder": str(CELERY_QUEUE_DIR / "control"),
        "processed_folder": str(CELERY_QUEUE_DIR / "processed"),
        "store_processed": False,
    }
    # The transport expects its folders; producers (web) and the worker both need them.
    for _folder in ("queue", "control", "processed"):
        (CELERY_QUEUE_DIR / _folder).mkdir(parents=True, exist_ok=True)
else:
    # Tasks are short; a visibility timeout longer than any of them keeps Redis
    # from redelivering a task that is still running.
    CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 3600}
CELERY_TASK_ALWAYS_EAGER = env_bool("CELERY_TASK_ALWAYS_EAGER", False)
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_IGNORE_RESULT = True
CELERY_TIMEZONE = TIME_ZONE
CELERY_ENABLE_UTC = True
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BEAT_SCHEDULE_FILENAME = str(VAR_DIR / "celerybeat-schedule")
# A few periodic sweeps read the deadline columns; no task is scheduled per deadline.
REMINDER_SWEEP_SECONDS = env_int("REMINDER_SWEEP_SECONDS", 300)
# 进度看板: the figures of a subtree are cached this long (0 turns the cache off); beat recomputes
# the campaign's top units a little more often, so their dashboards never open cold.
DASHBOARD_CACHE_SECONDS = env_int("DASHBOARD_CACHE_SECONDS", 300)
# Rows claimed by a sweep and still unsent after this long are taken over by the next sweep.
REMINDER_STALE_CLAIM_SECONDS = env_int("REMINDER_STALE_CLAIM_SECONDS", 600)
# A sweep writes the digests of this many people per transaction (notices and rows marked sent).
REMINDER_DIGEST_BATCH = env_int("REMINDER_DIGEST_BATCH", 500)
# The 整改台账 drill-down sums per-unit tallies; units edited since the last refresh are counted
# live until then, so this bounds how much live counting a busy day leaves, not correctness.
TALLY_REFRESH_SECONDS = env_int("TALLY_REFRESH_SECONDS", 120)
CELERY_BEAT_SCHEDULE = {
    "reminder-sweep": {"task": "supervision.tasks.sweep_reminders_task", "schedule": REMINDER_SWEEP_SECONDS},
    "dashboard-warm": {
        "task": "campaign.tasks.dashboard_warm_task",
        "schedule": max(DASHBOARD_CACHE_SECONDS * 4 // 5, 60),
    },
    "job-files-expiry": {"task": "campaign.tasks.expire_job_files_task", "schedule": 3600},
    "item-tallies": {"task": "rectification.tasks.tally_refresh_task", "schedule": TALLY_REFRESH_SECONDS},
}
# Manual 催办: at most once per object in this many hours.
URGE_INTERVAL_HOURS = env_int("URGE_INTERVAL_HOURS", 24)

# --- E-mail ----------------------------------------------------------------
EMAIL_BACKEND = env_str("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "活动办 <noreply@localhost>")

# --- API -------------------------------------------------------------------
REST_FRAMEWORK = {
    # Token first: an unauthenticated call gets 401 with a WWW-Authenticate header.
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_PAGINATION_CLASS": "campaign.rest.Pagination",
    "PAGE_SIZE": 50,
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "campaign.rest.exception_handler",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "教育实践活动工作平台 API",
    "DESCRIPTION": "党的群众路线教育实践活动（第二批）各级活动办、督导组与参学单位使用的接口。",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "ENUM_NAME_OVERRIDES": {
        "UnitKindEnum": "units.choices.UnitKind",
        "OrgKindEnum": "units.choices.OrgKind",
        "PostRoleEnum": "units.choices.PostRole",
        "OrgRoleEnum": "units.choices.OrgRole",
        "JobKindEnum": "campaign.choices.JobKind",
        "JobStatusEnum": "campaign.choices.JobStatus",
        "GradeEnum": "supervision.choices.EvaluationGrade",
        "LevelEnum": "units.choices.Level",
        "MaterialKindEnum": "materials.choices.MaterialKind",
        "StepKindEnum": "materials.choices.StepKind",
        "HalfDayEnum": "materials.meeting_choices.HalfDay",
        "TalkStatusEnum": "materials.meeting_choices.TalkStatus",
        "CriticismListStatusEnum": "materials.meeting_choices.CriticismListStatus",
        "MeetingStatusEnum": "materials.meeting_choices.MeetingStatus",
        "BriefingStatusEnum": "materials.meeting_choices.BriefingStatus",
        "ReportStatusEnum": "materials.meeting_choices.ReportStatus",
        "StageDecisionEnum": "materials.meeting_choices.StageDecision",
    },
}

# --- Security --------------------------------------------------------------
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
if PRODUCTION:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    # Behind the reverse proxy of docker-compose / the office's gateway.
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    # /healthz is probed over plain HTTP from inside the deployment.
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]

# Content-Security-Policy: scripts and everything else only from our own origin (no CDN, no
# inline script); inline style attributes are allowed for progress bars and chart sizing.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'", "data:"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}

# Public pages (opinions, receipts, surveys) are rate-limited through the cache: set CACHE_URL
# (Redis) in production so the limits hold across web workers. Behind the office's proxy, trust
# its X-Forwarded-For so each citizen has his own allowance.
STAGES_TRUST_X_FORWARDED_FOR = env_bool("TRUST_X_FORWARDED_FOR", PRODUCTION)

CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
if env_str("CACHE_URL", ""):
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": env_str("CACHE_URL", ""),
        }
    }

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "INFO"}, "axes": {"level": "WARNING"}},
}

# Titles shown in the site header and the admin.
SITE_TITLE = _("党的群众路线教育实践活动工作平台")

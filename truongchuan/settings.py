"""The one settings module. Everything that differs between a laptop and production comes
from the environment; the defaults give a working demo on an embedded SQLite database."""

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF, UNSAFE_INLINE

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool) -> bool:
    return os.environ.get(name, str(default)).lower() in ("1", "true", "yes", "on")


def env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG", True)
# The "django-insecure-" prefix makes `check --deploy` flag a production server that forgot
# to set SECRET_KEY (security.W009) instead of silently running on this public key.
SECRET_KEY = os.environ.get(
    "SECRET_KEY", "django-insecure-dev-only-key-change-me-in-production-0123456789"
)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost,testserver")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", "")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "simple_history",
    # Before django_tasks_db: core's `db_worker` (heartbeat, retries, clean SIGTERM) takes the
    # place of the library's command of the same name.
    "core",
    "django_tasks",
    "django_tasks_db",
    "units",
    "schools",
    "frameworks",
    "accounts",
    "recognition",
    "programme",
    "assessments",
    "evidence",
    "evaluation",
    "documents",
    "improvement",
    "dashboard",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "api",
    "publication",
    "notifications",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Static files straight from gunicorn, compressed and cached forever (hashed names).
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "core.middleware.VietnameseFirstLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # The audit trail (core.audit) records the request's user on every write.
    "simple_history.middleware.HistoryRequestMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # An account made by someone else changes its password before anything else.
    "accounts.first_login.FirstLoginMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
]

ROOT_URLCONF = "truongchuan.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

WSGI_APPLICATION = "truongchuan.wsgi.application"

# DATABASE_URL picks the engine: unset = embedded SQLite (demo, laptop);
# postgres://postgres@127.0.0.1:5432/truongchuan in production and in the PostgreSQL test run.
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
        conn_max_age=int(os.environ.get("DB_CONN_MAX_AGE", "60")),
    )
}
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    # WAL lets the task worker and the web server share the file without "database is locked".
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
    }
    DATABASES["default"]["CONN_MAX_AGE"] = 0

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", "Tiếng Việt"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "build" / "static"
# Front-end libraries come from npm (package-lock.json) at set-up time, never from a CDN:
# the app must work on an offline school network.
NODE_MODULES = BASE_DIR / "node_modules"
STATICFILES_DIRS = [
    BASE_DIR / "static",
    ("vendor/bootstrap", NODE_MODULES / "bootstrap" / "dist"),
    ("vendor/bootstrap-icons", NODE_MODULES / "bootstrap-icons" / "font"),
    ("vendor/chart.js", NODE_MODULES / "chart.js" / "dist"),
]

MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "media"))
MEDIA_URL = "/media/"  # never served directly: files go through scoped views

STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
if os.environ.get("S3_BUCKET"):
    # S3-compatible evidence storage in production (MinIO, Viettel/VNPT object storage, AWS).
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": os.environ["S3_BUCKET"],
            "endpoint_url": os.environ.get("S3_ENDPOINT_URL") or None,
            "access_key": os.environ.get("S3_ACCESS_KEY"),
            "secret_key": os.environ.get("S3_SECRET_KEY"),
            "default_acl": "private",
            "querystring_auth": True,
        },
    }

TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

LOGIN_URL = "accounts:login"
# A refused form (expired or missing CSRF token) gets a Vietnamese page in the app's layout.
CSRF_FAILURE_VIEW = "core.views.csrf_failure"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "accounts:login"

# Uploads: the import size limit is ours (clear Vietnamese message), Django's only guards memory.
IMPORT_MAX_BYTES = int(os.environ.get("IMPORT_MAX_BYTES", str(10 * 1024 * 1024)))
# Evidence uploads: our own limit (clear Vietnamese message), type checked by content.
EVIDENCE_MAX_BYTES = int(os.environ.get("EVIDENCE_MAX_BYTES", str(20 * 1024 * 1024)))
# Who records recognition decisions. Since 1/7/2025 the routing of former district tasks is
# UNCERTAIN (regulation.md §3), so both province and commune officers may by default.
RECOGNITION_RECORDERS = env_list("RECOGNITION_RECORDERS", "province_officer,commune_officer")
# Who signs a national-standard recognition decision (regulation.md §2): "director" (Giám đốc
# Sở, since TT22/2024) or "chairman" (Chủ tịch UBND tỉnh, where a province still issues it so).
RECOGNITION_DECISION_SIGNER = os.environ.get("RECOGNITION_DECISION_SIGNER", "director")
# Which level of the administrative tree manages each school kind (accounts.permissions): the
# unit at that level or above accepts, returns and reopens a school's self-assessment. Since
# 1/7/2025 communes manage MN/TH/THCS and the Sở manages THPT; provinces may differ, so e.g.
# MANAGING_LEVEL_BY_KIND="TH&THCS=province,GDTX=province" overrides single kinds.
MANAGING_LEVEL_DEFAULTS = {
    "MN": "commune",
    "TH": "commune",
    "THCS": "commune",
    "TH&THCS": "commune",
    "THPT": "province",
    "THCS&THPT": "province",
    "TH&THCS&THPT": "province",
    "GDTX": "province",
}
MANAGING_LEVEL_BY_KIND = {
    **MANAGING_LEVEL_DEFAULTS,
    **dict(
        item.split("=", 1)
        for item in env_list("MANAGING_LEVEL_BY_KIND", "")
        if item.count("=") == 1
    ),
}
RECOGNITION_SCAN_MAX_BYTES = int(
    os.environ.get("RECOGNITION_SCAN_MAX_BYTES", str(10 * 1024 * 1024))
)
DATA_UPLOAD_MAX_MEMORY_SIZE = 20 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", not DEBUG)
CSRF_COOKIE_SECURE = env_bool("CSRF_COOKIE_SECURE", not DEBUG)
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", not DEBUG)
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "0" if DEBUG else "31536000"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = not DEBUG
SECURE_HSTS_PRELOAD = not DEBUG
# Only behind a reverse proxy that terminates TLS and sets X-Forwarded-Proto itself (nginx,
# Caddy…): otherwise any client could claim HTTPS with that header. Without it, a proxied
# deployment with SECURE_SSL_REDIRECT loops on redirects.
BEHIND_PROXY = env_bool("BEHIND_PROXY", False)
if BEHIND_PROXY:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# The proxies whose X-Real-IP names the client (core.audit.client_ip): behind nginx every
# request comes from 127.0.0.1, so the login protection would count all people as one address.
TRUSTED_PROXIES = tuple(
    ip.strip() for ip in os.environ.get("TRUSTED_PROXIES", "127.0.0.1,::1").split(",") if ip.strip()
)
SESSION_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}

# ---- Login protection (django-axes) and Content-Security-Policy (django-csp) -----------------
# Kept in one block (issue 13 point 7). Axes counts failed logins per account AND address in
# the database (its AccessAttempt table, so every web process sees the same counts) and, at
# LOGIN_FAILURE_LIMIT failures, refuses that account from that address for LOGIN_COOLOFF_MINUTES;
# the login page says so in Vietnamese (accounts.views.locked_out). Per account+address, so an
# attacker cannot lock a principal out of her own school's computer by guessing from elsewhere,
# and a shared school address does not lock the whole staff.
INSTALLED_APPS += ["axes"]
AUTHENTICATION_BACKENDS = [
    "accounts.backends.LoginLockoutBackend",  # first: refuses a locked account before checking
    "django.contrib.auth.backends.ModelBackend",
]
AXES_ENABLED = env_bool("LOGIN_PROTECTION", True)
AXES_HANDLER = "axes.handlers.database.AxesDatabaseHandler"
AXES_FAILURE_LIMIT = int(os.environ.get("LOGIN_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = timedelta(minutes=int(os.environ.get("LOGIN_COOLOFF_MINUTES", "15")))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
# A refused attempt during the lock does not restart it: the page can say when to come back.
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
# Same address as the audit trail's (core.audit.client_ip), so the two records agree.
AXES_CLIENT_IP_CALLABLE = "core.audit.client_ip"
AXES_LOCKOUT_CALLABLE = "accounts.views.locked_out"
# Logins and logouts are already core.models.AuditEvent rows: no second access log.
AXES_DISABLE_ACCESS_LOG = True
AXES_VERBOSE = False

# Scripts only from our own static files (no inline <script>, no on…= handlers, no eval), so an
# injected tag or attribute cannot run. Styles: <style> elements and stylesheets only from our
# files too, but style="…" attributes are allowed (style-src-attr): they cannot run code, and
# the pages size progress bars and chart boxes from data with them. style-src keeps
# 'unsafe-inline' only as the fallback of browsers without style-src-elem/-attr (pre-2022).
# img-src data: is for Bootstrap's icons embedded in its CSS (select arrows, close buttons).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF, UNSAFE_INLINE],
        "style-src-elem": [SELF],
        "style-src-attr": [UNSAFE_INLINE],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    },
}
MIDDLEWARE += [
    "csp.middleware.CSPMiddleware",
    # Last, as axes asks: it turns a refused login into the lockout page.
    "axes.middleware.AxesMiddleware",
]

# --- Production stack: static files, background worker, scheduler, health, read replica ------
# (issue 13; deploy/ and the README's "Production" section say how the processes run.)

# WhiteNoise serves `collectstatic`'s output (build/static) from the app server: hashed,
# compressed names cached for a year, nothing to configure in the proxy. The hashed names
# need `collectstatic` first, so the manifest is on in production (DEBUG=0) only; the laptop
# and the tests serve the files as they are from STATICFILES_DIRS.
if env_bool("STATIC_MANIFEST", not DEBUG):
    STORAGES["staticfiles"] = {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"}
WHITENOISE_AUTOREFRESH = DEBUG
WHITENOISE_USE_FINDERS = DEBUG

# Background tasks (core.worker): a failed task runs again after RETRY_DELAY × attempt, at
# most MAX_ATTEMPTS times in all; a worker that has not beaten for STALE seconds is dead (its
# running task goes back to the queue; the job pages and /healthz/ say so).
TASK_MAX_ATTEMPTS = int(os.environ.get("TASK_MAX_ATTEMPTS", "3"))
TASK_RETRY_DELAY_SECONDS = float(os.environ.get("TASK_RETRY_DELAY_SECONDS", "30"))
HEARTBEAT_SECONDS = float(os.environ.get("HEARTBEAT_SECONDS", "10"))
WORKER_STALE_SECONDS = int(os.environ.get("WORKER_STALE_SECONDS", "60"))

# Periodic work, run by `manage.py scheduler` (APScheduler; one scheduler per installation).
# Each entry enqueues a task for the workers: (task path, cron fields in TIME_ZONE).
SCHEDULED_TASKS: list[tuple[str, dict[str, str]]] = [
    # Certificates expire on their date without any write: the cached levels follow at night.
    ("recognition.tasks.refresh_recognition_status", {"hour": "0", "minute": "5"}),
    # The dashboards' kept counts follow the writes within a minute (recognition.tally).
    ("recognition.tasks.count_tallies", {"minute": "*"}),
    # Finished task rows older than TASK_RESULTS_KEEP_DAYS are deleted.
    ("core.tasks.prune_task_results", {"hour": "3", "minute": "30"}),
    # Notifications (idempotent: an event is told once per person, whatever the retries).
    ("notifications.tasks.send_expiry_alerts", {"hour": "6", "minute": "0"}),
    ("notifications.tasks.send_monthly_reminders", {"hour": "6", "minute": "10"}),
    ("notifications.tasks.send_improvement_alerts", {"hour": "6", "minute": "20"}),
    ("notifications.delivery.send_daily_digest", {"hour": "6", "minute": "30"}),
]
TASK_RESULTS_KEEP_DAYS = int(os.environ.get("TASK_RESULTS_KEEP_DAYS", "30"))

# Kept pages (core.page_cache): the busiest read-only pages are served again to the same
# session while the database has not changed, for at most this many seconds (0: never kept).
# Each process keeps them in its own memory; the shared counter in the database says when
# they are stale.
PAGE_CACHE_SECONDS = int(os.environ.get("PAGE_CACHE_SECONDS", "120"))
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    "pages": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "pages",
        "OPTIONS": {"MAX_ENTRIES": int(os.environ.get("PAGE_CACHE_ENTRIES", "2000"))},
    },
}

# A load balancer probes /healthz/ over plain HTTP on the private network.
SECURE_REDIRECT_EXEMPT = [r"^healthz/$"]

# Read replica (PostgreSQL streaming replica) for the dashboards: DATABASE_REPLICA_URL adds the
# "replica" alias; core.dbrouter sends the reads of views marked `@reads_from_replica` there,
# everything else (and every write) to the primary.
if os.environ.get("DATABASE_REPLICA_URL"):
    DATABASES["replica"] = dj_database_url.parse(
        os.environ["DATABASE_REPLICA_URL"],
        conn_max_age=int(os.environ.get("DB_CONN_MAX_AGE", "60")),
    )
    # The test run has one database: the replica alias mirrors it.
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
DATABASE_ROUTERS = ["core.dbrouter.ReplicaRouter"]

# --- The open API (api/, issue 15) -----------------------------------------------------------
# Django REST framework under /api/v1/: personal and system-account tokens (api.authentication,
# hashed in api.models.ApiToken) or the browser session (with CSRF); every answer scoped by the
# permission table through the same selectors and services as the pages; each token (or
# session user) throttled on its own key. The schema and its docs page are served by the app
# (drf-spectacular, Swagger UI from drf-spectacular-sidecar's static files: no CDN, no inline
# script, so the CSP above holds for the docs page too).
API_RATE = os.environ.get("API_RATE", "600/minute")
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "api.authentication.ApiTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_THROTTLE_CLASSES": ["api.throttling.PerTokenRateThrottle"],
    "DEFAULT_THROTTLE_RATES": {"api_token": API_RATE},
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_PAGINATION_CLASS": "api.pagination.PageNumberPagination",
    "PAGE_SIZE": 100,
    "DEFAULT_FILTER_BACKENDS": [],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": [
        "rest_framework.parsers.JSONParser",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    "EXCEPTION_HANDLER": "api.errors.exception_handler",
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "API Trường Chuẩn",
    "DESCRIPTION": (
        "API mở của Trường Chuẩn: sổ trường, đơn vị hành chính, bộ tiêu chuẩn, tự đánh giá, "
        "minh chứng, quyết định công nhận, kế hoạch, dự án đầu tư, báo cáo tháng. Xác thực bằng "
        "mã truy cập (tiêu đề `Authorization: Bearer <mã>`) hoặc phiên đăng nhập; phạm vi dữ "
        "liệu như trên giao diện."
    ),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_PERMISSIONS": ["rest_framework.permissions.AllowAny"],
    "SERVE_AUTHENTICATION": [],
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "ENUM_NAME_OVERRIDES": {
        "SchoolKindEnum": "schools.models.SchoolKind",
        "DecisionKindEnum": "recognition.models.DecisionKind",
        "AssessmentStatusEnum": "assessments.models.Status",
        "EvaluationStatusEnum": "evaluation.models.EvaluationStatus",
        "RegistrationStatusEnum": "evaluation.models.RegistrationStatus",
    },
    "SCHEMA_PATH_PREFIX": r"/api/v1",
}
# ---- Mail (notifications) ----------------------------------------------------------------
# SMTP from the environment in production (EMAIL_HOST set); without it, the demo's backend keeps
# every mail in the database and shows it to the administrator (/notifications/outbox/). Mails
# are sent by the background worker only, never inside a request (notifications.delivery).
EMAIL_HOST = os.environ.get("EMAIL_HOST", "")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "587"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", True)
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", False)
EMAIL_TIMEOUT = int(os.environ.get("EMAIL_TIMEOUT", "30"))
EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND") or (
    "django.core.mail.backends.smtp.EmailBackend"
    if EMAIL_HOST
    else "notifications.mail.DatabaseBackend"
)
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Trường Chuẩn <no-reply@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# The address the mails' links start with (the site as people reach it).
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000")
# From this day of the month, a school that has not sent the month's report is reminded.
MONTHLY_DUE_FROM_DAY = int(os.environ.get("MONTHLY_DUE_FROM_DAY", "25"))

"""Settings shared by every environment; each environment module imports from here.

Everything that differs between machines comes from the environment through ``env``.
"""

from pathlib import Path

import environ
from corsheaders.defaults import default_headers as cors_default_headers

BASE_DIR = Path(__file__).resolve().parent.parent.parent

env = environ.Env()

SECRET_KEY = env("DJANGO_SECRET_KEY", default="")
DEBUG = env.bool("DJANGO_DEBUG", default=False)
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=["127.0.0.1", "localhost"])

INSTALLED_APPS = [
    # The admin, with the newsroom desk as its home (dialogues.desk).
    "dialogues.apps.DeskAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "django.contrib.postgres",
    "corsheaders",
    "rest_framework",
    "rest_framework.authtoken",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "simple_history",
    "dialogues",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Before anything that answers, errors included, so every API answer carries its CORS headers.
    "dialogues.security.CorsMiddleware",
    # Outside everything that can answer an error, so each under /api/ leaves as JSON.
    "dialogues.errors.APIErrorsAsJSONMiddleware",
    "dialogues.api.throttling.RateLimitHeadersMiddleware",
    "dialogues.security.ContentSecurityPolicyMiddleware",
    "dialogues.security.RejectNulMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Before the page cache, which then never stores a page for a reader sent elsewhere.
    "dialogues.i18n.LanguageChoiceMiddleware",
    # Before sessions and auth: an anonymous hit needs neither (see dialogues.caching).
    "dialogues.caching.AnonymousPageCacheMiddleware",
    # After the page cache: a hit was stored with its language, which its URL decides.
    "dialogues.i18n.URLLanguageMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "dialogues.errors.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "dialogues.newsroom.NewsroomTimeZoneMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "dialogues.caching.APIConditionalGetMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    # Readers' pages (see dialogues/templating.py for why they are Jinja2).
    {
        "BACKEND": "django.template.backends.jinja2.Jinja2",
        "DIRS": [BASE_DIR / "templates" / "jinja2"],
        "APP_DIRS": False,
        "OPTIONS": {
            "environment": "dialogues.templating.environment",
            "context_processors": ["dialogues.context_processors.site"],
        },
    },
    # The admin, the browsable API, API docs and the plain error pages.
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "dialogues.context_processors.site",
            ],
        },
    },
]

DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    from dialogues.perf.postgres import INDEX_READS_COST, PLAN_ONCE, PreparingCursor

    # Parameters bound by the server, each query prepared from its third run on a connection and
    # planned once for any parameters, index reads costed for memory and SSD (see
    # dialogues/perf/postgres.py). Behind a connection pooler in transaction mode, which can neither keep
    # prepared statements nor pass on connection options, set DATABASE_PREPARE_THRESHOLD= (empty)
    # to turn all three off (and set random_page_cost on the database instead).
    prepare_threshold = env.str("DATABASE_PREPARE_THRESHOLD", default="2")
    database_options = DATABASES["default"].setdefault("OPTIONS", {})
    database_options.update(
        server_side_binding=True,
        cursor_factory=PreparingCursor,
        prepare_threshold=int(prepare_threshold) if prepare_threshold else None,
    )
    if prepare_threshold:
        planner = f"{PLAN_ONCE} {INDEX_READS_COST}"
        database_options["options"] = f"{database_options.get('options', '')} {planner}".strip()
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Read the file through a memory map: SQLite's own page cache is 2 MB per connection, so a
    # query that passes every coverage (an article's text spills onto overflow pages) read the
    # same pages from the OS again on every request: 3.5 ms of system time per claim list at
    # scale 10, 0.45 ms mapped. The OS shares the mapped pages between workers.
    DATABASES["default"].setdefault("OPTIONS", {}).setdefault("init_command", "PRAGMA mmap_size=268435456")
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en"
# The readers' pages in each of these; English at the usual addresses, Chinese under /zh-hans/
# (config/urls.py). The admin and the API stay English.
LANGUAGES = [("en", "English"), ("zh-hans", "简体中文")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "UTC"
USE_I18N = True
# Our own formats first (config/formats/<language>/formats.py), Django's for the rest.
FORMAT_MODULE_PATH = ["config.formats"]
USE_TZ = True
# Where the desk works: the admin shows and takes every date and time in this zone (stored in
# UTC). The first coverage is of a Shanghai expo, written for readers in China.
NEWSROOM_TIME_ZONE = env("DIALOGUE_DESK_NEWSROOM_TIME_ZONE", default="Asia/Shanghai")

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

FIXTURE_DIRS = [BASE_DIR / "fixtures"]
# dumpdata's JSON keeps microseconds, so a backup restores every timestamp exactly.
SERIALIZATION_MODULES = {"json": "dialogues.serialization", "yaml": "dialogues.yaml_serialization"}

LOGIN_URL = "admin:login"

# Security headers on every response, in every environment (production adds HSTS and secure
# cookies). Nothing of ours needs inline script or style; the API docs load theirs as files.
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
CONTENT_SECURITY_POLICY = {
    "default-src": "'self'",
    "script-src": "'self'",
    "style-src": "'self'",
    "img-src": "'self' data:",
    "font-src": "'self'",
    "connect-src": "'self'",
    "object-src": "'none'",
    "base-uri": "'self'",
    "form-action": "'self'",
    "frame-ancestors": "'none'",
}
PERMISSIONS_POLICY = "camera=(), microphone=(), geolocation=(), payment=()"
# Admin login: this many failures per username or per address locks both out for the window.
LOGIN_FAILURE_LIMIT = env.int("DIALOGUE_DESK_LOGIN_FAILURE_LIMIT", default=5)
# Failures from one address, across every account, before that address is refused: high, as
# many people may share one address, and low enough to stop trying one password on every account.
LOGIN_ADDRESS_FAILURE_LIMIT = env.int("DIALOGUE_DESK_LOGIN_ADDRESS_FAILURE_LIMIT", default=50)
LOGIN_FAILURE_WINDOW = 15 * 60
# Requests bodies above 1 MB are refused (a coverage's full text is well under).
DATA_UPLOAD_MAX_MEMORY_SIZE = 1024 * 1024

SITE_NAME = "Dialogue Desk"
# Used for absolute links in feeds, JSON-LD and citations when no request is at hand.
SITE_URL = env("DIALOGUE_DESK_SITE_URL", default="http://127.0.0.1:8000")

REST_FRAMEWORK = {
    "DEFAULT_VERSIONING_CLASS": "rest_framework.versioning.NamespaceVersioning",
    "DEFAULT_VERSION": "v1",
    "ALLOWED_VERSIONS": ["v1"],
    "DEFAULT_AUTHENTICATION_CLASSES": [
        # Token first: its WWW-Authenticate header makes a missing login a 401, not a 403.
        "rest_framework.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["dialogues.api.permissions.ContentPermission"],
    "DEFAULT_FILTER_BACKENDS": [
        "dialogues.api.filters.FilterBackend",
        "dialogues.api.filters.SearchFilter",
        "dialogues.api.ordering.TieBreakingOrderingFilter",
    ],
    "DEFAULT_PAGINATION_CLASS": "dialogues.api.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
    # JSON in, JSON out: one documented body format keeps writes unambiguous.
    "DEFAULT_PARSER_CLASSES": ["dialogues.api.parsers.JSONParser"],
    "DEFAULT_RENDERER_CLASSES": [
        "dialogues.api.renderers.JSONRenderer",
        "rest_framework.renderers.BrowsableAPIRenderer",
    ],
    "DEFAULT_CONTENT_NEGOTIATION_CLASS": "dialogues.api.renderers.ContentNegotiation",
    "DEFAULT_THROTTLE_CLASSES": ["dialogues.api.throttling.AnonRateThrottle"],
    "DEFAULT_THROTTLE_RATES": {"anon": env("DIALOGUE_DESK_ANON_THROTTLE", default="120/minute")},
    "EXCEPTION_HANDLER": "dialogues.api.errors.exception_handler",
    "DEFAULT_SCHEMA_CLASS": "dialogues.api.schema.AutoSchema",
    "TEST_REQUEST_DEFAULT_FORMAT": "json",
    # How many proxies in front of the app append to X-Forwarded-For; none by default, so a
    # client cannot pick its own address for the throttle by sending the header itself.
    "NUM_PROXIES": env.int("DIALOGUE_DESK_TRUSTED_PROXIES", default=0),
}

# CORS for the API only: any origin may read it anonymously (``dialogues.security``), the
# origins listed here may also write to it (with a token: cross-origin cookies are refused).
CORS_URLS_REGEX = r"^/api/"
CORS_ALLOWED_ORIGINS = env.list("DIALOGUE_DESK_CORS_WRITE_ORIGINS", default=[])
CORS_ALLOW_CREDENTIALS = False
CORS_ALLOW_HEADERS = (*cors_default_headers, "if-match", "if-none-match", "if-modified-since")
CORS_EXPOSE_HEADERS = (
    "ETag",
    "Last-Modified",
    "Retry-After",
    "RateLimit-Limit",
    "RateLimit-Remaining",
    "RateLimit-Reset",
    "Content-Disposition",
)

SPECTACULAR_SETTINGS = {
    "TITLE": "Dialogue Desk API",
    "DESCRIPTION": (
        "Speakers, events, dialogues, coverage, quotes, claims and commentary of tech "
        "dialogues. Anonymous clients read published content only.\n\n"
        "Every item has an `id` that never changes; its `slug`, and so its URL, may. "
        "`/api/v1/<resource>/id/<id>/` answers with the item by its id. A URL with a slug the "
        "item had before it was renamed answers 301 to the current one for reads and 308 for "
        "writes (repeat the request at `Location`)."
    ),
    # The schema's semantic version (a generated client's package version): its major part
    # moves with any change that breaks a client. The URL's /v1/ is the API's own version.
    "VERSION": "2.0.0",
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "dialogues.api.schema.semantic_version",
    ],
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "SCHEMA_PATH_PREFIX": r"/api/v1",
    # The readers' pages' language prefix left out (see the class).
    "DEFAULT_GENERATOR_CLASS": "dialogues.api.schema.SchemaGenerator",
    "COMPONENT_SPLIT_REQUEST": True,
    # Several models have a "kind" and a "status": name each choice set after its model.
    "ENUM_NAME_OVERRIDES": {
        "ClaimKindEnum": "dialogues.models.Claim.Kind",
        "QuoteKindEnum": "dialogues.models.Quote.Kind",
        "OrganizationKindEnum": "dialogues.models.Organization.Kind",
        "ClaimStatusEnum": "dialogues.models.Claim.Status",
        "CoverageStatusEnum": "dialogues.models.Coverage.Status",
    },
}

# Redis when REDIS_URL is set, shared by every app server so an edit invalidates all of them;
# local memory otherwise (one process: fine for development, wrong for several app servers).
REDIS_URL = env("REDIS_URL", default="")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "dialogues.caching.ResilientRedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": env("DIALOGUE_DESK_CACHE_PREFIX", default="dd"),
            # A dead Redis must cost milliseconds, not a hung request.
            "OPTIONS": {"socket_connect_timeout": 0.25, "socket_timeout": 0.5},
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# How long a shared cache (ours or a CDN's) may keep an anonymous page; edits invalidate ours at once.
PAGE_CACHE_SECONDS = env.int("DIALOGUE_DESK_PAGE_CACHE_SECONDS", default=300)
# Off only to measure uncached API reads and query times (bench/); readers always want it on.
PAGE_CACHE_ENABLED = env.bool("DIALOGUE_DESK_PAGE_CACHE", default=True)
# Cards and API items cached per object version (dialogues.fragments); off only to measure.
FRAGMENT_CACHE_ENABLED = env.bool("DIALOGUE_DESK_FRAGMENT_CACHE", default=True)

# Webhooks (dialogues.webhooks): "rq" sends deliveries through an RQ queue on REDIS_URL, worked
# by `manage.py webhook_worker`; "thread" sends them from a thread of the process that made the
# change, after it commits, so the embedded default needs no other process and no save waits for
# a receiver; "inline" sends them before the save returns (tests).
WEBHOOKS_QUEUE = env("DIALOGUE_DESK_WEBHOOKS_QUEUE", default="rq" if REDIS_URL else "thread")
# Endpoints must be https:// unless this is on (a receiver on this machine, in development).
WEBHOOKS_ALLOW_HTTP = env.bool("DIALOGUE_DESK_WEBHOOKS_ALLOW_HTTP", default=False)
# Endpoints whose host resolves to a loopback, private or link-local address are refused unless
# this is on (models.webhooks.internal_address): on in development, for a receiver on this machine.
WEBHOOKS_ALLOW_INTERNAL_HOSTS = env.bool("DIALOGUE_DESK_WEBHOOKS_ALLOW_INTERNAL_HOSTS", default=False)

SIMPLE_HISTORY_REVERT_DISABLED = False

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
}

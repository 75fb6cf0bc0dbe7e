"""Django settings, all derived from the one `observatoire.settings.Settings` object."""

from __future__ import annotations

import datetime
from pathlib import Path

from csp.constants import NONCE, NONE, SELF, UNSAFE_INLINE

from observatoire.settings import active

CONFIG = active()
BASE_DIR = Path(__file__).resolve().parent.parent

SECRET_KEY = CONFIG.django_secret_key()
DEBUG = CONFIG.debug and not CONFIG.production
ALLOWED_HOSTS = list(CONFIG.allowed_hosts)

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "widget_tweaks",
    "axes",
    "csp",
    # Swagger UI of /api/v1/docs from the local static files (no CDN, no inline script).
    "ninja",
    "dsfr",
    "observatoire.portal",
    "observatoire.accounts",
    "observatoire.plans",
    "observatoire.exchange",
    "observatoire.contributions",
    "observatoire.publications",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "observatoire.accounts.middleware.TokenAuthMiddleware",
    "observatoire.accounts.audit.AuditMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    # Last, as django-axes requires: turns a locked-out sign-in into the French page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "observatoire.web.urls"
WSGI_APPLICATION = "observatoire.web.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "dsfr.context_processors.site_config",
            ],
            # The one place pages agree words: `nombre`, `accord`, `de` (web/words.py).
            "builtins": ["observatoire.web.words"],
        },
    }
]

DATABASES = {"default": CONFIG.database()}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

LANGUAGE_CODE = "fr"
TIME_ZONE = "Europe/Paris"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
# Assets shared by the apps (the one MapLibre map), none of which owns them.
STATICFILES_DIRS = [Path(__file__).resolve().parent / "static"]
# Embedded mode serves the packaged assets directly; production collects them first
# (`observatoire manage collectstatic`).
if CONFIG.production:
    STATIC_ROOT = CONFIG.data_dir / "static"
WHITENOISE_USE_FINDERS = not CONFIG.production
WHITENOISE_AUTOREFRESH = DEBUG

for _name, _value in CONFIG.email().items():
    globals()[_name] = _value
DEFAULT_FROM_EMAIL = CONFIG.email_from
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "portal:home"

# ------------------------------------------------------------------ accounts and security
AUTHENTICATION_BACKENDS = [
    # django-axes first: a locked-out address is refused before its password is checked.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
PASSWORD_RESET_TIMEOUT = 3 * 24 * 3600
# Counters of the password-reset throttle (accounts.views_password), shared by the
# gunicorn workers of one data dir.
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
        "LOCATION": str(CONFIG.cache_dir),
    }
}
# Sign-in throttling: 5 failures for one address from one client lock them out for an
# hour (the pair, so nobody can lock a colleague out from elsewhere).
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = datetime.timedelta(hours=1)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "observatoire.accounts.views.locked_out"
AXES_USERNAME_CALLABLE = "observatoire.accounts.views.attempted_username"
AXES_CLIENT_IP_CALLABLE = "observatoire.accounts.audit.client_ip"
AXES_VERBOSE = False
# Sessions end after 8 hours of inactivity or when the browser closes.
SESSION_COOKIE_AGE = 8 * 3600
SESSION_SAVE_EVERY_REQUEST = True
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
# Content Security Policy: every script is a local file (DSFR, MapLibre, Vega, the
# portal's own), no inline script; MapLibre runs its workers from blob: URLs; Vega
# interprets its expressions (no eval). vega-embed injects its small stylesheet, hence
# inline styles (never inline scripts).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF, UNSAFE_INLINE],
        "img-src": [SELF, "data:", "blob:"],
        "font-src": [SELF, "data:"],
        "connect-src": [SELF],
        "worker-src": [SELF, "blob:"],
        "child-src": [SELF, "blob:"],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}

DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024

SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
if CONFIG.production:
    SECURE_SSL_REDIRECT = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = 31536000
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
}

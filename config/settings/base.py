"""Settings shared by every environment. Environment is read through ``config.env`` only."""

from __future__ import annotations

from pathlib import Path

import dj_database_url
import django.conf.locale
from django.conf import global_settings

from config import languages
from config.env import env

BASE_DIR = Path(__file__).resolve().parent.parent.parent

SECRET_KEY = env.str("SECRET_KEY", "insecure-dev-key-only-for-local-use-never-in-production")
DEBUG = env.bool("DEBUG", False)
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", ["127.0.0.1", "localhost"])

INSTALLED_APPS = [
    # Project apps first so their templates and translations win.
    "core",
    "accounts",
    "messaging",
    "appointments",
    "frontdesk",
    "cms",
    "wagtail_localize",
    "wagtail_localize.locales",
    "django.contrib.sitemaps",
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.settings",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "django_filters",
    "django_q",
    "csp",
    "axes",
    "django_otp",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.middleware.gzip.GZipMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "core.middleware.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.http.ConditionalGetMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "core.middleware.StaffIdleMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "accounts.middleware.SecondFactorMiddleware",
    "accounts.middleware.StaffLanguageMiddleware",
    "cms.middleware.AdminScopeMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
    # Last, as django-axes asks: it turns a lockout into the page that says so.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"
ASGI_APPLICATION = "config.asgi.application"

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
                "core.context_processors.languages",
            ],
        },
    },
]

# --- Database: SQLite in the project folder unless DATABASE_URL says otherwise.
DATABASE_URL = env.str("DATABASE_URL", "")
if DATABASE_URL:
    DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=60)}
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": BASE_DIR / "db.sqlite3",
            # Writers wait for each other instead of failing with "database is locked";
            # IMMEDIATE takes the write lock when a transaction begins, which is what
            # makes select-then-insert booking safe on SQLite.
            "OPTIONS": {"timeout": 20, "transaction_mode": "IMMEDIATE"},
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache and task broker: local memory and the ORM broker unless REDIS_URL is set.
REDIS_URL = env.str("REDIS_URL", "")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

Q_CLUSTER = {
    "name": "sportello",
    "workers": env.int("Q_WORKERS", 2),
    "timeout": 60,
    "retry": 120,
    "max_attempts": 5,
    "catch_up": False,
    "label": "Tasks",
    **({"redis": REDIS_URL} if REDIS_URL else {"orm": "default"}),
}

# --- Passwords and sessions
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "/admin/login/"
# django-axes first: it refuses a locked-out login before any password is checked.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# Staff sessions end after STAFF_IDLE_MINUTES of nothing (core.middleware) and at the latest
# after STAFF_SESSION_HOURS; the cookie dies with the browser.
SESSION_EXPIRE_AT_BROWSER_CLOSE = True

# --- Failed logins (django-axes; accounts.lockout): 5 wrong passwords for one name from one
# address, or LOGIN_FAILURES_PER_ADDRESS for all names from one address, within 15 minutes,
# lock for the rest of those 15 minutes. A success clears that name's count there.
AXES_FAILURE_LIMIT = env.int("LOGIN_FAILURES_PER_NAME", 5)
AXES_COOLOFF_TIME = 0.25  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"], "ip_address"]
AXES_HANDLER = "accounts.lockout.LockoutHandler"
AXES_RESET_ON_SUCCESS = True
AXES_CLIENT_IP_CALLABLE = "core.ratelimit.client_network_address"
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_HTTP_RESPONSE_CODE = 429
AXES_VERBOSE = False
# The second factor (django-otp; accounts.models): what the authenticator app shows.
OTP_TOTP_ISSUER = "Sportello"

# --- Languages
django.conf.locale.LANG_INFO.update(languages.LANG_INFO_EXTRA)
LANGUAGE_CODE = "it"
LANGUAGES = languages.LANGUAGES
LANGUAGES_BIDI = [*global_settings.LANGUAGES_BIDI, "ps"]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
USE_TZ = True
TIME_ZONE = "Europe/Rome"
LANGUAGE_COOKIE_NAME = "sportello_language"
# Paths outside the language prefixes (the console, webhooks, short links): a 404 there is
# answered as such, never redirected to a page under /it/ (core.middleware).
UNPREFIXED_PATHS = (
    "/admin/",
    "/django-admin/",
    "/staff/",
    "/desk/",
    "/display/",
    "/hooks/",
    "/m/",
    "/b/",
    "/t/",
)

WAGTAIL_I18N_ENABLED = True
# Machine translation in wagtail-localize's editor: configured, and off unless a DeepL key
# is given (tests and the demo never reach the network).
if env.str("DEEPL_AUTH_KEY", ""):
    WAGTAILLOCALIZE_MACHINE_TRANSLATOR = {
        "CLASS": "wagtail_localize.machine_translators.deepl.DeepLTranslator",
        "OPTIONS": {"AUTH_KEY": env.str("DEEPL_AUTH_KEY")},
    }
WAGTAIL_CONTENT_LANGUAGES = LANGUAGES
WAGTAILADMIN_PERMITTED_LANGUAGES = [
    ("it", "Italiano"),
    ("en", "English"),
    ("fr", "Français"),
    ("es", "Español"),
    ("ar", "العربيّة"),
    ("uk", "Українська"),
    ("ro", "Română"),
    ("zh-hans", "简体中文"),
]

# --- Content-Security-Policy: no inline script anywhere on the public site, no plugins,
# nothing framed. The Wagtail and Django admins are left out (their own inline scripts);
# they are for staff, behind a login.
CONTENT_SECURITY_POLICY = {
    "EXCLUDE_URL_PREFIXES": ["/admin/", "/django-admin/"],
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    },
}

# --- Static files
STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = BASE_DIR / "media"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# --- Wagtail
WAGTAIL_SITE_NAME = "Sportello"
WAGTAILADMIN_BASE_URL = env.str("SITE_URL", "http://127.0.0.1:8000")
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
WAGTAILDOCS_EXTENSIONS = ["pdf", "odt", "docx", "txt"]
DATA_UPLOAD_MAX_NUMBER_FIELDS = 10_000

# --- Logging: phone numbers never reach a log in clear (see core.redaction).
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"redact": {"()": "core.redaction.RedactFilter"}},
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "filters": ["redact"],
            "formatter": "plain",
        }
    },
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", "INFO")},
    "loggers": {
        "django.server": {"handlers": ["console"], "level": "INFO", "propagate": False},
        # The twilio client logs each request's query (a phone number) at INFO.
        "twilio": {"level": "WARNING"},
    },
}

LOGGING["loggers"].update(  # Wagtail's background tasks log every page save at INFO.
    {
        name: {"level": "WARNING"}
        for name in ("django_tasks", "wagtail", "modelsearch", "django-q", "axes")
    }
)

# --- Booking rules (see appointments/services). Each can be changed per deployment.
SITE_URL = env.str("SITE_URL", "http://127.0.0.1:8000")
SPORTELLO = {
    # Italy and the countries most residents come from (ISO 3166-1 alpha-2).
    "PHONE_REGIONS": env.list(
        "PHONE_REGIONS",
        "IT,AL,RO,UA,MD,MA,TN,EG,LY,DZ,NG,GH,SN,GM,ML,CI,GN,BF,CM,SD,ER,ET,SO,PK,BD,IN,LK,AF,"
        "IR,IQ,SY,TR,CN,PH,PE,EC,BR,GE,RU,TG,BJ,NE",
    ),
    "DEFAULT_REGION": "IT",
    "MAX_ACTIVE_BOOKINGS_PER_PHONE": env.int("MAX_ACTIVE_BOOKINGS_PER_PHONE", 2),
    "ONE_BOOKING_PER_SERVICE": env.bool("ONE_BOOKING_PER_SERVICE", True),
    "HOLD_MINUTES": 10,
    "CODE_TTL_MINUTES": 10,
    "CODE_MAX_ATTEMPTS": 5,
    "CODE_MAX_SENDS": 3,  # codes sent for one hold or one waiting-list request, resends included
    # One address keeps at most this many live holds (holding is not hoarding).
    "HOLDS_PER_CLIENT": env.int("HOLDS_PER_CLIENT", 3),
    # Past this many codes an hour from one address, each code needs a small proof of work
    # (a second of a phone's time) or, without JavaScript, a short wait (core/proof.py).
    "PROOF": {
        "AFTER_CODES": env.int("PROOF_AFTER_CODES", 5),
        "MAX_NUMBER": 40_000,
        "WAIT_SECONDS": 20,
    },
    # "count/period" per scope (s, m, h, d); RATE_LIMITS="lookup=20/h,code-global=5000/h"
    # overrides some. A scope "name:detail" (code-country:39) refines "name" for one value.
    "RATE_LIMITS": {
        "code-phone": "3/h",  # SMS codes to one number
        "code-client": "60/h",  # SMS codes asked from one address (IPv6: its /64)
        "code-country": "100/h",  # SMS codes to the numbers of one country calling code...
        "code-country:39": "1000/h",  # ...Italy's own numbers are most of them
        "code-global": "2000/h",  # every SMS code, all together: the money ceiling
        "lookup": "10/h",  # finding a booking by phone and code, per address
        "move": "5/h",  # moves of one booking
        "problem-report": "10/h",  # per address
        "on-behalf": "60/h",
        "person-code": "20/h",  # codes one staff member sends to let a person see their data
        "sms-reply": "200/h",  # answers to texts that are not keywords, all numbers together  # bookings one staff member or partner makes for others
        **dict(item.split("=", 1) for item in env.list("RATE_LIMITS", [])),
    },
    # How many reverse proxies (load balancer, TLS terminator) stand before the app: the
    # rate limits then count the address in X-Forwarded-For that the first proxy saw.
    "TRUSTED_PROXIES": env.int("TRUSTED_PROXIES", 0),
    "WAITLIST_OFFER_MINUTES": 120,
    # Days after a visit (or an SMS) when phone numbers, names and reasons are blanked.
    "RETENTION_DAYS": env.int("RETENTION_DAYS", 30),
    # How long the other personal data is kept (each applied by a daily task; the privacy
    # notice says the defaults): the number a walk-in left for a text, after their day;
    # staff's login records; the audit log; problem reports people send.
    "TICKET_CONTACT_DAYS": env.int("TICKET_CONTACT_DAYS", 1),
    "LOGIN_RECORD_DAYS": env.int("LOGIN_RECORD_DAYS", 90),
    "AUDIT_DAYS": env.int("AUDIT_DAYS", 365),
    "PROBLEM_REPORT_DAYS": env.int("PROBLEM_REPORT_DAYS", 180),
    # --- Text messages (messaging/): console in the demo, twilio in production.
    "SMS_BACKEND": env.str("SMS_BACKEND", "messaging.backends.ConsoleBackend"),
    # Keys (Fernet, newest first) that seal a message's secrets until it is final; without
    # them one is derived from SECRET_KEY. A new key: see README, "Settings".
    "MESSAGE_KEYS": env.list("MESSAGE_KEYS", []),
    "MESSAGING": {
        "QUIET_HOURS": (21, 8),  # no texts but phone codes from 21:00 to 08:00, desk's clock
        "GIVE_UP_HOURS": 24,  # a message not taken by the provider within this is a failure
        "BACKOFF_SECONDS": 30,  # first wait after a failed try, doubled each time...
        "BACKOFF_MAX_SECONDS": 600,  # ...up to this: an hour's outage loses nothing
        "AGAIN_AFTER_MINUTES": 30,  # the one retry after "phone off or unreachable"
        "LEASE_SECONDS": 300,  # a worker that dies mid-send frees its messages after this
        "BATCH": 100,  # messages claimed at a time by a sweep
        "THREADS": env.int("SMS_THREADS", 16),  # sends in flight at once in one worker
        "SWEEP_SECONDS": 30,  # no new try starts after this (task timeout 60; a try: 2 x 10 s)
        "REPLIES_PER_DAY": 1,  # answers to one number's texts that are not keywords
    },
    "TWILIO": {
        "ACCOUNT_SID": env.str("TWILIO_ACCOUNT_SID", ""),
        "AUTH_TOKEN": env.str("TWILIO_AUTH_TOKEN", ""),
        "MESSAGING_SERVICE_SID": env.str("TWILIO_MESSAGING_SERVICE_SID", ""),
        "FROM": env.str("TWILIO_FROM", ""),  # a sender number, when there is no service
        # What Twilio calls back and signs: the public address, also behind a proxy.
        "PUBLIC_URL": env.str("TWILIO_PUBLIC_URL", "") or SITE_URL,
        "TIMEOUT": 10,
        "API_BASE": env.str("TWILIO_API_BASE", ""),  # benchmarks: a local fake Twilio
    },
    # Pages not yet translated show their Italian text, or their English one for these
    # languages (whose readers more often read English than Italian); decision 0011.
    "CONTENT_FALLBACK_ENGLISH": env.list(
        "CONTENT_FALLBACK_ENGLISH", ["bn", "pa", "ur", "zh-hans", "uk", "ps", "fa-af"]
    ),
    # Staff who do nothing for this long are logged out (the console warns two minutes
    # before; its background refreshes do not count as doing something).
    "STAFF_IDLE_MINUTES": env.int("STAFF_IDLE_MINUTES", 30),
    # ...and after this long from the login, whatever they do.
    "STAFF_SESSION_HOURS": env.int("STAFF_SESSION_HOURS", 10),
    # Wrong passwords from one address, all names together, before it is locked out too.
    "LOGIN_FAILURES_PER_ADDRESS": env.int("LOGIN_FAILURES_PER_ADDRESS", 30),
    # Keys (Fernet, newest first) that seal the seeds of staff's authenticator apps; without
    # them one is derived from SECRET_KEY. A new key: see README, "Settings".
    "DEVICE_KEYS": env.list("DEVICE_KEYS", []),
    # The key of the keyed hashes (the opt-out list, audit subjects, backup codes, rate
    # limits); SECRET_KEY when unset. Upgrading a site that has none: set it to the current
    # SECRET_KEY, or the opt-out list forgets who opted out (docs/operations.md).
    "HASH_KEY": env.str("HASH_KEY", ""),
    "FRONTDESK": {
        "LATE_MINUTES": 15,  # a booked visitor later than this queues as a walk-in
        "NO_SHOW_AFTER_CALLS": 3,  # calls before a ticket may be marked as a no-show
        "TURN_NEAR_AHEAD": 3,  # a walk-in with a phone gets a text when this few are ahead
    },
    # The number people can text START to, shown when their number has opted out.
    "SMS_REPLY_NUMBER": env.str("SMS_REPLY_NUMBER", ""),
}

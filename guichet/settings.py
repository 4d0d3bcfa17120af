"""Settings of the portal, read from the environment (see README and .env.example).

Production-safe by default: DEBUG is off, secure cookies, HSTS and SSL redirect are on.
Developer conveniences (DEBUG, console e-mail, embedded PostgreSQL) are opt-in.
"""

from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF

from guichet.env import env_bool, env_int, env_list, env_secret, env_str

BASE_DIR = Path(__file__).resolve().parent.parent

DEBUG = env_bool("DEBUG", False)
SECRET_KEY = env_secret(
    "SECRET_KEY",
    required=not DEBUG,
    dev_default="django-insecure-dev-only-0123456789abcdefghijklmnopqrstuvwxyz-guichet",
)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["localhost", "127.0.0.1", "[::1]"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")
SITE_URL = (env_str("SITE_URL") or "http://127.0.0.1:8000").rstrip("/")
ARS_NOM = env_str("ARS_NOM") or "Agence régionale de santé"
# Replies to meeting e-mails and the ICS ORGANIZER: this mailbox, else the referent.
RENDEZVOUS_REPONDRE_A = env_str("RENDEZVOUS_REPONDRE_A") or ""
# Agenda filling: future meetings per e-mail (and per referent and e-mail); bookings per address.
RENDEZVOUS_MAX_PAR_COURRIEL = env_int("RENDEZVOUS_MAX_PAR_COURRIEL", 2)
RENDEZVOUS_MAX_PAR_REFERENT = env_int("RENDEZVOUS_MAX_PAR_REFERENT", 1)
RENDEZVOUS_LIMITE_ADRESSE = env_str("RENDEZVOUS_LIMITE_ADRESSE") or "6/h,20/d"
PORTAIL_NOM = env_str("PORTAIL_NOM") or "Guichet unique installation santé"
# The issuing agency's logo on the demography bulletins: a static file name or /media/… path.
ARS_LOGO = env_str("ARS_LOGO") or ""

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "guichet.serveur_dev",  # runserver with production's backlog, before whitenoise's
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.postgres",
    "django.contrib.sites",
    "django.contrib.sitemaps",
    "widget_tweaks",
    "dsfr",
    "django_filters",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "auditlog",
    "allauth.usersessions",
    "guichet",
    "aides",
    "installation",
    "rendezvous",
    "demographie",
    "espace",
    "opportunites",
]
SITE_ID = 1

# Benchmark mode (`make bench` only): the dataset builder and the baseline view.
BENCH_MODE = env_bool("BENCH_MODE", False)
if BENCH_MODE:
    INSTALLED_APPS.append("benchmarks")

MIDDLEWARE = [
    "guichet.securite.HygieneMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "guichet.versions.VersionsDeLaRequete",
    # Usage counts written after the answer, outside the page cache (guichet.cumuls).
    "guichet.cumuls.CumulsMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Anonymous pages served whole from the cache: a hit skips everything below.
    "guichet.cache_pages.CachePagesMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "guichet.securite.RequeteHostileMiddleware",
    "guichet.securite.MFAObligatoireMiddleware",
    "guichet.securite.AuditMiddleware",
    "espace.sessions.session_courte_pour_les_agents",
]

ROOT_URLCONF = "guichet.urls"
WSGI_APPLICATION = "guichet.wsgi.application"

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
                "guichet.context_processors.site_config",
                "guichet.context_processors.portail",
            ],
            # Replaces Django's ``date`` filter in every template: "1er" on the first of the month.
            "builtins": ["guichet.templatetags.dates"],
        },
    },
]

# Database: DATABASE_URL, or the embedded PostgreSQL of development (pgserver).
_database_url = env_str("DATABASE_URL")
if not _database_url:
    from guichet.embedded_db import embedded_database_url

    _database_url = embedded_database_url()
DATABASES = {
    "default": dj_database_url.parse(
        _database_url, conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 60), conn_health_checks=True
    )
}
# At most this many connections at once per process (0: no bound). `make run` sets it: the
# development server answers each client in a thread of its own (guichet/postgresql/base.py).
DATABASE_CONNEXIONS_MAX = env_int("DATABASE_CONNEXIONS_MAX", 0)
if DATABASE_CONNEXIONS_MAX > 0:
    DATABASES["default"]["ENGINE"] = "guichet.postgresql"
    DATABASES["default"]["CONNEXIONS_MAX"] = DATABASE_CONNEXIONS_MAX
if env_str("DATABASE_PASSWORD"):  # or DATABASE_PASSWORD_FILE: keeps the password out of the URL
    DATABASES["default"]["PASSWORD"] = env_str("DATABASE_PASSWORD")
if env_str("TEST_DATABASE_NAME"):  # lets parallel test runs share one server
    DATABASES["default"]["TEST"] = {"NAME": env_str("TEST_DATABASE_NAME")}
if not DATABASES["default"]["ENGINE"].endswith("postgresql"):
    raise ValueError("Le portail fonctionne uniquement avec PostgreSQL (DATABASE_URL).")
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
FORMS_URLFIELD_ASSUME_HTTPS = True  # Django 6 behaviour: a typed address without scheme is https

# A real cache shared by every worker of every app server (allauth's rate limits count there):
# the database by default (table created by migration guichet 0003), Redis when REDIS_URL is set.
REDIS_URL = env_str("REDIS_URL")
if REDIS_URL:
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
    }
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "guichet_cache",
        }
    }

# What each process keeps in memory (guichet.cache.memoire), the one list of budgets: entries per
# kind, least recently used out first, keyed on content versions (guichet.versions). About
# 110 MB per process at most at national scale (measured sizes per entry in the comments).
MEMOIRE_PROCESSUS = {
    "aides.cartes": 5_000,  # aid cards, ~4 kB: every card of 5,000 aids, ~20 MB
    "aides.resultats": 300,  # filter combinations, the ordered keys of their aids (≤ 40 kB)
    "aides.formulaire": 500,  # filter forms, ~6 kB
    "aides.simulations": 150,  # simulator results, ~77 kB
    "aides.projets": 300,  # a plan's project and simulation (objects), ~20 kB
    "aides.pages": 500,  # aid pages (the aid and its content), ~32 kB
    "aides.listes": 300,  # list pages per query string, ~25 kB
    "installation.parcours": 200,  # (parcours, département) pairs, ~40 kB
    "installation.etapes": 500,  # (step, département, form) triples, ~40 kB
    "installation.plans": 200,  # a parcours' steps and contacts per département (plans), ~30 kB
    "installation.formulaires": 300,  # département forms, ~6 kB
    "installation.departements": 400,  # contacts and events sections per département, ~10 kB
    "fiche_commune": 1_500,  # sections of a commune page, ~10 to 25 kB
    "opportunites.referents": 120,  # referents' names per département (a post's page), ~1 kB
    "demographie.territoires": 120,  # demography pages per territory, year and profession
    "rendezvous.affiches": 512,  # public week of free slots per département and motif
    "rendezvous.prochains": 512,  # first free slots of a département from a day
    "rendezvous.semaines": 256,  # referents' agenda weeks per reader and week, ~20 kB
    "rendezvous.grilles": 256,  # rendered week grids of the public slot list
    "options": 200,  # option lists and settings read on every page (départements, DSFR)
    "espace.tableaux": 200,  # staff dashboards' figures per account, scope and year, ~10 kB
    # Pure functions of their arguments (functools.lru_cache): bounded, never invalidated.
    "formulaires": 300,  # forms with fixed choices per submitted values (html_garde), ~6 kB
    "markdown": 1_024,  # staff Markdown rendered to HTML (guichet.text.markdown_sur), ≤ 10 kB
    "rendezvous.jours": 1_024,  # day labels of the slot grids, ~100 B
    "rendezvous.feries": 512,  # public holidays per subdivision and year, ~2 kB
}
# Whole anonymous pages (guichet.cache_pages): in each process, at most this many (≤ 1 MB each,
# most 20 to 60 kB), keyed on the content version read on every request.
CACHES["pages"] = {
    "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
    "LOCATION": "pages",
    "OPTIONS": {"MAX_ENTRIES": env_int("CACHE_PAGES_ENTREES", 1000)},
}
# Kept pages over 1 MB (the open-data exports of every aid or post, at most 16 MB each): only at
# addresses without a query string, at most this many per process.
CACHES["pages_grandes"] = {
    "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
    "LOCATION": "pages_grandes",
    "OPTIONS": {"MAX_ENTRIES": env_int("CACHE_PAGES_GRANDES_ENTREES", 4)},
}
# allauth's anonymous form pages: their `never_cache` protects their CSRF token, which the page
# cache puts back for each reader (guichet.cache_pages): kept all the same.
CACHE_PAGES_FORMULAIRES = ["account_login", "account_signup", "account_reset_password"]
# Anonymous usage counts (espace's daily counters) are added up in each process and written
# at most this many seconds apart (guichet.cumuls): a page served from the cache writes nothing.
CUMULS_DELAI = env_int("CUMULS_DELAI", 5)

AUTH_USER_MODEL = "guichet.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
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
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "guichet:mon_compte"
LOGIN_REDIRECT_URL_EQUIPE = "espace:tableau_de_bord"  # staff, unless the login has a ?next=

# django-allauth: e-mail only, mandatory verification, rate limits on.
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
# Confirming the e-mail (same browser) logs the user in and resumes where they were going.
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_PREVENT_ENUMERATION = True
ACCOUNT_EMAIL_NOTIFICATIONS = True
ACCOUNT_SESSION_REMEMBER = False
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_EMAIL_SUBJECT_PREFIX = f"[{PORTAIL_NOM}] "
ACCOUNT_DEFAULT_HTTP_PROTOCOL = "http" if DEBUG else "https"
ACCOUNT_RATE_LIMITS = {
    "login": "30/m/ip",
    # The "key" is the (account, address) pair (guichet.securite.AdaptateurCompte), so nobody
    # can lock an account from elsewhere; the pause grows: 5 min, then an hour, then a day.
    "login_failed": "20/m/ip,100/h/ip,5/5m/key,10/h/key,20/d/key",
    "signup": "20/m/ip",
    "reset_password": "20/m/ip,5/m/key",
    "reset_password_from_key": "20/m/ip",
    "confirm_email": "1/3m/key",
    "change_password": "5/m/user",
}
ACCOUNT_LOGIN_ON_PASSWORD_RESET = False  # a reset never opens a session (nor skips MFA)
ACCOUNT_ADAPTER = "guichet.securite.AdaptateurCompte"

# Staff MFA (allauth.mfa): TOTP with recovery codes, enforced by MFAObligatoireMiddleware.
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = PORTAIL_NOM
MFA_RECOVERY_CODE_COUNT = 10
# Wrong codes counted per (account, address), like the password step (guichet.securite).
MFA_FORMS = {
    "authenticate": "guichet.securite.CodeMFA",
    "reauthenticate": "guichet.securite.CodeMFAReauthentification",
}

# Audit trail (django-auditlog): who changed what, when, from which address.
AUDITLOG_INCLUDE_ALL_MODELS = False
AUDITLOG_DISABLE_REMOTE_ADDR = False

TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 0)
ALLAUTH_TRUSTED_PROXY_COUNT = TRUSTED_PROXY_COUNT
# django-ratelimit (guichet.limites): the same client address as allauth, in the shared cache.
RATELIMIT_IP_META_KEY = "guichet.limites.adresse_client"
RATELIMIT_USE_CACHE = "default"

# E-mail: EMAIL_URL (smtp://user:password@host:port, smtp+tls://, smtp+ssl://) or the
# separate EMAIL_HOST... variables; the console backend in development.
EMAIL_URL = env_str("EMAIL_URL")
if EMAIL_URL:
    from urllib.parse import unquote, urlsplit

    _mail = urlsplit(EMAIL_URL)
    if _mail.scheme not in {"smtp", "smtp+tls", "smtp+ssl"}:
        raise ValueError("EMAIL_URL doit commencer par smtp://, smtp+tls:// ou smtp+ssl://.")
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_HOST = _mail.hostname or "localhost"
    EMAIL_PORT = _mail.port or 25
    EMAIL_HOST_USER = unquote(_mail.username or "")
    EMAIL_HOST_PASSWORD = unquote(_mail.password or "")
    EMAIL_USE_TLS = _mail.scheme == "smtp+tls"
    EMAIL_USE_SSL = _mail.scheme == "smtp+ssl"
elif env_str("EMAIL_HOST"):
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_HOST = env_str("EMAIL_HOST")
    EMAIL_PORT = env_int("EMAIL_PORT", 587)
    EMAIL_HOST_USER = env_str("EMAIL_HOST_USER", "")
    EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD", "")
    EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", True)
    EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", False)
else:
    EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
EMAIL_TIMEOUT = 10
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL") or "ne-pas-repondre@localhost"
SERVER_EMAIL = DEFAULT_FROM_EMAIL

LANGUAGE_CODE = "fr-fr"
LANGUAGES = [("fr", "Français")]
TIME_ZONE = "Europe/Paris"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / ".data" / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env_str("MEDIA_ROOT") or BASE_DIR / ".data" / "media")
# Uploaded documents, pending imports and bulletins go through the storage API only: local files
# by default, an S3-compatible bucket (private, signed URLs never handed out: files are served by
# the portal's views) when S3_BUCKET is set, so that no app server keeps anything on its disk.
S3_BUCKET = env_str("S3_BUCKET")
if S3_BUCKET:
    _stockage = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": S3_BUCKET,
            "endpoint_url": env_str("S3_ENDPOINT_URL") or None,
            "region_name": env_str("S3_REGION") or None,
            "access_key": env_str("S3_ACCESS_KEY_ID") or None,
            "secret_key": env_str("S3_SECRET_ACCESS_KEY") or None,
            "location": env_str("S3_PREFIX", ""),
            "default_acl": None,
            "file_overwrite": False,
            "querystring_auth": True,
        },
    }
else:
    _stockage = {"BACKEND": "django.core.files.storage.FileSystemStorage"}
STORAGES = {
    "default": _stockage,
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "guichet.stockage.StatiquesManifeste"
        )
    },
}
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
# Ceiling of a demography CSV import through the admin (the command has none).
IMPORT_DEMOGRAPHIE_TAILLE_MAX = env_int("IMPORT_DEMOGRAPHIE_TAILLE_MAX_MO", 200) * 1024 * 1024
# Uploads larger than this go to a temporary file instead of memory.
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
# Request bodies (Content-Length) refused with 413 above these sizes (guichet.securite): the
# public never uploads a file; the administration takes documents (20 MB) and the demography
# import. The proxy's client_max_body_size must match (README, "Mise en production").
REQUETE_TAILLE_MAX = env_int("REQUETE_TAILLE_MAX_MO", 2) * 1024 * 1024
REQUETE_TAILLE_MAX_GESTION = max(IMPORT_DEMOGRAPHIE_TAILLE_MAX, 20 * 1024 * 1024) + 1024 * 1024

# django-dsfr
DSFR_USE_INTEGRITY_CHECKSUMS = False  # the hashes break under whitenoise's compressed storage
DSFR_CONTENT_IS_SAFE = False  # never mark staff or user text as safe in DSFR components

# Security: on by default, switched off only for local HTTP development.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", not DEBUG)
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SESSION_COOKIE_SECURE = not DEBUG
CSRF_COOKIE_SECURE = not DEBUG
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = 60 * 60 * 12
CSRF_COOKIE_HTTPONLY = True
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", False)
SECURE_HSTS_PRELOAD = False
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
# No page uses a device or a powerful feature (guichet.securite.HygieneMiddleware).
PERMISSIONS_POLICY = (
    "accelerometer=(), autoplay=(), camera=(), display-capture=(), geolocation=(), "
    "gyroscope=(), magnetometer=(), microphone=(), midi=(), payment=(), usb=(), "
    "xr-spatial-tracking=()"
)
X_FRAME_OPTIONS = "DENY"
SILENCED_SYSTEM_CHECKS = [
    # HSTS on subdomains and preloading bind every host of the ARS's domain: a decision for the
    # domain owner (SECURE_HSTS_INCLUDE_SUBDOMAINS), not for this application.
    "security.W005",
    "security.W021",
]

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        # No nonce: every script is a file of the site, so a page holds nothing of its response
        # and anonymous pages are kept whole (guichet.cache_pages).
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [NONE],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    },
}

# Staff space (espace/): questions to the referent, their due date and rate limits.
QUESTION_DELAI_JOURS_OUVRES = env_int("QUESTION_DELAI_JOURS_OUVRES", 5)
QUESTION_LIMITE_ADRESSE = env_str("QUESTION_LIMITE_ADRESSE") or "5/h"
QUESTION_LIMITE_COURRIEL = env_str("QUESTION_LIMITE_COURRIEL") or "3/h"

# Opportunities: days a published post stays online unless renewed.
OPPORTUNITE_DUREE_JOURS = env_int("OPPORTUNITE_DUREE_JOURS", 90)
# Messages relayed to a post's author: per client address and per account.
OPPORTUNITE_CONTACT_LIMITE_ADRESSE = env_str("OPPORTUNITE_CONTACT_LIMITE_ADRESSE") or "10/h"
OPPORTUNITE_CONTACT_LIMITE_COMPTE = env_str("OPPORTUNITE_CONTACT_LIMITE_COMPTE") or "5/h"
# Saved searches: digests prepared and sent per run of envoyer_alertes (the rest waits for the
# next hourly run), and the local hour from which a day's digests go out.
OPPORTUNITE_ALERTES_PAR_PASSAGE = env_int("OPPORTUNITE_ALERTES_PAR_PASSAGE", 1000)
OPPORTUNITE_ALERTES_HEURE = env_int("OPPORTUNITE_ALERTES_HEURE", 7)
# The author is reminded this many days before the end of publication (once, renewal resets it);
# closed posts are deleted this many days after closing; an author with this many posts
# published before publishes the next ones without moderation (0: never).
OPPORTUNITE_RAPPEL_JOURS = env_int("OPPORTUNITE_RAPPEL_JOURS", 7)
OPPORTUNITE_CONSERVATION_JOURS = env_int("OPPORTUNITE_CONSERVATION_JOURS", 365)
OPPORTUNITE_AUTEURS_DE_CONFIANCE = env_int("OPPORTUNITE_AUTEURS_DE_CONFIANCE", 0)
OPPORTUNITE_SIGNALEMENT_LIMITE = env_str("OPPORTUNITE_SIGNALEMENT_LIMITE") or "5/h,20/d"

# Staff sessions end sooner than public ones (seconds, sliding with activity).
SESSION_AGE_AGENTS = env_int("SESSION_AGE_AGENTS", 60 * 60 * 2)
# allauth.usersessions: the account's open sessions (recorded at login), with "log out
# everywhere else"; no per-request activity tracking (one write per page otherwise).
USERSESSIONS_TRACK_ACTIVITY = False

# RGPD retention: the purge (manage.py purger_donnees) and the "Données personnelles" page
# read these same values. To validate with the ARS's data protection officer.
RGPD_CONSERVATION = {
    "questions_mois": env_int("RGPD_QUESTIONS_MOIS", 24),
    "rendezvous_mois": env_int("RGPD_RENDEZVOUS_MOIS", 12),
    "accompagnements_clos_mois": env_int("RGPD_ACCOMPAGNEMENTS_CLOS_MOIS", 36),
    "comptes_inactifs_mois": env_int("RGPD_COMPTES_INACTIFS_MOIS", 24),
    "comptes_preavis_jours": env_int("RGPD_COMPTES_PREAVIS_JOURS", 30),
    "journal_mois": env_int("RGPD_JOURNAL_MOIS", 12),
}
RGPD_CONTACT_DPO = env_str("RGPD_CONTACT_DPO") or "dpo@ars.sante.fr"
# Who receives vulnerability reports (/.well-known/security.txt, RFC 9116): an e-mail address
# or an https:// URL. Unset: no security.txt rather than a made-up address.
SECURITE_CONTACT = env_str("SECURITE_CONTACT") or ""

ADMIN_URL = (env_str("ADMIN_URL") or "gestion/").strip("/") + "/"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL") or "INFO"},
    "loggers": {
        "pgserver": {"level": "WARNING"},
        "weasyprint.progress": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
    },
}

# Shown in the footer; only an RGAA audit may raise it ("non", "partiellement", "totalement").
ACCESSIBILITE_CONFORMITE = env_str("ACCESSIBILITE_CONFORMITE") or "non"
if ACCESSIBILITE_CONFORMITE not in {"non", "partiellement", "totalement"}:
    raise ValueError("ACCESSIBILITE_CONFORMITE vaut non, partiellement ou totalement.")

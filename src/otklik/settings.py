"""Settings, driven by the environment.

DATABASE_URL   database (default: SQLite in $OTKLIK_VAR_DIR/otklik.sqlite3)
OTKLIK_VAR_DIR where local state lives (default: ./var)
SECRET_KEY     generated into $OTKLIK_VAR_DIR/secret_key on first run when unset
DEBUG          "1" for development
ALLOWED_HOSTS  comma-separated
OTKLIK_DOWNLOAD_ATTACHMENTS, OTKLIK_ALLOW_PRIVATE_FETCH, INTAKE_ATTACHMENT_MAX_MB  copies of message photos
OTKLIK_PROXY_COUNT  proxies in front that append to X-Forwarded-For (the sign-in lockout's client address)
OTKLIK_TRUSTED_PROXIES  the proxies' addresses or networks whose X-Forwarded-For is read (default 127.0.0.1,::1)
"""

import fcntl
import os
import secrets
import warnings
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

PACKAGE_DIR = Path(__file__).resolve().parent
VAR_DIR = Path(os.environ.get("OTKLIK_VAR_DIR", Path.cwd() / "var")).resolve()
VAR_DIR.mkdir(parents=True, exist_ok=True)


def _read_key(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8").strip()
    except FileNotFoundError:
        return ""
    except (OSError, UnicodeError) as exc:
        raise ImproperlyConfigured(
            f"{path} не читается ({exc}): дайте пользователю Otklik право читать его или удалите файл — ключ будет "
            "создан заново (все войдут заново)"
        ) from exc


def _secret_key() -> str:
    """SECRET_KEY from the environment, else from var/secret_key. When the file is missing or empty (what an
    earlier version's first start on a full disk left), a new key is written whole under a temporary name
    created with mode 600 and renamed into place: the file is never empty or readable by others, a failed write
    leaves no file, and a process starting at the same time (web and worker) waits on a lock of the var directory
    and reads the same key. A new key only signs everyone out; there was no usable one before it."""
    key = os.environ.get("SECRET_KEY")
    if key:
        return key
    path = VAR_DIR / "secret_key"
    key = _read_key(path)
    if key:
        return key
    lock: int | None = None
    try:
        lock = os.open(VAR_DIR, os.O_RDONLY)
        fcntl.flock(lock, fcntl.LOCK_EX)
    except (
        OSError
    ):  # a filesystem without locks (NFS, some CIFS and FUSE mounts): the file's own link decides
        if lock is not None:
            os.close(lock)
        lock = None
    try:
        key = _read_key(path)  # written by a process that held the lock first
        if key:
            return key
        key = secrets.token_urlsafe(50)
        temporary = path.with_name(f".secret_key.{secrets.token_hex(8)}")
        try:
            with os.fdopen(os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600), "w") as file:
                file.write(key)
                file.flush()
                os.fsync(file.fileno())
            if lock is None:
                # atomic: of two processes without a lock, the first one's key stands
                try:
                    os.link(temporary, path)
                except FileExistsError:
                    theirs = _read_key(path)
                    if theirs:
                        return theirs
                    os.replace(temporary, path)  # an empty file an earlier version left
            else:
                os.replace(temporary, path)
        except OSError as exc:
            raise ImproperlyConfigured(
                f"секретный ключ не записан в {path} ({exc.strerror or exc}): освободите место на диске или дайте "
                "пользователю Otklik право записи в каталог и запустите снова, или задайте SECRET_KEY"
            ) from exc
        finally:
            temporary.unlink(missing_ok=True)
        return key
    finally:
        if lock is not None:
            os.close(lock)  # releases the lock


def _env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


SECRET_KEY = _secret_key()
DEBUG = _env_bool("DEBUG")
ALLOWED_HOSTS = [h.strip() for h in os.environ.get("ALLOWED_HOSTS", "127.0.0.1,localhost").split(",") if h]
CSRF_TRUSTED_ORIGINS = [o.strip() for o in os.environ.get("CSRF_TRUSTED_ORIGINS", "").split(",") if o.strip()]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_htmx",
    "otklik.web.named_apps.AxesConfig",  # django-axes, named in Russian
    "django_tasks",
    "otklik.web.named_apps.TasksDatabaseConfig",  # django_tasks_db, named in Russian
    "otklik.audit",
    "otklik.worktime",
    "otklik.org",
    "otklik.intake",
    "otklik.analysis",
    "otklik.cases",
    "otklik.answers",
    "otklik.web",
    "otklik.reports",
    "otklik.notify",
    "otklik.governor",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # the session renewed by use; after it expired: an in-place request gets a Russian note in place, a form sent
    # keeps what was typed for after the sign-in, a form's POST-only address opened as a page leads to a page
    "otklik.web.signed_out.SignedOutMiddleware",
    # a deadline past the production calendar: a Russian page (503) and an ERROR line, not a server error
    "otklik.web.middleware.CalendarRangeMiddleware",
    "otklik.audit.middleware.AuditActorMiddleware",
    # Axes last: it inspects the outcome of authentication.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "otklik.urls"
WSGI_APPLICATION = "otklik.wsgi.application"
ASGI_APPLICATION = "otklik.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PACKAGE_DIR / "templates"],  # overrides of third-party templates (admin/base_site.html)
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "otklik.web.context_processors.navigation",
            ],
        },
    },
]

_default_db = f"sqlite:///{VAR_DIR / 'otklik.sqlite3'}"
DATABASES = {"default": dj_database_url.parse(os.environ.get("DATABASE_URL", _default_db), conn_max_age=60)}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    # WAL lets the web server read while the task worker writes; IMMEDIATE avoids
    # "database is locked" upgrades from read to write inside a transaction. A writer waits up to 30 s for the
    # lock: on a small machine under load (the intake, the worker and people at once; a CI run of
    # tests/test_sqlite_concurrency.py beside two other test runs) 10 s was once not enough, and a person
    # waiting is better than a failed action.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=30000;",
        "transaction_mode": "IMMEDIATE",
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "org.Person"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Login throttling (django-axes): 5 failures per username and address lock for 15 minutes.
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = 0.25  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_RESET_ON_SUCCESS = True
# Behind a TLS proxy every connection comes from the proxy's address: OTKLIK_PROXY_COUNT (the number of proxies in
# front of the WSGI server that append to X-Forwarded-For, e.g. 1 for nginx) makes the lockout read the client's
# address from that header instead, so one person's wrong passwords do not lock a colleague out
# (`web.client_address`; docs/operations.md § Sessions and signing in).
OTKLIK_PROXY_COUNT = int(os.environ.get("OTKLIK_PROXY_COUNT", "0"))
# ... believed only from a connection of one of these addresses or networks (the proxy's; by default this machine)
OTKLIK_TRUSTED_PROXIES = [
    a.strip() for a in os.environ.get("OTKLIK_TRUSTED_PROXIES", "127.0.0.1,::1").split(",") if a.strip()
]
AXES_CLIENT_IP_CALLABLE = "otklik.web.client_address.client_address"

LANGUAGE_CODE = "ru"
LANGUAGES = [("ru", "Русский")]
TIME_ZONE = "Europe/Moscow"
USE_I18N = True
# Russian texts for what third-party admin pages leave in English (django-axes, django-tasks); see the .po file
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "static"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True
MEDIA_ROOT = VAR_DIR / "media"

# Copies of the photos and videos attached to incoming messages (intake.attachments). Downloads never reach
# private, loopback or link-local addresses unless OTKLIK_ALLOW_PRIVATE_FETCH=1 (set only by `make run`,
# whose demo networks are loopback fakes, and by tests).
OTKLIK_DOWNLOAD_ATTACHMENTS = _env_bool("OTKLIK_DOWNLOAD_ATTACHMENTS", True)
OTKLIK_ALLOW_PRIVATE_FETCH = _env_bool("OTKLIK_ALLOW_PRIVATE_FETCH")
INTAKE_ATTACHMENT_MAX_MB = int(os.environ.get("INTAKE_ATTACHMENT_MAX_MB", "20"))

# Two queues: "default" (analysis of new messages, attachments, alerts, deadlines…) and "training" (the weekly
# retraining of the topic model), each with its own worker, so a training never holds new messages back.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default", "training"]}}

# E-mail of notices, monthly reports and R-14 alerts (kept in `notify.Mail` and retried until the server takes
# them). With EMAIL_HOST set: that SMTP server. Without it (a fresh install, `make run`): every letter is written
# as a file under var/mail, so nothing is lost and nothing leaves the machine until a server is configured.
if os.environ.get("EMAIL_HOST"):
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_HOST = os.environ["EMAIL_HOST"]
    EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
    EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
    EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
    EMAIL_USE_TLS = _env_bool("EMAIL_USE_TLS")
    EMAIL_USE_SSL = _env_bool("EMAIL_USE_SSL")
else:
    EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    EMAIL_FILE_PATH = VAR_DIR / "mail"
EMAIL_TIMEOUT = int(os.environ.get("EMAIL_TIMEOUT", "30"))
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "otklik@localhost")

SESSION_COOKIE_HTTPONLY = True
# A session ends after 4 hours without a request, renewed by use (`web.signed_out.SignedOutMiddleware`, at most
# every 5 minutes): a working day of activity, lunch and meetings included, never signs a person out; a tab left
# overnight does, and a form sent from it keeps what was typed for after the sign-in (docs/operations.md).
SESSION_COOKIE_AGE = 60 * 60 * 4
# Behind HTTPS (a production installation), set these in the environment; `otklik check --deploy` names them.
SECURE_SSL_REDIRECT = _env_bool("SECURE_SSL_REDIRECT")
SESSION_COOKIE_SECURE = _env_bool("SESSION_COOKIE_SECURE")
CSRF_COOKIE_SECURE = _env_bool("CSRF_COOKIE_SECURE")
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "0"))
# whether HSTS also binds the domain's sub-domains and asks browsers' preload lists: the domain owner's decision
SECURE_HSTS_INCLUDE_SUBDOMAINS = _env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS")
SECURE_HSTS_PRELOAD = _env_bool("SECURE_HSTS_PRELOAD")
if os.environ.get("SECURE_PROXY_SSL_HEADER"):  # e.g. "HTTP_X_FORWARDED_PROTO,https" behind a TLS proxy
    SECURE_PROXY_SSL_HEADER = tuple(os.environ["SECURE_PROXY_SSL_HEADER"].split(",", 1))
X_FRAME_OPTIONS = "DENY"
# A form refused by the CSRF check (a page opened before signing in again, in this tab or another): a Russian page,
# or back to the form's page with the typed text put back into the form (`web.stale_page`).
CSRF_FAILURE_VIEW = "otklik.web.stale_page.stale_page"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"}},
    # 403/404 (and other 4xx) are one WARNING line with path, user and reason; 5xx keep their traceback.
    "filters": {"client_errors": {"()": "otklik.web.log_filters.ClientErrorFilter"}},
    "handlers": {
        "console": {"class": "logging.StreamHandler", "formatter": "plain", "filters": ["client_errors"]}
    },
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        # one INFO line per HTTP request to the networks; failures are logged by the connectors themselves
        "httpx": {"level": "WARNING"},
        "httpcore": {"level": "WARNING"},
        # On the logger too, so that Django's own handlers (console in DEBUG) see the short line as well.
        "django.request": {"filters": ["client_errors"]},
    },
}
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
# Links typed without a scheme are https (Django 6's default, opted into now); the setting's own deprecation
# notice says only that it goes away with Django 6, where this is what happens anyway.
FORMS_URLFIELD_ASSUME_HTTPS = True
warnings.filterwarnings(
    "ignore", message="The FORMS_URLFIELD_ASSUME_HTTPS transitional setting is deprecated", category=Warning
)

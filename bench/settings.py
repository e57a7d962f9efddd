"""Settings for bench/run.py: the production settings (DEBUG off), plus what an in-process client needs.

DATABASE_URL is the throwaway database bench/run.py created; it never points at a real one.
"""

import os
import secrets
import warnings

os.environ["DJANGO_DEBUG"] = "0"  # Measure what production runs: no query log, no debug pages.
os.environ["ROADMAP_REQUIRE_LOGIN"] = "0"
os.environ["ROADMAP_API_ANON_RATE"] = ""  # the benchmark's client is one anonymous address: no throttle
os.environ.setdefault("DJANGO_SECRET_KEY", secrets.token_urlsafe(50))

from roadmap.settings import *  # noqa: F403

ALLOWED_HOSTS = ["testserver"]
# The in-process client speaks plain HTTP: no redirect to HTTPS in front of the pages timed.
SECURE_SSL_REDIRECT = False
# Serve {% static %} URLs without a collectstatic manifest: the benchmark times pages, not files.
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# whitenoise looks for STATIC_ROOT, which only collectstatic makes; the benchmark needs none.
warnings.filterwarnings("ignore", "No directory at", UserWarning)
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
# Pages that do not exist yet answer 404, reported as "n/a": no need to log each one.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
    "loggers": {"django.request": {"level": "CRITICAL"}},
}

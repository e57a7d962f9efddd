"""Settings for the gunicorn instances the app-server tests start: production's, static files unhashed.

DEBUG stays off (the 500 page, no query log); the tests need no collectstatic manifest.
"""

from roadmap.settings import *  # noqa: F403

STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

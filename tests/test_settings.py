"""Settings come from the environment, and production refuses to start insecurely."""

import os
import subprocess
import sys

import pytest
from django.conf import settings

ROOT = settings.BASE_DIR


def run_check(**env):
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_URL"))}
    return subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=ROOT,
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_missing_secret_key_without_debug_stops_start_up():
    result = run_check(DJANGO_DEBUG="0")
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY is not set" in result.stderr


def test_debug_runs_without_a_secret_key():
    result = run_check(DJANGO_DEBUG="1")
    assert result.returncode == 0, result.stderr


def test_production_settings_come_from_the_environment():
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            "import django, os; os.environ['DJANGO_SETTINGS_MODULE']='roadmap.settings'; "
            "from django.conf import settings as s; "
            "print(s.DEBUG, s.ALLOWED_HOSTS, s.DATABASES['default']['ENGINE'], s.DATABASES['default']['NAME'])",
        ],
        cwd=ROOT,
        env={
            "PATH": os.environ["PATH"],
            "DJANGO_DEBUG": "false",
            "DJANGO_SECRET_KEY": "k" * 50,
            "DJANGO_ALLOWED_HOSTS": "roadmap.example.org, www.example.org",
            "DATABASE_URL": "postgres://u:p@db.example.org:5432/roadmap",
        },
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split("\n")[0] == (
        "False ['roadmap.example.org', 'www.example.org'] django.db.backends.postgresql roadmap"
    )


@pytest.mark.skipif("sqlite" not in settings.DATABASES["default"]["ENGINE"], reason="SQLite is the default")
def test_sqlite_is_the_embedded_default():
    assert settings.DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3"

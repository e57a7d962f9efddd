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


def test_a_sqlite_database_is_opened_in_write_ahead_log_mode(tmp_path):
    code = (
        "from django.db import connection; cursor = connection.cursor(); "
        "cursor.execute('PRAGMA journal_mode'); print(cursor.fetchone()[0])"
    )
    result = run_manage("shell", "-c", code, DJANGO_DEBUG="1", DATABASE_URL=f"sqlite:///{tmp_path}/wal.sqlite3")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == "wal"  # readers and the writer never wait for each other


PRODUCTION = {
    "DJANGO_DEBUG": "0",
    "DJANGO_SECRET_KEY": "hP3v-8qL_2mZr7TnXw0sYd4KcF9bJuE1aGiQoVlR6yMtNxSzCk5pWhUe-jD8fB2g",
    "DJANGO_ALLOWED_HOSTS": "roadmap.example.org",
    "DJANGO_CSRF_TRUSTED_ORIGINS": "https://roadmap.example.org",
    "DJANGO_BEHIND_PROXY": "1",
}


def run_manage(*args, **env):
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_URL", "ROADMAP_"))}
    return subprocess.run(  # noqa: S603 (the tests choose every argument)
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def production_settings(*names, **env):
    """Return the named settings as production would load them, with extra environment variables."""
    code = (
        "import os; os.environ['DJANGO_SETTINGS_MODULE'] = 'roadmap.settings'; "
        "from django.conf import settings as s; "
        f"print(repr([getattr(s, name, None) for name in {list(names)!r}]))"
    )
    result = subprocess.run(  # noqa: S603 (the tests choose every argument)
        [sys.executable, "-c", code],
        cwd=ROOT,
        env={"PATH": os.environ["PATH"], **PRODUCTION, **env},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.strip().splitlines()[-1]


def test_deployment_check_finds_nothing_to_warn_about_in_production():
    result = run_manage("check", "--deploy", "--fail-level", "WARNING", **PRODUCTION)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout
    assert "WARNINGS" not in result.stdout + result.stderr


def test_deployment_check_warns_when_hsts_is_turned_off():
    result = run_manage("check", "--deploy", "--fail-level", "WARNING", **PRODUCTION, DJANGO_SECURE_HSTS_SECONDS="0")
    assert result.returncode != 0
    assert "security.W004" in result.stdout + result.stderr


def test_production_is_secure_by_default():
    assert production_settings(
        "SECURE_SSL_REDIRECT",
        "SESSION_COOKIE_SECURE",
        "CSRF_COOKIE_SECURE",
        "SECURE_HSTS_SECONDS",
        "SECURE_HSTS_INCLUDE_SUBDOMAINS",
        "SECURE_HSTS_PRELOAD",
        "X_FRAME_OPTIONS",
        "SECURE_PROXY_SSL_HEADER",
    ) == repr([True, True, True, 31_536_000, True, True, "DENY", ("HTTP_X_FORWARDED_PROTO", "https")])


def test_proxy_headers_are_trusted_only_when_asked():
    assert production_settings("SECURE_PROXY_SSL_HEADER", DJANGO_BEHIND_PROXY="0") == "[None]"


def test_hsts_can_be_tuned_from_the_environment():
    assert production_settings(
        "SECURE_HSTS_SECONDS",
        "SECURE_HSTS_INCLUDE_SUBDOMAINS",
        "SECURE_HSTS_PRELOAD",
        DJANGO_SECURE_HSTS_SECONDS="3600",
        DJANGO_SECURE_HSTS_INCLUDE_SUBDOMAINS="0",
        DJANGO_SECURE_HSTS_PRELOAD="0",
    ) == repr([3600, False, False])


def test_a_number_setting_that_is_not_a_number_stops_start_up():
    result = run_manage("check", **PRODUCTION, ROADMAP_LOGIN_FAILURE_LIMIT="five")
    assert result.returncode != 0
    assert "ROADMAP_LOGIN_FAILURE_LIMIT must be a whole number" in result.stderr


def test_example_environment_file_passes_the_deployment_check():
    example = {}
    for line in (ROOT / "deploy" / "roadmap.env.example").read_text().splitlines():
        if line.strip() and not line.startswith("#"):
            name, _, value = line.partition("=")
            example[name] = value
    assert "CHANGE" in example["DJANGO_SECRET_KEY"]  # a placeholder, never a real key
    example["DJANGO_SECRET_KEY"] = PRODUCTION["DJANGO_SECRET_KEY"]
    result = run_manage("check", "--deploy", "--fail-level", "WARNING", **example)
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_example_placeholder_secret_key_stops_start_up():
    placeholder = "CHANGE-ME-to-a-long-random-value-generated-for-this-server-only"
    result = run_manage("check", **{**PRODUCTION, "DJANGO_SECRET_KEY": placeholder})
    assert result.returncode != 0
    assert "still the placeholder" in result.stderr

"""The commands that `make run` calls."""

import io

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from tasks.models import Task

pytestmark = pytest.mark.django_db


def run(*args):
    out = io.StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


def test_ensure_admin_generates_a_password_and_prints_it_once():
    output = run("ensure_admin")
    password = output.split("with the password: ")[1].split()[0]
    assert len(password) >= 20
    user = get_user_model().objects.get(username="admin")
    assert user.is_superuser and user.is_staff
    assert user.check_password(password)
    again = run("ensure_admin")
    assert password not in again
    assert "exists" in again
    user.refresh_from_db()
    assert user.check_password(password)


def test_two_fresh_admin_accounts_get_different_passwords():
    first = run("ensure_admin", "--username", "first").split("with the password: ")[1].split()[0]
    second = run("ensure_admin", "--username", "second").split("with the password: ")[1].split()[0]
    assert first != second


def test_load_seed_loads_once():
    assert "Loaded the seed data: 18 tasks, 8 meetings." in run("load_seed")
    assert "already holds" in run("load_seed")
    assert Task.objects.count() == 18


def test_ensure_admin_names_the_address_served():
    output = run("ensure_admin", "--username", "porter", "--site", "http://127.0.0.1:8801/")
    assert "Sign in at http://127.0.0.1:8801/admin/" in output

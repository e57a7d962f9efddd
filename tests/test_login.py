"""Signing in: repeated failures lock the account for that address; passwords must be strong."""

import os
import subprocess
import sys

import pytest
from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.test import RequestFactory
from django.urls import reverse

from roadmap.security import client_ip
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

PASSWORD = "a-test-password-1"


@pytest.fixture
def staff(db):
    return UserFactory(username="staffer", is_staff=True)


@pytest.fixture(autouse=True)
def three_failures(settings):
    settings.AXES_FAILURE_LIMIT = 3


def sign_in(client, username, password, address="203.0.113.7"):
    return client.post(
        reverse("admin:login"),
        {"username": username, "password": password, "next": reverse("admin:index")},
        REMOTE_ADDR=address,
    )


def test_account_is_locked_after_repeated_failures(client, staff):
    for _ in range(2):
        response = sign_in(client, "staffer", "wrong")
        assert response.status_code == 200
        assert "Please enter the correct username and password" in response.content.decode()
    assert sign_in(client, "staffer", "wrong").status_code == 429
    # Locked: even the right password is refused now.
    response = sign_in(client, "staffer", PASSWORD)
    assert response.status_code == 429
    assert "Account locked" in response.content.decode()
    assert client.get(reverse("admin:index")).status_code == 302


def test_lock_holds_one_account_from_one_address(client, staff):
    UserFactory(username="colleague", is_staff=True)
    for _ in range(3):
        sign_in(client, "staffer", "wrong")
    assert sign_in(client, "colleague", PASSWORD).status_code == 302
    client.logout()
    assert sign_in(client, "staffer", PASSWORD, address="198.51.100.20").status_code == 302


def test_a_successful_sign_in_resets_the_count(client, staff):
    for _ in range(2):
        sign_in(client, "staffer", "wrong")
    assert sign_in(client, "staffer", PASSWORD).status_code == 302
    client.logout()
    for _ in range(2):
        sign_in(client, "staffer", "wrong")
    assert sign_in(client, "staffer", PASSWORD).status_code == 302


def test_behind_the_proxy_the_address_is_the_last_forwarded_hop(settings):
    request = RequestFactory().get("/", REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="6.6.6.6, 203.0.113.7")
    settings.ROADMAP_BEHIND_PROXY = False
    assert client_ip(request) == "127.0.0.1"
    settings.ROADMAP_BEHIND_PROXY = True
    assert client_ip(request) == "203.0.113.7"


def test_lockout_settings_come_from_the_environment():
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            "import os; os.environ['DJANGO_SETTINGS_MODULE']='roadmap.settings'; "
            "from django.conf import settings as s; print(s.AXES_FAILURE_LIMIT, s.AXES_COOLOFF_TIME)",
        ],
        cwd=settings.BASE_DIR,
        env={
            "PATH": os.environ["PATH"],
            "DJANGO_DEBUG": "1",
            "ROADMAP_LOGIN_FAILURE_LIMIT": "7",
            "ROADMAP_LOGIN_LOCKOUT_HOURS": "24",
        },
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "7 1 day, 0:00:00"


@pytest.mark.parametrize("password", ["short1", "password123", "12345678901234", "staffer-2016"])
def test_weak_passwords_are_refused(staff, password):
    with pytest.raises(ValidationError):
        validate_password(password, user=staff)


def test_a_strong_password_is_accepted(staff):
    validate_password("paperless-trade-road-map", user=staff)

"""Who reads the API: everyone on a public site; with ROADMAP_REQUIRE_LOGIN, signed-in users and tokens only."""

import datetime
import re

import pytest
from django.contrib.messages import get_messages
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from knox.crypto import hash_token
from knox.models import AuthToken

pytestmark = pytest.mark.django_db

TASKS = reverse("api:tasks")
TOKEN = re.compile(r"is ([0-9a-f]{64})\. Copy it now")


def create_token_in_admin(client, user, expiry=("", "")):
    """Create a token for ``user`` as staff do, and return the token the admin showed once."""
    response = client.post(
        reverse("admin:knox_authtoken_add"), {"user": user.pk, "expiry_0": expiry[0], "expiry_1": expiry[1]}
    )
    assert response.status_code == 302, response.content
    shown = [str(message) for message in get_messages(response.wsgi_request)]
    tokens = [match for message in shown for match in TOKEN.findall(message)]
    assert tokens, shown
    return tokens[-1]  # the messages of earlier requests wait until a page shows them


def test_public_site_needs_no_sign_in(client, seed):
    assert client.get(TASKS).status_code == 200


def test_login_only_refuses_anonymous_clients_with_401(client, seed, login_required):
    for name in ["tasks", "updates", "articles", "groups", "meetings", "schema"]:
        response = client.get(reverse(f"api:{name}"))
        assert response.status_code == 401, name
        assert response["WWW-Authenticate"] == "Token"
        assert response["Content-Type"].startswith("application/json")


def test_login_only_docs_page_sends_people_to_sign_in(client, seed, login_required):
    response = client.get(reverse("api:docs"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_login_only_serves_signed_in_users(delegate_client, seed, login_required):
    assert delegate_client.get(TASKS).json()["count"] == 18
    assert delegate_client.get(reverse("api:docs")).status_code == 200


def test_staff_create_a_token_shown_once_and_stored_as_a_digest(secretariat_client, delegate, seed, login_required):
    token = create_token_in_admin(secretariat_client, delegate)
    stored = AuthToken.objects.get(user=delegate)
    assert stored.digest == hash_token(token)
    assert token not in (stored.digest, stored.token_key)
    assert stored.token_key == token[: len(stored.token_key)] and len(stored.token_key) < len(token) // 2
    secretariat_client.get(reverse("admin:index"))  # shows the message, once
    change_page = secretariat_client.get(reverse("admin:knox_authtoken_change", args=[stored.pk])).content.decode()
    assert token not in change_page  # never shown again
    response = Client().get(TASKS, headers={"Authorization": f"Token {token}"})
    assert response.status_code == 200
    assert response.json()["count"] == 18


def test_a_token_opens_no_page_and_no_admin(secretariat_client, delegate, seed, login_required):
    token = create_token_in_admin(secretariat_client, delegate)
    client = Client()
    assert client.get(reverse("tasks:list"), headers={"Authorization": f"Token {token}"}).status_code == 302
    assert client.get(reverse("admin:index"), headers={"Authorization": f"Token {token}"}).status_code == 302


def test_wrong_expired_and_deleted_tokens_are_refused(secretariat_client, delegate, seed, login_required):
    client = Client()
    assert client.get(TASKS, headers={"Authorization": "Token " + "0" * 64}).status_code == 401
    assert client.get(TASKS, headers={"Authorization": "Token"}).status_code == 401
    past = timezone.localtime() - datetime.timedelta(days=1)
    expired = create_token_in_admin(secretariat_client, delegate, (past.date().isoformat(), "00:00:00"))
    assert client.get(TASKS, headers={"Authorization": f"Token {expired}"}).status_code == 401
    token = create_token_in_admin(secretariat_client, delegate)
    AuthToken.objects.filter(user=delegate).delete()
    assert client.get(TASKS, headers={"Authorization": f"Token {token}"}).status_code == 401


def test_delegates_cannot_create_tokens(delegate_client, delegate, seed):
    response = delegate_client.post(reverse("admin:knox_authtoken_add"), {"user": delegate.pk})
    assert response.status_code == 302  # the admin sends non-staff to its login page
    assert not AuthToken.objects.exists()


@pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
@pytest.mark.parametrize("name", ["tasks", "updates", "articles", "schema"])
def test_every_write_is_405(client, seed, method, name):
    response = getattr(client, method)(reverse(f"api:{name}"), data={}, content_type="application/json")
    assert response.status_code == 405
    assert response["Allow"] == "GET, HEAD, OPTIONS"


@pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
def test_writes_are_405_in_login_only_mode_too(client, seed, login_required, method):
    task = reverse("api:task", kwargs={"pk": 1})
    assert getattr(client, method)(task).status_code == 405


def test_head_and_options_are_answered(client, seed):
    assert client.head(TASKS).status_code == 200
    assert client.options(TASKS).status_code == 200


def test_anonymous_clients_are_throttled_with_retry_after(client, seed, settings):
    settings.ROADMAP_API_ANON_RATE = "3/minute"
    assert [client.get(TASKS).status_code for _ in range(3)] == [200, 200, 200]
    refused = client.get(TASKS)
    assert refused.status_code == 429
    assert 0 < int(refused["Retry-After"]) <= 60
    assert "detail" in refused.json()
    other_address = client.get(TASKS, REMOTE_ADDR="10.0.0.9")
    assert other_address.status_code == 200  # per client


def test_signed_in_users_are_not_throttled(delegate_client, seed, settings):
    settings.ROADMAP_API_ANON_RATE = "2/minute"
    assert {delegate_client.get(TASKS).status_code for _ in range(4)} == {200}


def test_behind_the_proxy_clients_are_told_apart_by_the_hop_it_appended(client, seed, settings):
    settings.ROADMAP_API_ANON_RATE = "1/minute"
    settings.ROADMAP_BEHIND_PROXY = True
    forwarded = {"REMOTE_ADDR": "127.0.0.1"}
    assert client.get(TASKS, HTTP_X_FORWARDED_FOR="1.1.1.1, 203.0.113.5", **forwarded).status_code == 200
    assert client.get(TASKS, HTTP_X_FORWARDED_FOR="9.9.9.9, 203.0.113.5", **forwarded).status_code == 429
    assert client.get(TASKS, HTTP_X_FORWARDED_FOR="203.0.113.6", **forwarded).status_code == 200

"""ROADMAP_REQUIRE_LOGIN: the site open to all (the local demo), or for participants only."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def public_url(url, roadmap):
    """Return the URL with the small road map's task and meeting ids in it."""
    return url.format(task=roadmap.tasks[1].pk, meeting=roadmap.first.pk)


PUBLIC_URLS = [
    "/",
    "/tasks/",
    "/tasks/{task}/",
    "/articles/",
    "/articles/6/",
    "/groups/twg/",
    "/meetings/",
    "/meetings/{meeting}/",
    "/feeds/updates/",
]


@pytest.mark.parametrize("url", PUBLIC_URLS)
def test_pages_are_open_when_login_is_not_required(client, roadmap, settings, url):
    settings.ROADMAP_REQUIRE_LOGIN = False
    assert client.get(public_url(url, roadmap)).status_code == 200


@pytest.mark.parametrize("url", PUBLIC_URLS)
def test_pages_need_a_signed_in_user_when_login_is_required(client, roadmap, settings, url):
    settings.ROADMAP_REQUIRE_LOGIN = True
    url = public_url(url, roadmap)
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('login')}?next={url}"


@pytest.mark.parametrize("url", PUBLIC_URLS)
def test_a_delegate_reads_every_page_when_login_is_required(delegate_client, roadmap, settings, url):
    settings.ROADMAP_REQUIRE_LOGIN = True
    assert delegate_client.get(public_url(url, roadmap)).status_code == 200


def test_login_page_stays_open_and_is_styled(client, settings, db):
    settings.ROADMAP_REQUIRE_LOGIN = True
    response = client.get(reverse("login"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "<h1" in html and "Sign in" in html
    assert 'autocomplete="current-password"' in html
    assert "csrfmiddlewaretoken" in html
    assert "vendor/bootstrap/bootstrap.min.css" in html


def test_a_delegate_signs_in_and_out(client, delegate, settings, roadmap):
    settings.ROADMAP_REQUIRE_LOGIN = True
    response = client.post(
        reverse("login"), {"username": "delegate", "password": "a-test-password-1", "next": "/tasks/"}
    )
    assert response.status_code == 302 and response["Location"] == "/tasks/"
    assert client.get("/tasks/").status_code == 200
    assert "Sign out delegate" in client.get("/tasks/").content.decode()
    response = client.post(reverse("logout"))
    assert response.status_code == 200
    assert "You are signed out" in response.content.decode()
    assert client.get("/tasks/").status_code == 302


def test_a_wrong_password_is_refused_with_a_message(client, delegate, db):
    response = client.post(reverse("login"), {"username": "delegate", "password": "wrong"})
    assert response.status_code == 200
    assert "did not match" in response.content.decode()


def test_login_refuses_a_next_url_on_another_site(client, delegate, db):
    response = client.post(
        reverse("login"), {"username": "delegate", "password": "a-test-password-1", "next": "https://evil.example/"}
    )
    assert response["Location"] == reverse("dashboard")


def test_logout_needs_a_post_with_csrf(delegate, roadmap):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(delegate)
    assert client.post(reverse("logout")).status_code == 403
    assert client.get(reverse("logout")).status_code == 405

"""Public pages, feeds and exports carry an ETag and Last-Modified; an unchanged one answers 304."""

import logging

import pytest
from django.urls import reverse

from freshness import cache as page_cache
from tasks.models import Task
from tests.factories import ProgressUpdateFactory

pytestmark = pytest.mark.django_db

PAGES = [
    reverse("dashboard"),
    reverse("tasks:list") + "?group=twg&sort=status",
    reverse("tasks:detail", args=[1]),
    reverse("tasks:meeting", args=[5]),
    reverse("tasks:meetings"),
    reverse("articles:list"),
    reverse("tasks:feed"),
    reverse("tasks:export_xlsx"),
    reverse("tasks:export_docx"),
]


@pytest.mark.parametrize("url", PAGES)
def test_unchanged_page_answers_304_with_at_most_two_queries(client, seed, url, django_assert_max_num_queries):
    first = client.get(url)
    assert first.status_code == 200
    assert first["ETag"] and first["Last-Modified"]
    with django_assert_max_num_queries(2):
        again = client.get(url, HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304
    assert again.content == b""
    since = client.get(url, HTTP_IF_MODIFIED_SINCE=first["Last-Modified"])
    assert since.status_code == 304


def test_signed_in_page_answers_304_with_at_most_two_queries(delegate_client, seed, django_assert_max_num_queries):
    first = delegate_client.get(reverse("tasks:list"))
    with django_assert_max_num_queries(2):
        again = delegate_client.get(reverse("tasks:list"), HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304


def test_a_write_changes_the_etag_and_the_page(client, seed):
    url = reverse("tasks:detail", args=[1])
    first = client.get(url)
    ProgressUpdateFactory(task=Task.objects.get(pk=1), narrative="A brand-new narrative for the test.")
    again = client.get(url, HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 200
    assert again["ETag"] != first["ETag"]
    assert "A brand-new narrative for the test." in again.content.decode()


def test_etag_varies_with_query_string_language_and_signed_in_state(client, seed, delegate):
    url = reverse("tasks:list")
    plain = client.get(url)["ETag"]
    assert client.get(url + "?group=twg")["ETag"] != plain
    french = client.get(f"/fr{url}")  # the language is in the URL
    assert french["ETag"] != plain
    assert french["Content-Language"] == "fr"
    client.force_login(delegate)
    signed_in = client.get(url)
    assert signed_in["ETag"] != plain
    assert "private" in signed_in["Cache-Control"]
    assert client.get(url, HTTP_IF_NONE_MATCH=plain).status_code == 200


def test_a_signed_in_page_is_never_served_to_others(client, seed, delegate):
    client.force_login(delegate)
    assert delegate.username in client.get(reverse("tasks:list")).content.decode()
    client.logout()
    anonymous = client.get(reverse("tasks:list")).content.decode()
    assert delegate.username not in anonymous
    assert "Sign in" in anonymous


def test_anonymous_pages_are_shared_through_the_cache(client, seed, django_assert_max_num_queries):
    url = reverse("tasks:list") + "?status=draft"
    first = client.get(url)
    with django_assert_max_num_queries(1):  # the stamp: the page itself comes from the cache
        again = client.get(url)
    assert again.status_code == 200
    assert again.content == first.content


def test_cached_export_is_still_a_download(client, seed):
    client.get(reverse("tasks:export_xlsx"))
    again = client.get(reverse("tasks:export_xlsx"))
    assert again["Content-Disposition"].startswith("attachment;")
    assert b"".join(again.streaming_content)[:2] == b"PK"


@pytest.fixture
def redis_down(settings):
    """A cache on a port where nothing listens (the refused connection is immediate)."""
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:9/0",
            "OPTIONS": {"socket_connect_timeout": 0.25, "socket_timeout": 0.5},
        }
    }
    page_cache._down_until = 0.0
    yield
    page_cache._down_until = 0.0


def test_a_cache_that_is_down_serves_pages_uncached_and_logs_it(client, seed, redis_down, caplog):
    with caplog.at_level(logging.WARNING, logger="freshness.cache"):
        for url in (reverse("dashboard"), reverse("tasks:list"), reverse("tasks:export_xlsx")):
            assert client.get(url).status_code == 200
    assert "The cache is unavailable, pages are served uncached" in caplog.text
    assert caplog.text.count("unavailable") == 1  # logged once, not once per request


def test_a_database_restored_to_an_older_counter_never_meets_its_old_pages(client, seed):
    from django.utils import timezone

    from freshness.models import ChangeStamp
    from freshness.stamp import current
    from tests.factories import TaskFactory

    before = current()
    first = client.get(reverse("dashboard")).content.decode()
    TaskFactory(title="A task restored with the backup")
    # A backup restored: the same counter as when the first page was cached, another time.
    ChangeStamp.objects.filter(pk=1).update(counter=before.counter, changed_at=timezone.now())
    again = client.get(reverse("dashboard")).content.decode()
    assert again != first
    assert client.get(reverse("tasks:list") + "?q=restored").content.decode().count("A task restored") == 1

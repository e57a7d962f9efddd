"""What search engines and caches read of a page: a description on every page, hashed static names."""

import re

import pytest
from django.contrib.staticfiles.storage import StaticFilesStorage
from django.test import RequestFactory
from django.urls import reverse
from django.views.defaults import server_error

from tests.factories import ProgressUpdateFactory

pytestmark = pytest.mark.django_db

DESCRIPTION = re.compile(r'<meta name="description" content="([^"]+)">')


class HashingStorage(StaticFilesStorage):
    """Static names as the manifest storage gives them in production: with a content hash."""

    def url(self, name):
        stem, dot, extension = super().url(name).rpartition(".")
        return f"{stem}.0123456789ab{dot}{extension}"


def test_every_public_page_has_one_description(client):
    update = ProgressUpdateFactory()
    task, meeting = update.task, update.meeting
    urls = [
        reverse("dashboard"),
        reverse("tasks:list"),
        task.get_absolute_url(),
        reverse("articles:list"),
        reverse("tasks:group", args=[task.lead_group.slug]),
        reverse("tasks:meetings"),
        reverse("login"),
        "/no-such-page/",
    ]
    if meeting is not None:
        urls.append(meeting.get_absolute_url())
    for url in urls:
        found = DESCRIPTION.findall(client.get(url).content.decode())
        assert len(found) == 1 and found[0].strip(), url


def test_a_tasks_description_is_its_title(client):
    task = ProgressUpdateFactory(task__title="Harmonise the rules on electronic signatures").task
    html = client.get(task.get_absolute_url()).content.decode()
    assert DESCRIPTION.findall(html) == ["Harmonise the rules on electronic signatures"]


def test_the_server_error_page_links_the_hashed_stylesheet(settings):
    settings.STORAGES = {**settings.STORAGES, "staticfiles": {"BACKEND": f"{__name__}.HashingStorage"}}
    html = server_error(RequestFactory().get("/")).content.decode()
    assert 'href="/static/css/roadmap.0123456789ab.css"' in html
    assert DESCRIPTION.search(html)


def test_pages_are_sent_uncompressed_against_breach(client):
    """Pages echo the query string beside a CSRF token: compressing them would open them to BREACH."""
    response = client.get(reverse("tasks:list"), {"q": "csrf"}, headers={"Accept-Encoding": "gzip, br"})
    assert response.status_code == 200
    assert "Content-Encoding" not in response

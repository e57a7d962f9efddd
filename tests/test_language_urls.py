"""The language is in the URL: prefixes, the switcher, a first visit's Accept-Language, the query counts."""

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tasks.models import Meeting, Task

pytestmark = pytest.mark.django_db

PREFIXES = ["", "/fr", "/ru", "/zh-hans"]


def paths():
    task = Task.objects.get(position=6)
    meeting = Meeting.objects.get(short_title="IISG-2")
    return [
        "/",
        "/tasks/",
        "/tasks/?group=twg&status=in_progress&q=template",
        f"/tasks/?meeting={meeting.pk}",
        f"/tasks/{task.pk}/",
        "/meetings/",
        f"/meetings/{meeting.pk}/",
        "/articles/",
        "/articles/8/",
        "/groups/twg/",
        "/feeds/updates/",
    ]


def queries(client, url):
    cache.clear()  # every language's page rendered afresh, not served from the page cache
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
        if hasattr(response, "streaming_content"):
            b"".join(response.streaming_content)
    assert response.status_code == 200, url
    return len(captured)


def test_query_counts_do_not_change_with_the_language(client, seed):
    for path in [*paths(), "/tasks/export.xlsx?history=1", "/tasks/export.docx?meeting=5"]:
        queries(client, path)  # warm: content types, sessions
        counts = {prefix: queries(client, f"{prefix}{path}") for prefix in PREFIXES}
        assert len(set(counts.values())) == 1, (path, counts)


@pytest.mark.parametrize("prefix,lang", [("", "en"), ("/fr", "fr"), ("/ru", "ru"), ("/zh-hans", "zh-hans")])
def test_each_page_says_its_language(client, seed, prefix, lang):
    for path in paths()[:-1]:
        page = client.get(f"{prefix}{path}").content.decode()
        assert f'<html lang="{lang}">' in page, path


def test_the_switcher_keeps_the_path_and_the_query(client, seed):
    page = client.get("/fr/tasks/?group=twg&status=in_progress&sort=-status").content.decode()
    assert 'href="/ru/tasks/?group=twg&amp;status=in_progress&amp;sort=-status"' in page
    assert 'href="/tasks/?group=twg&amp;status=in_progress&amp;sort=-status"' in page
    assert 'href="/zh-hans/tasks/?group=twg&amp;status=in_progress&amp;sort=-status"' in page


def test_a_first_visit_follows_accept_language(client, seed):
    response = client.get("/tasks/?group=twg", HTTP_ACCEPT_LANGUAGE="ru-RU,ru;q=0.9,en;q=0.5")
    assert response.status_code == 302
    assert response["Location"] == "/ru/tasks/?group=twg"
    assert "Accept-Language" in response["Vary"]


def test_a_chosen_language_sticks_over_accept_language(client, seed):
    first = client.get("/fr/tasks/")
    assert first.cookies["django_language"].value == "fr"
    response = client.get("/tasks/", HTTP_ACCEPT_LANGUAGE="ru")
    assert response.status_code == 200  # has been here: the unprefixed URL is English
    assert '<html lang="en">' in response.content.decode()
    assert not response.cookies  # only the first page sets the cookie: the others stay cacheable


def test_scripts_without_accept_language_get_english(client, seed):
    response = client.get("/tasks/export.xlsx")
    assert response.status_code == 200
    assert client.get("/tasks/").status_code == 200


def test_dates_and_numbers_follow_the_language(client, seed):
    meeting = Meeting.objects.get(short_title="IISG-2")
    assert "23–25 March 2016" in client.get(f"/meetings/{meeting.pk}/").content.decode()
    assert "23–25 mars 2016" in client.get(f"/fr/meetings/{meeting.pk}/").content.decode()
    assert "23–25 марта 2016 г." in client.get(f"/ru/meetings/{meeting.pk}/").content.decode()
    assert "2016年3月23日至25日" in client.get(f"/zh-hans/meetings/{meeting.pk}/").content.decode()

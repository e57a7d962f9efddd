"""Control characters in a query string are dropped before any page echoes them back.

HTML forbids them ("Saw U+0000 in stream"), XML cannot hold them, and in a query string
they never mean anything: the search box, the hidden sort field, the error messages naming
a refused value and the feed's links show what is left without them.
"""

import re

import pytest
from django.urls import reverse

from tasks.models import Status
from tests.factories import ProgressUpdateFactory, TaskFactory, UserFactory

pytestmark = pytest.mark.django_db

RAW_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufffe\uffff]")
QUERIES = [
    {"q": "a\x00b"},
    {"sort": "\x01"},
    {"sort": "title\x01"},
    {"status": "\x0b"},
    {"per_page": "\x00"},
    {"group": "\x00x"},
    {"article": "\x007"},
    {"meeting": "\x85"},
    {"page": "\x00"},
    {"\x00": "a"},
    {"q": "\ufffe\x9f"},
]


@pytest.fixture
def task():
    task = TaskFactory(position=1, title="Search me")
    ProgressUpdateFactory(task=task, status=Status.DRAFT)
    return task


def public_urls(task):
    return [
        reverse("dashboard"),
        reverse("tasks:list"),
        reverse("tasks:group", args=[task.lead_group.slug]),
        reverse("tasks:feed"),
        task.get_absolute_url(),
        reverse("articles:list"),
        reverse("tasks:meetings"),
    ]


@pytest.mark.parametrize("query", QUERIES, ids=lambda query: repr(query))
def test_pages_echo_no_raw_control_character(client, task, query):
    for url in public_urls(task):
        response = client.get(url, query)
        assert response.status_code == 200, url
        found = RAW_CONTROL.findall(response.content.decode())
        assert not found, (url, found)


@pytest.mark.parametrize("query", QUERIES, ids=lambda query: repr(query))
def test_the_table_fragment_htmx_swaps_in_echoes_none(client, task, query):
    response = client.get(reverse("tasks:list"), query, headers={"HX-Request": "true", "HX-Target": "results"})
    assert not RAW_CONTROL.findall(response.content.decode())


def test_what_is_left_is_kept(client, task):
    html = client.get(reverse("tasks:list"), {"q": "Sea\x00rch", "sort": "tit\x01le"}).content.decode()
    assert 'value="Search"' in html
    assert '<input type="hidden" name="sort" value="title">' in html


def test_the_admin_search_echoes_none(client, task):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    response = client.get(reverse("admin:tasks_task_changelist"), {"q": "a\x00b\x0b"})
    assert response.status_code == 200
    assert not RAW_CONTROL.findall(response.content.decode())

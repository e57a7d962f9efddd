"""Narratives and titles are shown as escaped text, line breaks kept, on every page and in the feed."""

import datetime
import xml.etree.ElementTree as ET

import pytest
from django.urls import reverse

from articles.models import Article
from tasks.models import Meeting, Status, WorkingGroup
from tests.factories import ProgressUpdateFactory, TaskFactory

pytestmark = pytest.mark.django_db

SCRIPT = "<script>alert('title')</script>"
IMG = '<img src=x onerror="alert(1)">'
TITLE = f"Harmless task {SCRIPT}\nsecond line"
NARRATIVE = f"First line {IMG}\nSecond line & more"


@pytest.fixture
def hostile(seed):
    """A task whose title and narratives carry HTML and script payloads."""
    group = WorkingGroup.objects.get(slug="twg")
    meeting = Meeting.objects.get(short_title="IISG-3")
    task = TaskFactory(position=19, title=TITLE, lead_group=group, articles=[Article.objects.get(number=14)])
    ProgressUpdateFactory(
        task=task,
        meeting=Meeting.objects.get(short_title="IISG-2"),
        reported_on=datetime.date(2016, 3, 23),
        narrative="<b>old</b> text",
    )
    ProgressUpdateFactory(
        task=task, meeting=meeting, reported_on=meeting.end_date, status=Status.DRAFT, narrative=NARRATIVE
    )
    return task


def pages(task):
    return [
        reverse("dashboard"),
        reverse("tasks:list") + "?per_page=100",
        reverse("tasks:list") + "?q=Harmless",
        task.get_absolute_url(),
        reverse("articles:detail", args=[14]) + "?per_page=100",
        reverse("tasks:group", args=["twg"]) + "?per_page=100",
        Meeting.objects.get(short_title="IISG-3").get_absolute_url() + "?per_page=100",
    ]


def test_payloads_are_escaped_on_every_page(client, hostile):
    for url in pages(hostile):
        html = client.get(url).content.decode()
        assert SCRIPT not in html, url
        assert IMG not in html, url
        assert "<b>old</b>" not in html, url
        assert "&lt;script&gt;alert(&#x27;title&#x27;)&lt;/script&gt;" in html or "Harmless task" in html, url


def test_task_page_keeps_line_breaks_and_shows_the_payload_as_text(client, hostile):
    html = client.get(hostile.get_absolute_url()).content.decode()
    assert "Harmless task &lt;script&gt;alert(&#x27;title&#x27;)&lt;/script&gt;<br>second line" in html
    assert "First line &lt;img src=x onerror=&quot;alert(1)&quot;&gt;<br>Second line &amp; more" in html


def test_status_table_keeps_line_breaks(client, hostile):
    html = client.get(reverse("tasks:list"), {"q": "Harmless"}).content.decode()
    assert "&lt;script&gt;alert(&#x27;title&#x27;)&lt;/script&gt;<br>second line" in html
    assert "First line &lt;img src=x onerror=&quot;alert(1)&quot;&gt;<br>Second line &amp; more" in html


def test_meeting_diff_escapes_both_versions(client, hostile):
    html = client.get(Meeting.objects.get(short_title="IISG-3").get_absolute_url()).content.decode()
    assert "&lt;b&gt;old&lt;/b&gt;" in html
    assert "<b>old</b>" not in html and IMG not in html


def test_feed_carries_the_payload_as_text(client, hostile):
    response = client.get(reverse("tasks:feed"), {"q": "Harmless"})
    assert IMG.encode() not in response.content
    root = ET.fromstring(response.content)
    entry = root.find("{http://www.w3.org/2005/Atom}entry")
    assert entry.find("{http://www.w3.org/2005/Atom}summary").text == NARRATIVE
    assert SCRIPT in entry.find("{http://www.w3.org/2005/Atom}title").text  # text node, parsed back


def test_search_text_is_escaped_when_echoed(client, seed):
    html = client.get(reverse("tasks:list"), {"q": '"><script>alert(1)</script>'}).content.decode()
    assert "<script>alert(1)</script>" not in html
    assert "&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;" in html

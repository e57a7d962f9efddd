"""The Content Security Policy forbids inline script and style, and the admin still works under it."""

import re

import pytest
from django.urls import reverse

from tasks.models import Meeting, ProgressUpdate, Task, WorkingGroup

pytestmark = pytest.mark.django_db

INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*type=\"application/json\")[^>]*>", re.IGNORECASE)
STYLE_ATTRIBUTE = re.compile(r"<[^>]+\sstyle\s*=", re.IGNORECASE)
STYLE_ELEMENT = re.compile(r"<style\b", re.IGNORECASE)
EVENT_HANDLER = re.compile(r"<[^>]+\son[a-z]+\s*=", re.IGNORECASE)
JAVASCRIPT_URL = re.compile(r"""(href|src|action)\s*=\s*["']\s*javascript:""", re.IGNORECASE)


def inline_code(html):
    """Return what the policy would block in a page: inline scripts, styles and handlers."""
    return [
        match.group(0)[:120]
        for pattern in (INLINE_SCRIPT, STYLE_ATTRIBUTE, STYLE_ELEMENT, EVENT_HANDLER, JAVASCRIPT_URL)
        for match in pattern.finditer(html)
    ]


def admin_pages():
    task = Task.objects.get(position=6)
    update = ProgressUpdate.objects.filter(task=task).first()
    version = task.history.first()
    return [
        reverse("admin:index"),
        reverse("admin:tasks_task_changelist"),
        reverse("admin:tasks_task_add"),
        reverse("admin:tasks_task_change", args=[task.pk]),
        reverse("admin:tasks_task_history", args=[task.pk]),
        reverse("admin:tasks_task_simple_history", args=[task.pk, version.history_id]),
        reverse("admin:tasks_task_deleted"),
        reverse("admin:tasks_task_delete", args=[task.pk]),
        reverse("admin:tasks_progressupdate_changelist"),
        reverse("admin:tasks_progressupdate_change", args=[update.pk]),
        reverse("admin:tasks_workinggroup_changelist"),
        reverse("admin:tasks_workinggroup_change", args=[WorkingGroup.objects.first().pk]),
        reverse("admin:tasks_meeting_change", args=[Meeting.objects.first().pk]),
        reverse("admin:articles_article_changelist"),
        reverse("admin:password_change"),
    ]


def test_policy_allows_only_the_sites_own_files(client):
    policy = client.get(reverse("admin:login"))["Content-Security-Policy"]
    directives = dict(part.strip().split(" ", 1) for part in policy.split(";"))
    assert directives["default-src"] == "'self'"
    assert directives["script-src"] == "'self'"
    assert directives["style-src"] == "'self'"
    assert directives["frame-ancestors"] == "'none'"
    assert directives["object-src"] == "'none'"
    assert "unsafe" not in policy


def test_admin_login_page_has_no_inline_code(client):
    response = client.get(reverse("admin:login"))
    assert response.status_code == 200
    assert inline_code(response.content.decode()) == []


def test_admin_pages_have_no_inline_code(seed, secretariat_client):
    for url in admin_pages():
        response = secretariat_client.get(url)
        assert response.status_code == 200, url
        assert "Content-Security-Policy" in response, url
        assert inline_code(response.content.decode()) == [], url


def test_pages_cannot_be_framed(client):
    assert client.get(reverse("admin:login"))["X-Frame-Options"] == "DENY"


def test_the_checks_find_inline_code():
    html = '<p style="color:red" onclick="x()"><script>alert(1)</script><style>p{}</style><a href="javascript:x">'
    assert len(inline_code(html)) == 5
    assert inline_code('<script src="/static/a.js"></script><script type="application/json">{}</script>') == []

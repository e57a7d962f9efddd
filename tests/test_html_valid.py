"""The Nu HTML Checker (vnu.jar) finds no error on any page type, public or admin.

Every page is fetched with the test client and the checker runs once over all of them (one
Java start per test). Filtered, invalid-input and htmx-fragment variants are checked too.
"""

import pytest
from django.template.loader import render_to_string
from django.urls import reverse

from editions.models import Edition
from tasks.models import Meeting, ProgressUpdate, Task, WorkingGroup
from tests.admin_forms import change_form_data
from tests.outside_tools import as_document, check_html
from tests.progress_import import IMPORT_URL, current_rows, set_row, upload, workbook_bytes

pytestmark = pytest.mark.django_db

HTMX = {"HX-Request": "true", "HX-Target": "results", "HX-Current-URL": "http://testserver/tasks/"}
INVALID = {"article": ["²", "99999"], "status": ["\x0b", "nonsense"], "per_page": "7", "meeting": "abc"}
INVALID |= {"q": "a\x00b" + "x" * 300, "sort": "\x01", "group": "none", "page": "①"}


def public_pages():
    """Return {name: (url, query, headers)} for every public page type and its variants."""
    task = Task.objects.get(position=6)
    edition = Meeting.objects.get(short_title="IISG-2")  # the seed's meeting: it has an issued edition
    computed = Meeting.objects.get(short_title="IISG-3")  # no issued edition: its table is computed
    issued = Edition.objects.get(meeting=edition)
    undated = Meeting.objects.filter(start_date__isnull=True).first()
    pages = {
        "overview": ("/", {}, {}),
        "overview as at a meeting": ("/", {"meeting": edition.pk}, {}),
        "table": (reverse("tasks:list"), {}, {}),
        "table filtered": (reverse("tasks:list"), {"group": "twg", "status": ["draft", "in_progress"], "q": "e"}, {}),
        "table by articles, sorted, paged": (
            reverse("tasks:list"),
            {"article": ["7", "14"], "sort": "-status", "per_page": "10", "page": "2"},
            {},
        ),
        "table as at a meeting": (reverse("tasks:list"), {"meeting": edition.pk}, {}),
        "table, invalid input": (reverse("tasks:list"), INVALID, {}),
        "table, nothing found": (reverse("tasks:list"), {"q": "no-such-word"}, {}),
        "table fragment (htmx)": (reverse("tasks:list"), {"group": "lwg"}, HTMX),
        "table fragment, invalid input (htmx)": (reverse("tasks:list"), INVALID, HTMX),
        "task": (task.get_absolute_url(), {}, {}),
        "articles": (reverse("articles:list"), {}, {}),
        "article": (reverse("articles:detail", args=[14]), {}, {}),
        "article filtered, invalid input": (reverse("articles:detail", args=[14]), INVALID, {}),
        "article fragment (htmx)": (reverse("articles:detail", args=[14]), {"status": "draft"}, HTMX),
        "group": (reverse("tasks:group", args=["twg"]), {}, {}),
        "group filtered, invalid input": (reverse("tasks:group", args=["twg"]), INVALID, {}),
        "meetings": (reverse("tasks:meetings"), {}, {}),
        "meeting edition": (edition.get_absolute_url(), {}, {}),
        "meeting edition, invalid input": (edition.get_absolute_url(), INVALID, {}),
        "meeting, computed table": (computed.get_absolute_url(), {}, {}),
        "meeting fragment (htmx)": (computed.get_absolute_url(), {"group": "twg"}, HTMX),
        "issued editions": (reverse("editions:list"), {}, {}),
        "issued editions filtered, invalid input": (reverse("editions:list"), {"meeting": "x", "group": "%00"}, {}),
        "issued edition": (issued.get_absolute_url(), {}, {}),
        "issued edition filtered, sorted": (issued.get_absolute_url(), {"status": "draft", "sort": "-status"}, {}),
        "issued edition fragment (htmx)": (issued.get_absolute_url(), {"group": "twg"}, HTMX),
        "comparison with today": (reverse("editions:compare"), {"from": issued.pk, "to": "live"}, {}),
        "comparison, invalid input": (reverse("editions:compare"), {"from": "²", "to": "x"}, {}),
        "not found": ("/no-such-page/", {}, {}),
        "sign in": (reverse("login"), {"next": "/admin/"}, {}),
    }
    if undated is not None:
        pages["meeting without a date"] = (undated.get_absolute_url(), {}, {})
    return pages


def admin_pages():
    """Return {name: url} for every admin page type the secretariat uses."""
    task = Task.objects.get(position=6)
    update = ProgressUpdate.objects.filter(task=task).first()
    meeting = Meeting.objects.get(short_title="IISG-2")
    group = WorkingGroup.objects.get(slug="twg")
    version = task.history.first()
    return {
        "index": reverse("admin:index"),
        "app index": reverse("admin:app_list", args=["tasks"]),
        "tasks": reverse("admin:tasks_task_changelist"),
        "tasks searched and filtered": reverse("admin:tasks_task_changelist") + "?q=data&lead_group__id__exact=2",
        "tasks, invalid input": reverse("admin:tasks_task_changelist") + "?q=%00x&o=%C2%B2&p=%E2%91%A0",
        "task": reverse("admin:tasks_task_change", args=[task.pk]),
        "task added": reverse("admin:tasks_task_add"),
        "task history": reverse("admin:tasks_task_history", args=[task.pk]),
        "task version": reverse("admin:tasks_task_simple_history", args=[task.pk, version.history_id]),
        "task deleted list": reverse("admin:tasks_task_deleted"),
        "task delete": reverse("admin:tasks_task_delete", args=[task.pk]),
        "updates": reverse("admin:tasks_progressupdate_changelist"),
        "updates filtered": reverse("admin:tasks_progressupdate_changelist") + f"?meeting__id__exact={meeting.pk}",
        "update": reverse("admin:tasks_progressupdate_change", args=[update.pk]),
        "update added": reverse("admin:tasks_progressupdate_add"),
        "update history": reverse("admin:tasks_progressupdate_history", args=[update.pk]),
        "import": reverse("admin:tasks_progressupdate_import"),
        "meetings": reverse("admin:tasks_meeting_changelist"),
        "meeting": reverse("admin:tasks_meeting_change", args=[meeting.pk]),
        "meeting added": reverse("admin:tasks_meeting_add"),
        "groups": reverse("admin:tasks_workinggroup_changelist"),
        "group": reverse("admin:tasks_workinggroup_change", args=[group.pk]),
        "articles": reverse("admin:articles_article_changelist"),
        "article": reverse("admin:articles_article_change", args=[14]),
        "article added": reverse("admin:articles_article_add"),
        "users": reverse("admin:auth_user_changelist"),
        "password change": reverse("admin:password_change"),
    }


def fetch(client, url, query=None, headers=None):
    response = client.get(url, query or {}, headers=headers or {})
    assert response.status_code in (200, 400, 404), (url, response.status_code)  # 400: a refused comparison
    html = response.content.decode()
    return as_document(html) if headers else html


def assert_valid(documents, tmp_path):
    report = check_html(documents, tmp_path)
    assert report.pop("known invalid", None), "the checker ran but did not report the known-invalid page"
    assert report == {}, "\n".join(f"{name}:\n  " + "\n  ".join(errors) for name, errors in report.items())


KNOWN_INVALID = '<!doctype html><html lang="en"><head><title>x</title></head><body><p hx-get="/">\x00</p></body></html>'


def test_public_pages_are_valid_html(client, seed, tmp_path, delegate):
    pages = public_pages()
    documents = {name: fetch(client, *page) for name, page in pages.items()}
    documents["server error"] = render_to_string("500.html")
    failed = client.post(reverse("login"), {"username": "nobody", "password": "wrong"})
    documents["sign in, failed"] = failed.content.decode()
    client.force_login(delegate)
    documents |= {f"{name}, signed in": fetch(client, *pages[name]) for name in ("overview", "table", "task")}
    documents["known invalid"] = KNOWN_INVALID
    assert_valid(documents, tmp_path)


def conflict_page(client, task):
    """Return the task page as it answers a save overtaken by another one (the "theirs vs. yours" report)."""
    url = reverse("admin:tasks_task_change", args=[task.pk])
    page = client.get(url)
    other = change_form_data(page)
    other["title"] = "Changed meanwhile"
    assert client.post(url, other).status_code == 302
    mine = change_form_data(page)
    mine["title"] = "Changed here too"
    response = client.post(url, mine)
    assert "Changed meanwhile" in response.content.decode()
    return response.content.decode()


def test_admin_pages_are_valid_html(client, seed, tmp_path, django_user_model):
    signed_out = {"admin sign in": fetch(client, reverse("admin:login"))}
    failed = client.post(reverse("admin:login"), {"username": "nobody", "password": "wrong"})
    signed_out["admin sign in, failed"] = failed.content.decode()
    client.force_login(django_user_model.objects.create_superuser("root", "root@example.org", "x"))
    documents = signed_out | {name: fetch(client, url) for name, url in admin_pages().items()}
    documents["import, refused file"] = upload(client, b"not a workbook").content.decode()
    rows = current_rows()
    set_row(rows, 1, status="Completed", narrative="Done.")
    set_row(rows, 2, status="Finished")  # a row in error
    assert upload(client, workbook_bytes(rows)).status_code == 302
    documents["import preview"] = fetch(client, reverse(f"{IMPORT_URL}_preview"))
    documents["task, save overtaken"] = conflict_page(client, Task.objects.get(position=3))
    documents["known invalid"] = KNOWN_INVALID
    assert_valid(documents, tmp_path)

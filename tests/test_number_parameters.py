"""Every number read from outside is read as int() reads it, within its field's range, and nothing else.

"²", "①", "⁷" and "7¹" pass str.isdigit() but int() refuses them; more than 4,300 digits
int() refuses too: neither may give a server error, in a query string, an admin form or URL,
an imported sheet or a command's argument.
"""

import argparse
import datetime

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client
from django.urls import reverse

from inputs import parse_int
from tasks.management.commands.generate_roadmap import positive
from tasks.models import Status, Task
from tasks.spreadsheets.progress_import import parse_task_id
from tests.factories import ArticleFactory, MeetingFactory, ProgressUpdateFactory, TaskFactory, UserFactory

pytestmark = pytest.mark.django_db

NOT_NUMBERS = ["²", "①", "⁷", "7¹", "1" * 5000, "7" * 40]
ARABIC_INDIC_SEVEN = "\u0667"  # int() reads it as 7, as it does " 7" and "+7"


@pytest.fixture
def roadmap():
    """Two tasks, one citing article 7, each with an update at a meeting."""
    meeting = MeetingFactory(start_date=datetime.date(2020, 3, 1), end_date=datetime.date(2020, 3, 3))
    cited = TaskFactory(position=1, title="Cites article seven", articles=[ArticleFactory(number=7)])
    other = TaskFactory(position=2, title="Cites article eight", articles=[ArticleFactory(number=8)])
    for task in (cited, other):
        ProgressUpdateFactory(task=task, meeting=meeting, reported_on=meeting.end_date, status=Status.DRAFT)
    return {"meeting": meeting, "cited": cited, "group": cited.lead_group}


def urls(roadmap):
    return [
        reverse("tasks:list"),
        reverse("tasks:group", args=[roadmap["group"].slug]),
        roadmap["meeting"].get_absolute_url(),
        reverse("tasks:feed"),
        reverse("tasks:export_xlsx"),
        reverse("tasks:export_docx"),
    ]


@pytest.mark.parametrize(
    ("name", "values"),
    [
        ("article", NOT_NUMBERS),
        ("meeting", ["²", "1" * 5000]),
        ("page", ["²", "1" * 5000]),
        ("per_page", ["²", "1" * 5000]),
    ],
)
def test_numbers_int_refuses_never_give_a_server_error(roadmap, name, values):
    client = Client(raise_request_exception=False)
    for url in urls(roadmap):
        for value in values:
            response = client.get(url, {name: value})
            assert response.status_code == 200, (url, name, value[:10], response.status_code)


@pytest.mark.parametrize("value", NOT_NUMBERS)
def test_an_article_int_refuses_is_named_and_left_out(client, roadmap, value):
    response = client.get(reverse("tasks:list"), {"article": value})
    assert response.status_code == 200
    assert "article" in response.context["filter"].errors
    assert len(response.context["table"].rows) == 2  # left out: both tasks shown


@pytest.mark.parametrize("value", [ARABIC_INDIC_SEVEN, " 7", "+7", "07"])
def test_an_article_number_is_read_as_int_reads_it(client, roadmap, value):
    response = client.get(reverse("tasks:list"), {"article": value})
    assert not response.context["filter"].errors
    assert [row.record for row in response.context["table"].rows] == [roadmap["cited"]]


@pytest.mark.parametrize("value", ["\u0661\u0660", " 10", "+10"])
def test_a_page_size_is_read_as_int_reads_it(client, roadmap, value):
    response = client.get(reverse("tasks:list"), {"per_page": value})
    assert not response.context["filter"].errors
    assert response.context["table"].paginator.per_page == 10


def test_a_meeting_id_is_read_as_int_reads_it(client, roadmap):
    digits = "".join(chr(0x0660 + int(d)) for d in str(roadmap["meeting"].pk))
    response = client.get(reverse("tasks:list"), {"meeting": digits})
    assert not response.context["filter"].errors
    assert response.context["filter"].edition_meeting == roadmap["meeting"]


def test_an_article_number_beyond_the_field_is_refused_before_the_database(client, roadmap):
    response = client.get(reverse("tasks:list"), {"article": "32768"})
    assert "article" in response.context["filter"].errors


def test_the_parser_accepts_what_int_accepts_in_range_and_nothing_else():
    assert parse_int(ARABIC_INDIC_SEVEN, minimum=1, maximum=9) == 7
    assert parse_int(" +7_0 ", minimum=1, maximum=99) == 70
    assert parse_int(7, minimum=1, maximum=9) == 7
    for value in [*NOT_NUMBERS, "", "7.0", "0x7", True, None, "10"]:
        assert parse_int(value, minimum=1, maximum=9) is None, value


# The admin: ids in URLs and in posted forms.


@pytest.fixture
def superuser_client(db):
    client = Client(raise_request_exception=False)
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    return client


@pytest.mark.parametrize("model", ["tasks/task", "tasks/progressupdate", "tasks/meeting", "tasks/workinggroup"])
@pytest.mark.parametrize("odd", ["²", "1" * 5000, "99999999999999999999"])
def test_admin_history_urls_with_odd_ids_are_not_found(superuser_client, roadmap, model, odd):
    for path in [f"{odd}/history/", f"{odd}/history/1/", f"1/history/{odd}/"]:
        response = superuser_client.get(f"/admin/{model}/{path}")
        assert response.status_code == 404, (path[:30], response.status_code)


def test_admin_history_url_reads_the_id_as_int_does(superuser_client, roadmap):
    task = roadmap["cited"]
    digits = "".join(chr(0x0660 + int(d)) for d in str(task.pk))
    response = superuser_client.get(f"/admin/tasks/task/{digits}/history/")
    assert response.status_code == 200
    assert task.title in response.content.decode()


@pytest.mark.parametrize("seen", ["²", "1" * 5000, "99999999999999999999"])
def test_admin_action_with_an_odd_seen_version_is_refused_not_a_server_error(superuser_client, roadmap, seen):
    task = roadmap["cited"]
    response = superuser_client.post(
        reverse("admin:tasks_task_changelist"),
        {
            "action": "delete_selected",
            "index": "0",
            "_selected_action": [str(task.pk)],
            f"seen_version_{task.pk}": seen,
        },
    )
    assert response.status_code == 302  # back to the list, with the message that the record changed
    assert Task.objects.filter(pk=task.pk).exists()


# The import and the commands.


@pytest.mark.parametrize("value", NOT_NUMBERS)
def test_an_imported_task_id_int_refuses_is_no_task_id(value):
    assert parse_task_id(value) is None


def test_an_imported_task_id_is_read_as_int_reads_it():
    assert parse_task_id(ARABIC_INDIC_SEVEN) == 7
    assert parse_task_id(7.0) == 7


@pytest.mark.parametrize("value", ["²", "1" * 5000])
def test_import_command_reads_an_odd_meeting_as_a_short_title(db, tmp_path, value):
    path = tmp_path / "updates.xlsx"
    path.write_bytes(b"not read")
    with pytest.raises(CommandError, match="No meeting has the id or short title"):
        call_command("import_progress", str(path), "--meeting", value)


@pytest.mark.parametrize("value", ["²", "1" * 5000, str(2**31)])
def test_generate_roadmap_refuses_counts_int_refuses_or_beyond_the_field(value):
    with pytest.raises(argparse.ArgumentTypeError):
        positive(value)

"""The fixtures hold the seed's road map table, repaired from the PDF conversion."""

import datetime

import pytest
from django.core.management import call_command

from articles.models import Article
from tasks.models import Meeting, ProgressUpdate, Status, Task, WorkingGroup

pytestmark = pytest.mark.django_db

# (lead group, status, articles) of the 18 rows, in the seed's order.
EXPECTED_ROWS = [
    ("twg", Status.IN_PROGRESS, [6]),
    ("lwg", Status.NOT_STARTED, [6]),
    ("twg", Status.IN_PROGRESS, [7, 14]),
    ("twg", Status.IN_PROGRESS, [8]),
    ("twg", Status.IN_PROGRESS, [8]),
    ("twg", Status.DRAFT, [9]),
    ("lwg", Status.NOT_STARTED, [10]),
    ("lwg", Status.NOT_STARTED, [10]),
    (None, Status.CANCELLED, []),
    ("lwg", Status.IN_PROGRESS, [13]),
    ("twg", Status.DRAFT, [13]),
    ("twg", Status.DRAFT, [14]),
    ("twg", Status.PENDING, [14]),
    ("twg", Status.IN_PROGRESS, [14]),
    ("twg", Status.IN_PROGRESS, [14]),
    ("twg", Status.IN_PROGRESS, [14]),
    ("lwg", Status.NOT_STARTED, [14]),
    ("twg", Status.IN_PROGRESS, [15]),
]


def seeded_tasks():
    return list(Task.objects.with_current_status().prefetch_related("articles"))


def test_seed_loads_the_eighteen_tasks_in_the_seeds_order(seed):
    tasks = seeded_tasks()
    assert [t.position for t in tasks] == list(range(1, 19))
    assert tasks[0].title == "Template for designing a good national policy framework"
    assert tasks[-1].title.startswith("Capacity-building support document on:")
    assert [
        (t.lead_group.slug if t.lead_group else None, t.current_status, [a.number for a in t.articles.all()])
        for t in tasks
    ] == EXPECTED_ROWS


def test_task_split_over_a_page_break_is_one_task(seed):
    task = Task.objects.get(position=5)
    assert task.title == (
        "Model memorandum of understanding and service-level agreement for mutual recognition "
        "of exchange of trade-related data in electronic form"
    )
    assert not Task.objects.filter(title="in electronic form").exists()
    assert task.current_update.narrative == (
        "Work initiated. The Technical Working Group is in the process of collecting sample memoranda and agreements."
    )


def test_unnext_row_is_repaired(seed):
    task = Task.objects.get(title="Legal readiness checklist")
    narrative = task.current_update.narrative
    assert "UNNExT Electronic Single Window Legal Issues: A Capacity-Building Guide. Work to be continued" in narrative
    assert "UNNEX T" not in narrative
    assert "<" not in narrative
    assert task.lead_group.short_name == "LWG"
    assert task.articles_label == "Article 13"


def test_liability_row_cites_no_article_and_names_no_lead(seed):
    task = Task.objects.get(title="Guide on how to establish an adequate legal liability framework")
    assert task.position == 9
    assert task.lead_group is None
    assert task.articles.count() == 0
    assert task.articles_label == ""
    assert task.current_status == Status.CANCELLED
    assert task.current_update.narrative == (
        "The Task is to be cancelled in accordance with a decision to delete provision on legal liability framework."
    )


def test_multi_part_task_keeps_its_parts_on_separate_lines(seed):
    task = Task.objects.get(position=3)
    assert task.title.splitlines() == [
        "A technical guide on:",
        "(1) How to develop or upgrade paperless trade systems consistently with the general principles",
        "(2) Facilitating concurrent implementation of national and cross-border paperless trade systems",
        "Annex: Different implementation options/mechanisms for paperless trade systems in an interoperable manner",
    ]
    assert task.articles_label == "Articles 7 and 14"


def test_narratives_have_no_conversion_debris(seed):
    for update in ProgressUpdate.objects.all():
        assert update.narrative == update.narrative.strip()
        assert "  " not in update.narrative
        assert "<i>" not in update.narrative and "<sup>" not in update.narrative


def test_each_task_has_one_update_reported_at_the_second_iisg(seed):
    iisg2 = Meeting.objects.get(short_title="IISG-2")
    assert ProgressUpdate.objects.count() == 18
    assert set(ProgressUpdate.objects.values_list("task_id", "meeting_id", "reported_on")) == {
        (task_id, iisg2.pk, datetime.date(2016, 3, 23)) for task_id in Task.objects.values_list("pk", flat=True)
    }


def test_working_groups_meetings_and_articles(seed):
    assert list(WorkingGroup.objects.values_list("slug", "short_name", "name")) == [
        ("lwg", "LWG", "Legal Working Group"),
        ("twg", "TWG", "Technical Working Group"),
    ]
    meetings = list(Meeting.objects.all())
    assert len(meetings) == 8
    assert [m.short_title for m in meetings][:3] == ["IISG-1", "LTWG-1", "LTWG-2"]
    assert meetings[-1].short_title == "LTWG-3"  # date not verified: ordered last
    assert meetings[-1].start_date is None
    iisg2 = Meeting.objects.get(short_title="IISG-2")
    assert (iisg2.start_date, iisg2.end_date, iisg2.venue) == (
        datetime.date(2016, 3, 23),
        datetime.date(2016, 3, 25),
        "Bangkok",
    )
    edition = iisg2.editions.get()  # the meeting's document lines are its issued edition's
    assert (edition.distribution, edition.language_line, edition.agenda_item) == ("participants", "English only", "4")
    titles = dict(Article.objects.values_list("number", "title"))
    assert titles[9] == "International standards for exchange of trade-related data and documents in electronic form"
    assert titles[11] == "Institutional arrangements"
    assert all(titles[n] == "" for n in (6, 7, 10, 13, 14, 15))


def test_load_seed_leaves_an_existing_database_alone(seed):
    Task.objects.filter(position=1).update(title="Edited by the secretariat")
    call_command("load_seed", verbosity=0)
    assert Task.objects.count() == 18
    assert Task.objects.get(position=1).title == "Edited by the secretariat"

"""Comparisons the mutation sample found untested: a task's history of three or more updates, what
changed between editions when an update is dated after the compared meeting, the cut of a long
change list, a meeting's place and dates in every shape; and the table's filter and export scope."""

import datetime

import pytest
from django.utils import timezone, translation

from tasks.filters import TaskFilter, edition_meetings
from tasks.models import ProgressUpdate, Status, Task
from tasks.selectors import (
    dashboard_summary,
    edition_changes,
    latest_reporting_meeting,
    latest_updates,
    previous_edition_meeting,
    task_history,
)
from tasks.spreadsheets.scope import ExportOptionsForm, ExportScope, meeting_place_and_dates, status_labels
from tests.factories import ArticleFactory, MeetingFactory, ProgressUpdateFactory, TaskFactory, WorkingGroupFactory
from translations.states import NOTES, State

pytestmark = pytest.mark.django_db


def day(month, date=1, year=2021):
    return datetime.date(year, month, date)


def test_each_update_of_a_long_history_is_compared_with_the_one_before_it():
    task = TaskFactory()
    first = ProgressUpdateFactory(task=task, reported_on=day(1), status=Status.NOT_STARTED, narrative="Not yet.")
    second = ProgressUpdateFactory(task=task, reported_on=day(2), status=Status.IN_PROGRESS, narrative="Begun.")
    third = ProgressUpdateFactory(task=task, reported_on=day(3), status=Status.DRAFT, narrative="Begun, drafted.")
    fourth = ProgressUpdateFactory(task=task, reported_on=day(4), status=Status.DRAFT, narrative="Begun, drafted.")
    history = task_history(task)
    assert [(entry.new, entry.old) for entry in history] == [
        (fourth, third),
        (third, second),
        (second, first),
        (first, None),
    ]
    assert [entry.status_changed for entry in history] == [False, True, True, False]
    assert [entry.narrative_changed for entry in history] == [False, True, True, False]
    assert history[1].narrative_diff == [("-", "Begun."), ("+", "Begun, drafted.")]


def meetings():
    return (
        MeetingFactory(start_date=day(3), end_date=day(3, 2)),
        MeetingFactory(start_date=day(9), end_date=day(9, 2)),
    )


def test_an_update_dated_after_the_compared_meeting_is_not_in_its_edition():
    previous, meeting = meetings()
    task = TaskFactory()
    old = ProgressUpdateFactory(task=task, meeting=previous, status=Status.IN_PROGRESS, narrative="Begun.")
    new = ProgressUpdateFactory(task=task, meeting=meeting, status=Status.COMPLETED, narrative="Done.")
    ProgressUpdateFactory(task=task, reported_on=day(11), status=Status.CANCELLED, narrative="Set aside later.")
    changes = edition_changes(meeting, previous)
    [change] = changes["changes"]
    assert (change.old, change.new) == (old, new)
    assert changes["counts"] == {
        "changed": 1,
        "added": 0,
        "status_changed": 1,
        "narrative_changed": 1,
        "finished": 1,
    }
    assert changes["finished"] == [change]


def test_a_task_unchanged_between_editions_is_not_listed():
    previous, meeting = meetings()
    task = TaskFactory()
    ProgressUpdateFactory(task=task, meeting=previous, status=Status.IN_PROGRESS, narrative="Begun.")
    added = TaskFactory()
    ProgressUpdateFactory(task=added, meeting=meeting, status=Status.IN_PROGRESS, narrative="New task.")
    changes = edition_changes(meeting, previous)
    assert [change.task for change in changes["changes"]] == [added]
    assert changes["counts"]["added"] == 1 and changes["added"][0].old is None


def test_a_long_change_list_is_cut_and_says_how_many_in_all():
    previous, meeting = meetings()
    for _ in range(5):
        ProgressUpdateFactory(task=TaskFactory(), meeting=meeting, status=Status.DRAFT)
    changes = edition_changes(meeting, previous, limit=3)
    assert (len(changes["changes"]), changes["total"], changes["truncated"]) == (3, 5, True)
    whole = edition_changes(meeting, previous, limit=5)
    assert (len(whole["changes"]), whole["truncated"]) == (5, False)
    first = edition_changes(meeting, None, limit=3)
    assert (first["counts"]["added"], first["total"], first["truncated"]) == (5, 5, True)


def test_the_change_list_holds_a_hundred_by_default_in_road_map_order_ties_by_creation():
    previous, meeting = meetings()
    group = WorkingGroupFactory()
    later = [TaskFactory(position=5, lead_group=group) for _ in range(99)]
    tied = [TaskFactory(position=2, lead_group=group) for _ in range(2)]
    for task in later + tied:
        ProgressUpdateFactory(task=task, meeting=meeting, status=Status.DRAFT)
    changes = edition_changes(meeting, previous)
    assert (len(changes["changes"]), changes["total"], changes["truncated"]) == (100, 101, True)
    assert [change.task for change in changes["changes"]] == tied + later[:98]


def test_an_edition_of_a_meeting_without_dates_has_no_changes():
    assert edition_changes(MeetingFactory(start_date=None, end_date=None), None) is None


@pytest.mark.parametrize(
    ("start", "end", "expected"),
    [
        (None, None, "Bangkok"),
        (day(3, 23, 2016), None, "Bangkok, 23 March 2016"),
        (day(3, 23, 2016), day(3, 23, 2016), "Bangkok, 23 March 2016"),
        (day(3, 23, 2016), day(3, 25, 2016), "Bangkok, 23-25 March 2016"),
        (day(3, 30, 2016), day(4, 2, 2016), "Bangkok, 30 March-2 April 2016"),
        (day(12, 30, 2016), day(1, 2, 2017), "Bangkok, 30 December 2016-2 January 2017"),
    ],
)
def test_meeting_place_and_dates_in_every_shape(start, end, expected):
    meeting = MeetingFactory.build(venue="Bangkok", start_date=start, end_date=end)
    assert meeting_place_and_dates(meeting) == expected


def test_only_meetings_with_a_date_can_date_an_edition():
    dated = MeetingFactory()
    undated = MeetingFactory(start_date=None, end_date=None)
    offered = list(TaskFilter().form.fields["meeting"].queryset)
    assert dated in offered and undated not in offered
    assert "meeting" in TaskFilter({"meeting": undated.pk}).errors


def test_search_reads_the_first_ten_words_only():
    task = TaskFactory(title="one two three four five six seven eight nine ten")
    ten = "one two three four five six seven eight nine ten"
    assert list(TaskFilter({"q": ten}).qs) == [task]
    assert list(TaskFilter({"q": ten + " eleven"}).qs) == [task]  # the eleventh word is not looked for
    assert list(TaskFilter({"q": "one eleven"}).qs) == []


def test_tasks_chosen_by_hand_are_a_narrowed_scope():
    tasks = TaskFactory.create_batch(3)
    scope = ExportScope.from_selection(Task.objects.filter(pk__in=[tasks[0].pk, tasks[1].pk]))
    assert scope.narrowed is True and scope.selected == 2
    assert sorted(task.pk for task in scope.tasks) == sorted([tasks[0].pk, tasks[1].pk])


def test_the_export_history_lists_each_update_task_by_task_in_position_order_with_local_times(settings):
    settings.TIME_ZONE = "Asia/Bangkok"
    meeting = MeetingFactory(short_title="M-H", start_date=day(6), end_date=day(6, 2))
    later_task = TaskFactory(position=2)
    first_task = TaskFactory(position=1)  # created second: the history still lists it first
    old = ProgressUpdateFactory(task=first_task, reported_on=day(1), status=Status.NOT_STARTED, narrative="Old")
    new = ProgressUpdateFactory(task=first_task, meeting=meeting, status=Status.DRAFT, narrative="New")
    ProgressUpdateFactory(task=later_task, reported_on=day(2), status=Status.COMPLETED, narrative="Done")

    ProgressUpdate.objects.filter(pk=old.pk).update(
        created_at=datetime.datetime(2021, 1, 1, 20, 30, tzinfo=datetime.UTC)
    )
    rows = list(ExportScope(tasks=Task.objects.as_of(None)).history())
    assert [(row[0], row[1], row[2], row[3], row[4], row[5]) for row in rows] == [
        (first_task.pk, 1, day(1), "", Status.NOT_STARTED, "Old"),
        (first_task.pk, 1, new.reported_on, "M-H", Status.DRAFT, "New"),
        (later_task.pk, 2, day(2), "", Status.COMPLETED, "Done"),
    ]
    assert rows[0][6] == datetime.datetime(2021, 1, 2, 3, 30)  # Bangkok time, naive for Excel
    with timezone.override("America/New_York"):  # the active time zone, where a request sets one
        rows = list(ExportScope(tasks=Task.objects.as_of(None)).history())
    assert rows[0][6] == datetime.datetime(2021, 1, 1, 15, 30)


def test_the_export_options_errors_read_one_line_per_parameter():
    form = ExportOptionsForm({"history": "2", "date": "yesterday", "hide": ["lead", "title"]})
    assert not form.is_valid()
    lines = form.error_text().split("\n")
    assert [line.split(": ", 1)[0] for line in lines] == ["hide", "history", "date"]
    assert lines[2] == "date: Enter a valid date."
    assert form.error_text().count("\n") == 2
    two = ExportOptionsForm({"symbol": "S" * 61})
    two.add_error("symbol", "A second reason.")
    assert two.error_text() == (
        "symbol: Ensure this value has at most 60 characters (it has 61). A second reason."
    )  # a parameter's messages on one line, a space between them
    assert lines[0] == "hide: Select a valid choice. title is not one of the available choices."


def test_the_previous_edition_is_the_latest_meeting_before_with_updates():
    early = MeetingFactory(start_date=day(1), end_date=day(1, 3))
    undated_end = MeetingFactory(start_date=day(5), end_date=None)
    no_updates = MeetingFactory(start_date=day(7), end_date=day(7, 2))
    target = MeetingFactory(start_date=day(9), end_date=day(9, 2))
    overlapping = MeetingFactory(start_date=day(9), end_date=day(9, 3))
    for meeting in (early, undated_end, target, overlapping):
        ProgressUpdateFactory(meeting=meeting)
    assert previous_edition_meeting(target) == undated_end
    assert no_updates not in {previous_edition_meeting(m) for m in (early, undated_end, target)}
    assert previous_edition_meeting(undated_end) == early
    assert previous_edition_meeting(early) is None
    twin = MeetingFactory(start_date=day(5), end_date=None)
    ProgressUpdateFactory(meeting=twin)
    assert previous_edition_meeting(target) == twin  # the same day: the one recorded last


def test_the_latest_reporting_meeting_is_the_latest_dated_one_with_updates():
    first = MeetingFactory(start_date=day(1))
    MeetingFactory(start_date=day(5))  # no updates
    MeetingFactory(start_date=None, end_date=None)
    ProgressUpdateFactory(meeting=first)
    assert latest_reporting_meeting() == first
    twin = MeetingFactory(start_date=day(1))
    ProgressUpdateFactory(meeting=twin)
    assert latest_reporting_meeting() == twin
    earlier_recorded_later = MeetingFactory(start_date=day(1, year=2020))  # the date decides, not the order
    ProgressUpdateFactory(meeting=earlier_recorded_later)
    assert latest_reporting_meeting() == twin


def test_the_dashboard_lists_the_eight_latest_updates_latest_first():
    updates = [ProgressUpdateFactory(reported_on=day(1, n)) for n in (3, 1, 10, 2, 9, 4, 8, 5, 7, 6)]
    assert latest_updates() == sorted(updates, key=lambda update: update.reported_on, reverse=True)[:8]


def test_the_dashboard_as_at_a_meeting_lists_that_editions_latest_updates():
    meeting = MeetingFactory(start_date=day(3), end_date=day(3, 2))
    before = ProgressUpdateFactory(meeting=meeting)
    ProgressUpdateFactory(reported_on=day(6))
    summary = dashboard_summary(meeting)
    assert summary["meeting"] == meeting
    assert summary["latest_updates"] == [before]
    assert summary["latest_meeting"] == meeting


def test_each_list_of_changes_holds_its_own_kind_counted_over_changed_tasks_only():
    previous, meeting = meetings()
    steady, reworded, finished_quietly, added = (TaskFactory(position=p) for p in (4, 3, 2, 1))
    ProgressUpdateFactory(task=steady, meeting=previous, status=Status.DRAFT, narrative="Same.")
    ProgressUpdateFactory(task=reworded, meeting=previous, status=Status.DRAFT, narrative="Old words.")
    ProgressUpdateFactory(task=reworded, meeting=meeting, status=Status.DRAFT, narrative="New words.")
    ProgressUpdateFactory(task=finished_quietly, meeting=previous, status=Status.COMPLETED, narrative="Done.")
    ProgressUpdateFactory(task=finished_quietly, meeting=meeting, status=Status.COMPLETED, narrative="Done, said.")
    ProgressUpdateFactory(task=added, meeting=meeting, status=Status.IN_PROGRESS, narrative="New.")
    changes = edition_changes(meeting, previous)
    assert changes["counts"] == {"changed": 3, "added": 1, "status_changed": 0, "narrative_changed": 2, "finished": 0}
    assert [change.task for change in changes["changes"]] == [added, finished_quietly, reworded]  # by position
    assert changes["status_changed"] == [] and changes["finished"] == []
    assert [change.task for change in changes["narrative_changed"]] == [finished_quietly, reworded]
    first = edition_changes(meeting, None)
    assert first["counts"] == {"changed": 4, "added": 4, "status_changed": 0, "narrative_changed": 0, "finished": 0}


def test_the_export_options_make_their_text_xml_safe():
    form = ExportOptionsForm({"symbol": "A\x01B", "language": "English\x02 only", "agenda_item": "4\x03"})
    assert form.is_valid(), form.errors
    assert (form.cleaned_data["symbol"], form.cleaned_data["language"], form.cleaned_data["agenda_item"]) == (
        "AB",
        "English only",
        "4",
    )


def test_the_export_rows_come_in_road_map_order_with_their_articles_ascending():
    from tasks.models import TaskArticle
    from tests.factories import ArticleFactory

    third, first, second_a, second_b = (TaskFactory(position=position) for position in (3, 1, 2, 2))
    article_14, article_7 = ArticleFactory(number=14), ArticleFactory(number=7)
    TaskArticle.objects.create(task=third, article=article_14)  # linked in the other order
    TaskArticle.objects.create(task=third, article=article_7)
    rows = list(ExportScope.from_filter(TaskFilter({})).rows())
    assert [row.id for row in rows] == [first.pk, second_a.pk, second_b.pk, third.pk]
    assert rows[-1].articles == (7, 14)


def test_the_export_rows_in_french_show_the_current_translation_else_the_english_with_a_note():
    current = TaskFactory(position=1, title="Legal framework", title_fr="Cadre juridique")
    current.title_fr_source = current.title
    current.save()
    ProgressUpdateFactory(task=current, narrative="Drafted.", narrative_fr="Rédigé.", narrative_fr_source="Draft.")
    TaskFactory(position=2, title="Single window")
    ProgressUpdateFactory(
        task=TaskFactory(position=3), narrative="Adopted.", narrative_fr="Adopté.", narrative_fr_source="Adopted."
    )
    with translation.override("fr"):
        first, second, third = ExportScope.from_filter(TaskFilter({})).rows()
        outdated, missing = str(NOTES[State.OUTDATED]), str(NOTES[State.MISSING])
    assert (first.title, first.shown_title) == ("Legal framework", "Cadre juridique")
    assert first.shown_narrative == f"Drafted.\n[{outdated}]"  # translated from an earlier English text
    assert second.shown_title == f"Single window\n[{missing}]"
    assert second.shown_narrative == ""  # no update: nothing to translate, no note
    assert (second.status, second.meeting, second.reported_on) == ("", "", None)
    assert (third.narrative, third.shown_narrative) == ("Adopted.", "Adopté.")  # a current translation
    with translation.override("en"):
        english = next(iter(ExportScope.from_filter(TaskFilter({})).rows()))
    assert english.shown_title == "Legal framework"


def test_the_search_in_french_reads_current_translations_only():
    current = TaskFactory(title="Legal framework", title_fr="Cadre juridique")
    current.title_fr_source = current.title
    current.save()
    TaskFactory(title="Trade data", title_fr="Cadre juridique ancien", title_fr_source="Old English title")
    update = ProgressUpdateFactory(narrative="Work initiated.", narrative_fr="Travaux engagés.")
    update.narrative_fr_source = update.narrative
    update.save()
    with translation.override("fr"):
        assert set(TaskFilter({"q": "juridique"}).qs) == {current}  # an outdated translation is not searched
        assert set(TaskFilter({"q": "engagés"}).qs) == {update.task}
        assert set(TaskFilter({"q": "Legal juridique"}).qs) == {current}  # every word, in either language
    with translation.override("en"):
        assert not TaskFilter({"q": "juridique"}).qs.exists()


def test_the_article_filter_takes_article_one_and_refuses_what_is_no_article_number_by_code():
    task, _other = TaskFactory(), TaskFactory()
    task.articles.set([ArticleFactory(number=1)])
    chosen = TaskFilter({"article": ["1"]})
    assert not chosen.errors and list(chosen.qs) == [task]
    for value in ("0", "x"):
        errors = TaskFilter({"article": [value]}).form.errors.as_data()
        assert [error.code for error in errors["article"]] == ["invalid_choice"]


def test_the_filters_in_force_are_named_with_their_values_the_edition_last():
    group = WorkingGroupFactory(short_name="TWG", slug="twg")
    meeting = MeetingFactory(short_title="IISG-3")
    ArticleFactory(number=7), ArticleFactory(number=14)
    chosen = TaskFilter(
        {
            "q": "  single   window ",
            "group": "twg",
            "article": ["14", "7"],
            "status": [Status.DRAFT, Status.COMPLETED],
            "meeting": meeting.pk,
        }
    )
    in_force = [
        ("Search", "“single window”"),
        ("Working group", group.short_name),
        ("Articles", "7, 14"),
        ("Status", "Draft prepared, Completed"),
    ]
    assert [(str(label), value) for label, value in chosen.applied()] == [*in_force, ("As at meeting", "IISG-3")]
    assert [(str(label), value) for label, value in chosen.applied(edition=False)] == in_force
    assert TaskFilter({}).applied() == []


def test_control_characters_in_a_search_are_read_as_spaces():
    chosen = TaskFilter({"q": "single\x01window\u200bdata\x7fset"})  # none of them whitespace
    assert chosen.is_valid()
    assert chosen.form.cleaned_data["q"] == "single window data set"


@pytest.mark.parametrize("value", ["\u0661\u0660", " 10", "+10", "010"])
def test_a_page_size_is_read_as_int_reads_it_and_given_as_the_choice(value):
    chosen = TaskFilter({"per_page": value})
    assert chosen.is_valid()
    assert chosen.form.cleaned_data["per_page"] == 10


def test_no_page_size_is_the_default_and_one_not_offered_is_refused():
    chosen = TaskFilter({"per_page": ""})
    assert chosen.is_valid() and chosen.form.cleaned_data["per_page"] == 25
    assert "per_page" in TaskFilter({"per_page": "7"}).form.errors


def test_a_meeting_that_is_no_id_is_refused_by_code():
    for value in ("abc", "0", "²"):
        errors = TaskFilter({"meeting": value}).form.errors.as_data()
        assert [error.code for error in errors["meeting"]] == ["invalid_choice"]


def test_the_filters_know_whether_the_address_chose_any_and_label_articles_by_number(rf):
    ArticleFactory(number=7)
    assert TaskFilter(rf.get("/tasks/").GET, request=rf.get("/tasks/")).chosen_in_url is False
    chosen = rf.get("/tasks/", {"status": Status.DRAFT})
    assert TaskFilter(chosen.GET, request=chosen).chosen_in_url is True
    assert [label for _value, label in TaskFilter().form.fields["article"].choices] == [7]


def test_the_export_history_keeps_two_tasks_at_one_position_apart():
    first, second = TaskFactory(position=4), TaskFactory(position=4)
    for task, days in ((second, (2, 4)), (first, (1, 3))):
        for date in days:
            ProgressUpdateFactory(task=task, reported_on=day(1, date), status=Status.DRAFT)
    rows = list(ExportScope(tasks=Task.objects.as_of(None)).history())
    assert [(row[0], row[2].day) for row in rows] == [(first.pk, 1), (first.pk, 3), (second.pk, 2), (second.pk, 4)]


def test_the_status_labels_are_in_the_language_asked_else_the_active_one():
    with translation.override("fr"):
        assert status_labels()[Status.COMPLETED] == "Achevée"
        assert status_labels("en")[Status.COMPLETED] == "Completed"
    with translation.override("en"):
        assert status_labels("fr")[Status.DRAFT] == "Projet établi"


def test_the_filters_narrow_the_queryset_they_are_given():
    given, _other = TaskFactory(), TaskFactory()
    assert list(TaskFilter({}, queryset=Task.objects.filter(pk=given.pk)).qs) == [given]


def test_the_export_rows_stream_from_a_queryset_with_prefetches_as_the_api_gives_it():
    task = TaskFactory()
    rows = list(ExportScope(tasks=Task.objects.as_of(None).prefetch_related("articles")).rows())
    assert [row.id for row in rows] == [task.pk]


def test_a_page_size_not_offered_is_named_as_int_reads_it():
    assert TaskFilter({"per_page": "01"}).form.errors["per_page"] == [
        "Select a valid choice. 1 is not one of the available choices."
    ]


def test_the_export_history_orders_one_days_updates_by_when_they_were_recorded_not_by_id():
    task = TaskFactory()
    restored = ProgressUpdateFactory(task=task, reported_on=day(2), narrative="Recorded second, restored")
    first = ProgressUpdateFactory(task=task, reported_on=day(2), narrative="Recorded first")
    ProgressUpdate.objects.filter(pk=first.pk).update(created_at=restored.created_at - datetime.timedelta(hours=1))
    rows = list(ExportScope(tasks=Task.objects.as_of(None)).history())
    assert [row[5] for row in rows] == ["Recorded first", "Recorded second, restored"]


def test_only_meetings_with_a_date_are_edition_meetings():
    dated = MeetingFactory()
    MeetingFactory(start_date=None, end_date=None)
    assert list(edition_meetings()) == [dated]

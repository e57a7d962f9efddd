"""The life of an edition, draft to revision, through the admin as the two people involved do it.

Ana (the secretariat) prepares and submits; Ben (the secretariat too) clears and issues. Then a
late update arrives, Ana revises, and the revision supersedes the issued edition.
"""

import datetime

import pytest
from django.contrib.messages import get_messages
from django.test import Client
from django.urls import reverse

from editions.models import Edition, EditionFile, EditionRow, State, Step
from tasks.models import Meeting, Status, Task
from tests.admin_forms import change_form_data
from tests.factories import ProgressUpdateFactory

pytestmark = pytest.mark.django_db

ADD = reverse("admin:editions_edition_add")


def step_url(edition, step):
    return reverse("admin:editions_edition_step", args=[edition.pk, step])


def messages_of(response):
    return [str(message) for message in get_messages(response.wsgi_request)]


@pytest.fixture
def ana(secretariat):
    client = Client()
    client.force_login(secretariat)
    return client


@pytest.fixture
def ben(second_secretariat):
    client = Client()
    client.force_login(second_secretariat)
    return client


@pytest.fixture
def iisg3(seed):
    meeting = Meeting.objects.get(short_title="IISG-3")
    ProgressUpdateFactory(
        task=Task.objects.get(position=6),
        meeting=meeting,
        reported_on=meeting.end_date,
        status=Status.COMPLETED,
        narrative="The framework has been completed.",
    )
    return meeting


def draft_data(meeting, **changes):
    data = {
        "meeting": meeting.pk,
        "title": "Update on progress status for tasks",
        "symbol": "ESCAP/PTA/IISG(3)/CRP.1",
        "distribution": "participants",
        "language_line": "English only",
        "agenda_item": "4",
        "agenda_title": "Road map",
        "document_date": "2017-03-23",
        "introduction": "The table below gives the progress status.",
        "group": "",
        "articles": "",
        "steps-TOTAL_FORMS": "0",
        "steps-INITIAL_FORMS": "0",
    }
    return {**data, **changes}


def prepare(ana, meeting, **changes):
    response = ana.post(ADD, draft_data(meeting, **changes))
    assert response.status_code == 302, response.context["adminform"].form.errors
    return Edition.objects.get(symbol=draft_data(meeting, **changes)["symbol"])


def test_two_people_take_an_edition_from_draft_to_revision(ana, ben, iisg3, secretariat, second_secretariat):
    edition = prepare(ana, iisg3)
    assert edition.state == State.DRAFT and edition.created_by == secretariat

    # Ana previews the draft: the live table as at the meeting, and its Word document.
    preview = ana.get(reverse("admin:editions_edition_preview", args=[edition.pk]))
    assert "The framework has been completed." in preview.content.decode()
    word = ana.get(reverse("admin:editions_edition_preview_file", args=[edition.pk, "docx"]))
    assert word.status_code == 200 and b"".join(word.streaming_content)[:2] == b"PK"

    ana.post(step_url(edition, "submit"), {"comment": "Ready for clearance."})
    edition.refresh_from_db()
    assert edition.state == State.SUBMITTED

    # Four eyes: Ana cannot clear what she submitted.
    response = ana.post(step_url(edition, "clear"), follow=True)
    assert "someone else must clear it" in " ".join(messages_of(response))
    edition.refresh_from_db()
    assert edition.state == State.SUBMITTED

    # Ben sends it back with a reason; the draft is Ana's to edit again.
    ben.post(step_url(edition, "send_back"), {"comment": "Agenda item is 5."})
    edition.refresh_from_db()
    assert edition.state == State.DRAFT
    assert edition.steps.last().comment == "Agenda item is 5." and edition.steps.last().user == second_secretariat
    page = ana.get(reverse("admin:editions_edition_change", args=[edition.pk]))
    data = change_form_data(page)
    data["agenda_item"] = "5"
    assert ana.post(reverse("admin:editions_edition_change", args=[edition.pk]), data).status_code == 302
    ana.post(step_url(edition, "submit"))
    ben.post(step_url(edition, "clear"), {"comment": "Cleared."})
    response = ben.post(step_url(edition, "issue"), follow=True)
    assert "Issued." in " ".join(messages_of(response))

    edition.refresh_from_db()
    assert edition.state == State.ISSUED and edition.agenda_item == "5"
    assert edition.rows.count() == 18
    assert EditionRow.objects.get(edition=edition, position=6).status == Status.COMPLETED
    assert sorted(edition.files.values_list("kind", flat=True)) == ["docx", "xlsx"]
    kinds = list(edition.steps.values_list("kind", "user__username"))
    assert kinds == [
        ("created", "secretariat"),
        ("submitted", "secretariat"),
        ("sent_back", "clearer"),
        ("submitted", "secretariat"),
        ("cleared", "clearer"),
        ("issued", "clearer"),
    ]

    # Issued: the admin shows it read-only and refuses a save.
    page = ben.get(reverse("admin:editions_edition_change", args=[edition.pk]))
    assert page.status_code == 200 and not page.context["has_change_permission"]
    assert ben.post(reverse("admin:editions_edition_change", args=[edition.pk]), data).status_code == 403

    # A late update: the admin says the issued edition stays as it was, and links "Revise".
    task = Task.objects.get(position=1)
    response = ana.post(
        reverse("admin:tasks_progressupdate_add"),
        {"task": task.pk, "reported_on": "2017-03-23", "meeting": iisg3.pk, "status": "draft", "narrative": "Late."},
        follow=True,
    )
    notice = " ".join(messages_of(response))
    assert "the issued edition does not change" in notice
    assert reverse("admin:editions_edition_revise", args=[edition.pk]) in notice
    assert EditionRow.objects.get(edition=edition, position=1).narrative != "Late."

    # Ana revises: a draft with the same lines and the revision suffix.
    response = ana.post(reverse("admin:editions_edition_revise", args=[edition.pk]))
    revision = Edition.objects.get(revises=edition)
    assert response.url == reverse("admin:editions_edition_change", args=[revision.pk])
    assert revision.symbol == "ESCAP/PTA/IISG(3)/CRP.1/Rev.1"
    assert (revision.state, revision.agenda_item, revision.meeting) == (State.DRAFT, "5", iisg3)

    ana.post(step_url(revision, "submit"))
    ben.post(step_url(revision, "clear"))
    ben.post(step_url(revision, "issue"))
    revision.refresh_from_db()
    edition.refresh_from_db()
    assert revision.state == State.ISSUED and edition.state == State.SUPERSEDED
    assert EditionRow.objects.get(edition=revision, position=1).narrative == "Late."
    assert EditionRow.objects.get(edition=edition, position=1).narrative != "Late."

    # Nothing was deleted; the old edition's page carries a banner linking the revision.
    page = Client().get(edition.get_absolute_url())
    assert 'id="superseded-banner"' in page.content.decode()
    assert revision.get_absolute_url() in page.content.decode()
    assert Edition.objects.count() == 3  # the seed's, the edition, its revision


def test_the_four_eyes_rule_can_be_lifted(ana, iisg3, settings):
    settings.ROADMAP_EDITION_FOUR_EYES = False
    edition = prepare(ana, iisg3)
    ana.post(step_url(edition, "submit"))
    ana.post(step_url(edition, "clear"))
    edition.refresh_from_db()
    assert edition.state == State.CLEARED


def test_issuing_needs_clearance(ana, ben, iisg3):
    edition = prepare(ana, iisg3)
    ana.post(step_url(edition, "submit"))
    response = ben.post(step_url(edition, "issue"), follow=True)
    assert "now submitted for clearance" in " ".join(messages_of(response))
    edition.refresh_from_db()
    assert edition.state == State.SUBMITTED and not edition.rows.exists() and not edition.files.exists()


def test_a_draft_cannot_be_revised(ana, iisg3):
    edition = prepare(ana, iisg3)
    response = ana.post(reverse("admin:editions_edition_revise", args=[edition.pk]), follow=True)
    assert "now draft" in " ".join(messages_of(response))
    assert not Edition.objects.filter(revises=edition).exists()


def test_sending_back_needs_a_reason(ana, ben, iisg3):
    edition = prepare(ana, iisg3)
    ana.post(step_url(edition, "submit"))
    response = ben.post(step_url(edition, "send_back"), {"comment": "  "}, follow=True)
    assert "Say why" in " ".join(messages_of(response))
    edition.refresh_from_db()
    assert edition.state == State.SUBMITTED


def test_a_second_edition_with_the_same_symbol_is_refused(ana, iisg3):
    prepare(ana, iisg3)
    response = ana.post(ADD, draft_data(iisg3))
    assert response.status_code == 200
    assert "An edition with this document symbol already exists." in response.content.decode()
    assert Edition.objects.filter(symbol="ESCAP/PTA/IISG(3)/CRP.1").count() == 1


def test_a_symbol_over_the_length_is_refused(ana, iisg3):
    response = ana.post(ADD, draft_data(iisg3, symbol="E/" + "X" * 60))
    assert response.status_code == 200
    assert "at most 60 characters" in response.content.decode()
    assert not Edition.objects.filter(meeting=iisg3).exists()


def test_unknown_step_and_get_are_refused(ana, iisg3):
    edition = prepare(ana, iisg3)
    assert ana.post(step_url(edition, "publish")).status_code == 404
    assert ana.get(step_url(edition, "submit")).status_code == 405


def test_a_working_group_editor_prepares_and_submits_their_group_s_edition(twg_editor_client, iisg3):
    from tasks.models import WorkingGroup

    twg, lwg = WorkingGroup.objects.get(slug="twg"), WorkingGroup.objects.get(slug="lwg")
    response = twg_editor_client.post(ADD, draft_data(iisg3, group=lwg.pk))
    assert response.status_code == 200  # another group's: not a choice
    assert not Edition.objects.filter(meeting=iisg3).exists()
    response = twg_editor_client.post(ADD, draft_data(iisg3, group=twg.pk))
    edition = Edition.objects.get(meeting=iisg3)
    twg_editor_client.post(step_url(edition, "submit"))
    edition.refresh_from_db()
    assert edition.state == State.SUBMITTED
    response = twg_editor_client.post(step_url(edition, "clear"), follow=True)
    assert "You may not clear editions." in " ".join(messages_of(response))


def test_a_delegate_cannot_reach_the_editions_admin(delegate_client, seed):
    edition = Edition.objects.get()
    assert delegate_client.get(reverse("admin:editions_edition_change", args=[edition.pk])).status_code == 302
    assert delegate_client.post(reverse("admin:editions_edition_revise", args=[edition.pk])).status_code == 302
    assert Edition.objects.count() == 1


def test_steps_are_recorded_with_who_and_when(ana, ben, iisg3):
    edition = prepare(ana, iisg3)
    ana.post(step_url(edition, "submit"), {"comment": "Please clear."})
    step = Step.objects.filter(edition=edition, kind=Step.Kind.SUBMITTED).get()
    assert step.comment == "Please clear." and step.user.username == "secretariat"
    assert step.at.date() <= datetime.date.today() + datetime.timedelta(days=1)
    assert EditionFile.objects.filter(edition=edition).count() == 0

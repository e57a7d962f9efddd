"""An issued edition never changes: not through the models, the admin, a bulk update or raw SQL.

The raw SQL tests run on whichever database the suite runs on; CI runs it on SQLite and PostgreSQL.
"""

import threading

import pytest
from django.db import IntegrityError, connection, transaction

from editions import services
from editions.models import Edition, EditionFile, EditionRow, FrozenEditionError, State
from tasks.models import Task
from tests.editions import raw

pytestmark = pytest.mark.django_db


@pytest.fixture
def edition(seed):
    return Edition.objects.get()


def refused(sql, params=()):
    with pytest.raises(IntegrityError, match="an issued edition cannot change"), transaction.atomic():
        raw(sql, params)


def test_the_seed_edition_is_issued_with_rows_and_files(edition):
    assert edition.state == State.ISSUED
    assert edition.rows.count() == 18
    assert edition.files.count() == 2


@pytest.mark.parametrize(
    "sql",
    [
        "UPDATE editions_editionrow SET narrative = 'changed' WHERE edition_id = %s",
        "UPDATE editions_editionrow SET status = 'completed' WHERE edition_id = %s",
        "DELETE FROM editions_editionrow WHERE edition_id = %s",
        "UPDATE editions_editionfile SET sha256 = 'x' WHERE edition_id = %s",
        "UPDATE editions_editionfile SET content = content WHERE edition_id = %s",
        "DELETE FROM editions_editionfile WHERE edition_id = %s",
        "UPDATE editions_edition SET title = 'changed' WHERE id = %s",
        "UPDATE editions_edition SET symbol = 'X/1' WHERE id = %s",
        "UPDATE editions_edition SET state = 'draft' WHERE id = %s",
        "UPDATE editions_edition SET state = 'superseded', title = 'changed' WHERE id = %s",
        "DELETE FROM editions_edition WHERE id = %s",
    ],
)
def test_raw_sql_cannot_change_an_issued_edition(edition, sql):
    before = list(EditionRow.objects.filter(edition=edition).values_list("narrative", flat=True))
    refused(sql, [edition.pk])
    assert list(EditionRow.objects.filter(edition=edition).values_list("narrative", flat=True)) == before
    assert Edition.objects.get(pk=edition.pk).state == State.ISSUED


def test_raw_sql_may_only_supersede(edition):
    assert raw("UPDATE editions_edition SET state = 'superseded' WHERE id = %s", [edition.pk]) == 1
    refused("UPDATE editions_edition SET state = 'issued' WHERE id = %s", [edition.pk])
    refused("DELETE FROM editions_editionrow WHERE edition_id = %s", [edition.pk])


def test_bulk_updates_are_refused(edition):
    with pytest.raises(IntegrityError), transaction.atomic():
        EditionRow.objects.filter(edition=edition).update(narrative="changed")
    with pytest.raises(IntegrityError), transaction.atomic():
        EditionFile.objects.filter(edition=edition).delete()
    with pytest.raises(IntegrityError), transaction.atomic():
        Edition.objects.filter(pk=edition.pk).update(title="changed")


def test_the_models_refuse_save_and_delete(edition):
    row = edition.rows.first()
    row.narrative = "changed"
    with pytest.raises(FrozenEditionError):
        row.save()
    with pytest.raises(FrozenEditionError):
        row.delete()
    stored = edition.files.first()
    with pytest.raises(FrozenEditionError):
        stored.delete()
    edition.title = "changed"
    with pytest.raises(FrozenEditionError):
        edition.save()
    with pytest.raises(FrozenEditionError):
        edition.delete()
    with pytest.raises(FrozenEditionError):
        EditionRow(edition=edition, position=99, title="new", status_rank=0).save()
    assert Edition.objects.get(pk=edition.pk).title != "changed"


def test_a_task_deleted_later_leaves_the_issued_row(edition):
    task = Task.objects.get(position=1)
    title, pk = task.title, task.pk
    task.delete()
    row = EditionRow.objects.get(edition=edition, position=1)
    assert row.title == title and row.task_id == pk


def test_editing_an_update_later_leaves_the_issued_row(edition):
    task = Task.objects.get(position=2)
    update = task.current_update
    update.narrative = "Rewritten later."
    update.save()
    assert EditionRow.objects.get(edition=edition, position=2).narrative != "Rewritten later."


def test_a_second_issue_is_told_the_edition_is_issued(seed, secretariat, second_secretariat):
    from tasks.models import Meeting

    edition = Edition.objects.create(meeting=Meeting.objects.get(short_title="IISG-3"))
    services.submit_edition(edition=edition, user=secretariat)
    services.clear_edition(edition=edition, user=second_secretariat)
    stale = Edition.objects.get(pk=edition.pk)  # what the second person's page was built from
    services.issue_edition(edition=edition, user=second_secretariat)
    with pytest.raises(services.EditionError, match="now issued"):
        services.issue_edition(edition=stale, user=secretariat)
    assert EditionRow.objects.filter(edition=edition).count() == 18
    assert EditionFile.objects.filter(edition=edition).count() == 2


@pytest.mark.skipif(connection.vendor != "postgresql", reason="SQLite has no row locks: one writer at a time")
@pytest.mark.django_db(transaction=True)
def test_two_people_issuing_at_once_one_succeeds_the_other_is_told():
    from django.core.management import call_command

    from tasks.models import Meeting
    from tests.factories import UserFactory

    # Superusers: a flush by an earlier transactional test may have taken the roles' groups away.
    secretariat = UserFactory(username="issuer-one", is_staff=True, is_superuser=True)
    second_secretariat = UserFactory(username="issuer-two", is_staff=True, is_superuser=True)
    call_command("load_seed", verbosity=0)
    edition = Edition.objects.create(meeting=Meeting.objects.get(short_title="IISG-3"))
    services.submit_edition(edition=edition, user=secretariat)
    services.clear_edition(edition=edition, user=second_secretariat)
    outcomes, start = [], threading.Barrier(2)

    def issue(user):
        start.wait()
        try:
            services.issue_edition(edition=edition, user=user)
            outcomes.append("issued")
        except services.EditionError as error:
            outcomes.append(str(error))
        finally:
            connection.close()

    threads = [threading.Thread(target=issue, args=(user,)) for user in (secretariat, second_secretariat)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert outcomes.count("issued") == 1
    [told] = [outcome for outcome in outcomes if outcome != "issued"]
    assert "This edition is now issued" in told
    assert EditionRow.objects.filter(edition=edition).count() == 18
    assert EditionFile.objects.filter(edition=edition).count() == 2

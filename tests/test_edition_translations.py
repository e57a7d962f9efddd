"""An issued edition's lines in the Commission's languages: translated after issue, the rest still frozen."""

import pytest
from django.db import DatabaseError, transaction

from editions.models import Edition, State
from tests.test_translation_exchange import confirm, export, fill_xliff, upload
from translations.states import State as TranslationState
from translations.states import record_state

pytestmark = pytest.mark.django_db

TITLE_FR = "Mise à jour de l'état d'avancement des tâches du Groupe de travail technique"


@pytest.fixture
def edition(seed):
    return Edition.objects.get()


def test_an_issued_editions_lines_are_on_the_translators_list(admin_client, edition):
    page = admin_client.get("/admin/translations/fr/")
    ids = {unit.id for unit in page.context["units"]}
    assert {f"editions.edition/{edition.pk}/{name}" for name in ("title", "agenda_title", "introduction")} <= ids


def test_an_issued_edition_takes_its_translations_and_shows_them(admin_client, client, edition):
    assert edition.state == State.ISSUED
    data = fill_xliff(export(admin_client, "xliff"), {f"editions.edition/{edition.pk}/title": TITLE_FR})
    assert upload(admin_client, data).status_code == 302
    assert "1 translation imported." in confirm(admin_client).content.decode()
    edition.refresh_from_db()
    assert edition.title_fr == TITLE_FR
    assert record_state(edition, "title", "fr") == TranslationState.CURRENT
    assert edition.state == State.ISSUED
    assert (
        "Mise à jour de l&#x27;état d&#x27;avancement des tâches du Groupe"
        in client.get(f"/fr/editions/{edition.pk}/").content.decode()
    )


def test_the_issued_lines_themselves_stay_frozen(edition):
    with pytest.raises(DatabaseError), transaction.atomic():
        Edition.objects.filter(pk=edition.pk).update(title="Changed after issue", title_fr="Changé")
    with transaction.atomic():
        Edition.objects.filter(pk=edition.pk).update(title_ru="Обновленная информация")
    edition.refresh_from_db()
    assert edition.title_ru == "Обновленная информация"

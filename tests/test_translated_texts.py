"""The road map's own texts in several languages: current, outdated or missing, on pages, in the admin and files."""

import io

import pytest
from django.urls import reverse
from django.utils import translation
from docx import Document

from tasks.models import ProgressUpdate, Task
from tests.factories import ProgressUpdateFactory, TaskFactory
from translations.states import State, record_state, shown

pytestmark = pytest.mark.django_db

FRENCH = "Le Groupe de travail technique recueille des exemples et conçoit un modèle initial."
RUSSIAN = "Рабочая группа по техническим вопросам собирает примеры и разрабатывает исходный шаблон."


def narrative_form(update, **changes):
    """Return the POST data of the update's admin change form, with ``changes``."""
    data = {
        "task": update.task_id,
        "reported_on": update.reported_on.isoformat(),
        "meeting": update.meeting_id or "",
        "status": update.status,
        "narrative": update.narrative,
        "seen_version": update.version,
    }
    for language in ("fr", "ru", "zh_hans"):
        data[f"narrative_{language}"] = getattr(update, f"narrative_{language}")
    data.update(changes)
    return data


def enter_in_admin(client, update, **changes):
    with translation.override("en"):
        url = reverse("admin:tasks_progressupdate_change", args=[update.pk])
    response = client.post(url, narrative_form(update, **changes))
    assert response.status_code == 302, [response.context["adminform"].form.errors, response.context.get("errors")]
    update.refresh_from_db()
    return update


def docx_text(client, prefix):
    response = client.get(f"{prefix}/tasks/export.docx")
    assert response.status_code == 200
    document = Document(io.BytesIO(b"".join(response.streaming_content)))
    return "\n".join(cell.text for row in document.tables[0].rows for cell in row.cells)


def test_a_translation_is_missing_current_then_outdated():
    update = ProgressUpdateFactory(narrative="Work initiated.")
    assert record_state(update, "narrative", "fr") == State.MISSING
    update.narrative_fr, update.narrative_fr_source = "Travaux engagés.", "Work initiated."
    assert record_state(update, "narrative", "fr") == State.CURRENT
    update.narrative = "Work initiated and a draft circulated."
    assert record_state(update, "narrative", "fr") == State.OUTDATED
    with translation.override("fr"):
        assert shown(update, "narrative").text == "Work initiated and a draft circulated."
        assert str(shown(update, "narrative").note) == "Traduction périmée"


def test_french_and_russian_narratives_entered_in_the_admin_show_on_pages_and_in_word(client, admin_client, seed):
    update = Task.objects.get(position=1).current_update
    enter_in_admin(admin_client, update, narrative_fr=FRENCH, narrative_ru=RUSSIAN)
    assert update.narrative_fr_source == update.narrative

    for prefix, text in (("/fr", FRENCH), ("/ru", RUSSIAN)):
        for path in ("/tasks/", f"/tasks/{update.task_id}/"):
            page = client.get(f"{prefix}{path}").content.decode()
            assert text in page
        assert text in docx_text(client, prefix)
    assert FRENCH not in client.get("/tasks/").content.decode()  # English stays English


def test_changing_the_english_marks_the_translations_outdated_everywhere(client, admin_client, seed):
    update = Task.objects.get(position=1).current_update
    enter_in_admin(admin_client, update, narrative_fr=FRENCH, narrative_ru=RUSSIAN)
    enter_in_admin(admin_client, update, narrative="The template has been circulated to the members.")

    assert record_state(update, "narrative", "fr") == State.OUTDATED
    assert record_state(update, "narrative", "ru") == State.OUTDATED
    for prefix, note in (("/fr", "Traduction périmée"), ("/ru", "Перевод устарел")):
        page = client.get(f"{prefix}/tasks/{update.task_id}/").content.decode()
        assert "The template has been circulated to the members." in page
        assert note in page
        assert FRENCH not in page and RUSSIAN not in page
        word = docx_text(client, prefix)
        assert f"The template has been circulated to the members.\n[{note}]" in word
    admin_page = admin_client.get(f"/admin/tasks/progressupdate/{update.pk}/change/").content.decode()
    assert "Out of date" in admin_page


def test_still_current_box_keeps_a_translation_after_an_english_typo_fix(admin_client, seed):
    update = Task.objects.get(position=1).current_update
    enter_in_admin(admin_client, update, narrative_fr=FRENCH)
    enter_in_admin(admin_client, update, narrative=update.narrative + " ")  # trimmed: no change
    enter_in_admin(admin_client, update, narrative=update.narrative.replace("process", "course"))
    assert record_state(update, "narrative", "fr") == State.OUTDATED
    enter_in_admin(admin_client, update, translation_current_fr="on")
    assert record_state(update, "narrative", "fr") == State.CURRENT


def test_untranslated_texts_show_in_english_with_a_note_never_empty(client, seed):
    page = client.get("/zh-hans/tasks/").content.decode()
    assert "Template for designing a good national policy framework" in page
    assert '<span lang="en" class="untranslated">' in page
    assert "尚未翻译" in page


def test_search_matches_the_page_language_and_english(client):
    task = TaskFactory(title="Legal liability framework", title_fr="Cadre de responsabilité juridique")
    task.title_fr_source = task.title
    task.save()
    TaskFactory(title="Something else")
    for query, prefix, found in (
        ("responsabilité", "/fr", True),
        ("liability", "/fr", True),
        ("responsabilité", "", False),
        ("responsabilité", "/ru", False),
    ):
        page = client.get(f"{prefix}/tasks/", {"q": query}).content.decode()
        assert ("Legal liability framework" in page or "Cadre de responsabilité juridique" in page) is found, (
            query,
            prefix,
        )


def test_search_ignores_an_outdated_translation(client):
    task = TaskFactory(title="Legal liability framework", title_fr="Cadre de responsabilité juridique")
    task.title_fr_source = "An older English title"
    task.save()
    assert "Legal liability framework" not in client.get("/fr/tasks/", {"q": "responsabilité"}).content.decode()


def test_admin_filters_records_by_missing_or_outdated_translation(admin_client, seed):
    update = Task.objects.get(position=1).current_update
    enter_in_admin(admin_client, update, narrative_fr=FRENCH)
    url = reverse("admin:tasks_progressupdate_changelist")
    missing = admin_client.get(url, {"translation": "fr:missing"}).context["cl"].result_count
    assert missing == ProgressUpdate.objects.count() - 1
    assert admin_client.get(url, {"translation": "fr:outdated"}).context["cl"].result_count == 0
    enter_in_admin(admin_client, update, narrative="A new English narrative.")
    assert admin_client.get(url, {"translation": "fr:outdated"}).context["cl"].result_count == 1
    assert admin_client.get(url, {"translation": "xx:outdated"}).status_code == 200  # an odd value filters nothing


def test_admin_search_finds_a_translation(admin_client):
    task = TaskFactory(title="Legal liability framework", title_ru="Правовая основа ответственности")
    response = admin_client.get(reverse("admin:tasks_task_changelist"), {"q": "ответственности"})
    assert list(response.context["cl"].result_list) == [task]


def test_right_to_left_and_mixed_scripts_are_stored_and_shown_as_typed(client, admin_client, seed):
    update = Task.objects.get(position=2).current_update
    mixed = "\u202bالعمل جارٍ\u202c — работа идёт — 进行中 (ref. E/ESCAP/PTA/IISG(2)/3)"
    enter_in_admin(admin_client, update, narrative_fr=mixed)
    assert update.narrative_fr == mixed
    assert mixed in client.get(f"/fr/tasks/{update.task_id}/").content.decode()


def test_unknown_language_prefix_is_not_found(client, seed):
    assert client.get("/de/tasks/").status_code == 404
    assert client.get("/zh/tasks/").status_code == 404


def test_data_sheet_headers_status_keys_and_group_slugs_do_not_change_with_the_language(client, seed):
    import openpyxl

    response = client.get("/ru/tasks/export.xlsx", {"group": "twg", "status": "in_progress"})
    assert response.status_code == 200
    workbook = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    header = [cell.value for cell in next(workbook["Data"].iter_rows(max_row=1))]
    assert header[:3] == ["Task ID", "Position", "Task"]
    statuses = {row[5] for row in workbook["Data"].iter_rows(min_row=2, values_only=True)}
    assert statuses == {"In progress"}
    status_table = [row for row in workbook["Status table"].iter_rows(values_only=True) if row and row[0]]
    assert any("Выполняется" in str(cell) for row in status_table for cell in row)

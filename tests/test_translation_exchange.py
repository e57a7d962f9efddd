"""Translators' files: the texts to translate for a language out as XLIFF or xlsx, back in with a preview."""

import io

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from translate.storage import xliff

from tasks.models import Task, WorkingGroup
from translations.states import State, record_state

pytestmark = pytest.mark.django_db

BASE = "/admin/translations/fr"


def export(client, kind, language="fr"):
    response = client.get(f"/admin/translations/{language}/export.{kind}")
    assert response.status_code == 200
    return response.content


def upload(client, data, name="roadmap-fr.xlf", language="fr"):
    return client.post(f"/admin/translations/{language}/import/", {"file": SimpleUploadedFile(name, data)})


def confirm(client, language="fr"):
    preview = client.get(f"/admin/translations/{language}/import/preview/")
    token = preview.context["pending"]["token"]
    return client.post(f"/admin/translations/{language}/import/confirm/", {"token": token}, follow=True)


def fill_xliff(data, targets):
    """Fill in units of an exported XLIFF as a CAT tool would, with translate-toolkit; return the file."""
    store = xliff.xlifffile.parsestring(data)
    for unit in store.units:
        unit_id = unit.xmlelement.get("id")
        if unit_id in targets:
            unit.target = targets[unit_id]
    return bytes(store)


def test_xliff_round_trip_through_translate_toolkit(admin_client, seed):
    task = Task.objects.get(position=1)
    data = export(admin_client, "xliff")
    store = xliff.xlifffile.parsestring(data)
    assert store.getsourcelanguage() == "en" and store.gettargetlanguage() == "fr"
    assert b'xmlns="urn:oasis:names:tc:xliff:document:1.2"' in data
    ids = {unit.xmlelement.get("id"): unit for unit in store.units}
    assert ids[f"tasks.task/{task.pk}/title"].source == task.title

    filled = fill_xliff(
        data,
        {
            f"tasks.task/{task.pk}/title": "Modèle pour l'élaboration d'un bon cadre national",
            f"tasks.progressupdate/{task.current_update_id}/narrative": (
                "Le Groupe de travail technique recueille des exemples."
            ),
        },
    )
    response = upload(admin_client, filled)
    assert response.status_code == 302
    preview = admin_client.get(f"{BASE}/import/preview/")
    assert preview.context["counts"]["update"] == 2
    assert preview.context["can_confirm"]
    task.refresh_from_db()
    assert task.title_fr == ""  # nothing written before the confirmation

    page = confirm(admin_client)
    assert "2 translations imported." in page.content.decode()
    task.refresh_from_db()
    assert task.title_fr == "Modèle pour l'élaboration d'un bon cadre national"
    assert record_state(task, "title", "fr") == State.CURRENT
    assert "Modèle pour l&#x27;élaboration" in admin_client.get(f"/fr/tasks/{task.pk}/").content.decode()
    assert "Le Groupe de travail technique recueille des exemples." in admin_client.get("/fr/tasks/").content.decode()


def test_xlsx_round_trip(admin_client, seed):
    group = WorkingGroup.objects.get(slug="lwg")
    workbook = openpyxl.load_workbook(io.BytesIO(export(admin_client, "xlsx")))
    sheet = workbook["Translations"]
    header = [cell.value for cell in sheet[1]]
    assert header == ["Unit ID", "Record", "Field", "English", "Translation", "State", "Language"]
    for row in sheet.iter_rows(min_row=2):
        if row[0].value == f"tasks.workinggroup/{group.pk}/name":
            row[4].value = "Рабочая группа по правовым вопросам"
    out = io.BytesIO()
    workbook.save(out)
    assert upload(admin_client, out.getvalue(), "roadmap-fr.xlsx", language="ru").status_code == 400  # a French file
    for row in sheet.iter_rows(min_row=2):
        row[6].value = "ru"
    out = io.BytesIO()
    workbook.save(out)
    assert upload(admin_client, out.getvalue(), "roadmap-ru.xlsx", language="ru").status_code == 302
    confirm(admin_client, "ru")
    group.refresh_from_db()
    assert group.name_ru == "Рабочая группа по правовым вопросам"
    assert "Рабочая группа по правовым вопросам" in admin_client.get("/ru/").content.decode()


@pytest.mark.parametrize(
    "data",
    [
        b"",
        b"not xml at all",
        b"<html><body>a web page</body></html>",
        b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "b">]><xliff version="1.2">&a;</xliff>',
        b"PK\x03\x04 not really a zip",
    ],
)
def test_malformed_files_are_refused_whole_with_a_message(admin_client, seed, data):
    response = upload(admin_client, data)
    assert response.status_code == 400
    assert response.context["form"].errors["file"]
    assert "tasks.translation_import" not in admin_client.session


def test_a_file_for_another_language_is_refused_whole(admin_client, seed):
    data = export(admin_client, "xliff", language="ru")
    response = upload(admin_client, data, language="fr")
    assert response.status_code == 400
    assert "ru" in response.context["form"].errors["file"][0]


def test_a_translation_longer_than_the_field_allows_is_an_error_row(admin_client, seed):
    group = WorkingGroup.objects.get(slug="twg")
    data = fill_xliff(export(admin_client, "xliff"), {f"tasks.workinggroup/{group.pk}/name": "G" * 201})
    upload(admin_client, data)
    preview = admin_client.get(f"{BASE}/import/preview/")
    assert preview.context["counts"]["error"] == 1
    assert not preview.context["can_confirm"]
    assert "201" in preview.content.decode()
    response = admin_client.post(f"{BASE}/import/confirm/", {"token": preview.context["pending"]["token"]})
    assert response.status_code == 302
    group.refresh_from_db()
    assert group.name_fr == ""


def test_a_unit_whose_english_changed_since_the_export_is_refused_and_said(admin_client, seed):
    first, second = Task.objects.get(position=1), Task.objects.get(position=2)
    data = export(admin_client, "xliff")
    Task.objects.filter(pk=first.pk).update(title="A new English title")
    filled = fill_xliff(
        data, {f"tasks.task/{first.pk}/title": "Ancien titre", f"tasks.task/{second.pk}/title": "Liste des cadres"}
    )
    upload(admin_client, filled)
    preview = admin_client.get(f"{BASE}/import/preview/")
    assert preview.context["counts"]["refused"] == 1 and preview.context["counts"]["update"] == 1
    assert "The English has changed since the file was exported" in preview.content.decode()
    confirm(admin_client)
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.title_fr == "" and second.title_fr == "Liste des cadres"


def test_nothing_is_written_if_the_english_changes_between_preview_and_confirmation(admin_client, seed):
    first, second = Task.objects.get(position=1), Task.objects.get(position=2)
    filled = fill_xliff(
        export(admin_client, "xliff"),
        {f"tasks.task/{first.pk}/title": "Modèle", f"tasks.task/{second.pk}/title": "Liste"},
    )
    upload(admin_client, filled)
    Task.objects.filter(pk=second.pk).update(title="Changed meanwhile")
    page = confirm(admin_client)
    assert "Nothing was imported" in page.content.decode()
    assert not Task.objects.exclude(title_fr="").exists()


def test_importing_the_same_file_twice_changes_nothing_the_second_time(admin_client, seed):
    task = Task.objects.get(position=1)
    filled = fill_xliff(export(admin_client, "xliff"), {f"tasks.task/{task.pk}/title": "Modèle"})
    upload(admin_client, filled)
    confirm(admin_client)
    version = Task.objects.get(pk=task.pk).version
    upload(admin_client, filled)
    preview = admin_client.get(f"{BASE}/import/preview/")
    assert preview.context["counts"]["update"] == 0 and not preview.context["can_confirm"]
    assert Task.objects.get(pk=task.pk).version == version


def test_an_editor_cannot_import_translations_of_another_groups_task(twg_editor_client):
    lwg_task = Task.objects.filter(lead_group__slug="lwg").first()
    data = fill_xliff(export(twg_editor_client, "xliff"), {f"tasks.task/{lwg_task.pk}/title": "Liste"})
    upload(twg_editor_client, data)
    preview = twg_editor_client.get(f"{BASE}/import/preview/")
    assert preview.context["counts"]["error"] == 1
    assert "You may not change this record." in preview.content.decode()


def test_the_to_do_list_says_what_each_language_needs(admin_client, seed):
    task = Task.objects.get(position=1)
    task.title_fr, task.title_fr_source = "Modèle", "an older English title"
    task.save()
    index = admin_client.get("/admin/translations/")
    assert index.status_code == 200
    assert [row["code"] for row in index.context["languages"]] == ["fr", "ru", "zh-hans"]
    page = admin_client.get(f"{BASE}/")
    states = {(unit.id, unit.state) for unit in page.context["units"]}
    assert (f"tasks.task/{task.pk}/title", State.OUTDATED) in states
    assert (f"tasks.task/{Task.objects.get(position=2).pk}/title", State.MISSING) in states
    assert admin_client.get("/admin/translations/de/").status_code == 404


def test_delegates_never_reach_the_translators_pages(delegate_client, seed):
    response = delegate_client.get(f"{BASE}/")
    assert response.status_code == 302 and "/login/" in response["Location"]

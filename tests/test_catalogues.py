"""The interface's catalogues: every marked string translated in each language, and compilable."""

import gettext
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from translate.storage import pypo

from translations.catalogues import CatalogueError, catalogues, compile_all, compile_catalogue

ROOT = Path(__file__).resolve().parent.parent
LANGUAGES = {"fr": 2, "ru": 4, "zh_Hans": 1}  # locale: plural forms
PLACEHOLDER = re.compile(r"%\(\w+\)[sdr]|%[sd]|&[PN]")


def units(locale):
    store = pypo.pofile.parsefile(str(ROOT / "locale" / locale / "LC_MESSAGES" / "django.po"))
    return [unit for unit in store.units if not unit.isheader() and not unit.isobsolete()]


def test_there_is_a_catalogue_for_each_language_but_english():
    assert {path.parent.parent.name for path in catalogues(ROOT)} == set(LANGUAGES)


@pytest.mark.parametrize("locale", LANGUAGES)
def test_every_marked_string_is_translated(locale):
    untranslated = [str(unit.source) for unit in units(locale) if not unit.istranslated() or unit.isfuzzy()]
    assert untranslated == []


@pytest.mark.parametrize("locale", LANGUAGES)
def test_translations_keep_the_placeholders_and_plural_forms(locale):
    wrong = []
    for unit in units(locale):
        sources = unit.source.strings if unit.hasplural() else [unit.source]
        targets = unit.target.strings if unit.hasplural() else [unit.target]
        expected = sorted(set(PLACEHOLDER.findall(str(sources[-1]))))
        for target in targets:
            found = sorted(set(PLACEHOLDER.findall(str(target))))
            # A one-form language may leave out the count it says in words; it never invents one.
            if found != expected and not (set(found) <= set(expected) and unit.hasplural()):
                wrong.append((str(sources[0]), str(target)))
        if unit.hasplural() and len(targets) != LANGUAGES[locale]:
            wrong.append((str(sources[0]), f"{len(targets)} plural forms"))
    assert wrong == []


def test_the_catalogues_compile_and_translate(tmp_path):
    shutil.copytree(ROOT / "locale", tmp_path / "locale")
    written = compile_all(tmp_path)
    assert len(written) == 3
    expected = {
        "fr": "Tableau de situation",
        "ru": "Таблица статусов",
        "zh_Hans": "状况表",
    }
    for path in written:
        with path.open("rb") as mo:
            catalogue = gettext.GNUTranslations(mo)
        assert catalogue.gettext("Status table") == expected[path.parent.parent.name]


def test_a_broken_catalogue_does_not_compile(tmp_path):
    po = tmp_path / "django.po"
    po.write_text('msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n\nmsgid "Status\nmsgstr "x"\n')
    with pytest.raises(CatalogueError):
        compile_catalogue(po)


def test_a_catalogue_without_its_plural_forms_does_not_compile(tmp_path):
    po = tmp_path / "django.po"
    po.write_text(
        'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n\nmsgid "Status"\nmsgstr "Situation"\n'
    )
    with pytest.raises(CatalogueError, match="Plural-Forms"):
        compile_catalogue(po)


def test_the_catalogues_hold_every_string_marked_in_the_code(tmp_path):
    """Gather the strings afresh (makemessages, in a copy of the project) and find none new or untranslated."""
    if not (shutil.which("xgettext") and shutil.which("msgmerge")):
        if os.environ.get("REQUIRE_GETTEXT") == "1":
            pytest.fail("REQUIRE_GETTEXT=1 but GNU gettext (xgettext, msgmerge) is not installed")
        pytest.skip("GNU gettext is not installed (apt-get install gettext); .ci/run installs it")
    copy = tmp_path / "project"
    shutil.copytree(
        ROOT,
        copy,
        ignore=shutil.ignore_patterns(".venv", ".git", "staticfiles", "node_modules", "*.mo", "db.sqlite3", "tmp"),
    )
    env = {**os.environ, "DJANGO_DEBUG": "1", "DATABASE_URL": "sqlite:///:memory:"}
    subprocess.run(
        [sys.executable, "manage.py", "update_catalogues", "-v", "0"], cwd=copy, env=env, check=True, timeout=300
    )
    for locale in LANGUAGES:
        store = pypo.pofile.parsefile(str(copy / "locale" / locale / "LC_MESSAGES" / "django.po"))
        missing = [
            str(unit.source)
            for unit in store.units
            if not unit.isheader() and not unit.isobsolete() and (not unit.istranslated() or unit.isfuzzy())
        ]
        assert missing == [], f"{locale}: strings marked in the code but not translated"

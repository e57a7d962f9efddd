"""Browser tests of the four languages: no English interface text left, the switcher, axe-core on each page."""

import re
from pathlib import Path

import pytest
from translate.storage import pypo

from tasks.models import Task
from tests.test_e2e import axe_page, page, roadmap, serious_violations  # noqa: F401 (fixtures)

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

ROOT = Path(__file__).resolve().parent.parent
LANGUAGES = {"fr": "fr", "ru": "ru", "zh-hans": "zh_Hans"}  # URL prefix: catalogue
MARKUP = re.compile(r"<[^>]+>|%\(\w+\)[sd]|%[sd]|\{\{[^}]*\}\}")

# The page text a reader sees, leaving out what is English on purpose: road map texts not yet
# translated (marked lang="en", with their note) and the switcher's "English".
VISIBLE_TEXT = """() => {
  const copy = document.body.cloneNode(true);
  copy.querySelectorAll('[lang="en"], script, style').forEach((element) => element.remove());
  document.body.after(copy);
  copy.hidden = false;
  const text = copy.innerText;
  copy.remove();
  return document.title + "\\n" + text;
}"""


def interface_strings(locale):
    """Return the English interface strings a page in ``locale`` must not show: the catalogue's msgids.

    Each is cut at its placeholders and tags; pieces of two words or more are kept (a lone
    word such as "Status" could be part of a proper name). Strings the language keeps in
    English on purpose (the UN's "Distr.: General") are left out.
    """
    store = pypo.pofile.parsefile(str(ROOT / "locale" / locale / "LC_MESSAGES" / "django.po"))
    pieces = set()
    for unit in store.units:
        if unit.isheader() or str(unit.target) == str(unit.source):
            continue
        for source in unit.source.strings if unit.hasplural() else [unit.source]:
            for piece in MARKUP.split(str(source)):
                piece = piece.strip(" .,:;()[]")
                if len(piece.split()) >= 2 and len(piece) >= 8:
                    pieces.add(piece)
    return pieces


def english_left(browser_page, locale):
    text = " ".join(browser_page.evaluate(VISIBLE_TEXT).split())
    return sorted(piece for piece in interface_strings(locale) if piece in text)


def walk(roadmap_meeting):
    task = Task.objects.get(position=6)
    return ["/", "/tasks/", f"/tasks/{task.pk}/", f"/meetings/{roadmap_meeting.pk}/"]


def test_the_list_of_interface_strings_is_real():
    pieces = interface_strings("fr")
    assert "Update on progress status for tasks" in pieces and "Skip to main content" in pieces
    assert len(pieces) > 200


@pytest.mark.parametrize("prefix", LANGUAGES)
def test_pages_leave_no_english_interface_string(axe_page, roadmap, prefix):  # noqa: F811
    for path in walk(roadmap):
        axe_page.goto(f"/{prefix}{path}")
        assert axe_page.locator("html").get_attribute("lang") == prefix, path
        assert english_left(axe_page, LANGUAGES[prefix]) == [], path
        assert serious_violations(axe_page) == [], path


def test_english_pages_pass_axe_with_the_switcher(axe_page, roadmap):  # noqa: F811
    for path in walk(roadmap):
        axe_page.goto(path)
        assert axe_page.locator("html").get_attribute("lang") == "en"
        assert len(english_left(axe_page, "fr")) >= 5  # the check finds English where there is some
        assert axe_page.locator("#language-switcher a").count() == 4
        assert serious_violations(axe_page) == [], path


def test_the_switcher_keeps_the_filters(page, roadmap):  # noqa: F811
    page.goto("/fr/tasks/?group=twg&status=in_progress&sort=-position")
    rows = page.locator("#status-table tbody tr").count()
    page.locator("#language-switcher a[hreflang=ru]").click()
    page.wait_for_url("**/ru/tasks/?group=twg&status=in_progress&sort=-position")
    assert page.locator("#status-table tbody tr").count() == rows
    assert page.locator("#id_group").input_value() == "twg"
    assert page.locator("html").get_attribute("lang") == "ru"


def test_the_switcher_follows_filters_changed_in_place(page, roadmap):  # noqa: F811
    page.goto("/zh-hans/tasks/")
    page.select_option("#id_group", "lwg")
    page.wait_for_url("**/zh-hans/tasks/?*group=lwg*")
    link = page.locator("#language-switcher a[hreflang=fr]")
    link.wait_for()
    page.wait_for_function("document.querySelector('#language-switcher a[hreflang=fr]').href.includes('group=lwg')")
    link.click()
    page.wait_for_url("**/fr/tasks/?*group=lwg*")
    assert page.locator("#id_group").input_value() == "lwg"

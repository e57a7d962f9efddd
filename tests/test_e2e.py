"""Browser tests: a delegate clicks through the table in Debian's Chromium, driven by Playwright.

Skipped, with the reason, where no Chromium is installed; with REQUIRE_BROWSER=1 (as in CI)
a missing browser fails instead.
"""

import re
from pathlib import Path

import pytest
from django.core.management import call_command

from tasks.models import Meeting, Status, Task
from tests.factories import ProgressUpdateFactory, TaskFactory, WorkingGroupFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

AXE = Path(__file__).parent / "vendor" / "axe-core" / "axe.min.js"


def open_page(browser, live_server, **options):
    """Open a page that fails its test on any script error or console error (CSP refusals included)."""
    context = browser.new_context(viewport={"width": 1280, "height": 900}, base_url=live_server.url, **options)
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on("console", lambda message: message.type == "error" and errors.append(message.text))
    return context, page, errors


@pytest.fixture
def page(browser, live_server):
    """A page under the site's own Content Security Policy."""
    context, page, errors = open_page(browser, live_server)
    yield page
    context.close()
    assert errors == [], errors


@pytest.fixture
def axe_page(browser, live_server):
    """A page where the CSP is bypassed, only so that the tests can inject axe-core."""
    context, page, errors = open_page(browser, live_server, bypass_csp=True)
    yield page
    context.close()
    assert errors == [], errors


@pytest.fixture
def roadmap(transactional_db):
    """The seed, plus the Third IISG's updates: one status changed, one narrative changed."""
    call_command("load_seed", verbosity=0)
    iisg3 = Meeting.objects.get(short_title="IISG-3")
    ProgressUpdateFactory(
        task=Task.objects.get(position=6),
        meeting=iisg3,
        reported_on=iisg3.end_date,
        status=Status.COMPLETED,
        narrative="The framework has been completed by the Technical Working Group.",
    )
    ProgressUpdateFactory(
        task=Task.objects.get(position=1),
        meeting=iisg3,
        reported_on=iisg3.end_date,
        status=Status.IN_PROGRESS,
        narrative="The Technical Working Group is in the process of finalizing the template.",
    )
    return iisg3


def table_positions(page):
    return [int(cell) for cell in page.locator("#status-table tbody tr td:first-child").all_inner_texts()]


def serious_violations(page):
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    return [
        (violation["id"], violation["impact"], [node["target"] for node in violation["nodes"]][:3])
        for violation in result["violations"]
        if violation["impact"] in ("serious", "critical")
    ]


def test_delegate_filters_by_group_and_status_in_place(page, roadmap):
    page.goto("/tasks/")
    assert table_positions(page) == list(range(1, 19))
    page.evaluate("window.notReloaded = true")
    page.select_option("#id_group", "lwg")
    page.wait_for_url(re.compile(r"group=lwg"))
    page.wait_for_function("document.querySelectorAll('#status-table tbody tr').length === 5")
    assert table_positions(page) == [2, 7, 8, 10, 17]
    page.get_by_label("Not started").check()
    page.wait_for_url(re.compile(r"status=not_started"))
    page.wait_for_function("document.querySelectorAll('#status-table tbody tr').length === 4")
    assert table_positions(page) == [2, 7, 8, 17]
    assert page.evaluate("window.notReloaded") is True  # htmx swapped the table, no page load
    page.reload()  # the URL is the state: it survives a reload
    assert table_positions(page) == [2, 7, 8, 17]
    assert page.locator("#id_group").input_value() == "lwg"


def test_search_updates_as_you_type(page, roadmap):
    page.goto("/tasks/")
    page.fill("#id_q", "UNNExT")
    page.wait_for_url(re.compile(r"q=UNNExT"))
    page.wait_for_function("document.querySelectorAll('#status-table tbody tr').length === 1")
    assert "Legal readiness checklist" in page.locator("#status-table").inner_text()


def test_sort_and_page(page, roadmap):
    page.goto("/tasks/?per_page=10")
    assert table_positions(page) == list(range(1, 11))
    page.get_by_role("link", name="Status (select to sort)").click()
    page.wait_for_url(re.compile(r"sort=status"))
    page.wait_for_function("document.querySelector('#status-table tbody td:first-child').innerText === '2'")
    assert table_positions(page)[:4] == [2, 7, 8, 17]  # not started first
    assert page.locator("th[aria-sort]").get_attribute("aria-sort") == "ascending"
    page.get_by_role("link", name="Page 2").click()
    page.wait_for_url(re.compile(r"page=2"))
    page.wait_for_function("document.querySelectorAll('#status-table tbody tr').length === 8")
    assert table_positions(page)[-1] == 9  # cancelled last
    assert "sort=status" in page.url


def test_no_javascript_form_still_filters(browser, live_server, roadmap):
    context = browser.new_context(java_script_enabled=False, base_url=live_server.url)
    page = context.new_page()
    page.goto("/tasks/")
    page.select_option("#id_group", "twg")
    page.get_by_label("Draft prepared").check()
    page.get_by_role("button", name="Show tasks").click()
    page.wait_for_url(re.compile(r"group=twg.*status=draft"))
    assert table_positions(page) == [11, 12]
    context.close()


def test_open_a_task_and_its_history(page, roadmap):
    page.goto("/tasks/")
    page.get_by_role("link", name="International standards implementation Framework").click()
    page.wait_for_url(re.compile(r"/tasks/\d+/$"))
    assert page.get_by_role("heading", level=1).inner_text() == "International standards implementation Framework"
    history = page.locator(".history-entry")
    assert history.count() == 2
    assert "Status changed from Draft prepared to Completed." in history.first.inner_text()
    page.get_by_text("What changed in the narrative").click()
    assert "is under further revision" in " ".join(history.first.locator("del").all_inner_texts())


def test_open_a_meeting_edition_and_see_its_changes(page, roadmap):
    page.goto("/meetings/")
    page.get_by_role("link", name="Third Meeting of the Interim Intergovernmental Steering Group").click()
    page.wait_for_url(re.compile(r"/meetings/\d+/$"))
    text = page.locator("main").inner_text()
    assert "What changed since the Second Meeting" in text
    assert "1 status changed" in text
    assert "2 narratives changed" in text
    change = page.locator(".change").filter(has_text="International standards implementation Framework")
    assert "Draft prepared" in change.inner_text() and "Completed" in change.inner_text()
    assert change.locator("ins").count() >= 1
    assert len(table_positions(page)) == 18


@pytest.mark.parametrize("path", ["/", "/tasks/", "/tasks/6/", "/meetings/6/"])
def test_pages_have_no_serious_accessibility_violations(axe_page, roadmap, path):
    axe_page.goto(path)
    assert serious_violations(axe_page) == []


def test_pages_run_under_the_content_security_policy(page, live_server, roadmap):
    """No inline script or style: every page loads with no CSP refusal in the console."""
    for path in [
        "/",
        "/tasks/?sort=status",
        "/tasks/6/",
        "/articles/",
        "/articles/14/",
        "/groups/twg/",
        "/meetings/6/",
    ]:
        response = page.goto(path)
        assert "script-src 'self'" in response.headers["content-security-policy"]
    page.goto("/tasks/")
    page.select_option("#id_group", "twg")
    page.wait_for_url(re.compile(r"group=twg"))
    page.wait_for_function("document.querySelectorAll('#status-table tbody tr').length === 12")


def test_keyboard_focus_is_visible(page, roadmap):
    page.goto("/tasks/")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent.trim()") == "Skip to main content"
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline not in ("none", "")


def test_table_works_on_a_phone(browser, live_server, roadmap):
    context = browser.new_context(viewport={"width": 390, "height": 844}, base_url=live_server.url)
    page = context.new_page()
    page.goto("/tasks/")
    assert page.locator(".navbar-toggler").is_visible()
    page.locator(".navbar-toggler").click()
    page.get_by_role("link", name="Meetings").wait_for(state="visible")
    # The page itself does not scroll sideways; the table scrolls inside its own box.
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
    context.close()


def test_print_shows_only_the_table(page, roadmap):
    page.goto("/tasks/")
    page.emulate_media(media="print")
    assert not page.locator("#filter-form").is_visible()
    assert not page.locator(".site-header").is_visible()
    assert page.locator("#status-table").is_visible()
    pdf = page.pdf(format="A4", landscape=True)
    assert pdf.startswith(b"%PDF")


# On a phone the status table comes first: the filters wait behind their "Filters" toggle, open
# by default on a wide screen, and on a phone when the address sets a filter.

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}


@pytest.fixture
def six_tasks(transactional_db):
    twg, lwg = WorkingGroupFactory(slug="twg"), WorkingGroupFactory(slug="lwg")
    for position in range(1, 7):
        task = TaskFactory(position=position, title=f"Task number {position}", lead_group=twg if position % 2 else lwg)
        ProgressUpdateFactory(task=task)


def open_at_size(browser, live_server, viewport, path="/tasks/", **options):
    context = browser.new_context(viewport=viewport, base_url=live_server.url, **options)
    page = context.new_page()
    errors = []
    page.on("console", lambda message: message.type == "error" and errors.append(message.text))
    page.goto(path)
    return context, page, errors


def test_on_a_phone_the_table_comes_first_and_the_toggle_shows_the_filters(browser, live_server, six_tasks):
    context, page, errors = open_at_size(browser, live_server, PHONE)
    toggle = page.get_by_text("Filters", exact=True)
    assert toggle.is_visible()
    assert not page.locator("#id_q").is_visible()
    first_row = page.locator("#status-table tbody tr").first.bounding_box()
    assert first_row["y"] < PHONE["height"]  # the first task shows on the first screen
    toggle.click()
    page.locator("#id_q").wait_for(state="visible")
    page.select_option("#id_group", "lwg")
    page.wait_for_url(re.compile(r"group=lwg"))
    page.wait_for_function("document.querySelectorAll('#status-table tbody tr').length === 3")
    page.reload()
    assert page.locator("#id_q").is_visible()  # a filter is set: the filters open
    context.close()
    assert errors == []


def test_on_a_wide_screen_the_filters_are_open_without_a_toggle(browser, live_server, six_tasks):
    context, page, errors = open_at_size(browser, live_server, DESKTOP)
    assert page.locator("#id_q").is_visible()
    assert not page.get_by_text("Filters", exact=True).is_visible()
    context.close()
    assert errors == []


def test_on_a_wide_screen_without_javascript_the_filters_are_open(browser, live_server, six_tasks):
    context, page, _errors = open_at_size(browser, live_server, DESKTOP, java_script_enabled=False)
    assert page.locator("#id_q").is_visible()
    context.close()


def test_on_a_phone_with_a_filter_in_the_address_the_filters_are_open(browser, live_server, six_tasks):
    context, page, _errors = open_at_size(browser, live_server, PHONE, path="/tasks/?status=in_progress")
    assert page.locator("#id_q").is_visible()
    context.close()


def test_api_docs_render_and_run_a_call_under_the_content_security_policy(page, roadmap):
    """The API's Swagger UI page: every operation listed, one tried, no CSP refusal (the page fixture fails on any)."""
    page.add_init_script(
        "document.addEventListener('securitypolicyviolation', e => console.error("
        "'CSP violation: ' + e.violatedDirective + ' ' + e.blockedURI))"
    )
    response = page.goto("/api/v1/docs/")
    policy = response.headers["content-security-policy"]
    assert "script-src 'self'" in policy
    assert "unsafe" not in policy
    page.wait_for_selector(".swagger-ui .opblock")
    paths = [path.strip() for path in page.locator(".opblock-summary-path").all_inner_texts()]
    assert "/api/v1/tasks/" in paths
    assert "/api/v1/editions/compare/" in paths
    assert len(paths) == 14  # every operation of the schema, the three of the issued editions included
    operation = page.locator("#operations-tasks-tasks_list")
    operation.locator(".opblock-summary").click()
    operation.locator(".try-out__btn").click()
    operation.locator(".execute").click()
    answer = operation.locator(".live-responses-table")
    answer.wait_for()
    assert '"count": 18' in answer.inner_text()

"""The API's documentation page renders in Chromium under the site's Content Security Policy."""

import pytest
from django.core.management import call_command

from tests.test_e2e import browser, open_page  # noqa: F401  (browser is a fixture)

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


@pytest.fixture
def docs(browser, live_server, transactional_db):  # noqa: F811
    call_command("load_seed", verbosity=0)
    context, page, errors = open_page(browser, live_server)
    violations = []
    page.on("console", lambda message: "Content Security Policy" in message.text and violations.append(message.text))
    page.add_init_script(
        "document.addEventListener('securitypolicyviolation', e => console.error("
        "'CSP violation: ' + e.violatedDirective + ' ' + e.blockedURI))"
    )
    yield page
    context.close()
    assert violations == []
    assert errors == [], errors


def test_docs_page_lists_every_operation_and_runs_one_under_the_csp(docs, live_server):
    response = docs.goto("/api/v1/docs/")
    assert "script-src 'self'" in response.headers["content-security-policy"]
    assert "unsafe" not in response.headers["content-security-policy"]
    docs.wait_for_selector(".swagger-ui .opblock")
    paths = docs.locator(".opblock-summary-path").all_inner_texts()
    assert "/api/v1/tasks/" in [path.strip() for path in paths]
    assert len(paths) == 10
    docs.locator("#operations-tasks-tasks_list .opblock-summary").click()
    docs.locator("#operations-tasks-tasks_list .try-out__btn").click()
    docs.locator("#operations-tasks-tasks_list .execute").click()
    answer = docs.locator("#operations-tasks-tasks_list .live-responses-table")
    answer.wait_for()
    assert '"count": 18' in answer.inner_text()

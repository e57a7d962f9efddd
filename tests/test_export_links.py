import html
import io
import re

import pytest
from openpyxl import load_workbook

from tasks.models import Status
from tests.factories import ProgressUpdateFactory

pytestmark = pytest.mark.django_db


def export_links(response):
    """Return the hrefs of the page's download links, unescaped, as a browser follows them."""
    page = response.content.decode()
    return [html.unescape(href) for href in re.findall(r'href="(/tasks/export\.(?:xlsx|docx)[^"]*)"', page)]


def test_table_page_links_to_both_exports_without_filters(client, roadmap):
    assert export_links(client.get("/tasks/")) == ["/tasks/export.xlsx", "/tasks/export.docx"]


def test_export_links_keep_the_tables_filters(client, roadmap):
    query = f"group=lwg&status=not_started&meeting={roadmap.first.pk}"
    links = export_links(client.get(f"/tasks/?{query}"))

    assert links == [f"/tasks/export.xlsx?{query}", f"/tasks/export.docx?{query}"]


def test_htmx_update_of_the_table_keeps_the_links_current(client, roadmap):
    response = client.get("/tasks/?article=13", headers={"hx-request": "true", "hx-target": "results"})

    assert response.content.decode().lstrip().startswith('<div id="results"')
    assert export_links(response) == ["/tasks/export.xlsx?article=13", "/tasks/export.docx?article=13"]


@pytest.mark.parametrize(
    ("page", "query"),
    [
        ("/meetings/{first}/", "meeting={first}"),
        ("/meetings/{first}/?status=draft", "status=draft&meeting={first}"),
        ("/articles/14/", "article=14"),
        ("/groups/twg/?q=draft", "q=draft&group=twg"),
    ],
)
def test_scoped_pages_link_to_their_scope(client, roadmap, page, query):
    page, query = page.format(first=roadmap.first.pk), query.format(first=roadmap.first.pk)
    assert export_links(client.get(page)) == [f"/tasks/export.xlsx?{query}", f"/tasks/export.docx?{query}"]


def test_meeting_page_link_exports_that_edition(client, roadmap):
    ProgressUpdateFactory(task=roadmap.tasks[2], reported_on=roadmap.second.end_date, status=Status.COMPLETED)
    xlsx_link = export_links(client.get(f"/meetings/{roadmap.first.pk}/?status=draft"))[0]

    response = client.get(xlsx_link)
    workbook = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    rows = list(workbook["Data"].iter_rows(min_row=2, values_only=True))
    assert [row[1] for row in rows] == [2]  # a draft at that meeting, completed since
    assert workbook["Status table"]["A5"].value == "Status as at 25 March 2016"

import html
import io
import re

import pytest
from openpyxl import load_workbook

pytestmark = pytest.mark.django_db


def export_links(response):
    """Return the hrefs of the page's download links, unescaped, as a browser follows them."""
    page = response.content.decode()
    return [html.unescape(href) for href in re.findall(r'href="(/tasks/export\.(?:xlsx|docx)[^"]*)"', page)]


def test_table_page_links_to_both_exports_without_filters(client, seed):
    assert export_links(client.get("/tasks/")) == ["/tasks/export.xlsx", "/tasks/export.docx"]


def test_export_links_keep_the_tables_filters(client, seed):
    links = export_links(client.get("/tasks/?group=lwg&status=not_started&meeting=5"))

    assert links == [
        "/tasks/export.xlsx?group=lwg&status=not_started&meeting=5",
        "/tasks/export.docx?group=lwg&status=not_started&meeting=5",
    ]


def test_htmx_update_of_the_table_keeps_the_links_current(client, seed):
    response = client.get("/tasks/?article=13", headers={"hx-request": "true", "hx-target": "results"})

    assert response.content.decode().lstrip().startswith('<div id="results"')
    assert export_links(response) == ["/tasks/export.xlsx?article=13", "/tasks/export.docx?article=13"]


@pytest.mark.parametrize(
    ("page", "query"),
    [
        ("/meetings/6/", "meeting=6"),  # a meeting without an issued edition: its computed table
        ("/meetings/6/?status=draft", "status=draft&meeting=6"),
        ("/articles/14/", "article=14"),
        ("/groups/twg/?q=draft", "q=draft&group=twg"),
    ],
)
def test_scoped_pages_link_to_their_scope(client, seed, page, query):
    assert export_links(client.get(page)) == [f"/tasks/export.xlsx?{query}", f"/tasks/export.docx?{query}"]


def test_meeting_page_link_exports_that_edition(client, seed):
    xlsx_link = export_links(client.get("/meetings/6/?status=draft"))[0]

    response = client.get(xlsx_link)
    workbook = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    rows = list(workbook["Data"].iter_rows(min_row=2, values_only=True))
    assert [row[1] for row in rows] == [6, 11, 12]
    assert workbook["Status table"]["A5"].value == "Status as at 24 March 2017"

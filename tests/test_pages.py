"""The delegates' pages: overview, task, article, group and meeting pages, and their 404s."""

import datetime
import re

import pytest
from django.urls import reverse

from articles.models import Article
from tasks.models import Meeting, Status, Task, WorkingGroup
from tests.factories import ArticleFactory, MeetingFactory, ProgressUpdateFactory, TaskFactory

pytestmark = pytest.mark.django_db


def text(response):
    """The page's visible text, tags stripped and white space collapsed."""
    html = response.content.decode()
    html = re.sub(r"<(script|style)[^>]*>.*?</\1>", " ", html, flags=re.S)
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def test_dashboard_counts_tasks_by_status_with_numbers_written(client, seed):
    response = client.get(reverse("dashboard"))
    assert response.status_code == 200
    page = text(response)
    for label in ("Not started: 4", "In progress: 9", "Draft prepared: 3", "Pending: 1", "Cancelled: 1"):
        assert label in page
    assert "Where the 18 tasks of the road map stand today." in page
    html = response.content.decode()
    assert html.count('class="fill-in_progress"') >= 3  # overall, LWG, TWG bars


def test_dashboard_per_group_and_article_matrix_link_to_the_table(client, seed):
    response = client.get(reverse("dashboard"))
    page = text(response)
    assert "Legal Working Group · 5 tasks" in page
    assert "Technical Working Group · 12 tasks" in page
    assert "Lead not stated · 1 task" in page
    html = response.content.decode()
    assert 'href="/tasks/?article=14&amp;status=in_progress">4</a>' in html
    assert 'href="/tasks/?article=14">7</a>' in html
    assert 'href="/tasks/?group=lwg&amp;status=not_started"' in html
    matrix = {row["article"].number: dict(row["cells"]) for row in response.context["matrix"]}
    assert matrix[14] == {
        "not_started": 1,
        "in_progress": 4,
        "draft": 1,
        "completed": 0,
        "pending": 1,
        "cancelled": 0,
    }


def test_dashboard_links_the_latest_edition_and_latest_updates(client, seed):
    response = client.get(reverse("dashboard"))
    iisg2 = Meeting.objects.get(short_title="IISG-2")
    assert f'href="{iisg2.get_absolute_url()}"' in response.content.decode()
    assert len(response.context["latest_updates"]) == 8


def test_task_page_shows_articles_group_and_whole_history(client, seed):
    task = Task.objects.get(position=6)
    iisg3 = Meeting.objects.get(short_title="IISG-3")
    ProgressUpdateFactory(
        task=task,
        meeting=iisg3,
        reported_on=datetime.date(2017, 3, 24),
        status=Status.COMPLETED,
        narrative="A draft has been prepared and was adopted by the Technical Working Group.",
    )
    response = client.get(task.get_absolute_url())
    assert response.status_code == 200
    page = text(response)
    assert "International standards implementation Framework" in page
    assert "Technical Working Group" in page and "Article 9" in page
    assert page.index("24 March 2017") < page.index("23 March 2016")  # newest first
    assert "Status changed from Draft prepared to Completed." in page
    assert "Third Meeting of the Interim Intergovernmental Steering Group" in page
    html = response.content.decode()
    assert re.search(r"<del>.*?is under further revision.*?</del>", html)
    assert re.search(r"<ins>.*?was adopted.*?</ins>", html)


def test_task_page_of_the_cancelled_liability_task(client, seed):
    page = text(client.get(Task.objects.get(position=9).get_absolute_url()))
    assert "Lead working group Not stated" in page
    assert "Relevant articles None" in page
    assert "Cancelled" in page


def test_article_pages(client, seed):
    response = client.get(reverse("articles:list"))
    assert response.status_code == 200
    page = text(response)
    assert "Article 9 International standards for exchange of trade-related data" in page
    assert "Article 6 title not recorded" in page
    response = client.get(reverse("articles:detail", args=[14]))
    assert [row.record.position for row in response.context["table"].page.object_list] == [3, 12, 13, 14, 15, 16, 17]
    assert "Article 14" in text(response)
    filtered = client.get(reverse("articles:detail", args=[14]), {"status": "pending"})
    assert [row.record.position for row in filtered.context["table"].page.object_list] == [13]


def test_group_page_lists_the_tasks_it_leads(client, seed):
    response = client.get(reverse("tasks:group", args=["lwg"]))
    assert response.status_code == 200
    assert [row.record.position for row in response.context["table"].page.object_list] == [2, 7, 8, 10, 17]
    assert "Legal Working Group (LWG)" in text(response)
    assert 'href="/feeds/updates/?group=lwg"' in response.content.decode()
    # The page's own group wins over a group in the query string.
    response = client.get(reverse("tasks:group", args=["lwg"]), {"group": "twg"})
    assert [row.record.position for row in response.context["table"].page.object_list] == [2, 7, 8, 10, 17]


def test_meeting_list_and_the_seeds_edition(client, seed):
    response = client.get(reverse("tasks:meetings"))
    page = text(response)
    assert "Second Meeting of the Interim Intergovernmental Steering Group" in page
    assert "23–25 March 2016" in page
    assert "date not recorded" in page
    iisg2 = Meeting.objects.get(short_title="IISG-2")
    response = client.get(iisg2.get_absolute_url())
    assert response.status_code == 200
    # The seed's table is an issued edition: the page lists it and links its frozen table.
    [edition] = response.context["editions"]
    assert response.context["previous_edition"] is None
    assert edition.rows.count() == 18
    assert edition.get_absolute_url() in response.content.decode()


def test_meeting_without_dates_explains_it_has_no_edition(client, seed):
    response = client.get(Meeting.objects.get(short_title="LTWG-3").get_absolute_url())
    assert response.status_code == 200
    assert "dates are not recorded" in text(response)


def test_meeting_page_shows_what_changed_since_the_previous_meeting(client, seed):
    iisg2 = Meeting.objects.get(short_title="IISG-2")
    iisg3 = Meeting.objects.get(short_title="IISG-3")
    day = iisg3.end_date
    ProgressUpdateFactory(
        task=Task.objects.get(position=2),
        meeting=iisg3,
        reported_on=day,
        status=Status.IN_PROGRESS,
        narrative="The Legal Working Group has started the list.",
    )
    ProgressUpdateFactory(
        task=Task.objects.get(position=6),
        meeting=iisg3,
        reported_on=day,
        status=Status.COMPLETED,
        narrative="The framework has been completed by the Technical Working Group.",
    )
    ProgressUpdateFactory(
        task=Task.objects.get(position=1),
        meeting=iisg3,
        reported_on=day,
        status=Status.IN_PROGRESS,
        narrative="The Technical Working Group is in the process of finalizing the template.",
    )
    new_task = TaskFactory(position=19, title="A task added in 2017", lead_group=WorkingGroup.objects.get(slug="twg"))
    ProgressUpdateFactory(task=new_task, meeting=iisg3, reported_on=day, status=Status.NOT_STARTED)

    response = client.get(iisg3.get_absolute_url())
    assert response.context["previous"] == iisg2
    page = text(response)
    assert "What changed since the Second Meeting of the Interim Intergovernmental Steering Group" in page
    assert "1 task added" in page
    assert "2 statuses changed" in page
    assert "3 narratives changed" in page
    assert "1 task completed or cancelled" in page
    assert "Status changed: Not started → to In progress" in page
    assert "Completed: Draft prepared → to Completed" in page
    assert "New task Not started" in page
    html = response.content.decode()
    assert re.search(r"<del>.*?collecting examples and designing an initial.*?</del>", html)
    assert re.search(r"<ins>.*?finalizing the.*?</ins>", html)
    assert [c.task.position for c in response.context["changes"]["changes"]] == [1, 2, 6, 19]
    assert len(response.context["table"].page.object_list) == 19


@pytest.mark.parametrize(
    "url",
    [
        "/tasks/999999/",
        "/tasks/99999999999999999999999999/",
        "/articles/2/",
        "/articles/99999999999999999999/",
        "/groups/nope/",
        "/meetings/424242/",
        "/meetings/99999999999999999999999/",
        "/no-such-page/",
    ],
)
def test_unknown_records_give_the_sites_404_page(client, seed, url):
    response = client.get(url)
    assert response.status_code == 404
    assert "Page not found" in text(response)
    assert 'href="/tasks/"' in response.content.decode()  # in the site's style, with its navigation


PAGES = [
    ("dashboard", {}),
    ("tasks:list", {}),
    ("tasks:detail", {"pk": 6}),
    ("articles:list", {}),
    ("articles:detail", {"number": 14}),
    ("tasks:group", {"slug": "twg"}),
    ("tasks:meetings", {}),
    ("tasks:meeting", {"pk": 6}),
    ("tasks:feed", {}),
]


def grow(seed_meeting_pk=5):
    """Add 80 tasks with two updates each, citing existing and new articles."""
    article = Article.objects.get(number=14)
    group = WorkingGroup.objects.get(slug="twg")
    task6 = Task.objects.get(pk=6)
    meetings = [Meeting.objects.get(pk=seed_meeting_pk), Meeting.objects.get(pk=6)]
    extra = MeetingFactory()
    for i in range(80):
        task = TaskFactory(lead_group=group, articles=[article, ArticleFactory()])
        for meeting in meetings:
            ProgressUpdateFactory(task=task, meeting=meeting, reported_on=meeting.end_date, status=Status.values[i % 6])
        ProgressUpdateFactory(task=task6, meeting=extra, reported_on=extra.end_date)


@pytest.mark.parametrize(("name", "kwargs"), PAGES)
def test_pages_cost_a_fixed_number_of_queries(client, seed, django_assert_max_num_queries, name, kwargs):
    url = reverse(name, kwargs=kwargs)
    ProgressUpdateFactory(
        task=Task.objects.get(pk=6), meeting=Meeting.objects.get(pk=6), reported_on=datetime.date(2017, 3, 24)
    )
    with django_assert_max_num_queries(15) as small:
        assert client.get(url).status_code == 200
    grow()
    with django_assert_max_num_queries(len(small.captured_queries)):
        assert client.get(url, {"per_page": 100} if "list" in name else {}).status_code == 200


def test_dashboard_as_at_a_meeting_counts_that_edition(client, seed):
    iisg3 = Meeting.objects.get(short_title="IISG-3")
    ProgressUpdateFactory(
        task=Task.objects.get(position=6), meeting=iisg3, reported_on=iisg3.end_date, status=Status.COMPLETED
    )
    ProgressUpdateFactory(task=TaskFactory(position=30), reported_on=datetime.date(2018, 1, 1))
    now = text(client.get(reverse("dashboard")))
    assert "Where the 19 tasks of the road map stand today." in now
    assert "Completed: 1" in now and "Draft prepared: 2" in now
    response = client.get(reverse("dashboard"), {"meeting": Meeting.objects.get(short_title="IISG-2").pk})
    then = text(response)
    assert "Where the 18 tasks of the road map stood at the Second Meeting" in then
    assert "Draft prepared: 3" in then and "Completed" not in then.split("By lead working group")[0]
    assert 'href="/tasks/?meeting=5&amp;article=14&amp;status=in_progress">4</a>' in response.content.decode()


@pytest.mark.parametrize("meeting", ["abc", "999999", "-1", "99999999999999999999"])
def test_dashboard_with_a_bad_meeting_shows_today_with_a_message(client, seed, meeting):
    response = client.get(reverse("dashboard"), {"meeting": meeting})
    assert response.status_code == 200
    page = text(response)
    assert "That meeting has no edition of the table" in page
    assert "stand today" in page


def test_word_diff_marks_removed_and_added_words():
    from tasks.presentation import word_diff

    assert word_diff("A draft is ready.", "A final text is ready.") == [
        ("=", "A "),
        ("-", "draft "),
        ("+", "final text "),
        ("=", "is ready."),
    ]
    assert word_diff("", "New.") == [("+", "New.")]


def test_previous_edition_is_the_latest_edition_by_its_date_not_its_start(client, seed):
    from tasks.selectors import previous_edition_meeting

    long = MeetingFactory(start_date=datetime.date(2030, 1, 10), end_date=datetime.date(2030, 3, 30))
    short = MeetingFactory(start_date=datetime.date(2030, 2, 1), end_date=datetime.date(2030, 2, 2))
    later = MeetingFactory(start_date=datetime.date(2030, 4, 10), end_date=datetime.date(2030, 4, 11))
    for meeting in (long, short, later):
        ProgressUpdateFactory(task=Task.objects.get(position=1), meeting=meeting, reported_on=meeting.end_date)
    assert previous_edition_meeting(later) == long

"""The delegates' pages: overview, task, article, group and meeting pages, and their 404s."""

import datetime
import re

import pytest
from django.urls import reverse

from tasks.models import Status
from tests.factories import ArticleFactory, MeetingFactory, ProgressUpdateFactory, TaskFactory

pytestmark = pytest.mark.django_db


def text(response):
    """The page's visible text, tags stripped and white space collapsed."""
    html = response.content.decode()
    html = re.sub(r"<(script|style)[^>]*>.*?</\1>", " ", html, flags=re.S)
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def test_dashboard_counts_tasks_by_status_with_numbers_written(client, roadmap):
    response = client.get(reverse("dashboard"))
    assert response.status_code == 200
    page = text(response)
    for label in (
        "Not started: 1",
        "In progress: 2",
        "Draft prepared: 1",
        "Pending: 1",
        "Cancelled: 1",
        "No update yet: 1",
    ):
        assert label in page
    assert "Completed:" not in page.split("By lead working group")[0]
    assert "Where the 7 tasks of the road map stand today." in page
    html = response.content.decode()
    assert html.count('class="fill-in_progress"') == 2  # the overall and the LWG bars; the TWG has none


def test_dashboard_per_group_and_article_matrix_link_to_the_table(client, roadmap):
    response = client.get(reverse("dashboard"))
    page = text(response)
    assert "Legal Working Group · 2 tasks" in page
    assert "Technical Working Group · 4 tasks" in page
    assert "Lead not stated · 1 task" in page
    html = response.content.decode()
    assert 'href="/tasks/?article=7&amp;status=in_progress">1</a>' in html
    assert 'href="/tasks/?article=14">3</a>' in html
    assert 'href="/tasks/?group=twg&amp;status=not_started"' in html
    matrix = {row["article"].number: dict(row["cells"]) for row in response.context["matrix"]}
    assert matrix[14] == {
        "not_started": 0,
        "in_progress": 0,
        "draft": 1,
        "completed": 0,
        "pending": 1,
        "cancelled": 0,
    }
    assert matrix[9] == {**dict.fromkeys(matrix[14], 0), "in_progress": 1}  # task 7 has no update yet


def test_dashboard_links_the_latest_edition_and_latest_updates(client, roadmap):
    response = client.get(reverse("dashboard"))
    assert f'href="{roadmap.second.get_absolute_url()}"' in response.content.decode()
    assert response.context["latest_meeting"] == roadmap.second
    assert len(response.context["latest_updates"]) == 7  # all there are: fewer than the 8 shown at most
    assert response.context["latest_updates"][0].task == roadmap.tasks[6]


def test_task_page_shows_articles_group_and_whole_history(client, roadmap):
    task = roadmap.tasks[2]
    ProgressUpdateFactory(
        task=task,
        meeting=roadmap.second,
        reported_on=datetime.date(2017, 3, 24),
        status=Status.COMPLETED,
        narrative="A draft has been prepared and was adopted by the Technical Working Group.",
    )
    response = client.get(task.get_absolute_url())
    assert response.status_code == 200
    page = text(response)
    assert "Draft a framework for pilot projects" in page
    assert "Technical Working Group" in page and "Article 7 , Article 14" in page
    assert page.index("24 March 2017") < page.index("25 March 2016")  # newest first
    assert "Status changed from Draft prepared to Completed." in page
    assert "Second Test Meeting of the Steering Group" in page
    html = response.content.decode()
    assert re.search(r"<del>.*?is under revision.*?</del>", html)
    assert re.search(r"<ins>.*?was adopted.*?</ins>", html)


def test_task_page_of_the_cancelled_liability_task(client, roadmap):
    page = text(client.get(roadmap.tasks[5].get_absolute_url()))
    assert "Lead working group Not stated" in page
    assert "Relevant articles None" in page
    assert "Cancelled" in page


def test_article_pages(client, roadmap):
    response = client.get(reverse("articles:list"))
    assert response.status_code == 200
    page = text(response)
    assert "Article 9 International standards for exchange of trade-related data" in page
    assert "Article 6 title not recorded" in page
    response = client.get(reverse("articles:detail", args=[14]))
    assert [row.record.position for row in response.context["table"].page.object_list] == [2, 4, 7]
    assert "Article 14" in text(response)
    filtered = client.get(reverse("articles:detail", args=[14]), {"status": "pending"})
    assert [row.record.position for row in filtered.context["table"].page.object_list] == [4]


def test_group_page_lists_the_tasks_it_leads(client, roadmap):
    response = client.get(reverse("tasks:group", args=["lwg"]))
    assert response.status_code == 200
    assert [row.record.position for row in response.context["table"].page.object_list] == [1, 6]
    assert "Legal Working Group (LWG)" in text(response)
    assert 'href="/feeds/updates/?group=lwg"' in response.content.decode()
    # The page's own group wins over a group in the query string.
    response = client.get(reverse("tasks:group", args=["lwg"]), {"group": "twg"})
    assert [row.record.position for row in response.context["table"].page.object_list] == [1, 6]


def test_meeting_list_and_a_first_edition(client, roadmap):
    response = client.get(reverse("tasks:meetings"))
    page = text(response)
    assert "First Test Meeting of the Steering Group" in page
    assert "23–25 March 2016" in page
    assert "date not recorded" in page
    response = client.get(roadmap.first.get_absolute_url())
    assert response.status_code == 200
    assert response.context["previous"] is None
    assert "6 tasks added" in text(response)
    assert len(response.context["table"].page.object_list) == 6  # task 7 has no update by then


def test_meeting_without_dates_explains_it_has_no_edition(client, roadmap):
    response = client.get(roadmap.undated.get_absolute_url())
    assert response.status_code == 200
    assert "dates are not recorded" in text(response)


def test_meeting_page_shows_what_changed_since_the_previous_meeting(client, roadmap):
    second, day = roadmap.second, roadmap.second.end_date
    # Already recorded at the second meeting: task 6's narrative changed, its status did not.
    ProgressUpdateFactory(
        task=roadmap.tasks[3],
        meeting=second,
        reported_on=day,
        status=Status.IN_PROGRESS,
        narrative="The group has started the survey.",
    )
    ProgressUpdateFactory(
        task=roadmap.tasks[2],
        meeting=second,
        reported_on=day,
        status=Status.COMPLETED,
        narrative="The framework has been completed by the Technical Working Group.",
    )
    new_task = TaskFactory(position=8, title="A task added in 2017", lead_group=roadmap.twg)
    ProgressUpdateFactory(task=new_task, meeting=second, reported_on=day, status=Status.NOT_STARTED)

    response = client.get(second.get_absolute_url())
    assert response.context["previous"] == roadmap.first
    page = text(response)
    assert "What changed since the First Test Meeting of the Steering Group" in page
    assert "1 task added" in page
    assert "2 statuses changed" in page
    assert "3 narratives changed" in page
    assert "1 task completed or cancelled" in page
    assert "Status changed: Not started → to In progress" in page
    assert "Completed: Draft prepared → to Completed" in page
    assert "New task Not started" in page
    html = response.content.decode()
    assert re.search(r"<del>.*?planned with UNNExT.*?</del>", html)
    assert re.search(r"<ins>.*?benchmarking were held.*?</ins>", html)
    assert [c.task.position for c in response.context["changes"]["changes"]] == [2, 3, 6, 8]
    assert len(response.context["table"].page.object_list) == 7  # every task but 7, which has no update


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
def test_unknown_records_give_the_sites_404_page(client, roadmap, url):
    response = client.get(url)
    assert response.status_code == 404
    assert "Page not found" in text(response)
    assert 'href="/tasks/"' in response.content.decode()  # in the site's style, with its navigation


PAGES = [
    ("dashboard", {}),
    ("tasks:list", {}),
    ("tasks:detail", {"pk": "task"}),
    ("articles:list", {}),
    ("articles:detail", {"number": 14}),
    ("tasks:group", {"slug": "twg"}),
    ("tasks:meetings", {}),
    ("tasks:meeting", {"pk": "meeting"}),
    ("tasks:feed", {}),
]


def grow(roadmap):
    """Add 80 tasks with two updates each, citing existing and new articles; and 80 updates to task 2."""
    extra = MeetingFactory()
    for i in range(80):
        task = TaskFactory(lead_group=roadmap.twg, articles=[roadmap.articles[14], ArticleFactory()])
        for meeting in (roadmap.first, roadmap.second):
            ProgressUpdateFactory(task=task, meeting=meeting, reported_on=meeting.end_date, status=Status.values[i % 6])
        ProgressUpdateFactory(task=roadmap.tasks[2], meeting=extra, reported_on=extra.end_date)


@pytest.mark.parametrize(("name", "kwargs"), PAGES)
def test_pages_cost_a_fixed_number_of_queries(client, roadmap, django_assert_max_num_queries, name, kwargs):
    records = {"task": roadmap.tasks[2].pk, "meeting": roadmap.second.pk}
    url = reverse(name, kwargs={key: records.get(value, value) for key, value in kwargs.items()})
    ProgressUpdateFactory(task=roadmap.tasks[2], meeting=roadmap.second, reported_on=roadmap.second.end_date)
    with django_assert_max_num_queries(15) as small:
        assert client.get(url).status_code == 200
    grow(roadmap)
    with django_assert_max_num_queries(len(small.captured_queries)):
        assert client.get(url, {"per_page": 100} if "list" in name else {}).status_code == 200


def test_dashboard_as_at_a_meeting_counts_that_edition(client, roadmap):
    second = roadmap.second
    ProgressUpdateFactory(task=roadmap.tasks[1], meeting=second, reported_on=second.end_date, status=Status.COMPLETED)
    ProgressUpdateFactory(task=TaskFactory(position=30), reported_on=datetime.date(2018, 1, 1))
    now = text(client.get(reverse("dashboard")))
    assert "Where the 8 tasks of the road map stand today." in now
    assert "Completed: 1" in now and "In progress: 2" in now  # tasks 6 and 30
    response = client.get(reverse("dashboard"), {"meeting": roadmap.first.pk})
    then = text(response)
    assert "Where the 6 tasks of the road map stood at the First Test Meeting" in then
    assert "In progress: 2" in then and "Completed" not in then.split("By lead working group")[0]
    link = f'href="/tasks/?meeting={roadmap.first.pk}&amp;article=9&amp;status=in_progress">1</a>'
    assert link in response.content.decode()


@pytest.mark.parametrize("meeting", ["abc", "999999", "-1", "99999999999999999999"])
def test_dashboard_with_a_bad_meeting_shows_today_with_a_message(client, roadmap, meeting):
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


def test_previous_edition_is_the_latest_edition_by_its_date_not_its_start(client, roadmap):
    from tasks.selectors import previous_edition_meeting

    long = MeetingFactory(start_date=datetime.date(2025, 1, 10), end_date=datetime.date(2025, 3, 30))
    short = MeetingFactory(start_date=datetime.date(2025, 2, 1), end_date=datetime.date(2025, 2, 2))
    later = MeetingFactory(start_date=datetime.date(2025, 4, 10), end_date=datetime.date(2025, 4, 11))
    for meeting in (long, short, later):
        ProgressUpdateFactory(task=roadmap.tasks[1], meeting=meeting, reported_on=meeting.end_date)
    assert previous_edition_meeting(later) == long


def test_long_titles_are_cut_the_same_way_on_pages_admin_and_feed(client, roadmap, secretariat_client):
    from tasks.formatting import short_title

    cut = short_title(roadmap.tasks[4].title)
    assert cut.endswith("…") and len(cut) == 100
    assert cut in client.get(reverse("dashboard")).content.decode()
    assert cut in client.get(reverse("tasks:feed")).content.decode()
    assert cut in secretariat_client.get(reverse("admin:tasks_task_changelist")).content.decode()
    assert str(roadmap.tasks[4]) == f"4. {cut}"

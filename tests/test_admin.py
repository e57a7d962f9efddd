"""The secretariat keeps the road map in the Django admin."""

import datetime

import pytest
from django.contrib.auth.models import Group, Permission
from django.urls import reverse

from articles.models import Article
from tasks.models import Meeting, ProgressUpdate, Status, Task
from tests.admin_forms import change_form_data, inline_prefix
from tests.factories import ArticleFactory, ProgressUpdateFactory, TaskFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_secretariat_group_can_edit_every_road_map_record(db):
    group = Group.objects.get(name="Secretariat")
    codenames = set(group.permissions.values_list("content_type__app_label", "codename"))
    for app_label, model in [
        ("articles", "article"),
        ("tasks", "workinggroup"),
        ("tasks", "meeting"),
        ("tasks", "task"),
        ("tasks", "taskarticle"),
        ("tasks", "progressupdate"),
    ]:
        for action in ("add", "change", "delete", "view"):
            assert (app_label, f"{action}_{model}") in codenames
    assert not group.permissions.filter(content_type__app_label="auth").exists()


def test_secretariat_adds_a_progress_update_through_the_task_page(roadmap, secretariat_client, secretariat):
    task = roadmap.tasks[2]
    url = reverse("admin:tasks_task_change", args=[task.pk])
    page = secretariat_client.get(url)
    assert page.status_code == 200
    data = change_form_data(page)
    new, history = inline_prefix(page, ProgressUpdate, 0), inline_prefix(page, ProgressUpdate, 1)
    # One empty form for the next update, above the existing ones.
    assert (data[f"{new}-TOTAL_FORMS"], data[f"{new}-INITIAL_FORMS"]) == ("1", "0")
    assert (data[f"{history}-TOTAL_FORMS"], data[f"{history}-INITIAL_FORMS"]) == ("1", "1")
    html = page.content.decode()
    assert html.index("New progress update") < html.index("A draft is under revision.")
    data.update(
        {
            f"{new}-0-reported_on": "2017-03-24",
            f"{new}-0-meeting": str(roadmap.second.pk),
            f"{new}-0-status": Status.COMPLETED,
            f"{new}-0-narrative": "The framework was completed and endorsed.",
        }
    )
    response = secretariat_client.post(url, data)
    assert response.status_code == 302, response.context and response.context["errors"]
    task.refresh_from_db()
    assert task.updates.count() == 2
    assert task.current_status == Status.COMPLETED
    assert task.current_update.narrative == "The framework was completed and endorsed."
    assert task.current_update.recorded_by == secretariat
    assert task.current_update.reported_on == datetime.date(2017, 3, 24)


def test_invalid_update_shows_errors_and_changes_nothing(roadmap, secretariat_client):
    task = roadmap.tasks[1]
    url = reverse("admin:tasks_task_change", args=[task.pk])
    page = secretariat_client.get(url)
    data = change_form_data(page)
    prefix = inline_prefix(page, ProgressUpdate, 0)
    data.update(
        {f"{prefix}-0-reported_on": "not a date", f"{prefix}-0-status": "finished", f"{prefix}-0-narrative": "x"}
    )
    response = secretariat_client.post(url, data)
    assert response.status_code == 200
    assert "Enter a valid date." in response.content.decode()
    assert "Select a valid choice." in response.content.decode()
    assert task.updates.count() == 1


def test_saving_a_task_without_touching_the_new_form_adds_nothing(roadmap, secretariat_client):
    task = roadmap.tasks[1]
    url = reverse("admin:tasks_task_change", args=[task.pk])
    data = change_form_data(secretariat_client.get(url))
    data["title"] = "Prepare a legal readiness checklist (revised)"
    assert secretariat_client.post(url, data).status_code == 302
    task.refresh_from_db()
    assert task.title.endswith("(revised)")
    assert task.updates.count() == 1


def test_task_inline_lists_updates_newest_first(secretariat_client):
    task = TaskFactory()
    ProgressUpdateFactory(task=task, reported_on=datetime.date(2020, 1, 1), narrative="Oldest narrative")
    ProgressUpdateFactory(task=task, reported_on=datetime.date(2022, 1, 1), narrative="Newest narrative")
    page = secretariat_client.get(reverse("admin:tasks_task_change", args=[task.pk])).content.decode()
    assert page.index("Newest narrative") < page.index("Oldest narrative")


def test_task_list_shows_status_articles_and_last_update(roadmap, secretariat_client):
    page = secretariat_client.get(reverse("admin:tasks_task_changelist"))
    assert page.status_code == 200
    html = page.content.decode()
    assert "Articles 7 and 14" in html
    assert "Draft prepared" in html
    assert "March 25, 2016" in html or "2016-03-25" in html or "25 March 2016" in html
    assert page.context["cl"].result_count == 7


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"lead_group__id__exact": "{lwg}"}, {1, 6}),
        ({"current_status": "pending"}, {4}),
        ({"current_status": "cancelled"}, {5}),
        ({"current_status": "none"}, {7}),
        ({"articles__id__exact": "{article_13}"}, {3}),
        ({"q": "benchmarking"}, {6}),  # in the latest narrative
        ({"q": "UNNExT"}, set()),  # in an earlier narrative only
        ({"q": "framework pilot projects"}, {2}),
        ({"current_status": "no-such-status"}, set(range(1, 8))),
    ],
)
def test_task_list_filters_and_search(roadmap, secretariat_client, query, expected):
    ids = {"{lwg}": str(roadmap.lwg.pk), "{article_13}": str(roadmap.articles[13].pk)}
    query = {key: ids.get(value, value) for key, value in query.items()}
    page = secretariat_client.get(reverse("admin:tasks_task_changelist"), query)
    assert page.status_code == 200
    assert {task.position for task in page.context["cl"].result_list} == expected


def test_task_list_costs_the_same_queries_at_any_size(roadmap, secretariat_client, django_assert_max_num_queries):
    url = reverse("admin:tasks_task_changelist")
    secretariat_client.get(url)
    with django_assert_max_num_queries(12) as small:
        secretariat_client.get(url)
    article = roadmap.articles[14]
    for _ in range(40):
        task = TaskFactory(articles=[article, ArticleFactory()])
        ProgressUpdateFactory(task=task)
    with django_assert_max_num_queries(len(small.captured_queries)):
        secretariat_client.get(url)


def test_delete_of_a_cited_article_is_refused_with_a_message(roadmap, secretariat_client):
    article = Article.objects.get(number=14)
    response = secretariat_client.post(reverse("admin:articles_article_delete", args=[article.pk]), {"post": "yes"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "would require deleting the following protected related objects" in html
    assert Article.objects.filter(number=14).exists()


def test_delete_of_a_meeting_with_updates_is_refused_with_a_message(roadmap, secretariat_client):
    meeting = roadmap.first
    response = secretariat_client.post(reverse("admin:tasks_meeting_delete", args=[meeting.pk]), {"post": "yes"})
    assert "would require deleting the following protected related objects" in response.content.decode()
    assert Meeting.objects.filter(pk=meeting.pk).exists()


def test_an_unused_meeting_can_be_deleted(roadmap, secretariat_client):
    meeting = roadmap.undated
    response = secretariat_client.post(reverse("admin:tasks_meeting_delete", args=[meeting.pk]), {"post": "yes"})
    assert response.status_code == 302
    assert not Meeting.objects.filter(pk=meeting.pk).exists()


def test_delegate_cannot_open_admin(roadmap, delegate_client):
    response = delegate_client.get(reverse("admin:tasks_task_changelist"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))
    response = delegate_client.post(reverse("admin:tasks_task_add"), {"position": "99", "title": "Sneaked in"})
    assert response.status_code == 302
    assert not Task.objects.filter(title="Sneaked in").exists()


def test_staff_without_the_group_cannot_change_tasks(roadmap, client):
    user = UserFactory(username="newcomer", is_staff=True)
    user.user_permissions.add(Permission.objects.get(codename="view_task"))
    client.force_login(user)
    task = roadmap.tasks[1]
    assert client.get(reverse("admin:tasks_task_changelist")).status_code == 200
    response = client.post(reverse("admin:tasks_task_change", args=[task.pk]), {"position": "1", "title": "Changed"})
    assert response.status_code == 403
    task.refresh_from_db()
    assert task.title != "Changed"


@pytest.mark.parametrize(
    "name",
    ["articles_article", "tasks_workinggroup", "tasks_meeting", "tasks_progressupdate", "tasks_task"],
)
def test_every_admin_list_and_add_page_opens(roadmap, secretariat_client, name):
    assert secretariat_client.get(reverse(f"admin:{name}_changelist"), {"q": "Bangkok"}).status_code == 200
    assert secretariat_client.get(reverse(f"admin:{name}_add")).status_code == 200


def test_history_of_a_task_with_an_odd_id_is_a_404(secretariat_client):
    assert secretariat_client.get("/admin/tasks/task/abc/history/").status_code == 404


def test_task_change_page_costs_the_same_queries_with_more_updates(
    roadmap, secretariat_client, django_assert_max_num_queries
):
    task = roadmap.tasks[2]
    url = reverse("admin:tasks_task_change", args=[task.pk])
    with django_assert_max_num_queries(40) as few:
        secretariat_client.get(url)
    for day in range(1, 15):
        ProgressUpdateFactory(task=task, reported_on=datetime.date(2016, 4, day))
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = secretariat_client.get(url)
    assert len(response.context["inline_admin_formsets"][2].formset.forms) == 15


def test_task_list_sorts_by_status_in_reading_order(roadmap, secretariat_client):
    page = secretariat_client.get(reverse("admin:tasks_task_changelist"), {"o": "5"})
    statuses = [task.current_status for task in page.context["cl"].result_list]
    assert statuses == ["not_started", "in_progress", "in_progress", "draft", "pending", "cancelled", ""]

"""/api/v1/: the road map as data. Exempt from the login page's redirect: the API answers 401 itself."""

from django.contrib.auth.decorators import login_not_required
from django.urls import path, re_path, register_converter

from . import edition_views, views
from .converters import IdConverter

app_name = "api"

register_converter(IdConverter, "id")


def api(view):
    return login_not_required(view.as_view())


urlpatterns = [
    path("", api(views.RootView), name="root"),
    path("tasks/", api(views.TaskList), name="tasks"),
    path("tasks/<id:pk>/", api(views.TaskDetail), name="task"),
    path("tasks/<id:pk>/updates/", api(views.TaskUpdates), name="task-updates"),
    path("updates/", api(views.UpdateList), name="updates"),
    path("articles/", api(views.ArticleList), name="articles"),
    path("articles/<id:number>/", api(views.ArticleDetail), name="article"),
    path("groups/", api(views.GroupList), name="groups"),
    path("groups/<path:slug>/", api(views.GroupDetail), name="group"),
    path("meetings/", api(views.MeetingList), name="meetings"),
    path("meetings/<id:pk>/", api(views.MeetingDetail), name="meeting"),
    path("editions/", api(edition_views.EditionList), name="editions"),
    path("editions/compare/", api(edition_views.EditionCompare), name="edition-compare"),
    path("editions/<id:pk>/", api(edition_views.EditionDetail), name="edition"),
    path("schema/", api(views.SchemaView), name="schema"),
    # A page for people: signed in through the site's login page when ROADMAP_REQUIRE_LOGIN is on.
    path("docs/", views.DocsView.as_view(), name="docs"),
    re_path(r"^[\s\S]*/$", api(views.NotFoundView)),  # any character, newlines too
]

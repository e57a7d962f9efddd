from django.urls import path

from . import views

app_name = "editions"

urlpatterns = [
    path("editions/", views.edition_list, name="list"),
    path("editions/compare/", views.compare_editions, name="compare"),
    path("editions/compare/changes.xlsx", views.compare_xlsx, name="compare_xlsx"),
    path("editions/<int:pk>/", views.EditionDetailView.as_view(), name="detail"),
    path("editions/<int:pk>/edition.<str:kind>", views.edition_file, name="file"),
]

# tasks' pages extended with the editions, at tasks' own addresses: roadmap/urls.py puts these
# first, so reverse("tasks:meeting") and the others still give the address, answered here.
extended_task_pages = [
    path("meetings/<int:pk>/", views.MeetingDetailView.as_view()),
    path("tasks/<int:pk>/", views.TaskDetailView.as_view()),
    path("feeds/updates/", views.UpdatesFeed()),
]

from django.urls import path

from freshness.pages import stamped_page

from . import views

app_name = "editions"

urlpatterns = [
    path("editions/", stamped_page(views.edition_list), name="list"),
    path("editions/compare/", stamped_page(views.compare_editions), name="compare"),
    path("editions/compare/changes.xlsx", stamped_page(views.compare_xlsx), name="compare_xlsx"),
    path("editions/<int:pk>/", stamped_page(views.EditionDetailView.as_view()), name="detail"),
    path("editions/<int:pk>/edition.<str:kind>", views.edition_file, name="file"),
]

# tasks' pages extended with the editions, at tasks' own addresses: roadmap/urls.py puts these
# first, so reverse("tasks:meeting") and the others still give the address, answered here.
extended_task_pages = [
    path("meetings/<int:pk>/", stamped_page(views.MeetingDetailView.as_view())),
    path("tasks/<int:pk>/", stamped_page(views.TaskDetailView.as_view())),
    path("feeds/updates/", stamped_page(views.UpdatesFeed())),
]

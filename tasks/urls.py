from django.urls import path

from freshness.pages import stamped_page

from . import views

app_name = "tasks"

urlpatterns = [
    path("tasks/", stamped_page(views.TaskListView.as_view()), name="list"),
    path("tasks/export.xlsx", stamped_page(views.export_xlsx), name="export_xlsx"),
    path("tasks/export.docx", stamped_page(views.export_docx), name="export_docx"),
    path("tasks/<int:pk>/", stamped_page(views.TaskDetailView.as_view()), name="detail"),
    path("groups/<slug:slug>/", stamped_page(views.WorkingGroupDetailView.as_view()), name="group"),
    path("meetings/", stamped_page(views.MeetingListView.as_view()), name="meetings"),
    path("meetings/<int:pk>/", stamped_page(views.MeetingDetailView.as_view()), name="meeting"),
    path("feeds/updates/", stamped_page(views.UpdatesFeed()), name="feed"),
]

from django.urls import path

from . import views

app_name = "tasks"

urlpatterns = [
    path("tasks/", views.TaskListView.as_view(), name="list"),
    path("tasks/export.xlsx", views.export_xlsx, name="export_xlsx"),
    path("tasks/export.docx", views.export_docx, name="export_docx"),
    path("tasks/<int:pk>/", views.TaskDetailView.as_view(), name="detail"),
    path("groups/<slug:slug>/", views.WorkingGroupDetailView.as_view(), name="group"),
    path("meetings/", views.MeetingListView.as_view(), name="meetings"),
    path("meetings/<int:pk>/", views.MeetingDetailView.as_view(), name="meeting"),
    path("feeds/updates/", views.UpdatesFeed(), name="feed"),
]

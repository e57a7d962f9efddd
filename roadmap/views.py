from django.shortcuts import render
from django.urls import reverse

from tasks.filters import TaskFilter
from tasks.selectors import dashboard_summary


def dashboard(request):
    """Show where the road map stands, now or as at a meeting: counts by status, group and article."""
    filterset = TaskFilter({"meeting": request.GET.get("meeting", "")})
    context = dashboard_summary(filterset.edition_meeting)
    context["filter"] = filterset
    meeting = filterset.edition_meeting
    # Every count links to the rows it counts, in the same edition of the table.
    context["table_link"] = reverse("tasks:list") + (f"?meeting={meeting.pk}&" if meeting else "?")
    return render(request, "roadmap/dashboard.html", context)


def page_not_found(request, exception):
    return render(request, "404.html", status=404)

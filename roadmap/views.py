from django.shortcuts import render
from django.urls import reverse

from freshness import cache
from freshness.stamp import current
from tasks.filters import TaskFilter
from tasks.models import STATUS_ORDER, Status
from tasks.presentation import status_bar
from tasks.selectors import dashboard_summary


def dashboard(request):
    """Show where the road map stands, now or as at a meeting: counts by status, group and article."""
    filterset = TaskFilter({"meeting": request.GET.get("meeting", "")})
    meeting = filterset.edition_meeting
    # The counts are the same for everyone until the road map changes: computed once per change.
    stamp = getattr(request, "roadmap_stamp", None) or current()
    summary = cache.get_or_compute(
        f"dashboard:{stamp.key}:{meeting.pk if meeting else ''}", lambda: dashboard_summary(meeting)
    )
    context = {
        "filter": filterset,
        "meeting": meeting,
        "total": sum(summary["overall"].values()),
        "overall": status_bar(summary["overall"]),
        "groups": [
            {"group": group, "total": sum(counts.values()), "bar": status_bar(counts)}
            for group, counts in summary["groups"]
        ],
        "matrix_statuses": [(status, Status(status).label) for status in STATUS_ORDER],
        "matrix": [
            {"article": article, "cells": cells, "total": total} for article, cells, total in summary["articles"]
        ],
        "latest_updates": summary["latest_updates"],
        "latest_meeting": summary["latest_meeting"],
        # Every count links to the rows it counts, in the same edition of the table.
        "table_link": reverse("tasks:list") + (f"?meeting={meeting.pk}&" if meeting else "?"),
    }
    return render(request, "roadmap/dashboard.html", context)


def page_not_found(request, exception):
    return render(request, "404.html", status=404)

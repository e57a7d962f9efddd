from django.shortcuts import render

from tasks.selectors import dashboard_summary


def dashboard(request):
    """Show where the road map stands: status counts overall, per group and per article."""
    return render(request, "roadmap/dashboard.html", dashboard_summary())


def page_not_found(request, exception):
    return render(request, "404.html", status=404)

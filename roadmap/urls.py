from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

from editions.urls import extended_task_pages
from freshness.pages import stamped_page

from . import views

admin.site.site_header = _("Road Map Tracker — administration")
admin.site.site_title = _("Road Map Tracker")
admin.site.index_title = _("Road map records")

# Every page is in every language: English at the unprefixed URL (the one shared links and
# other systems use), the others under their prefix (/fr/tasks/?group=twg). An unknown
# prefix matches nothing: a 404.
urlpatterns = i18n_patterns(
    path("", stamped_page(views.dashboard), name="dashboard"),
    *extended_task_pages,  # the meeting page, task page and feed, with the issued editions
    path("", include("tasks.urls")),
    path("", include("editions.urls")),
    path("", include("tasks.article_urls")),
    path("accounts/login/", auth_views.LoginView.as_view(redirect_authenticated_user=True), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("admin/translations/", include("tasks.translation_urls")),
    path("admin/", admin.site.urls),
    prefix_default_language=False,
)

# The API is a data contract: one URL whatever the language (/api/v1/, never /fr/api/v1/).
urlpatterns += [path("api/v1/", include("api.urls"))]

handler404 = "roadmap.views.page_not_found"

from django.contrib import admin
from django.urls import path
from django.utils.translation import gettext_lazy as _

admin.site.site_header = _("Road Map Tracker — secretariat")
admin.site.site_title = _("Road Map Tracker")
admin.site.index_title = _("Road map records")

urlpatterns = [
    path("admin/", admin.site.urls),
]

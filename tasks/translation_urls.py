"""The admin's translation pages (the "translations" URL namespace), under /admin/translations/."""

from django.contrib import admin
from django.urls import path

from . import translation_wizard as views

app_name = "translations"

wrap = admin.site.admin_view

urlpatterns = [
    path("", wrap(views.index), name="index"),
    path("<str:language>/", wrap(views.to_do), name="to_do"),
    path("<str:language>/export.<str:kind>", wrap(views.export), name="export"),
    path("<str:language>/import/", wrap(views.upload), name="upload"),
    path("<str:language>/import/preview/", wrap(views.preview), name="preview"),
    path("<str:language>/import/confirm/", wrap(views.confirm), name="confirm"),
]

"""The articles' pages: the tasks that implement each article (the "articles" URL namespace)."""

from django.urls import path

from . import views

app_name = "articles"

urlpatterns = [
    path("articles/", views.ArticleListView.as_view(), name="list"),
    path("articles/<int:number>/", views.ArticleDetailView.as_view(), name="detail"),
]

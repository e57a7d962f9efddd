"""The articles' pages: the tasks that implement each article (the "articles" URL namespace)."""

from django.urls import path

from freshness.pages import stamped_page

from . import views

app_name = "articles"

urlpatterns = [
    path("articles/", stamped_page(views.ArticleListView.as_view()), name="list"),
    path("articles/<int:number>/", stamped_page(views.ArticleDetailView.as_view()), name="detail"),
]

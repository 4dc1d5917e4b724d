from django.urls import path

from articles import views

app_name = "articles"

urlpatterns = [
    path("publications/<slug:slug>/", views.ArticleDetailView.as_view(), name="detail"),
    path(
        "publications/<slug:slug>/pdf/<int:pk>/<slug:digest>.pdf",
        views.edition_file,
        name="edition",
    ),
    path(
        "publications/<slug:slug>/citation.<slug:extension>",
        views.citation,
        name="citation",
    ),
    path("shared/<str:token>/", views.SharedArticleView.as_view(), name="shared"),
]

from django.urls import path

from articles import views

app_name = "articles"

urlpatterns = [
    path("publications/<slug:slug>/", views.ArticleDetailView.as_view(), name="detail"),
    path("shared/<str:token>/", views.SharedArticleView.as_view(), name="shared"),
]

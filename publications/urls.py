from django.urls import path

from publications import views

app_name = "publications"

urlpatterns = [
    path("", views.HomeView.as_view(), name="home"),
    path("publications/", views.PublicationListView.as_view(), name="list"),
    path("topics/", views.TopicIndexView.as_view(), name="topics"),
    path("topics/<slug:slug>/", views.TopicView.as_view(), name="topic"),
    path("regions/", views.RegionIndexView.as_view(), name="regions"),
    path("regions/<slug:slug>/", views.RegionView.as_view(), name="region"),
    path("types/<slug:slug>/", views.TypeView.as_view(), name="type"),
    path("people/<slug:slug>/", views.AuthorView.as_view(), name="author"),
]

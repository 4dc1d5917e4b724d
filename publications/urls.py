from django.urls import path

from publications import feeds, views

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
    path("feeds/rss/", feeds.PublicationsFeed(), name="feed-rss"),
    path("feeds/atom/", feeds.PublicationsAtomFeed(), name="feed-atom"),
    path("topics/<slug:slug>/rss/", feeds.TopicFeed(), name="topic-rss"),
    path("topics/<slug:slug>/atom/", feeds.TopicAtomFeed(), name="topic-atom"),
    path("regions/<slug:slug>/rss/", feeds.RegionFeed(), name="region-rss"),
    path("regions/<slug:slug>/atom/", feeds.RegionAtomFeed(), name="region-atom"),
    path("types/<slug:slug>/rss/", feeds.TypeFeed(), name="type-rss"),
    path("types/<slug:slug>/atom/", feeds.TypeAtomFeed(), name="type-atom"),
    path("people/<slug:slug>/rss/", feeds.AuthorFeed(), name="author-rss"),
    path("people/<slug:slug>/atom/", feeds.AuthorAtomFeed(), name="author-atom"),
]

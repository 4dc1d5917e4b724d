from django.urls import path, re_path

from publications import feeds, views
from publications.scopes import SCOPES
from publications.search import SearchView

app_name = "publications"

urlpatterns = [
    path("", views.HomeView.as_view(), name="home"),
    path("publications/", views.PublicationListView.as_view(), name="list"),
    path("topics/", views.TopicIndexView.as_view(), name="topics"),
    path("regions/", views.RegionIndexView.as_view(), name="regions"),
    path("search/", SearchView.as_view(), name="search"),
]
urlpatterns += [
    path(f"feeds/{writer.format}/", feeds.PublicationsFeed(writer), name=feeds.url_name(writer))
    for writer in feeds.WRITERS
]
# The publications in one language: /feeds/fr/rss/, /feeds/ar/json/ …
urlpatterns += [
    re_path(
        rf"^feeds/(?P<language>[A-Za-z]{{2,3}}(?:-[A-Za-z0-9]{{1,8}})*)/{writer.format}/$",
        feeds.LanguageFeed(writer),
        name=f"language-{writer.format}",
    )
    for writer in feeds.WRITERS
]
# Each scope's landing pages and feeds: /topics/<slug>/, /topics/<slug>/rss/ …
for scope in SCOPES.values():
    urlpatterns.append(
        path(f"{scope.prefix}/<slug:slug>/", views.landing_view(scope), name=scope.name)
    )
    urlpatterns += [
        path(
            f"{scope.prefix}/<slug:slug>/{writer.format}/",
            feeds.PublicationsFeed(writer, scope),
            name=feeds.url_name(writer, scope),
        )
        for writer in feeds.WRITERS
    ]

from django.apps import AppConfig


class ArticlesConfig(AppConfig):
    name = "articles"
    verbose_name = "Articles, authors and photos"

    def ready(self):
        # The signal receivers that keep the search index current.
        from articles import search  # noqa: F401

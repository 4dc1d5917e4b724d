from django.apps import AppConfig


class PublicationsConfig(AppConfig):
    name = "publications"
    verbose_name = "Publications: types, topics and regions"

    def ready(self):
        # Any change to what a public page shows makes the cached pages stale.
        from publications import caching

        caching.connect_signals()

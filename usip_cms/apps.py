from django.apps import AppConfig


class UsipCmsConfig(AppConfig):
    """The site shell: what belongs to the whole site rather than one app.

    The page cache, site helpers, the demo and benchmark commands and the
    site-wide static files live here.
    """

    name = "usip_cms"
    verbose_name = "Site"

    def ready(self):
        # Any change to what a public page shows makes the cached pages stale.
        from usip_cms import caching

        caching.connect_signals()

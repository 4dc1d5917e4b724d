from django.apps import AppConfig


class UsipCmsConfig(AppConfig):
    """The site shell: what belongs to the whole site rather than one app.

    The page cache, site helpers, the demo and benchmark commands and the
    site-wide static files live here.
    """

    name = "usip_cms"
    verbose_name = "Site"

    def ready(self):
        # A change to what public pages show drops those pages (page and front cache).
        from usip_cms import cache_keys

        cache_keys.connect_signals()

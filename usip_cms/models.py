from django.db import models


class PendingPurge(models.Model):
    """A front-cache purge that could not be sent yet (usip_cms.frontcache)."""

    url = models.CharField(max_length=500, help_text="The front cache's purge address.")
    keys = models.CharField(max_length=2000, help_text="Surrogate keys, space-separated.")
    created_at = models.DateTimeField(auto_now_add=True)
    attempts = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self):
        return f"purge {self.keys} at {self.url}"

"""Outboxes: work on another service that could not be done yet.

PendingPurge holds front-cache purges (usip_cms/frontcache.py);
PendingInvalidation holds page-cache invalidations (usip_cms/caching.py): a
row is written in the change's own transaction when the shared cache does not
take the generation bump, and the next process that reaches the cache again
bumps the generation and deletes the rows.
"""

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


class PendingInvalidation(models.Model):
    """A change saved while the page cache did not answer (usip_cms.caching)."""

    created_at = models.DateTimeField(
        auto_now_add=True, help_text="When the change was saved while the cache did not answer."
    )

    class Meta:
        ordering = ["pk"]

    def __str__(self):
        return f"Page cache invalidation pending since {self.created_at:%Y-%m-%d %H:%M:%S}"

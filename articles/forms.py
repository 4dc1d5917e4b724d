from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone

from articles.images import clean_image
from articles.models import Article, Photo


class ArticleAdminForm(forms.ModelForm):
    """Rules an article must meet before it goes public, as form errors."""

    class Meta:
        model = Article
        fields = (
            "title", "slug", "publication_type", "summary", "body", "lead_photo",
            "topics", "regions", "report_number", "status", "published_at",
        )  # fmt: skip

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("status") == Article.Status.PUBLISHED:
            if not (cleaned.get("summary") or "").strip():
                self.add_error(
                    "summary", "A summary is needed to publish: cards and feeds show it."
                )
            if not cleaned.get("published_at"):
                # Publishing without a date means “now”, as editors expect.
                cleaned["published_at"] = timezone.now()
        return cleaned


class BylineFormSet(forms.BaseInlineFormSet):
    """At least one author before publishing."""

    def clean(self):
        super().clean()
        if self.instance.status != Article.Status.PUBLISHED:
            return
        remaining = [
            form
            for form in self.forms
            if form.cleaned_data.get("author") and not form.cleaned_data.get("DELETE")
        ]
        if not remaining:
            raise ValidationError("Add at least one author before publishing.")


class PhotoAdminForm(forms.ModelForm):
    """Uploads are decoded, checked and stored without their metadata."""

    class Meta:
        model = Photo
        fields = ("image", "alt_text", "is_decorative", "caption", "credit")

    def clean_image(self):
        image = self.cleaned_data.get("image")
        if (
            image
            and image is not getattr(self.instance, "image", None)
            and hasattr(image, "content_type")
        ):
            # A fresh upload: replace it with the re-encoded copy (no GPS, no EXIF).
            return clean_image(image)
        return image

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("is_decorative") and not (cleaned.get("alt_text") or "").strip():
            self.add_error(
                "alt_text",
                "Describe the photo for readers who cannot see it, or mark it decorative.",
            )
        return cleaned

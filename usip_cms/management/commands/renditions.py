"""`manage.py renditions`: make the resized copies that photos and portraits lack.

Renditions are made when an image is saved, never on a page view. Images
saved before a format or width was added (AVIF came after WebP and JPEG)
keep their old renditions until this runs: it remakes, under new addresses,
those of every photo and portrait whose list lacks a width or a format, and
leaves the rest alone, so running it again does nothing. `make serve` and
`make demo` run it; `--all` remakes every one.
"""

from django.core.management.base import BaseCommand
from django.utils.translation import ngettext

from articles.images import make_renditions, needs_renditions
from articles.models import Author, Photo
from usip_cms import caching
from usip_cms.cache_keys import photo_articles


class Command(BaseCommand):
    help = "Make the renditions (sizes and formats) that stored photos and portraits lack."

    def add_arguments(self, parser):
        parser.add_argument("--all", action="store_true", help="Remake every rendition.")

    def handle(self, *args, all=False, **options):
        made = 0
        shown = set()  # the page-cache keys of what shows the remade images
        for model, width_field in ((Photo, "width"), (Author, "portrait_width")):
            field = model.image_field
            for obj in model.objects.exclude(**{field: ""}).iterator():
                renditions = getattr(obj, model.renditions_field)
                widths = model.rendition_widths
                if not all and not needs_renditions(renditions, getattr(obj, width_field), widths):
                    continue
                fresh = make_renditions(
                    obj, field=field, folder=model.rendition_folder, widths=widths
                )
                # update(): the rows' own save() would make them again.
                model.objects.filter(pk=obj.pk).update(**{model.renditions_field: fresh})
                made += 1
                if model is Photo:
                    shown |= {f"article:{pk}" for pk in photo_articles(obj.pk, None)}
                else:
                    shown.add(f"author:{obj.pk}")
        if shown:
            # update() sends no signal: cached pages still name the old files.
            caching.invalidate(shown | {"article:all"})
        self.stdout.write(
            ngettext("Renditions made for %d image.", "Renditions made for %d images.", made) % made
        )

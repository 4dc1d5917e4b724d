"""The demo's reports: series and numbers, an ISBN, key takeaways, and PDFs.

`load_reports(items)` is called by `manage.py load_demo` with the demo's
article dicts once they are saved. It only adds what is missing: a series, a
number, an ISBN, key takeaways or an edition that an editor has set or
changed is left exactly as it is. The PDFs are drawn here with Pillow (a
title page, then the text), so the demo needs no network and no files.
"""

import io
import re
import textwrap
from datetime import datetime

from django.core.files.base import ContentFile
from django.db.models import Q
from django.utils.html import strip_tags
from PIL import Image, ImageDraw, ImageFont

from articles.models import Article, Edition
from publications.models import PublicationType, Series

# (name, slug, prefix, publication type, description)
SERIES = [
    (
        "Special Reports",
        "special-reports",
        "SR",
        "Special Report",
        "In-depth research and policy recommendations on preventing and resolving conflict, "
        "numbered since the series began.",
    ),
    (
        "Peaceworks",
        "peaceworks",
        "PW",
        "Peaceworks",
        "Longer studies of a conflict, a region or a peacebuilding practice.",
    ),
]

NUMBER = re.compile(r"^([A-Z]+) (\d+)$")

SPECIAL_REPORT = "chinas-global-security-initiative-takes-shape-southeast-central-asia"
SAHEL_ANALYSIS = "amid-wave-coups-democracy-sahel-depends-human-security"

ISBNS = {SPECIAL_REPORT: "9781601275356"}

KEY_TAKEAWAYS = {
    SPECIAL_REPORT: [
        "The Global Security Initiative has moved from slogans to institutions: police "
        "training, law-enforcement agreements and regular security forums.",
        "In mainland Southeast Asia it shows most in Mekong patrols and in campaigns against "
        "cross-border scam centers, problems neighbors want solved.",
        "In Central Asia it builds on border cooperation and on Beijing’s wish to protect "
        "its investments and workers.",
        "Governments in both regions take practical help while keeping their other "
        "partnerships open.",
        "The United States should answer with practical offers on policing, borders and "
        "transnational crime, not with warnings alone.",
    ],
    SAHEL_ANALYSIS: [
        "Five of the six attempts to seize power by force in 2021 took place in Africa, "
        "most of them in the Sahel.",
        "Coups follow years of failed services, abusive security forces and lost trust in "
        "governments.",
        "Help for fragile Sahel states should put the safety and welfare of ordinary people "
        "ahead of quick counterterrorism results.",
        "The Summit for Democracy is a chance to engage whole societies as partners, not "
        "only their rulers.",
    ],
}

# The report's sections beyond what the article page shows (our own prose).
REPORT_SECTIONS = [
    (
        "Introduction",
        "When Xi Jinping announced the Global Security Initiative in April 2022, it read as a "
        "list of principles: indivisible security, respect for sovereignty, opposition to "
        "blocs. This report asks what the initiative has become in practice, in two regions "
        "where China’s security presence has grown fastest, and what that means for the "
        "United States and its partners.",
    ),
    (
        "Methods",
        "The findings draw on fieldwork in five countries, on more than sixty interviews "
        "with officials, police officers, diplomats and researchers, and on a review of "
        "agreements, training announcements and forum statements published since 2022.",
    ),
    (
        "The initiative’s toolkit",
        "Three instruments recur. Training programs bring police and security officials to "
        "Chinese academies for courses of a few weeks to a year. Cooperation agreements "
        "set out joint operations against crime that crosses borders. Forums give officials "
        "a place to hear, and repeat, Chinese ideas about security.",
    ),
    (
        "Mainland Southeast Asia",
        "Joint patrols on the Mekong are the initiative’s most visible face. Campaigns "
        "against scam centers, where trafficked workers are forced to defraud strangers "
        "online, have won Beijing goodwill because they answer a problem the region’s "
        "governments and families feel directly.",
    ),
    (
        "Central Asia",
        "Here the initiative builds on two decades of border cooperation. Officials describe "
        "its value in practical terms: equipment, training places and a partner that asks "
        "few questions about how security forces treat their citizens.",
    ),
    (
        "Recommendations",
        "Washington should match practical needs with practical offers: support for "
        "policing that respects rights, border management and the fight against "
        "transnational crime. It should listen to what partners ask for, and accept that "
        "they will keep several partners at once.",
    ),
]

PAGE_SIZE = (850, 1100)  # US Letter at 100 dots per inch
NAVY, WHITE, INK = (11, 37, 69), (255, 255, 255), (27, 31, 36)


def load_reports(items):
    """Series, numbers, the ISBN, key takeaways and PDFs for the demo's articles.

    items: the demo's article dicts (those with a "report_number" are
    numbered). Returns how many things were added.
    """
    added = _load_series()
    articles = Article.objects.in_bulk([item["slug"] for item in items], field_name="slug")
    for item in items:
        article = articles.get(item["slug"])
        if article is None:
            continue
        added += _number(article, item.get("report_number", ""))
        added += _fill(article, "isbn", ISBNS.get(article.slug, ""))
        added += _fill(article, "key_takeaways", KEY_TAKEAWAYS.get(article.slug, []))
    report = articles.get(SPECIAL_REPORT)
    if report is not None:
        added += _edition(report, Edition.Kind.FULL, report_pages(report))
        added += _edition(report, Edition.Kind.SUMMARY, summary_pages(report))
    return added


def _load_series():
    added = 0
    types = {t.name: t for t in PublicationType.objects.all()}
    for name, slug, prefix, type_name, description in SERIES:
        if type_name not in types or Series.objects.filter(Q(slug=slug) | Q(prefix=prefix)):
            continue
        Series.objects.create(
            name=name,
            slug=slug,
            prefix=prefix,
            publication_type=types[type_name],
            description=description,
        )
        added += 1
    return added


def _number(article, report_number):
    match = NUMBER.match(report_number)
    if article.series_id or not match:
        return 0
    series = Series.objects.filter(prefix=match.group(1)).first()
    number = int(match.group(2))
    if series is None or series.articles.filter(series_number=number).exists():
        return 0
    article.series, article.series_number = series, number
    article.save(update_fields=["series", "series_number"])
    return 1


def _fill(article, field, value):
    if not value or getattr(article, field):
        return 0
    setattr(article, field, value)
    article.save(update_fields=[field])
    return 1


def _edition(article, kind, pages):
    """An edition of this kind, unless the article has one; its file drawn again
    only if it is missing from storage (a wiped var/media)."""
    edition = article.editions.filter(kind=kind).first()
    if edition is not None and edition.file.storage.exists(edition.file.name):
        return 0
    edition = edition or Edition(article=article, kind=kind, language="en", position=len(kind))
    name = f"{article.slug}-{kind}.pdf"
    edition.file = ContentFile(pdf_bytes(pages, article.published_at), name=name)
    edition.save()
    return 1


# --- Drawing the PDFs ----------------------------------------------------------


def _font(size):
    # Pillow's own font (FreeType): no font file to find on the machine.
    return ImageFont.load_default(size=size)


def _wrapped(draw, xy, text, size, width, fill=INK, spacing=1.45):
    """Draw text wrapped to width characters; return the y below it."""
    x, y = xy
    font = _font(size)
    for line in textwrap.wrap(text, width):
        draw.text((x, y), line, font=font, fill=fill)
        y += round(size * spacing)
    return y


def title_page(article, label):
    page = Image.new("RGB", PAGE_SIZE, WHITE)
    draw = ImageDraw.Draw(page)
    draw.rectangle([0, 0, PAGE_SIZE[0], 360], fill=NAVY)
    draw.text((70, 80), "UNITED STATES INSTITUTE OF PEACE", font=_font(22), fill=WHITE)
    draw.text((70, 280), label.upper(), font=_font(26), fill=WHITE)
    y = _wrapped(draw, (70, 420), article.title, 44, 30)
    authors = " and ".join(author.name for author in article.ordered_authors)
    y = _wrapped(draw, (70, y + 30), f"By {authors}", 24, 55)
    if article.published_at:
        draw.text((70, y + 20), f"{article.published_at:%B %Y}", font=_font(22), fill=INK)
    draw.line([(70, 1000), (780, 1000)], fill=NAVY, width=3)
    draw.text((70, 1020), "usip.org", font=_font(20), fill=INK)
    return page


def text_pages(sections):
    """Pages of headed sections (each a paragraph or a list of them), grayscale,
    a new page when one is full."""
    pages, page, y = [], None, 0
    for heading, paragraphs in sections:
        paragraphs = [paragraphs] if isinstance(paragraphs, str) else paragraphs
        lines = sum(len(textwrap.wrap(text, 78)) + 1 for text in paragraphs)
        if page is None or y + 60 + lines * 26 > PAGE_SIZE[1] - 90:
            page = Image.new("L", PAGE_SIZE, 255)
            pages.append(page)
            y = 90
        draw = ImageDraw.Draw(page)
        draw.text((80, y), heading, font=_font(28), fill=0)
        y += 50
        for text in paragraphs:
            y = _wrapped(draw, (80, y), text, 18, 78, fill=0) + 12
        y += 18
    for number, page in enumerate(pages, start=2):
        ImageDraw.Draw(page).text((415, 1050), str(number), font=_font(16), fill=0)
    return pages


def report_pages(article):
    label = f"Special Report No. {article.series_number}" if article.series_id else "Report"
    numbered = [f"{n}. {point}" for n, point in enumerate(article.key_takeaways, start=1)]
    paragraphs = re.findall(r"<p>(.*?)</p>", article.body, flags=re.DOTALL)
    body = [("Summary", article.summary), ("Key takeaways", numbered)]
    body.append(("Findings", [" ".join(strip_tags(p).split()) for p in paragraphs]))
    return [title_page(article, label), *text_pages(body + REPORT_SECTIONS)]


def summary_pages(article):
    numbered = [f"{n}. {point}" for n, point in enumerate(article.key_takeaways, start=1)]
    sections = [("Summary", article.summary), ("Key takeaways", numbered)]
    return [title_page(article, "Report summary"), *text_pages(sections)]


def pdf_bytes(pages, when):
    """The pages as one PDF; the same pages make the same bytes (fixed dates)."""
    stamp = (when or datetime(2024, 1, 1)).timetuple()
    buffer = io.BytesIO()
    pages[0].save(
        buffer,
        "PDF",
        save_all=True,
        append_images=pages[1:],
        resolution=100,
        quality=70,
        title="United States Institute of Peace",
        creationDate=stamp,
        modDate=stamp,
    )
    return buffer.getvalue()

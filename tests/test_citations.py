"""“Cite this”: formatted citations and the BibTeX, RIS and CSL-JSON downloads,
read back with the parsers reference managers use."""

import json
from datetime import UTC, datetime

import bibtexparser
import pytest
import rispy
from bibtexparser.middlewares import LatexDecodingMiddleware, SeparateCoAuthors, SplitNameParts
from citeproc import Citation, CitationItem, CitationStylesBibliography, CitationStylesStyle
from citeproc import formatter as citeproc_formatter
from citeproc.source.json import CiteProcJSON
from django.conf import settings

from articles import citations
from articles.names import split_name
from tests.factories import UNPUBLISHED, make_article, make_author, make_edition, make_series

pytestmark = pytest.mark.django_db

TITLE = "China’s Global Security Initiative Takes Shape in Southeast and Central Asia"
REPORT = "/publications/chinas-gsi/"
ANALYSIS = "/publications/sahel-coups/"


@pytest.fixture
def report():
    article = make_article(
        TITLE,
        slug="chinas-gsi",
        type_name="Special Report",
        authors=[make_author("Nadia Sorokina"), make_author("Simone de Beauvoir")],
        topics=["Global Policy"],
        series=make_series(),
        series_number=535,
        isbn="9781601275356",
        doi="10.1234/sr.535",
        summary="How the initiative is put into practice.",
        published_at=datetime(2024, 11, 21, 19, tzinfo=UTC),
    )
    make_edition(article)
    return article


@pytest.fixture
def analysis():
    return make_article(
        "Amid a Wave of Coups, Democracy in the Sahel Depends on Human Security",
        slug="sahel-coups",
        authors=[make_author("Kadiatou Keita")],
        published_at=datetime(2021, 10, 28, 14, tzinfo=UTC),
    )


def download(client, path, extension):
    response = client.get(f"{path}citation.{extension}")
    assert response.status_code == 200
    return response


def bibtex_entry(text):
    library = bibtexparser.parse_string(
        text, append_middleware=[LatexDecodingMiddleware(), SeparateCoAuthors(), SplitNameParts()]
    )
    assert not library.failed_blocks, library.failed_blocks
    [entry] = library.entries
    return entry


# --- The page ---------------------------------------------------------------------


def test_the_page_shows_the_citation_in_three_styles(client, report):
    page = client.get(REPORT).text
    assert "Cite this" in page
    assert (
        "Sorokina, N., &amp; de Beauvoir, S. (2024). <i>China’s Global Security Initiative Takes "
        "Shape in Southeast and Central Asia</i> (Special Report No. 535). United States "
        "Institute of Peace. https://doi.org/10.1234/sr.535"
    ) in page
    # Chicago and MLA keep given names whole.
    assert (
        "Sorokina, Nadia, and Simone de Beauvoir. <i>China’s Global Security Initiative Takes "
        "Shape in Southeast and Central Asia</i>. Special Report No. 535. Washington, DC: United "
        "States Institute of Peace, 2024. https://doi.org/10.1234/sr.535."
    ) in page
    assert "Sorokina, Nadia, and Simone de Beauvoir. <i>China’s" in page.split('id="cite-mla"')[1]
    for extension in ("bib", "ris", "json"):
        assert f'href="{REPORT}citation.{extension}" download' in page


def test_an_analysis_is_cited_as_a_web_page(client, analysis):
    page = client.get(ANALYSIS).text
    assert (
        "Keita, K. (2021, October 28). <i>Amid a Wave of Coups, Democracy in the Sahel Depends on "
        "Human Security</i>. United States Institute of Peace. "
        f"{settings.SITE_URL}{ANALYSIS}"
    ) in page
    # American punctuation: the period goes inside the closing quote.
    assert "“Amid a Wave of Coups, Democracy in the Sahel Depends on Human Security.”" in page


def test_a_hostile_title_is_escaped_in_the_citations(client):
    make_article(
        'Deals & "Coups" <script>alert(1)</script>',
        slug="hostile",
        authors=[make_author("<b>X</b>")],
    )
    page = client.get("/publications/hostile/").text
    cite = page.split('id="cite-heading"')[1].split("</section>")[0]
    assert "<script>" not in cite and "<b>X</b>" not in cite
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in cite


def test_the_citations_are_rendered_once_per_change(client, report, monkeypatch):
    client.get(REPORT)
    calls = []
    monkeypatch.setattr(citations, "render", lambda item, key: calls.append(key) or "x")
    client.get(REPORT)
    assert calls == []
    report.title = "A new title"
    report.save()
    client.get(REPORT)
    assert sorted(calls) == ["apa", "chicago", "mla"]


# --- BibTeX ------------------------------------------------------------------------


def test_a_report_downloads_as_a_bibtex_techreport(client, report):
    response = download(client, REPORT, "bib")
    assert response["Content-Type"] == "application/x-bibtex; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="chinas-gsi.bib"'

    entry = bibtex_entry(response.text)
    assert entry.entry_type == "techreport"
    assert entry.key == "sorokina2024chinas"
    fields = {name: entry[name] for name in entry.fields_dict}
    assert fields["title"] == TITLE
    assert fields["institution"] == "United States Institute of Peace"
    assert fields["type"] == "Special Report"
    assert fields["number"] == "535"
    assert (fields["year"], fields["month"]) == ("2024", "nov")
    assert fields["isbn"] == "978-1-60127-535-6"
    assert fields["doi"] == "10.1234/sr.535"
    assert fields["url"] == settings.SITE_URL + REPORT
    [first, second] = fields["author"]
    assert (first.first, first.last) == (["Nadia"], ["Sorokina"])
    assert (second.first, second.von, second.last) == (["Simone"], ["de"], ["Beauvoir"])


def test_an_analysis_downloads_as_bibtex_misc(client, analysis):
    entry = bibtex_entry(download(client, ANALYSIS, "bib").text)
    assert entry.entry_type == "misc"
    assert entry["howpublished"] == "United States Institute of Peace"
    assert "institution" not in entry.fields_dict


def test_bibtex_escapes_latex_specials_and_braces(client):
    title = "Profits & Losses: 50% of $5 for #peace_now {really} ~ ^ \\ and more"
    make_article(
        title, slug="specials", authors=[make_author("Smith and Sons"), make_author("Ana, Jr")]
    )
    text = download(client, "/publications/specials/", "bib").text
    assert r"Profits \& Losses: 50\% of \$5 for \#peace\_now \{really\}" in text

    entry = bibtex_entry(text)
    # LaTeX's \textasciicircum, which pylatexenc reads as U+02C6 (ˆ).
    assert entry["title"] == title.replace("^", "\u02c6")
    # “and” inside a name does not split it into two people.
    assert len(entry["author"]) == 2


# --- RIS ------------------------------------------------------------------------------


def test_a_report_downloads_as_ris(client, report):
    response = download(client, REPORT, "ris")
    assert response["Content-Type"] == "application/x-research-info-systems; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="chinas-gsi.ris"'
    assert response.text.startswith("TY  - RPRT\r\n")
    assert response.text.endswith("ER  - \r\n")

    [record] = rispy.loads(response.text)
    assert record["type_of_reference"] == "RPRT"
    assert record["title"] == TITLE
    assert record["authors"] == ["Sorokina, Nadia", "de Beauvoir, Simone"]
    assert (record["year"], record["date"]) == ("2024", "2024/11/21")
    assert record["publisher"] == "United States Institute of Peace"
    assert record["volume"] == "535"
    assert record["issn"] == "978-1-60127-535-6"
    assert record["doi"] == "10.1234/sr.535"
    assert record["urls"] == [settings.SITE_URL + REPORT]
    full = report.editions.get()
    assert record["file_attachments1"] == settings.SITE_URL + full.get_absolute_url()
    assert record["keywords"] == ["Global Policy"]


def test_an_analysis_downloads_as_a_ris_web_page(client, analysis):
    [record] = rispy.loads(download(client, ANALYSIS, "ris").text)
    assert record["type_of_reference"] == "ELEC"
    assert record["secondary_title"] == "United States Institute of Peace"


def test_ris_data_stays_on_one_line(client):
    make_article("Two\nlines\r\nand ER  - a tag", slug="lines", summary="One.\n\nTwo.")
    text = download(client, "/publications/lines/", "ris").text
    assert "TI  - Two lines and ER - a tag\r\n" in text
    [record] = rispy.loads(text)
    assert record["title"] == "Two lines and ER - a tag"
    assert record["abstract"] == "One. Two."


# --- CSL-JSON ----------------------------------------------------------------------------


def test_the_csl_json_renders_with_citeproc(client, report):
    response = download(client, REPORT, "json")
    assert response["Content-Type"] == "application/vnd.citationstyles.csl+json; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="chinas-gsi.json"'
    [item] = json.loads(response.text)
    assert item["type"] == "report" and item["number"] == "535"
    assert item["author"][1] == {
        "family": "Beauvoir",
        "given": "Simone",
        "non-dropping-particle": "de",
    }

    style = CitationStylesStyle(str(citations.CSL_DIR / "apa.csl"), validate=False)
    bibliography = CitationStylesBibliography(
        style, CiteProcJSON(json.loads(response.text)), citeproc_formatter.plain
    )
    bibliography.register(Citation([CitationItem(item["id"])]))
    [text] = bibliography.bibliography()
    assert str(text).startswith("Sorokina, N., & de Beauvoir, S. (2024). China’s Global")
    assert "(Special Report No. 535)" in str(text)


@pytest.mark.parametrize("state", UNPUBLISHED)
@pytest.mark.parametrize("extension", ["bib", "ris", "json"])
def test_an_unpublished_article_has_no_citation(client, state, extension):
    make_article(slug="not-yet", **state)
    assert client.get(f"/publications/not-yet/citation.{extension}").status_code == 404


def test_an_unknown_format_is_not_found(client, report):
    assert client.get(f"{REPORT}citation.html").status_code == 404


# --- Names ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "family_name", "parts"),
    [
        ("Kadiatou Keita", "", ("Kadiatou", "", "Keita", "")),
        ("Grace Liang-Porter", "", ("Grace", "", "Liang-Porter", "")),
        ("Simone de Beauvoir", "", ("Simone", "de", "Beauvoir", "")),
        ("Ludwig van der Berg", "", ("Ludwig", "van der", "Berg", "")),
        ("Martin Luther King Jr.", "", ("Martin Luther", "", "King", "Jr.")),
        ("Plato", "", ("", "", "Plato", "")),
        ("Xi Jinping", "Xi", ("Jinping", "", "Xi", "")),
        ("Gabriel García Márquez", "García Márquez", ("Gabriel", "", "García Márquez", "")),
        ("Robert De Niro", "De Niro", ("Robert", "", "De Niro", "")),
    ],
)
def test_names_are_split_for_citations(name, family_name, parts):
    assert tuple(split_name(name, family_name)) == parts


def test_an_editors_family_name_is_used_in_every_format(client):
    xi = make_author("Xi Jinping", family_name="Xi")
    make_article("Speech", slug="speech", authors=[xi], type_name="Report")
    [record] = rispy.loads(download(client, "/publications/speech/", "ris").text)
    assert record["authors"] == ["Xi, Jinping"]
    [person] = bibtex_entry(download(client, "/publications/speech/", "bib").text)["author"]
    assert (person.first, person.last) == (["Jinping"], ["Xi"])
    assert "Xi, J. (" in client.get("/publications/speech/").text


def test_a_family_name_must_be_written_as_in_the_name(editor_client):
    author = make_author("Xi Jinping")
    response = editor_client.post(
        f"/admin/articles/author/{author.pk}/change/",
        {"name": "Xi Jinping", "family_name": "Hsi", "slug": author.slug, "role": ""},
    )
    assert response.status_code == 200
    assert "Write the family name as it appears in the name above." in response.text

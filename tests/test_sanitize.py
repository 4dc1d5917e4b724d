"""The article body allowlist holds against XSS, on the page readers actually get.

Each payload is saved through make_article (so Article.save() cleans it), the
public page is fetched with the test client, and the body region of that page
is parsed with html.parser and checked tag by tag, attribute by attribute.
"""

import re
from html import unescape
from html.parser import HTMLParser

import pytest

from articles.sanitize import ALLOWED_ATTRIBUTES, ALLOWED_TAGS, clean_html, plain_text
from tests.factories import make_article

pytestmark = pytest.mark.django_db

B64_SCRIPT = "PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg=="  # <script>alert(1)</script>
JS_DECIMAL = "".join(f"&#{ord(c)};" for c in "javascript:")
JS_HEX = "".join(f"&#x{ord(c):X};" for c in "javascript:")
JS_PADDED = "".join(f"&#{ord(c):07d}" for c in "javascript:")

PAYLOADS = [
    # --- script elements, casings, encodings, nesting -------------------------
    ("script-basic", "<script>alert(1)</script>"),
    ("script-upper", "<SCRIPT>alert(1)</SCRIPT>"),
    ("script-mixed-case", "<ScRiPt>alert(1)</sCrIpT>"),
    ("script-src", '<script src="https://evil.example/x.js"></script>'),
    ("script-slash-attr", '<script/src="//evil.example/x.js"></script>'),
    ("script-type", '<script type="text/javascript">alert(1)</script>'),
    ("script-unclosed", "<p>Intro</p><script>alert(1)"),
    ("script-nested-split", "<scr<script>ipt>alert(1)</scr</script>ipt>"),
    ("script-inside-p", "<p>Hello <script>alert(1)</script> world</p>"),
    ("script-null-byte", "<scr\x00ipt>alert(1)</scr\x00ipt>"),
    ("script-entity-encoded", "&lt;script&gt;alert(1)&lt;/script&gt;"),
    ("script-double-encoded", "&amp;lt;script&amp;gt;alert(1)&amp;lt;/script&amp;gt;"),
    ("script-in-table", "<table><tr><td><script>alert(1)</script></td></tr></table>"),
    ("script-whitespace-in-tag", "<script\n>alert(1)</script\n>"),
    # --- event handlers on allowed and disallowed tags ------------------------
    ("img-onerror", "<img src=x onerror=alert(1)>"),
    ("img-onerror-mixed-case", "<IMG SRC=x OnErRoR=alert(1)>"),
    ("img-slash-separated", "<img/src=x/onerror=alert(1)>"),
    ("img-onerror-js-url", '<img src="x" onerror="javascript:alert(1)"/>'),
    ("body-onload", "<body onload=alert(1)><p>x</p></body>"),
    ("body-onpageshow", "<body onpageshow=alert(1)>"),
    ("p-onclick", '<p onclick="alert(1)">click</p>'),
    ("p-slash-onclick", "<p/onclick=alert(1)>click</p>"),
    ("p-onclick-newline", "<p onclick\n=alert(1)>click</p>"),
    ("h2-onmouseover", '<h2 onmouseover="alert(1)">Heading</h2>'),
    ("strong-onmouseover", "<strong onmouseover=alert(1)>bold</strong>"),
    ("a-onclick", '<a href="https://usip.org/" onclick="alert(1)">link</a>'),
    ("td-onclick", "<table><tr><td onclick=alert(1)>cell</td></tr></table>"),
    ("input-autofocus-onfocus", "<input autofocus onfocus=alert(1)>"),
    ("select-autofocus-onfocus", "<select autofocus onfocus=alert(1)><option>x</select>"),
    ("textarea-autofocus-onfocus", "<textarea autofocus onfocus=alert(1)>x</textarea>"),
    ("details-ontoggle", "<details open ontoggle=alert(1)><summary>x</summary></details>"),
    ("video-source-onerror", "<video><source onerror=alert(1)></video>"),
    ("audio-onerror", "<audio src=x onerror=alert(1)>"),
    ("marquee-onstart", "<marquee onstart=alert(1)>x</marquee>"),
    ("div-onpointerenter", "<div onpointerenter=alert(1)>x</div>"),
    ("ol-onfocusin", '<ol start="2" onfocusin=alert(1) tabindex=1><li>x</li></ol>'),
    # --- attribute breaking ---------------------------------------------------
    ("attr-break-double-quote", '<abbr title="x" onmouseover="alert(1)">x</abbr>'),
    ("attr-break-unquoted", "<abbr title=x onmouseover=alert(1)>x</abbr>"),
    ("attr-break-no-space", "<abbr title='x'onmouseover='alert(1)'>x</abbr>"),
    ("attr-break-backtick", "<abbr title=`x` onmouseover=alert(1)>x</abbr>"),
    ("attr-break-extra-quote", '<a href="https://usip.org/"" onmouseover="alert(1)">x</a>'),
    ("attr-break-script-in-title", '<abbr title="</abbr><script>alert(1)</script>">x</abbr>'),
    ("attr-break-img-in-title", '<a title="&quot;><img src=x onerror=alert(1)>">x</a>'),
    # --- javascript:, vbscript:, data: URLs ----------------------------------
    ("href-javascript", '<a href="javascript:alert(1)">x</a>'),
    ("href-javascript-upper", '<a href="JAVASCRIPT:alert(1)">x</a>'),
    ("href-javascript-mixed", '<a href="JaVaScRiPt:alert(1)">x</a>'),
    ("href-javascript-unquoted", "<a href=javascript:alert(1)>x</a>"),
    ("href-javascript-backtick", "<a href=`javascript:alert(1)`>x</a>"),
    ("href-javascript-tab", '<a href="java\tscript:alert(1)">x</a>'),
    ("href-javascript-newline", '<a href="java\nscript:alert(1)">x</a>'),
    ("href-javascript-tab-entity", '<a href="java&#x09;script:alert(1)">x</a>'),
    ("href-javascript-newline-entity", '<a href="java&#10;script:alert(1)">x</a>'),
    ("href-javascript-cr-entity", '<a href="jav&#x0D;ascript:alert(1)">x</a>'),
    ("href-javascript-leading-space", '<a href="  javascript:alert(1)">x</a>'),
    ("href-javascript-leading-control", '<a href="\x01javascript:alert(1)">x</a>'),
    # A control character inside the scheme, which the cleaner removes.
    ("href-javascript-inner-control", '<a href="java\x01script:alert(1)">x</a>'),
    ("href-javascript-inner-control-entity", '<a href="java&#x1;script:alert(1)">x</a>'),
    ("href-javascript-inner-del-entity", '<a href="java&#x7f;script:alert(1)">x</a>'),
    ("href-javascript-inner-nonchar-entity", '<a href="java&#xfffe;script:alert(1)">x</a>'),
    ("href-javascript-inner-vtab-entity", '<a href="java&#11;script:alert(1)">x</a>'),
    ("href-javascript-decimal-entities", f'<a href="{JS_DECIMAL}alert(1)">x</a>'),
    ("href-javascript-hex-entities", f'<a href="{JS_HEX}alert(1)">x</a>'),
    ("href-javascript-padded-entities", f'<a href="{JS_PADDED}alert(1)">x</a>'),
    ("href-javascript-colon-entity", '<a href="javascript&colon;alert(1)">x</a>'),
    ("href-javascript-comment-newline", '<a href="javascript://%0aalert(1)">x</a>'),
    ("href-javascript-target-blank", '<a href="javascript:alert(1)" target="_blank">x</a>'),
    ("href-vbscript", '<a href="vbscript:msgbox(1)">x</a>'),
    ("href-vbscript-mixed", '<a href="VbScRiPt:msgbox(1)">x</a>'),
    ("href-data-html-base64", f'<a href="data:text/html;base64,{B64_SCRIPT}">x</a>'),
    ("href-data-html-plain", '<a href="data:text/html,<script>alert(1)</script>">x</a>'),
    ("href-data-upper", f'<a href="DATA:text/html;base64,{B64_SCRIPT}">x</a>'),
    ("a-xlink-href", '<a xlink:href="javascript:alert(1)">x</a>'),
    ("blockquote-cite-js", '<blockquote cite="javascript:alert(1)">x</blockquote>'),
    ("table-background-js", '<table background="javascript:alert(1)"><tr><td>x</td></tr></table>'),
    # --- frames, plugins and document-level elements -------------------------
    ("iframe-src-js", '<iframe src="javascript:alert(1)"></iframe>'),
    ("iframe-srcdoc", '<iframe srcdoc="&lt;script&gt;alert(1)&lt;/script&gt;"></iframe>'),
    ("iframe-upper-unclosed", "<IFRAME SRC=https://evil.example/>"),
    ("frameset-frame", '<frameset><frame src="javascript:alert(1)"></frameset>'),
    ("object-data-js", '<object data="javascript:alert(1)"></object>'),
    ("object-data-base64", f'<object data="data:text/html;base64,{B64_SCRIPT}"></object>'),
    ("embed-src-js", '<embed src="javascript:alert(1)">'),
    ("embed-svg-data", f'<embed src="data:image/svg+xml;base64,{B64_SCRIPT}">'),
    ("applet", '<applet code="Evil.class" codebase="https://evil.example/"></applet>'),
    ("base-href", '<base href="javascript:alert(1)//"><a href="/x">x</a>'),
    ("meta-refresh", '<meta http-equiv="refresh" content="0;url=javascript:alert(1)">'),
    (
        "meta-refresh-data",
        f'<meta http-equiv="refresh" content="0;url=data:text/html;base64,{B64_SCRIPT}">',
    ),  # noqa: E501
    ("link-stylesheet", '<link rel="stylesheet" href="javascript:alert(1)">'),
    ("link-import", '<link rel="import" href="https://evil.example/x.html">'),
    # --- styles --------------------------------------------------------------
    ("style-import", "<style>@import 'javascript:alert(1)';</style>"),
    ("style-url-js", '<style>body{background:url("javascript:alert(1)")}</style>'),
    (
        "style-list-image",
        '<STYLE>li{list-style-image:url("javascript:alert(1)")}</STYLE><ul><li>x</ul>',
    ),  # noqa: E501
    ("style-attr-expression", '<p style="width: expression(alert(1))">x</p>'),
    ("style-attr-url-js", '<p style="background-image: url(javascript:alert(1))">x</p>'),
    ("style-attr-behavior", '<h3 style="behavior: url(evil.htc)">x</h3>'),
    (
        "style-attr-moz-binding",
        '<em style="-moz-binding: url(https://evil.example/x.xml#x)">x</em>',
    ),
    ("style-attr-escaped", '<p style="background:u\\72l(jav\\61script:alert(1))">x</p>'),
    # --- forms -----------------------------------------------------------------
    ("form-action-js", '<form action="javascript:alert(1)"><input type="submit"></form>'),
    ("button-formaction", '<form><button formaction="javascript:alert(1)">x</button></form>'),
    ("input-formaction", '<input type="submit" formaction="javascript:alert(1)" value="x">'),
    ("input-image-src", '<input type="image" src="javascript:alert(1)">'),
    ("isindex", "<isindex action=javascript:alert(1) type=image>"),
    # --- templates, comments, CDATA ------------------------------------------
    ("template-script", "<template><script>alert(1)</script></template>"),
    ("template-img", "<template><img src=x onerror=alert(1)></template>"),
    ("comment-wrapped-script", "<!--<script>alert(1)</script>-->"),
    ("comment-empty-then-script", "<!-- --><script>alert(1)</script><!-- -->"),
    ("comment-abrupt-close", "<!--><script>alert(1)</script>-->"),
    ("comment-bang-close", "<!-- x --!><script>alert(1)</script>"),
    ("comment-conditional-ie", "<!--[if IE]><script>alert(1)</script><![endif]-->"),
    ("comment-unclosed", "<p>Text</p><!--<img src=x onerror=alert(1)>"),
    ("cdata-script", "<![CDATA[<script>alert(1)</script>]]>"),
    ("processing-instruction", "<?xml-stylesheet href='javascript:alert(1)'?><p>x</p>"),
    # --- SVG and MathML namespaces -------------------------------------------
    ("svg-onload", "<svg onload=alert(1)>"),
    ("svg-script", "<svg><script>alert(1)</script></svg>"),
    ("svg-animate-onbegin", "<svg><animate onbegin=alert(1) attributeName=x dur=1s></svg>"),
    ("svg-a-xlink", '<svg><a xlink:href="javascript:alert(1)"><text>x</text></a></svg>'),
    ("svg-set-href", '<svg><a><set attributeName="href" to="javascript:alert(1)"/>x</a></svg>'),
    ("svg-foreignobject-iframe", "<svg><foreignObject><iframe src=javascript:alert(1)>"),
    ("svg-use-data", f'<svg><use href="data:image/svg+xml;base64,{B64_SCRIPT}#x"/></svg>'),
    ("svg-style-breakout", '<svg></p><style><a id="</style><img src=1 onerror=alert(1)>">'),
    ("math-href", '<math href="javascript:alert(1)">x</math>'),
    ("math-maction-xlink", '<math><maction xlink:href="javascript:alert(1)">x</maction></math>'),
    ("math-mglyph-style", "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>"),
    (
        "math-form-mxss",
        "<form><math><mtext></form><form><mglyph><style></math><img src onerror=alert(1)>",
    ),  # noqa: E501
    # --- raw-text elements and parser differentials --------------------------
    ("noscript-breakout", '<noscript><p title="</noscript><img src=x onerror=alert(1)>">'),
    ("xmp-img", "<xmp><img src=x onerror=alert(1)></xmp>"),
    ("textarea-breakout", "<textarea></textarea><img src=x onerror=alert(1)>"),
    ("title-breakout", "<title><script>alert(1)</script></title>"),
    ("noembed-breakout", "<noembed><img src=x onerror=alert(1)></noembed>"),
    ("plaintext-img", "<plaintext><img src=x onerror=alert(1)>"),
    ("unclosed-img", "<p>x<img src=x onerror=alert(1)"),
    ("unclosed-a", '<p>x<a href="javascript:alert(1)"'),
    ("body-div-breakout", "</div></article><script>alert(1)</script>"),
]

FORBIDDEN_TAGS = {
    "script", "iframe", "frame", "frameset", "object", "embed", "applet", "svg", "math",
    "style", "link", "meta", "base", "form", "input", "button", "textarea", "select",
    "template", "img", "video", "audio", "source",
}  # fmt: skip
URL_ATTRIBUTES = {"href", "src", "action", "formaction", "data", "xlink:href", "cite", "background"}
DANGEROUS_SCHEMES = ("javascript:", "vbscript:", "data:")
# Whitespace and C0/C1 controls, which browsers ignore inside or before a scheme.
INVISIBLE = re.compile(r"[\x00-\x20\x7f-\x9f]+")


class BodyRegion(HTMLParser):
    """Collects what lies in <div class="body">, up to the next part of the page.

    It keeps collecting past the body's own </div> until the terms block, so a
    payload that closed the div early would still be caught.
    """

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.inside = False
        self.seen = False
        self.tags = []  # (tag, [(name, value), ...])
        self.markup_declarations = []  # comments, CDATA, doctype, processing instructions

    def handle_starttag(self, tag, attrs):
        classes = (dict(attrs).get("class") or "").split()
        if tag == "div" and "body" in classes and not self.seen:
            self.inside = self.seen = True
            return
        if tag == "div" and "terms" in classes:
            self.inside = False
        if self.inside:
            self.tags.append((tag, attrs))

    handle_startendtag = handle_starttag

    def _declaration(self, data):
        if self.inside:
            self.markup_declarations.append(data)

    handle_comment = handle_decl = handle_pi = unknown_decl = _declaration


def body_region(client, article):
    response = client.get(f"/publications/{article.slug}/")
    assert response.status_code == 200
    parser = BodyRegion()
    parser.feed(response.content.decode())
    parser.close()
    assert parser.seen, "the page has no <div class=body>"
    return parser


def is_dangerous_url(value):
    normalised = INVISIBLE.sub("", unescape(value or "")).lower()
    return normalised.startswith(DANGEROUS_SCHEMES)


def problems_in(region):
    found = []
    for tag, attrs in region.tags:
        if tag in FORBIDDEN_TAGS:
            found.append(f"forbidden tag <{tag}>")
        if tag not in ALLOWED_TAGS:
            found.append(f"tag outside the allowlist <{tag}>")
        allowed_attrs = ALLOWED_ATTRIBUTES.get(tag, set()) | ({"rel"} if tag == "a" else set())
        for name, value in attrs:
            if name.startswith("on"):
                found.append(f"event handler {name} on <{tag}>")
            if name in {"style", "srcdoc", "formaction", "target"}:
                found.append(f"{name} attribute on <{tag}>")
            if name not in allowed_attrs:
                found.append(f"attribute outside the allowlist {name} on <{tag}>")
            if name in URL_ATTRIBUTES and is_dangerous_url(value):
                found.append(f"dangerous URL {name}={value!r} on <{tag}>")
    for declaration in region.markup_declarations:
        found.append(f"markup declaration survived: {declaration!r}")
    return found


def test_corpus_is_large_and_ids_are_unique():
    ids = [payload_id for payload_id, _ in PAYLOADS]
    assert len(ids) >= 60
    assert len(ids) == len(set(ids))


@pytest.mark.parametrize("payload", [body for _, body in PAYLOADS], ids=[i for i, _ in PAYLOADS])
def test_payload_is_neutralised_on_the_public_page(client, payload):
    article = make_article(body=payload)
    region = body_region(client, article)
    assert problems_in(region) == [], f"stored body: {article.body!r}"


def test_the_checker_catches_what_it_should(client):
    """Guard the guard: unsanitised markup in the body region is reported."""
    article = make_article(body="<p>ok</p>")
    type(article).objects.filter(pk=article.pk).update(
        body='<img src=x onerror=alert(1)><a href=" Java&#x09;Script:x">x</a>'
        '<p style="x"><!-- c --></p><svg></svg><script></script>'
    )
    problems = " ".join(problems_in(body_region(client, article)))
    for expected in (
        "forbidden tag <img>",
        "event handler onerror",
        "dangerous URL href",
        "style attribute",
        "markup declaration",
        "forbidden tag <svg>",
        "forbidden tag <script>",
    ):
        assert expected in problems


# --- what must survive --------------------------------------------------------

ALLOWED_STRUCTURE = (
    "<h2>Why Mali matters</h2>"
    "<p>Text with <strong>strong</strong> and <em>emphasis</em>.</p>"
    "<h3>Three steps</h3>"
    "<ul><li>One</li><li>Two</li></ul>"
    "<ol><li>First</li><li>Second</li></ol>"
    "<blockquote><p>A quotation.</p></blockquote>"
    '<p>See <a href="https://www.usip.org/publications">our work</a>.</p>'
)


def test_allowed_structure_survives_exactly(client):
    article = make_article(body=ALLOWED_STRUCTURE)
    article.refresh_from_db()
    expected = ALLOWED_STRUCTURE.replace(
        '<a href="https://www.usip.org/publications">',
        '<a href="https://www.usip.org/publications" rel="noopener noreferrer">',
    )
    assert article.body == expected
    response = client.get(f"/publications/{article.slug}/")
    assert expected in response.content.decode()


def test_links_get_noopener_and_lose_target(client):
    article = make_article(body='<p><a href="https://example.org/" target="_blank">x</a></p>')
    region = body_region(client, article)
    [(tag, attrs)] = [t for t in region.tags if t[0] != "p"]
    attrs = dict(attrs)
    assert tag == "a"
    assert attrs["href"] == "https://example.org/"
    assert "noopener" in attrs["rel"].split()
    assert "target" not in attrs


WORD_PASTES = [
    pytest.param(
        '<p class="MsoNormal" style="margin-bottom:0in;line-height:normal">'
        '<o:p></o:p><span lang=EN-US style="font-family:Calibri">text</span></p>',
        id="msonormal-span",
    ),
    pytest.param(
        "<!--[if gte mso 9]><xml><w:WordDocument><w:View>Normal</w:View>"
        "</w:WordDocument></xml><![endif]-->"
        "<p class=MsoNormal><span lang=EN-US>text<o:p></o:p></span></p>"
        "<!--[if !mso]><style>v\\:* {behavior:url(#default#VML);}</style><![endif]-->",
        id="mso-conditional-comments",
    ),
    pytest.param(
        '<html xmlns:o="urn:schemas-microsoft-com:office:office"><head>'
        '<meta http-equiv=Content-Type content="text/html; charset=utf-8">'
        '<meta name=Generator content="Microsoft Word 15">'
        "<style>p.MsoNormal {margin:0in; font-family:Calibri;}</style></head>"
        "<body lang=EN-US><div class=WordSection1>"
        '<p class=MsoNormal><span style="mso-bidi-font-weight:bold">text</span>'
        "<o:p></o:p></p></div></body></html>",
        id="whole-word-document",
    ),
]


@pytest.mark.parametrize("paste", WORD_PASTES)
def test_pasted_word_junk_is_reduced_to_a_clean_paragraph(paste):
    article = make_article(body=paste)
    article.refresh_from_db()
    assert article.body == "<p>text</p>"


def test_plain_text_gives_spaced_words():
    html = "<h2>Title</h2><p>One&nbsp;two<br>three</p><ul><li>a</li><li>b &amp; c</li></ul>"
    assert plain_text(html) == "Title One two three a b & c"
    assert plain_text(clean_html("<p>Hi<script>alert(1)</script></p><p>there</p>")) == "Hi there"
    assert plain_text("") == plain_text(None) == ""


def test_word_count_uses_plain_text():
    article = make_article(body="<h2>Heading</h2><p>one two</p><p>three</p>")
    assert article.word_count == 4


@pytest.mark.parametrize(
    "body",
    [
        pytest.param("<p>Cease\x0bfire\x1b talks\x00 resume\x7f</p>", id="as-characters"),
        pytest.param("<p>Cease&#11;fire&#x1b; talks&#0; resume&#x7f;</p>", id="as-entities"),
        pytest.param("<p>Cease\ud800fire talks resume</p>", id="lone-surrogate"),
    ],
)
def test_control_characters_in_a_body_never_reach_the_page_or_the_feed(client, body):
    # The editor cannot show them, so an editor could not find one to remove;
    # HTML forbids them and XML cannot carry them.
    article = make_article("Talks", body=body)
    article.refresh_from_db()
    assert re.fullmatch(r"<p>Cease(\n|\ufffd)?fire talks(\ufffd)? resume</p>", article.body)
    page = client.get(f"/publications/{article.slug}/").text
    feed = client.get("/feeds/rss/").text
    for text in (article.body, page, feed):
        assert not re.search("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff]", text)


def test_bodies_stored_with_control_characters_lose_them_on_migrating():
    from importlib import import_module

    from django.apps import apps

    from articles.models import Article

    migration = import_module("articles.migrations.0015_strip_control_characters_from_bodies")
    article = make_article("Talks")
    # As stored before clean_html() dropped them; an untouched body stays as it is.
    Article.objects.filter(pk=article.pk).update(
        body='<p>Cease\x1bfire <a href="java\x01script:alert(1)">x</a></p>'
    )
    untouched = make_article("Other", body="<p>Plain</p>")

    migration.strip_control_characters(apps, None)

    # Cleaned again, not only stripped: the link's scheme must not come alive.
    assert Article.objects.get(pk=article.pk).body == (
        '<p>Ceasefire <a rel="noopener noreferrer">x</a></p>'
    )
    assert Article.objects.get(pk=untouched.pk).body == "<p>Plain</p>"

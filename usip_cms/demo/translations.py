"""The demo's translations: the Sahel analysis in French and in Arabic.

`load_translations()` is called by `manage.py load_demo` once the articles are
saved. It creates only what is missing: a translation that exists (edited in
the admin or not) is left as it is. Each is published with the original's
date, byline and tags, and linked to it as a translation group. The texts are
short summaries of the analysis written for the demo, not the full article.
"""

from articles.models import Article, ArticleAuthor

ORIGINAL = "amid-wave-coups-democracy-sahel-depends-human-security"

TRANSLATIONS = [
    {
        "slug": "vague-coups-democratie-sahel-securite-humaine",
        "language": "fr",
        "title": "Face à la vague de coups d’État, la démocratie au Sahel dépend de la "
        "sécurité humaine",
        "summary": (
            "Le coup d’État au Soudan et l’éloignement du Mali de l’élection promise "
            "montrent que les États-Unis et leurs partenaires doivent orienter leur aide aux "
            "États fragiles du Sahel vers la sécurité et le bien-être des populations, "
            "plutôt que vers des succès rapides contre le terrorisme."
        ),
        "body": """
<p>Depuis 2020, le Mali a connu deux coups d’État, et la transition promise vers un
gouvernement civil ne cesse d’être repoussée. Les voisins du Sahel observent la même
fragilité : des institutions faibles, des frontières poreuses et des groupes armés qui
profitent de l’absence de l’État.</p>
<h2>Partir des besoins des habitants</h2>
<p>Les populations rurales demandent d’abord la protection de leurs villages, l’accès à
l’eau et aux pâturages, et une justice à laquelle elles peuvent se fier. Là où ces besoins
restent sans réponse, les groupes extrémistes se présentent comme la seule autorité.</p>
<h2>Ce que peuvent faire les partenaires</h2>
<ul>
<li>Soutenir les comités locaux de paix qui règlent les conflits entre éleveurs et
agriculteurs.</li>
<li>Lier l’aide militaire au respect des civils et à un calendrier électoral crédible.</li>
<li>Financer les services de base dans les zones que l’État a quittées.</li>
</ul>
<p>La démocratie ne reviendra pas au Sahel par les seules élections : elle suppose que les
citoyens se sentent en sécurité et voient l’État tenir ses promesses.</p>
""",
    },
    {
        "slug": "mawjat-alinqilabat-aldimuqratiya-fi-alsahil",
        "language": "ar",
        "title": "في ظل موجة الانقلابات، تتوقف الديمقراطية في منطقة الساحل على الأمن الإنساني",
        "summary": (
            "يُظهر انقلاب السودان وابتعاد مالي عن الانتخابات الموعودة أن على الولايات المتحدة "
            "وشركائها توجيه مساعداتهم لدول الساحل الهشة نحو أمن السكان ورفاههم، بدلًا من "
            "السعي إلى انتصارات سريعة في مكافحة الإرهاب."
        ),
        "body": """
<p>شهدت مالي انقلابين منذ عام 2020، ولا يزال الانتقال الموعود إلى حكم مدني يتأجل.
وتعاني دول الجوار في الساحل من الهشاشة نفسها: مؤسسات ضعيفة، وحدود مفتوحة، وجماعات
مسلحة تستغل غياب الدولة.</p>
<h2>البدء من احتياجات السكان</h2>
<p>يطلب سكان الأرياف أولًا حماية قراهم، والوصول إلى الماء والمراعي، وقضاءً يمكنهم
الوثوق به. وحيث تبقى هذه الاحتياجات دون استجابة، تقدّم الجماعات المتطرفة نفسها على أنها
السلطة الوحيدة.</p>
<h2>ما يمكن أن يفعله الشركاء</h2>
<ul>
<li>دعم لجان السلام المحلية التي تسوّي النزاعات بين الرعاة والمزارعين.</li>
<li>ربط المساعدات العسكرية باحترام المدنيين وبجدول زمني موثوق للانتخابات.</li>
<li>تمويل الخدمات الأساسية في المناطق التي غابت عنها الدولة.</li>
</ul>
<p>لن تعود الديمقراطية إلى الساحل بالانتخابات وحدها: فهي تتطلب أن يشعر المواطنون
بالأمان وأن يروا الدولة تفي بوعودها.</p>
""",
    },
]


def load_translations():
    """Create the missing translations of the Sahel analysis; returns how many."""
    original = Article.objects.filter(slug=ORIGINAL).first()
    if original is None:
        return 0
    existing = set(
        Article.objects.filter(slug__in=[t["slug"] for t in TRANSLATIONS]).values_list(
            "slug", flat=True
        )
    )
    created = 0
    for data in TRANSLATIONS:
        if data["slug"] in existing:
            continue
        translation = Article.objects.create(
            **{key: value.strip() for key, value in data.items()},
            translation_of=original,
            publication_type=original.publication_type,
            status=original.status,
            published_at=original.published_at,
        )
        for byline in original.bylines.all():
            ArticleAuthor.objects.create(
                article=translation, author=byline.author, position=byline.position
            )
        translation.topics.set(original.topics.all())
        translation.regions.set(original.regions.all())
        created += 1
    return created

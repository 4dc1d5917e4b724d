"""Seed the publication types, USIP's issue areas and the region tree.

Editors may add, rename and merge entries afterwards; this only creates what is
missing, so running it on a database that already has them changes nothing.
"""

from django.db import migrations
from django.utils.text import slugify

# (name, plural, is_report)
TYPES = [
    ("Analysis", "Analysis", False),
    ("Report", "Reports", True),
    ("Special Report", "Special Reports", True),
    ("Peace Brief", "Peace Briefs", False),
    ("Peaceworks", "Peaceworks", True),
    ("Fact Sheet", "Fact Sheets", False),
    ("Testimony", "Testimony", False),
    ("Blog", "Blog", False),
    ("Podcast", "Podcasts", False),
    ("Question and Answer", "Questions and Answers", False),
]

TOPICS = [
    "Civilian-Military Relations",
    "Conflict Analysis & Prevention",
    "Democracy & Governance",
    "Economics",
    "Electoral Violence",
    "Environment",
    "Fragility & Resilience",
    "Gender",
    "Global Health",
    "Global Policy",
    "Human Rights",
    "Justice, Security & Rule of Law",
    "Mediation, Negotiation & Dialogue",
    "Nonviolent Action",
    "Peace Processes",
    "Reconciliation",
    "Religion",
    "Violent Extremism",
    "Youth",
]

# Region -> [(country, ISO 3166-1 alpha-2)]
REGIONS = {
    "Africa": [
        ("Burkina Faso", "BF"), ("Cameroon", "CM"), ("Central African Republic", "CF"),
        ("Chad", "TD"), ("Democratic Republic of the Congo", "CD"), ("Eritrea", "ER"),
        ("Ethiopia", "ET"), ("Guinea", "GN"), ("Kenya", "KE"), ("Libya", "LY"),
        ("Mali", "ML"), ("Mauritania", "MR"), ("Mozambique", "MZ"), ("Niger", "NE"),
        ("Nigeria", "NG"), ("Senegal", "SN"), ("Somalia", "SO"), ("South Sudan", "SS"),
        ("Sudan", "SD"), ("Uganda", "UG"), ("Zimbabwe", "ZW"),
    ],
    "Americas": [
        ("Colombia", "CO"), ("El Salvador", "SV"), ("Guatemala", "GT"), ("Haiti", "HT"),
        ("Honduras", "HN"), ("Mexico", "MX"), ("United States", "US"), ("Venezuela", "VE"),
    ],
    "Asia": [
        ("Afghanistan", "AF"), ("Bangladesh", "BD"), ("Burma", "MM"), ("Cambodia", "KH"),
        ("China", "CN"), ("India", "IN"), ("Indonesia", "ID"), ("Japan", "JP"),
        ("Kazakhstan", "KZ"), ("Kyrgyzstan", "KG"), ("Laos", "LA"), ("Nepal", "NP"),
        ("North Korea", "KP"), ("Pakistan", "PK"), ("Philippines", "PH"),
        ("South Korea", "KR"), ("Sri Lanka", "LK"), ("Tajikistan", "TJ"), ("Thailand", "TH"),
        ("Turkmenistan", "TM"), ("Uzbekistan", "UZ"), ("Vietnam", "VN"),
    ],
    "Europe": [
        ("Armenia", "AM"), ("Azerbaijan", "AZ"), ("Bosnia and Herzegovina", "BA"),
        ("France", "FR"), ("Georgia", "GE"), ("Kosovo", "XK"), ("Russia", "RU"),
        ("Serbia", "RS"), ("Ukraine", "UA"),
    ],
    "Middle East & North Africa": [
        ("Egypt", "EG"), ("Iran", "IR"), ("Iraq", "IQ"), ("Israel", "IL"), ("Jordan", "JO"),
        ("Lebanon", "LB"), ("Palestinian Territories", "PS"), ("Saudi Arabia", "SA"),
        ("Syria", "SY"), ("Tunisia", "TN"), ("Turkey", "TR"), ("Yemen", "YE"),
    ],
}  # fmt: skip

# Cross-border sub-regions: they group countries of one or more regions.
SUB_REGIONS = {
    "Sahel": ["Burkina Faso", "Cameroon", "Chad", "Mali", "Mauritania", "Niger", "Nigeria",
              "Senegal", "Sudan"],
    "Horn of Africa": ["Eritrea", "Ethiopia", "Somalia", "Sudan", "South Sudan"],
    "Central Asia": ["Kazakhstan", "Kyrgyzstan", "Tajikistan", "Turkmenistan", "Uzbekistan"],
    "Southeast Asia": ["Burma", "Cambodia", "Indonesia", "Laos", "Philippines", "Thailand",
                       "Vietnam"],
}  # fmt: skip


def seed(apps, schema_editor):
    PublicationType = apps.get_model("publications", "PublicationType")
    Topic = apps.get_model("publications", "Topic")
    Region = apps.get_model("publications", "Region")

    for position, (name, plural, is_report) in enumerate(TYPES):
        PublicationType.objects.get_or_create(
            slug=slugify(name),
            defaults={"name": name, "plural": plural, "is_report": is_report, "position": position},
        )
    for name in TOPICS:
        Topic.objects.get_or_create(slug=slugify(name), defaults={"name": name})
    countries = {}
    for region_name, members in REGIONS.items():
        region, _ = Region.objects.get_or_create(
            slug=slugify(region_name), defaults={"name": region_name, "kind": "region"}
        )
        for name, iso in members:
            countries[name], _ = Region.objects.get_or_create(
                slug=slugify(name),
                defaults={"name": name, "kind": "country", "parent": region, "iso_code": iso},
            )
    for sub_name, members in SUB_REGIONS.items():
        sub, _ = Region.objects.get_or_create(
            slug=slugify(sub_name), defaults={"name": sub_name, "kind": "sub-region"}
        )
        sub.members.add(*(countries[name] for name in members))


class Migration(migrations.Migration):
    dependencies = [("publications", "0001_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]

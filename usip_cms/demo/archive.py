"""The generated archive: forty articles that make the demo's lists paginate.

articles() combines the title patterns, themes and places below with
random.Random(SEED), so every run makes the same articles (same titles, hence
the same slugs, which is how the loader finds them again). The names of
types, topics, regions and authors must match usip_cms/demo/content.py and the
seeded vocabularies.
"""

import math
import random
from datetime import datetime, timedelta

from django.utils.text import slugify

from usip_cms.demo.content import NEW_YORK

SEED = 2021
COUNT = 40
START = datetime(2021, 11, 1, 9, tzinfo=NEW_YORK)
# Before the five latest items, so they stay at the top of every list.
END = datetime(2024, 11, 15, 17, tzinfo=NEW_YORK)
AUTHORS = [
    "amara-diallo-becker",
    "jonah-whitfield",
    "priya-raman",
    "tomasz-wierzbicki",
    "esther-mwangi-lowe",
    "rafael-quintero",
]
# All seeded publication types; each is used in turn so every type has items.
TYPES = [
    "Analysis",
    "Report",
    "Special Report",
    "Peace Brief",
    "Peaceworks",
    "Fact Sheet",
    "Testimony",
    "Blog",
    "Podcast",
    "Question and Answer",
]
# Country names as seeded.
PLACES = [
    "Afghanistan",
    "Burkina Faso",
    "Burma",
    "Colombia",
    "Ethiopia",
    "Guatemala",
    "Haiti",
    "Iraq",
    "Kenya",
    "Lebanon",
    "Libya",
    "Mozambique",
    "Nepal",
    "Niger",
    "Nigeria",
    "Pakistan",
    "Philippines",
    "Somalia",
    "South Sudan",
    "Sudan",
    "Syria",
    "Tunisia",
    "Ukraine",
    "Venezuela",
    "Yemen",
]

# Each theme: title patterns, the topics it may carry, a summary and body
# paragraphs. "{place}" is replaced by a country name.
THEMES = [
    {
        "titles": [
            "Why Local Mediators Hold the Key to Peace in {place}",
            "Talking Across the Front Lines: Dialogue Efforts in {place}",
        ],
        "topics": [
            "Mediation, Negotiation & Dialogue",
            "Peace Processes",
            "Conflict Analysis & Prevention",
        ],
        "summary": (
            "Formal negotiations over {place} get the headlines, but community mediators "
            "are often the ones keeping violence from spreading between the rounds."
        ),
        "paragraphs": [
            "In {place}, much of the work of preventing violence happens far from any "
            "negotiating table. Elders, clergy and women’s groups settle disputes over "
            "land, water and cattle before they turn deadly.",
            "These mediators rarely receive outside support, and they take real risks. "
            "Small grants, protection and links to national talks would let them do more.",
            "International partners should treat local dialogue as part of the peace "
            "process in {place}, not as a side project.",
        ],
    },
    {
        "titles": [
            "Elections in {place}: Reducing the Risk of Violence",
            "What a Credible Vote Would Take in {place}",
        ],
        "topics": ["Electoral Violence", "Democracy & Governance", "Youth"],
        "summary": (
            "The next vote in {place} could strengthen or strain a fragile political "
            "settlement; early warning and trusted institutions will decide which."
        ),
        "paragraphs": [
            "Elections in {place} have been flashpoints before. Disputes over voter "
            "rolls, the use of state resources and the counting process can all tip "
            "tense campaigns into unrest.",
            "Violence is not inevitable. Early-warning networks, codes of conduct signed "
            "by parties and visible, impartial policing have lowered the temperature in "
            "comparable contests.",
            "Young voters are the largest and least patient group. Giving them a real "
            "stake in the process is the surest protection against its collapse.",
        ],
    },
    {
        "titles": [
            "Drought, Displacement and Conflict in {place}",
            "Climate Stress Is a Security Issue in {place}",
        ],
        "topics": ["Environment", "Fragility & Resilience", "Conflict Analysis & Prevention"],
        "summary": (
            "Failing rains and shrinking pasture are pushing families in {place} to move, "
            "and competition over what remains is sharpening old grievances."
        ),
        "paragraphs": [
            "Across {place}, farmers and herders who once shared land under long-standing "
            "arrangements now compete for less of it. Each bad season leaves fewer "
            "reserves for the next.",
            "Displacement strains host communities and local services, and armed groups "
            "are quick to offer protection or income to people with no other options.",
            "Adaptation programs that bring rival users together to manage water and "
            "grazing can reduce tension while they reduce hardship.",
        ],
    },
    {
        "titles": [
            "Women Peacebuilders in {place} Deserve a Seat at the Table",
            "Inclusion Is Not Optional: Gender and Peace in {place}",
        ],
        "topics": ["Gender", "Peace Processes", "Human Rights"],
        "summary": (
            "Women in {place} have negotiated local ceasefires and kept services running "
            "through the fighting, yet they remain largely absent from formal talks."
        ),
        "paragraphs": [
            "When fighting reached their towns, women’s networks in {place} organized "
            "evacuations, negotiated safe passage and documented abuses.",
            "Their experience rarely translates into influence. Delegations are chosen "
            "by armed parties, and few include women in decision-making roles.",
            "Mediators and donors can change that by setting clear expectations for "
            "inclusion and funding the groups that already do the work.",
        ],
    },
    {
        "titles": [
            "Reforming the Security Sector in {place}: Where to Start",
            "Building Police Forces That Citizens Trust in {place}",
        ],
        "topics": [
            "Justice, Security & Rule of Law",
            "Civilian-Military Relations",
            "Democracy & Governance",
        ],
        "summary": (
            "Security forces in {place} will only earn public trust if they answer to "
            "civilian authority and to the people they serve."
        ),
        "paragraphs": [
            "For many people in {place}, the police and army are a source of fear rather "
            "than safety. Abuses go unpunished and complaints go nowhere.",
            "Reform works best when it starts with oversight: budgets that parliaments can "
            "read, inspectors who can investigate and courts that can convict.",
            "Outside partners should tie training and equipment to those changes instead "
            "of treating them as separate conversations.",
        ],
    },
    {
        "titles": [
            "Preventing the Next Wave of Extremist Recruitment in {place}",
            "Off-Ramps From Armed Groups: Lessons From {place}",
        ],
        "topics": ["Violent Extremism", "Reconciliation", "Youth"],
        "summary": (
            "Military pressure has pushed extremist groups in {place} back, but without "
            "paths home for former members the cycle of recruitment will continue."
        ),
        "paragraphs": [
            "Extremist groups in {place} recruit where the state is absent or abusive. "
            "Jobs, justice and dignity are what they promise and often what people lack.",
            "Programs that help former fighters and their families return, with the "
            "consent of the communities receiving them, weaken the groups from within.",
            "Such programs need patient funding and honest evaluation; short grants tied "
            "to headline numbers tend to fail.",
        ],
    },
    {
        "titles": [
            "Justice After War: Transitional Choices in {place}",
            "Truth, Accountability and Repair in {place}",
        ],
        "topics": ["Human Rights", "Reconciliation", "Justice, Security & Rule of Law"],
        "summary": (
            "How {place} deals with past abuses will shape whether its peace lasts; "
            "victims want acknowledgment and repair as much as trials."
        ),
        "paragraphs": [
            "Survivors in {place} have waited years for acknowledgment of what they "
            "endured. Many are less interested in punishment than in the truth and in "
            "practical repair.",
            "Courts, truth commissions and reparations each have limits. Combined and "
            "sequenced carefully, they can reinforce one another.",
            "Whatever mix is chosen, victims’ groups should help design it, or it will "
            "lack the legitimacy it needs.",
        ],
    },
    {
        "titles": [
            "The Economics of Peace in {place}",
            "Jobs, Trade and Stability: An Agenda for {place}",
        ],
        "topics": ["Economics", "Fragility & Resilience", "Global Policy"],
        "summary": (
            "Peace in {place} will not hold if ordinary people see no improvement in "
            "their livelihoods; economic recovery must reach beyond the capital."
        ),
        "paragraphs": [
            "Ceasefires create an opening, but in {place} the first question most people "
            "ask is whether they can earn a living.",
            "Aid and investment tend to concentrate in the capital and among those with "
            "connections, which breeds resentment elsewhere.",
            "Recovery plans that favor local businesses, roads and markets in the "
            "hardest-hit areas give communities a reason to protect the peace.",
        ],
    },
]


def articles():
    """The archive, as dicts shaped like the articles in content.py."""
    rng = random.Random(SEED)  # noqa: S311 -- repeatable demo data, not secrets
    # Every type in turn, shuffled, so each type's page has a few items.
    types = (TYPES * math.ceil(COUNT / len(TYPES)))[:COUNT]
    rng.shuffle(types)
    days = (END.date() - START.date()).days
    titles = set()
    items = []
    while len(items) < COUNT:
        theme = rng.choice(THEMES)
        place = rng.choice(PLACES)
        title = rng.choice(theme["titles"]).format(place=place)
        if title in titles:
            continue
        titles.add(title)
        day = START + timedelta(days=rng.randrange(days + 1))
        paragraphs = [f"<p>{p.format(place=place)}</p>" for p in theme["paragraphs"]]
        paragraphs.insert(-1, "<h2>What Comes Next</h2>")
        items.append(
            {
                "slug": slugify(title)[:200],
                "title": title,
                "type": types[len(items)],
                "published_at": day.replace(
                    hour=rng.randrange(9, 18), minute=rng.choice([0, 15, 30, 45])
                ),
                "authors": rng.sample(AUTHORS, rng.choice([1, 1, 2])),
                "topics": rng.sample(theme["topics"], rng.randint(1, 3)),
                "regions": [place],
                "summary": theme["summary"].format(place=place),
                "body": "\n".join(paragraphs),
            }
        )
    # Special Reports are numbered in date order, below the latest one (SR 535).
    reports = sorted(
        (item for item in items if item["type"] == "Special Report"),
        key=lambda item: item["published_at"],
    )
    for number, item in enumerate(reports, start=510):
        item["report_number"] = f"SR {number}"
    return items

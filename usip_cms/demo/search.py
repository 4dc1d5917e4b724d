"""Demo articles that show what the search does with imperfect words.

- Stemming: “elections”, “electoral” and “election” find one another.
- Accents: the body writes “Côte d’Ivoire” and “Ouattara” with and without
  accents; “cote d'ivoire” and “Côte” find the same piece.
- Typos: “mediaton” or “eletcions” get “Did you mean …” on PostgreSQL, from
  the words of these titles (the main article also answers “Goita” for Goïta).

The loader creates them like the other demo articles, only when missing.
"""

from usip_cms.demo.content import _at


def articles():
    return [ELECTIONS, MEDIATION]


ELECTIONS = {
    "slug": "elections-west-africa-cote-divoire-lessons",
    "title": "Elections Without Violence: Lessons from Côte d’Ivoire",
    "type": "Peace Brief",
    "published_at": _at(2023, 6, 12, 9),
    "authors": ["amara-diallo-becker"],
    "topics": ["Electoral Violence", "Democracy & Governance"],
    "regions": ["Senegal"],
    "summary": (
        "After the violence that followed the 2010 election, Côte d’Ivoire’s electoral "
        "commission, courts and local mediators built habits that kept later votes calmer. "
        "Neighbors preparing their own elections can borrow them."
    ),
    "body": """
<p>The crisis that followed the 2010 presidential election in Cote d’Ivoire cost some 3,000
lives. Since then, President Alassane Ouattara’s government, the opposition and civil society
have each learned, unevenly, how to keep an electoral dispute from becoming a war.</p>

<h2>What changed</h2>

<p>Local peace committees now meet candidates before the campaign. Observers publish results
by polling station. Courts hear complaints within days rather than months. None of this
removes the stakes of an election; it gives losers somewhere to go other than the street.</p>

<p>Senegal’s peaceful transfer of power in 2024 drew on similar habits. Electoral calendars
across West Africa are crowded in the next two years, and the lesson travels.</p>
""",
}

MEDIATION = {
    "slug": "mediation-insider-mediators-sahel",
    "title": "Insider Mediation: Why Local Mediators Matter in the Sahel",
    "type": "Analysis",
    "published_at": _at(2023, 3, 8, 14),
    "authors": ["jonah-whitfield"],
    "topics": ["Peace Processes"],
    "regions": ["Niger", "Burkina Faso"],
    "summary": (
        "Religious leaders, traditional chiefs and women’s groups negotiate local ceasefires "
        "that outside envoys cannot reach. Supporting them is cheap and effective."
    ),
    "body": """
<p>When herders and farmers clash in the Tillabéri region of Niger, the first people to
mediate are rarely diplomats. Imams, village chiefs and market women carry messages between
armed groups and communities, and often secure the release of hostages.</p>

<p>These insider mediators know the grievances and the families. What they lack is
protection, transport and a way to pass what they learn to national authorities.</p>
""",
}

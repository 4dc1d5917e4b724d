"""Demo content for development: what `manage.py load_demo` puts in the database.

The structure and facts follow the usip.org page the project is modelled on
(an analysis on Mali and the Sahel, then five "Latest Publications"); every
sentence here is our own. Names of types, topics and regions must match the
vocabularies seeded by publications/migrations/0002_seed_vocabularies.py.
The generated archive that fills the lists is in usip_cms/demo/archive.py.

Plain constants only; usip_cms/demo/loader.py decides how to store them.
"""

from datetime import datetime
from zoneinfo import ZoneInfo

NEW_YORK = ZoneInfo("America/New_York")


def _at(year, month, day, hour, minute=0):
    return datetime(year, month, day, hour, minute, tzinfo=NEW_YORK)


# Authors, keyed by slug. "role" completes "NAME is …", article included:
# "a USIP security governance expert based in Mali" (no full stop).
# Everyone except Kadiatou Keita is fictional.
AUTHORS = {
    "kadiatou-keita": ("Kadiatou Keita", "a USIP security governance expert based in Mali"),
    "thomas-whitcombe": ("Thomas Whitcombe", "a senior expert on China and global affairs"),
    "irina-halvorsen": ("Irina Halvorsen", "a senior advisor on Russia and Ukraine"),
    "grace-liang-porter": ("Grace Liang-Porter", "a senior fellow for U.S.-China relations"),
    "nadia-sorokina": ("Nadia Sorokina", "a researcher on security cooperation in Central Asia"),
    "arun-pillai": ("Arun Pillai", "a specialist on mainland Southeast Asia"),
    "helen-ashdown": ("Helen Ashdown", "the director of the environment and conflict program"),
    "samuel-okafor": ("Samuel Okafor", "a nonproliferation and nuclear security analyst"),
    "layla-haddad": ("Layla Haddad", "a senior program officer for Iraq"),
    # Reused by the generated archive (usip_cms/demo/archive.py).
    "amara-diallo-becker": ("Amara Diallo-Becker", "a senior program officer for West Africa"),
    "jonah-whitfield": ("Jonah Whitfield", "an expert on peace processes and mediation"),
    "priya-raman": ("Priya Raman", "a senior advisor on gender and inclusive peacebuilding"),
    "tomasz-wierzbicki": ("Tomasz Wierzbicki", "an analyst of security sector reform"),
    "esther-mwangi-lowe": ("Esther Mwangi-Lowe", "an expert on climate, migration and conflict"),
    "rafael-quintero": ("Rafael Quintero", "a senior expert on justice and the rule of law"),
}

# --- The main analysis -------------------------------------------------------

MAIN_ARTICLE = {
    "slug": "amid-wave-coups-democracy-sahel-depends-human-security",
    "title": "Amid a Wave of Coups, Democracy in the Sahel Depends on Human Security",
    "type": "Analysis",
    "published_at": _at(2021, 10, 28, 10),
    "authors": ["kadiatou-keita"],
    "topics": ["Democracy & Governance", "Fragility & Resilience", "Violent Extremism"],
    "regions": ["Mali", "Sahel"],
    "summary": (
        "Sudan’s coup this week and Mali’s drift away from its promised election show "
        "that the United States and its partners should steer their help for fragile "
        "Sahel states toward the safety and welfare of ordinary people rather than "
        "quick counterterrorism wins."
    ),
    "body": """
<p>Military takeovers have come thick and fast in 2021. This week soldiers seized power in
Sudan, and in Mali the ruling junta moved further from its promise to hand the country
back to civilians. Both are a warning to Washington and its partners: the way we help
fragile, conflict-hit states is not working, and our assistance must be rebalanced toward
the conditions that produce these crises.</p>

<p>Nowhere is that clearer than in the Sahel, the semi-arid belt stretching across Africa
beneath the Sahara. Of the six attempts anywhere in the world this year to take power by
force, five happened in Africa: in Sudan, Mali, Chad and Guinea, and in Niger, where the
presidential guard beat back the plotters. The story behind them is familiar. Corrupt,
authoritarian governments that could not deliver basic services let poverty deepen and lost
their citizens’ trust. Security forces preyed on the people they were meant to protect, and
extremist recruiters fed on the anger. When frustration boiled over—into street movements,
rebellions or insurgencies—officers saw their opening.</p>

<p>The timing matters. In six weeks Washington convenes its Summit for Democracy to
push back against authoritarian rule. If it is to offer more than speeches, participants
should take four lessons from Mali and from the uneven record of engagement elsewhere:</p>

<ul>
<li><strong>Engage whole societies, as partners.</strong> Diplomacy, security cooperation and
peacebuilding should reach beyond ministries and barracks to civil society and to
communities that have been pushed to the margins. The countries concerned should be treated
as equals with priorities of their own, not as recipients of instructions.</li>
<li><strong>Protect people, not regimes.</strong> The test of assistance should be
whether citizens are safer, not whether rulers and elites are.</li>
<li><strong>Address every source of insecurity.</strong> The extremist groups that worry
Western capitals are only one threat. Families in Mali, Burkina Faso and Niger face hunger
and mass displacement, and Niger is fighting a cholera outbreak. A government that pours a
growing share of its budget into its armed forces while clinics, schools and relief go
unfunded is not answering the emergencies its people live with every day.</li>
<li><strong>Put nonviolent responses at the center.</strong> Force will sometimes be
needed against armed extremists. But dialogue, community mediation and other nonviolent
approaches deserve far more money and patience in our partnerships, because operations
that harm civilians hand recruiters their best argument.</li>
</ul>

<h2>The Urgent Case of Mali</h2>

<p>Mali cannot wait. This week its military rulers hardened their stance against the
Economic Community of West African States (ECOWAS), the 15-member regional bloc that has
led calls for a return to civilian government, and ordered the bloc’s envoy out of the
country.</p>

<p>The roots of the crisis run deep. Mali’s nominally elected but authoritarian leaders
long failed to shield citizens from political violence, crime and abuse by the state
itself. A 2012 coup—the army’s third—opened the way for a separatist rebellion and then
extremist insurgents to seize much of the north, and drew France into a military
intervention. In
2020, after months of peaceful mass demonstrations demanding that President Ibrahim
Boubacar Keita step down, officers led by Colonel Assimi Goïta removed him. Many Malians,
worn out by corruption, cheered the soldiers in hope of better government.</p>

<p>Mali’s main security partners, France and the United States, objected only mildly, and
the African Union and ECOWAS did little more. Democracies oppose coups on principle, but by
2020 both Paris and Washington had come to see the Sahel chiefly as a front line against
affiliates of ISIS and al-Qaeda, and they had spent years training Malian and neighboring
armies for counterterrorism missions.</p>

<p>Then, in May 2021, Goïta went further. The army detained the transitional president and
prime minister it had itself installed only months earlier. The junta pledged again to hold
elections in February 2022, but this “coup within a coup” showed how unwilling the officers
were to let go. This time outsiders did react. Washington suspended its security
assistance, and France—Mali’s most important military partner—followed, with President
Emmanuel Macron insisting that France would not stand behind a government lacking
democratic legitimacy. Within about two weeks, however, Paris resumed its cooperation, and
the United States soon restored part of its aid. Reactions to the army’s April takeover in
Chad had been just as muted.</p>

<p>Now, as the United Nations, ECOWAS and others urge Mali’s rulers to make way for
elected civilians, the junta is digging in. Besides expelling the ECOWAS envoy, its
appointed prime minister and foreign minister have again hinted that the vote could slip,
dismissing foreign deadlines as “ultimatums.”</p>

<p>Part of the trouble lies in how outsiders approach extremist violence. In Mali, across
the Sahel and beyond, the dominant frame is counterterrorism, which rewards fast, visible
results—a militant commander killed, a town retaken—over lasting stability. That such
operations can feed the terrorism they target is well documented: backing security forces
that abuse without consequence drives more young people toward armed groups. In Mali
last year, state forces killed more people than the extremists did, leaving civilians
caught between two sources of violence.</p>

<p>Unprotected communities raise their own self-defense militias, eroding the state’s
authority further. And the link between abuse and radicalization is not guesswork: a
2017 United Nations study of Africans who had joined violent extremist groups found that,
for 71 percent of them, the final push was an abusive act by their own government.</p>

<h2>Shifting to ‘Human Security’</h2>

<p>Lasting stability in Mali and across the Sahel means putting people’s safety at the
heart of every security effort, and only a government that answers to its citizens can
deliver it. In practice, that means helping Malians bring their army and police under
elected leaders who are, in turn, answerable to voters. Malians’ disillusionment with past leaders
ran so deep that many welcomed the 2020 coup, yet 75 percent still say they prefer democracy
to any other system of government, as do large majorities across the continent.</p>

<p>International forces, too, must make protecting civilians their first duty. The U.N.
peacekeeping mission in Mali, MINUSMA, has sharpened its attention to civilian protection
but still falls short. French and European training missions have not yet produced a Malian
army that reliably spares noncombatants. And with France’s announcement in July that it
will wind down Operation Barkhane, its seven-year counterterrorism campaign across the
Sahel, extremist groups are likely to exploit the gap and step up their attacks.</p>

<p>The United States, France, the European Union and other partners should use diplomatic
pressure and their security assistance alike to press Mali’s military to yield power to
civilians, and reorient their own policies toward lasting stability for Mali and its
neighbors, even if violence rises in the short term. That means standing up for
democracy and human rights, helping Malian institutions protect citizens rather than
threaten them, and treating Sahelians as partners whose views count. Cutting off security
aid is not the answer; rebalancing it is—so that investments in long-term peace outweigh
quick wins, and civil society, not only governments, has a say in how that help is given.
By taking the long view, Mali’s partners can prove dependable allies who live by the
principles they preach.</p>
""",
}

# The lead photo is drawn by the loader; these are its words. The caption is
# also how the loader finds the photo again (usip_cms/demo/loader.py).
MAIN_PHOTO = {
    "file_name": "sahel-patrol.jpg",
    "alt_text": (
        "A line of French Foreign Legion soldiers in desert camouflage patrols across "
        "dry, open scrubland in northeastern Mali."
    ),
    "caption": (
        "French Foreign Legion troops track fighters of the Islamic State in the Greater "
        "Sahara through northeastern Mali. As France scales back its military presence, "
        "extremist violence in Mali and the wider Sahel may grow."
    ),
    "credit": "Finbarr O'Reilly/The New York Times",
}

# --- The five "Latest Publications", newest first ------------------------------
# Titles, dates, types and topics as on the reference page; the rest is ours.

LATEST_ARTICLES = [
    {
        "slug": "china-and-ukraine-pulling-its-weight-russia-or-potemkin-peacemaker",
        "title": "China and Ukraine: Pulling Its Weight with Russia or Potemkin Peacemaker?",
        "type": "Analysis",
        "published_at": _at(2024, 11, 22, 10),
        "authors": ["thomas-whitcombe", "irina-halvorsen"],
        "topics": ["Global Policy"],
        "regions": ["China", "Ukraine", "Russia"],
        "summary": (
            "Beijing’s new ambassador to Kyiv, Ma Shengkun, a veteran diplomat with a "
            "background in arms control, presented his credentials on Thursday. The choice "
            "of envoy and its timing suggest China expects pressure for Ukraine ceasefire "
            "or peace talks to build in the months ahead, and wants to be in position when "
            "it does."
        ),
        "body": """
<p>Ambassadors rotate on a schedule, and Fan Xianrong had served in Kyiv for more than
four years, so a change was expected. What stands out is the profile of his successor. Ma
Shengkun has spent much of his career on arms control, the kind of file that becomes
central once parties start talking about lines of contact, monitoring and guarantees.</p>

<p>China has presented itself as neutral since Russia’s full-scale invasion, while its
trade with Moscow has grown and its exports have kept Russian industry supplied. Ukraine
and its European backers have long asked Beijing to use that leverage. The question is
whether China now intends to do so, or mainly to be seen as a peacemaker without taking
on any risk.</p>

<h2>What to watch</h2>

<p>Signs of real intent would include Chinese contacts with Ukrainian officials beyond
ceremony, proposals that address Ukraine’s security rather than only Russia’s grievances,
and any willingness to restrain the flow of dual-use goods. Without those, Beijing’s
diplomacy is likely to remain more performance than mediation.</p>
""",
    },
    {
        "slug": "us-concerns-over-axis-authoritarianism-cloud-final-biden-xi-meeting",
        "title": "U.S. Concerns Over ‘Axis of Authoritarianism’ Cloud Final Biden-Xi Meeting",
        "type": "Analysis",
        "published_at": _at(2024, 11, 21, 16),
        "authors": ["grace-liang-porter"],
        "topics": ["Global Policy"],
        "regions": ["China", "United States"],
        "summary": (
            "Few expected much from the last meeting between President Biden and Xi "
            "Jinping, held on the sidelines of the APEC summit in Peru on November 16. "
            "Both sides stressed keeping communication open, even as Washington grows "
            "more worried about Beijing’s ties to Moscow, Tehran and Pyongyang."
        ),
        "body": """
<p>With weeks left in the Biden administration, neither leader had reason to launch new
initiatives. The conversation in Lima was instead about holding on to what the two
governments have rebuilt since 2023: regular military-to-military talks, working groups
on counternarcotics and a channel for discussing artificial intelligence risks.</p>

<p>The shadow over the meeting was the growing cooperation among China, Russia, Iran and
North Korea. American officials see Chinese components in Russian weapons and North
Korean troops near the front in Ukraine as parts of one problem. Beijing rejects the
framing and insists that it is not a party to any bloc.</p>

<p>For the incoming administration, the lesson is that channels of communication are
easier to keep open than to reopen. Whatever approach it chooses toward China, crisis
lines that work will matter most on the day they are needed.</p>
""",
    },
    {
        "slug": "chinas-global-security-initiative-takes-shape-southeast-central-asia",
        "title": "China’s Global Security Initiative Takes Shape in Southeast and Central Asia",
        "type": "Special Report",
        "report_number": "SR 535",
        "published_at": _at(2024, 11, 21, 14),
        "authors": ["nadia-sorokina", "arun-pillai"],
        "topics": ["Global Policy"],
        "regions": ["China", "Southeast Asia", "Central Asia"],
        "summary": (
            "Since Xi Jinping announced the Global Security Initiative in April 2022, "
            "Beijing has used it to widen its security role and promote its own vision "
            "of world order. Based on fieldwork and interviews with officials and "
            "specialists, this report traces how the initiative is being put into "
            "practice in mainland Southeast Asia and Central Asia, and why U.S. "
            "policymakers should pay closer attention."
        ),
        "body": """
<p>The Global Security Initiative began as a set of slogans. Two and a half years on, it
has acquired institutions: training programs for police and security officials,
law-enforcement cooperation agreements, and regular forums where Chinese ideas about
security are presented as an alternative to Western alliances.</p>

<h2>Two priority regions</h2>

<p>In mainland Southeast Asia, the initiative is most visible in joint patrols on the
Mekong and in campaigns against cross-border scam centers, problems that neighboring
governments genuinely want solved. In Central Asia, it builds on years of border
cooperation and on Beijing’s concern for the safety of its investments and workers.</p>

<p>The report finds that governments in both regions welcome practical help while
avoiding commitments that would limit their other partnerships. It recommends that the
United States respond with its own practical offers on policing, border management and
transnational crime, rather than with warnings alone.</p>
""",
    },
    {
        "slug": "delicate-balance-promoting-nuclear-energy-while-preventing-proliferation",
        "title": "A Delicate Balance: Promoting Nuclear Energy While Preventing Proliferation",
        "type": "Analysis",
        "published_at": _at(2024, 11, 21, 12),
        "authors": ["helen-ashdown", "samuel-okafor"],
        "topics": ["Environment", "Global Policy"],
        "regions": ["United States"],
        "summary": (
            "A new U.S. plan to triple the country’s nuclear power capacity by 2050 "
            "highlights a hard trade-off: nuclear energy can meet rising demand while "
            "cutting emissions, but its spread carries safety and proliferation risks "
            "at a time of sharpening tension among nuclear-armed states."
        ),
        "body": """
<p>Demand for electricity is climbing, and the pressure to decarbonize is climbing with
it. For many governments, nuclear power looks like a way to meet both goals at once. Yet
opinion remains split over cost, safety and waste, and over what a wider spread of
nuclear technology means for international security.</p>

<p>Those concerns are not abstract. This week Russia lowered the threshold at which it
says it might use nuclear weapons, after the United States allowed Ukraine to strike
deeper into Russian territory with long-range missiles. Every new reactor program
expands the pool of materials and expertise that must be safeguarded.</p>

<h2>Keeping both goals in view</h2>

<p>Washington can promote civilian nuclear energy and guard against proliferation at the
same time, but only if it treats safeguards, fuel supply arrangements and regional
diplomacy as part of the energy agenda rather than as an afterthought.</p>
""",
    },
    {
        "slug": "iraqs-lingering-isis-challenge-role-dialogue-return-reintegration",
        "title": (
            "Iraq’s Lingering ISIS Challenge and the Role of Dialogue in Return and Reintegration"
        ),
        "type": "Analysis",
        "published_at": _at(2024, 11, 21, 10),
        "authors": ["layla-haddad"],
        "topics": ["Reconciliation", "Violent Extremism"],
        "regions": ["Iraq"],
        "summary": (
            "Iraq declared ISIS militarily defeated in 2017, and wars elsewhere now draw "
            "most of the world’s attention. But a joint U.S.-Iraqi raid last month that "
            "killed nine of the group’s senior leaders in the Hamrin Mountains, and a "
            "rising number of attacks in Iraq and Syria this year, show that the threat "
            "has not gone away."
        ),
        "body": """
<p>The military campaign that retook territory from ISIS ended years ago, but the social
damage it left behind has not been repaired. Tens of thousands of Iraqis with real or
perceived ties to the group remain displaced, in camps or in limbo, and many communities
are unwilling to take them back.</p>

<p>That stalemate is dangerous. People who cannot go home, work or register their
children are easy targets for recruiters, and resentment on both sides can harden into
the next cycle of violence.</p>

<h2>Why dialogue matters</h2>

<p>Local dialogue brings tribal leaders, religious figures, officials and families
together to agree on the terms of return: who may come back, what accountability looks
like, and how the community will handle disputes. Where such agreements have been
reached, returns have been calmer and more lasting. Security operations can remove
commanders; only reconciliation can remove the grievances ISIS feeds on.</p>
""",
    },
]

# --- Workflow examples: never shown to readers ---------------------------------

DRAFT_ARTICLE = {
    "slug": "demo-draft-mediation-lessons-colombia",
    "title": "Draft: What Colombia’s Local Peace Talks Teach Mediators Elsewhere",
    "type": "Analysis",
    "authors": ["jonah-whitfield"],
    "topics": ["Mediation, Negotiation & Dialogue", "Peace Processes"],
    "regions": ["Colombia"],
    "summary": "A work in progress on regional dialogues in Colombia.",
    "body": "<p>Notes for a piece still being written. Not for publication yet.</p>",
}

# Published status with a time a year ahead, set when the loader creates the
# article (or restores it with --reset), so it is scheduled, not live.
SCHEDULED_ARTICLE = {
    "slug": "demo-scheduled-youth-and-elections-nigeria",
    "title": "Scheduled: Young Voters and the Next Election in Nigeria",
    "type": "Peace Brief",
    "authors": ["amara-diallo-becker"],
    "topics": ["Youth", "Electoral Violence"],
    "regions": ["Nigeria"],
    "summary": "A brief that goes live by itself a year from now.",
    "body": "<p>This brief is scheduled and will appear on its publication date.</p>",
}

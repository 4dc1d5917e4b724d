"""Personal names split into the parts citations need.

A byline prints a name as written (“Simone de Beauvoir”); a citation sorts
and inverts it (“de Beauvoir, Simone”, “Beauvoir, S. de”). The rule here
gets the common cases right from the name alone, and an editor's family name
on the author (Author.family_name) settles the rest: names written family
first (“Xi Jinping”), particles written with a capital (“De Niro”), double
family names without a hyphen (“García Márquez”).
"""

from typing import NamedTuple

# Lower-case words that start a family name: “de Beauvoir”, “van der Berg”.
PARTICLES = {
    "al", "bin", "da", "das", "de", "del", "della", "der", "di", "do", "dos", "du",
    "el", "ibn", "la", "le", "st.", "ten", "ter", "van", "von", "zu",
}  # fmt: skip
SUFFIXES = {"jr", "jr.", "sr", "sr.", "ii", "iii", "iv"}


class NameParts(NamedTuple):
    given: str  # “Martin Luther”; empty for a single name (“Plato”)
    particle: str  # “de”, “van der”: kept with the family name when sorting
    family: str  # “King”, “Beauvoir”
    suffix: str  # “Jr.”

    @property
    def family_with_particle(self):
        return f"{self.particle} {self.family}".strip()


def split_name(name, family_name=""):
    """The parts of name, with family_name (when given) as its family name.

    family_name must be written as it appears in name; the given names are
    what remains of name around it.
    """
    words = name.replace(",", " ").split()
    suffix = ""
    # A suffix follows a given and a family name (“King Jr.”); “Ana Jr” is a name.
    if len(words) > 2 and words[-1].lower() in SUFFIXES:
        suffix = words.pop()
    if family_name:
        family_words = family_name.split()
        given = _without(words, family_words)
    elif len(words) == 1:
        return NameParts("", "", words[0] if words else "", suffix)
    else:
        start = len(words) - 1
        # The family name starts at the first particle after a given name.
        for i in range(1, len(words) - 1):
            if words[i] in PARTICLES:
                start = i
                break
        given, family_words = words[:start], words[start:]
    particle = []
    while len(family_words) > 1 and family_words[0] in PARTICLES:
        particle.append(family_words.pop(0))
    return NameParts(" ".join(given), " ".join(particle), " ".join(family_words), suffix)


def _find(words, part):
    """Where the run of words equal to part starts in words, or -1."""
    for i in range(len(words) - len(part) + 1):
        if words[i : i + len(part)] == part:
            return i
    return -1


def _without(words, part):
    """words without the first run of words equal to part."""
    i = _find(words, part)
    return words if i < 0 else words[:i] + words[i + len(part) :]


def contains_words(name, family_name):
    """Whether family_name appears in name as whole words (Author.clean checks it)."""
    return _find(name.replace(",", " ").split(), family_name.split()) >= 0

"""What an ask acts on, and for whom: its objects and the groups it names, read from its stems.

Two asks of one frame on different objects are different commitments: "Continue to improve
access to safe drinking water and sanitation" and "... to education"; "promote and protect the
rights of" women and of migrants. And one object is written many ways: "decriminalize
homosexuality", "repeal the laws criminalizing same-sex relations", "... sexual orientation and
gender identity" (Senegal 2013); "death penalty", "capital punishment". The reading maps the
normalized ask (`normalize`: word stems, no opener, no State list) to a set of objects and a
set of groups, each from a table of stem patterns (`read_masks`); the pair model can compare
the two sets of a pair (`pair_model.OBJECT_FEATURES`).

A plain regular expression over the stems, one alternation per table: the stems are already
lemma-like (Snowball), the asks are imperative clauses whose objects are named by a small
vocabulary, and a scan of the 33,000 UPR Info asks costs well under a second (no spaCy
pipeline to load).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import cache

import numpy as np
import numpy.typing as npt

# A moratorium and the mandatory death penalty are asks of their own beside abolition ("Establish
# a moratorium on the death penalty", "Repeal compulsory death penalty ..." and "Abolish the
# death penalty" are three commitments in the Malaysia 2013 gold, bench/gold).
# Each pattern runs over normalized stems ("abolish death penalti capit punish") from the start
# of a word. Where two
# patterns could match at one place, the first in the table wins ("human right educ" is human
# rights education, not education), so the more specific comes first.
OBJECTS: tuple[tuple[str, str], ...] = (
    ("death penalty moratorium", r"moratorium"),
    (
        "mandatory death penalty",
        r"mandatori (?:\w+ )?(?:death|capit|sentenc|applic)|"
        r"compulsori (?:\w+ )?(?:death|capit|sentenc|applic)|"
        r"automat (?:\w+ )?(?:death|capit|sentenc|applic)",
    ),
    ("death penalty", r"death penalti|capit punish|death sentenc|death row"),
    ("torture", r"tortur|ill treatment|cruel inhuman"),
    ("preventive mechanism", r"nation prevent mechan"),
    (
        "human rights institution",
        r"nation human right (?:institut|commiss)|ombudsman|human right commission|"
        r"human right (?:commiss|committe)(?! racial)|pari principl|defensor|public defend",
    ),
    ("special procedures", r"special procedur|stand invit|special rapporteur|mandat holder"),
    ("human rights education", r"human right (?:educ|train)"),
    (
        "human rights action plan",
        r"nation action plan human right|action plan human right|"
        r"human right action plan",
    ),
    ("water and sanitation", r"water|sanit"),
    ("health", r"health|medic|hiv|matern mortal|child mortal|mortal|malaria|tubercul|vaccin"),
    ("education", r"educ|school|literaci|enrol|teacher"),
    ("poverty", r"poverti|poor\b"),
    ("food", r"food|nutrit|hunger"),
    ("housing", r"hous\b|housing|homeless"),
    ("child labour", r"child labour|child work"),
    ("work", r"employ|labour|\bjob\b|decent work|work condit|wage"),
    ("trafficking", r"traffick"),
    ("genital mutilation", r"genit mutil"),
    ("child marriage", r"child marriag|earli marriag|forc marriag|marriag age|age marriag"),
    ("domestic violence", r"domest violenc|famili violenc|violenc famili|marit rape"),
    ("sexual violence", r"sexual (?:violenc|abus|exploit|harass)|rape|incest|pedophil"),
    (
        "violence against women",
        r"violenc (?:against )?(?:women|girl)|gender base violenc|violenc gender",
    ),
    ("birth registration", r"birth registr|regist birth|civil registr"),
    ("corporal punishment", r"corpor punish"),
    ("juvenile justice", r"juvenil justic|crimin respons|juvenil"),
    ("detention", r"prison|detent|detain|penitentiari|pretrial|overcrowd|incarcer"),
    ("judiciary", r"judiciari|judici|court|judg|fair trial|justic system|legal aid"),
    ("corruption", r"corrupt"),
    ("elections", r"elect|vote"),
    (
        "expression",
        r"freedom (?:express|opinion|press|media|inform)|media|press\b|journalist|blogger|"
        r"internet|censorship|defam|sedit",
    ),
    ("assembly", r"freedom (?:peac )?(?:assembl|associ)|peac assembl|demonstr|protest"),
    ("religion", r"freedom (?:religion|belief|conscienc)|religion belief|religi freedom|blasphemi"),
    ("racism", r"racism|racial|racist|xenophob|hate (?:speech|crime)|intoler"),
    ("discrimination", r"discrimin|equal"),
    ("peace", r"peac\b|arm conflict|demobil|ceasefir"),
    ("security forces", r"secur forc|\bpolic\b|law enforc|militari|arm forc|\barmi\b"),
    ("impunity", r"impun"),
    ("land", r"\bland\b|landown|restitut"),
    ("environment", r"climat|environ|pollut"),
    ("citizenship", r"citizenship|stateless|nation law"),
    ("terrorism", r"terror"),
    ("disappearance", r"disappear"),
    ("killings", r"extrajudici|kill|murder"),
    ("slavery", r"slaveri|forc labour|servitud|bond labour"),
    ("child code", r"children code|code child|child code"),
    ("civil society", r"civil societi|non government organ"),
    ("participation", r"particip|represent|decis make|leadership"),
    ("business", r"\bbusi"),
)
"""Objects an ask acts on: (name, pattern over normalized stems)."""

GROUPS: tuple[tuple[str, str], ...] = (
    ("women", r"\bwomen\b|\bwoman\b|\bgirl|\bgender\b(?! ident)|\bfemal|\bmatern|\bmother"),
    (
        "children",
        r"\bchild|\bboy\b|\bjuvenil|\byouth|\badolesc|\binfant|\bpupil|talib",
    ),
    ("persons with disabilities", r"disabl"),
    ("migrants", r"migrant|migrat|foreign worker|\bforeign\b|immigr|domest worker"),
    ("refugees", r"refuge|asylum|internal displac|\bidp"),
    ("stateless persons", r"stateless"),
    ("indigenous peoples", r"indigen|orang asli|\bnativ|aborigin|tribal"),
    ("people of African descent", r"african descent|afro"),
    ("Roma", r"\broma\b|sinti"),
    ("Dalits", r"dalit|\bcast\b"),
    ("minorities", r"ethnic|minor group|nation minor|religi minor|linguist minor"),
    (
        "LGBTI persons",
        r"lgbt|homosexu|same sex|sexual orient|gender ident|lesbian|\bgay\b|bisexu|transgend|"
        r"intersex|sexual minor",
    ),
    ("older persons", r"older person|elder|\bag person|old age"),
    ("human rights defenders", r"human right defend|activist|trade unionist|union leader"),
    ("journalists", r"journalist|media worker|blogger"),
    ("prisoners", r"prison|detaine"),
    ("persons with HIV", r"\bhiv\b"),
)
"""Groups an ask is for: (name, pattern over normalized stems)."""


def _branches(pattern: str) -> list[str]:
    """The top-level alternatives of a pattern: "a|b(?:c|d)" -> ["a", "b(?:c|d)"]."""
    branches, depth, start = [], 0, 0
    for at, char in enumerate(pattern):
        if char == "(" and pattern[at - 1 : at] != "\\":
            depth += 1
        elif char == ")" and pattern[at - 1 : at] != "\\":
            depth -= 1
        elif char == "|" and depth == 0:
            branches.append(pattern[start:at])
            start = at + 1
    return [*branches, pattern[start:]]


def _alternation(table: Sequence[tuple[str, str]]) -> re.Pattern[str]:
    """One pattern for a table; group "g<row>x<n>" is a branch of row <row>.

    Every pattern starts a word ("reduc poverti" names no education, "educ"). The branches
    are grouped by their first letter behind one lookahead each, so that at a word start the
    engine tries only the branches that begin with its letter (3x faster over the UPR Info
    asks than one alternation of the rows); within a letter they keep the table's order.
    """
    by_letter: dict[str, list[str]] = {}
    for row, (name, pattern) in enumerate(table):
        for n, branch in enumerate(_branches(pattern)):
            bare = branch.removeprefix(r"\b")
            if not bare[:1].isalpha():
                raise ValueError(f"{name}: {branch!r} must start with a letter")
            by_letter.setdefault(bare[0], []).append(f"(?P<g{row}x{n}>{bare})")
    letters = "|".join(
        f"(?={letter})(?:{'|'.join(branches)})" for letter, branches in sorted(by_letter.items())
    )
    return re.compile(rf"\b(?:{letters})")


@cache
def _patterns() -> tuple[re.Pattern[str], re.Pattern[str]]:
    """The objects' and the groups' patterns, compiled on first use (12 ms: not at import,
    which every command pays whether it clusters or not)."""
    return _alternation(OBJECTS), _alternation(GROUPS)


def _mask(pattern: re.Pattern[str], normalized: str) -> int:
    rows = {str(m.lastgroup)[1:].partition("x")[0] for m in pattern.finditer(normalized)}
    return sum(1 << int(row) for row in rows)


def read_objects(normalized: str) -> tuple[str, ...]:
    """The objects a normalized ask names (`OBJECTS`), in table order.

    >>> from uprdex.pipeline.clusters.normalize import normalize
    >>> read_objects(normalize("Abolish capital punishment (France);"))
    ('death penalty',)
    """
    mask = _mask(_patterns()[0], normalized)
    return tuple(name for at, (name, _) in enumerate(OBJECTS) if mask >> at & 1)


def read_groups(normalized: str) -> tuple[str, ...]:
    """The groups a normalized ask is for (`GROUPS`), in table order.

    >>> from uprdex.pipeline.clusters.normalize import normalize
    >>> read_groups(normalize("Repeal all laws criminalizing same-sex relations (Spain);"))
    ('LGBTI persons',)
    """
    mask = _mask(_patterns()[1], normalized)
    return tuple(name for at, (name, _) in enumerate(GROUPS) if mask >> at & 1)


def read_masks(texts: Sequence[str]) -> tuple[npt.NDArray[np.uint64], npt.NDArray[np.uint64]]:
    """The objects and the groups of each normalized text, as bits (row n of `OBJECTS` or
    `GROUPS` is bit n): what the pair model's object features compare."""
    objects, groups = _patterns()
    return (
        np.array([_mask(objects, t) for t in texts], dtype=np.uint64),
        np.array([_mask(groups, t) for t in texts], dtype=np.uint64),
    )

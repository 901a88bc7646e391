"""Normalization of asks: the ask as a matching key, and the kinds of action it names.

Case, punctuation, the closing State list, weak openers such as "Continue efforts to", treaty
names and abbreviations (one key each) go; what stays is word stems.
"""

from __future__ import annotations

import re
from functools import lru_cache

import snowballstemmer

from uprdex.pipeline.clusters.treaties import TreatyTable, fold_words, load_treaties
from uprdex.pipeline.states import load_states

NORMALIZATION = 11
"""The revision of how asks are normalized (`normalize` and the treaty table it reads), in the
version of each model trained on normalized texts: the similarity model and the word vectors,
and so the pair model. Bump it with any change that normalizes some text otherwise. Until 8 the
revisions were counted in the similarity model's (train_semantic.CONFIG); 9: "T and its Optional
Protocol, the NEXT" (an article after the protocol opens the list's next treaty); 10: the same
where the next treaty has a protocol of its own ("CRPD and its Optional Protocol, the
Convention against Torture" is no protocol to the CAT); 11: data/treaties.csv reads the ICRMW's
names ending "and Their Family Members" and the misprint "CPRD" (review32 findings 1 and 4)."""

# "... in due time (France) (Lithuania);", "(Venezuela (Bolivarian Republic of));",
# "... Disappearance (Ukraine); Increase efforts towards ...": State lists close each ask.
_STATE_GROUPS = re.compile(r"((?:\s*\((?:[^()]|\([^()]*\))*\))+)\s*(?=[;.]|$)")
_GROUP = re.compile(r"\((?:[^()]|\([^()]*\))*\)")

# Openers that change the strength, not the ask: "Continue its efforts to", "Consider
# ratifying", "Redouble efforts in", "Take appropriate measures to", "Further strengthen".
_WEAK_VERB = (
    r"(?:continue[sd]?|consider(?:ing)?|further|redouble|intensify|intensifying|strengthen|"
    r"strengthening|step up|increase|increasing|enhance|enhancing|deepen|sustain|pursue|"
    r"pursuing|make|making|take|taking|undertake|undertaking|accelerate|renew|reinforce|"
    r"maintain|persist(?: in)?|keep|scale up|expand|double|spare no|put in place|adopt|"
    r"adopting|implement|implementing|build on|work towards|endeavour|strive|seek|complete|"
    r"expedite|finali[sz]e)"
)
_FILLER = (
    r"(?:its|their|the|all|further|additional|more|appropriate|effective|necessary|concrete|"
    r"concerted|ongoing|existing|current|commendable|already|positive|serious|relevant|"
    r"possible|every|possibility|of|up|and|made|undertaken|taken|being|governmental|national|"
    r"legislative|policy|practical|specific|strong|stronger|greater|sustained|robust|"
    r"comprehensive|targeted|initial|first|in|this|regard|process|steps?|efforts?|measures|"
    r"actions?|work|working|to|towards?|aimed|at|for|on|with)"
)
_WEAK_OPENER = re.compile(
    rf"^(?:{_WEAK_VERB} (?:{_FILLER} )*?(?:efforts?|measures|steps|actions?|work(?:ing)?|"
    r"possibility|process) (?:(?:aimed )?at|to|in|towards?|for|on|with|of) |"
    r"(?:continue|consider|further|proceed)(?: (?:to|the possibility of|with))? )"
)
_RATIFY = re.compile(
    r"\b(?:sign and ratify|signing and ratifying|ratifying|ratified|accede to|acceding to|"
    r"become (?:a )?party to|becoming (?:a )?party to|adhere to|adherence to)\b"
)
# "The ratification of", "accession to" and the steps towards them are the ratification, as
# asks of other strengths are: "Finalize the ratification of the Convention on the Rights of
# Persons with Disabilities (CRPD)", "Conclude the procedures for the ratification of CRPD",
# "Complete, without delay, the ratification process of CRPD" (A/HRC/28/10) all ask
# Kazakhstan to ratify the CRPD.
_TOWARDS_RATIFYING = re.compile(
    r"\b(?:(?:finali[sz](?:e|ing)|complet(?:e|ing)|conclud(?:e|ing)|expedit(?:e|ing)|"
    r"accelerat(?:e|ing)|speed(?:ing)? up|hasten(?:ing)?)"
    r"(?: without delay)? (?:the |its )?(?:(?:procedures?|process(?:es)?|steps) "
    r"(?:for|of|towards?) )?(?:the |its )?)?(?:speedy |swift |prompt |early |rapid )?"
    r"(?:ratification (?:process(?:es)? |procedures? )?of|"
    r"accession (?:process(?:es)? |procedures? )?to)\b"
)

# Abbreviations of the objects asks name, written out as the other asks write them: "Establish
# a new NHRI, in accordance with the Paris Principles" and "Establish a national human rights
# institution in accordance with the Paris Principles" (Norway 2014) are one ask. Treaties have
# their own table (data/treaties.csv); these are institutions, practices and groups.
OBJECT_ABBREVIATIONS: dict[str, str] = {
    "nhri": "national human rights institution",
    "nhris": "national human rights institutions",
    "npm": "national preventive mechanism",
    "fgm": "female genital mutilation",
    "gbv": "gender based violence",
    "sgbv": "sexual and gender based violence",
    "vaw": "violence against women",
    "cso": "civil society organization",
    "csos": "civil society organizations",
    "ngo": "non governmental organization",
    "ngos": "non governmental organizations",
    "hrd": "human rights defender",
    "hrds": "human rights defenders",
    "sogi": "sexual orientation and gender identity",
    "ohchr": "office of the high commissioner for human rights",
    "sdg": "sustainable development goal",
    "sdgs": "sustainable development goals",
    "mdg": "millennium development goal",
    "mdgs": "millennium development goals",
    # Another name of the same practice: "the second national Plan to eliminate excision".
    "excision": "female genital mutilation",
}
_ABBREVIATED = re.compile(r"\b(?:" + "|".join(OBJECT_ABBREVIATIONS) + r")\b")

# Words that carry no part of the ask; dropping them lets the scorers compare content.
STOPWORDS = frozenset(
    {
        "a",
        "an",
        "and",
        "as",
        "at",
        "be",
        "by",
        "for",
        "from",
        "in",
        "into",
        "its",
        "it",
        "of",
        "on",
        "or",
        "the",
        "their",
        "this",
        "that",
        "to",
        "with",
        "all",
        "any",
        "other",
        "such",
        "which",
        "including",
        "particular",
        "particularly",
        "especially",
    }
)
# English Snowball stems: "investigate", "investigated" and "investigation" are one word, as are
# "punish"/"punishment" and "prosecute"/"prosecution". Not for display: normalized text is a
# matching key. snowballstemmer runs PyStemmer's C code when it is installed (a dependency).
_SNOWBALL = snowballstemmer.stemmer("english")

# What an ask asks the State to do, read from its stems. Those who track implementation count
# asks on one subject as different commitments when they name different actions: "investigate,
# prosecute and punish" hate speech, a comprehensive strategy against it, raising awareness of
# it, and generic efforts against it (the Slovenia 2019 gold keeps these four apart).
ACTION_KINDS: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (name, re.compile(pattern))
    for name, pattern in (
        ("justice", r"\b(?:investig|prosecut|punish|sanction|perpetr|penalti|justic|impun)"),
        ("awareness", r"\b(?:awar|campaign|sensitis|sensitiz)"),
        ("training", r"\b(?:train|capac build)"),
        ("plan", r"\b(?:strategi|action plan|plan action|nation plan|programm|polici)"),
        ("law", r"\b(?:legisl|law\b(?! enforc)|crimin code|amend|enact|bill\b|legal framework)"),
        (
            "victims",
            r"\b(?:victim|(?<!technic )assist|support servic|shelter|rehabilit|redress|"
            r"remedi|compens)",
        ),
        ("ratify", r"\bratifi\b"),
        ("resources", r"\b(?:resourc|fund\b|budget|financi)"),
        ("data", r"\b(?:data|statist)\b"),
        ("access", r"\b(?:access|avail)"),
    )
)


def _is_state_list(group: str) -> bool:
    # "(France)", "(Venezuela (Bolivarian Republic of))" yes; "(No. 189)", "(CEDAW)" no.
    inner = group[1:-1]
    return any(ch.islower() for ch in inner) and not any(ch.isdigit() for ch in inner)


def strip_states(text: str) -> str:
    """The text without the State lists that close each ask, and without a final ';' or '.'."""

    def drop(match: re.Match[str]) -> str:
        # Only the closing run of State lists goes: "(No. 29) (United Kingdom ...)" keeps (No. 29).
        run = match.group(1)
        groups = _GROUP.findall(run)
        while groups and _is_state_list(groups[-1]):
            groups.pop()
        # What stays keeps the space printed before it: "1930 (No. 29)", not "1930(No. 29)".
        return run[: len(run) - len(run.lstrip())] + " ".join(groups) if groups else ""

    return _STATE_GROUPS.sub(drop, text).strip().rstrip(";.").strip()


# Late cycle-1 reports give each State's verb for one object: "Sign (Iraq)/sign and ratify
# (Spain)/accede to (Czech Republic) the Optional Protocol to the Convention against Torture"
# (A/HRC/15/16). The last verb, with the object, is the ask.
_SLASHED = re.compile(r"^.*\((?:[^()]|\([^()]*\))*\)\s*/\s*")
_DEPTH0_COMMA = re.compile(r",\s*(?![^()]*\))")
_RATIFYING = re.compile(r"\b(?:ratif|accede|accession|sign\b|party\b)", re.IGNORECASE)


def _last_alternative(clause: str) -> str:
    """The last State's verb and the object. A ratification asked before ("Consider ratifying
    (Mauritius)/ratify (Argentina) as soon as possible (France)/in the near future (United
    Kingdom) the OP-CAT", A/HRC/13/10) stays the ask: "ratify in the near future the OP-CAT"."""
    match = _SLASHED.match(clause) if "/" in clause else None
    if match is None:
        return clause
    rest = clause[match.end() :]
    if _RATIFYING.search(match.group(0)) and not _RATIFYING.search(rest):
        return "ratify " + rest
    return rest


def _drop_inline_states(clause: str) -> str:
    """The clause without State lists inside it: "ratify the CRPD (Brazil, Algeria) and the
    Optional Protocol thereto" loses "(Brazil, Algeria)"; "(No. 189)" and "(CEDAW)" stay."""

    def drop(match: re.Match[str]) -> str:
        group = match.group(0)
        if not _is_state_list(group):
            return group
        states = load_states()
        names = _DEPTH0_COMMA.split(group[1:-1])
        return " " if all(states.resolve(name.strip()) for name in names) else group

    return _GROUP.sub(drop, clause)


def _strip_openers(clause: str) -> str:
    while True:
        stripped = _WEAK_OPENER.sub("", clause, count=1)
        if stripped == clause or not stripped:
            return clause
        clause = stripped


# Plurals Snowball leaves apart from their singular: "Code of the Child" and "Children's Code"
# (A/HRC/25/4) are one code.
_IRREGULAR: dict[str, str] = {}


@lru_cache(maxsize=65536)
def stem(word: str) -> str:
    """A lower-case word's Snowball stem ("considering" and "consider": "consid")."""
    return str(_SNOWBALL.stemWord(_IRREGULAR.get(word, word)))


def normalize(text: str, treaties: TreatyTable | None = None) -> str:
    """The ask as a matching key: lower-cased word stems, treaty keys, no State list or opener.

    >>> normalize("Consider ratifying the Optional Protocol to the Convention against Torture "
    ...           "(Ghana, Philippines);")
    'ratifi opcat'
    """
    table = treaties or load_treaties()
    clauses: list[str] = []
    for clause in strip_states(text).split(";"):
        clause = _drop_inline_states(_last_alternative(clause))
        folded = _ABBREVIATED.sub(lambda m: OBJECT_ABBREVIATIONS[m.group(0)], fold_words(clause))
        ratifying = _RATIFY.sub("ratify", _TOWARDS_RATIFYING.sub("ratify", folded))
        words = _strip_openers(table.replace(ratifying))
        kept = [
            word if word in table.keys else stem(word)
            for word in words.split()
            if word not in STOPWORDS
        ]
        # "... Members of Their Families (ICRMW)" names the treaty twice in a row.
        stems = " ".join(w for at, w in enumerate(kept) if at == 0 or kept[at - 1] != w)
        # OHCHR merges identical asks into one paragraph: "Ratify the CED (Ukraine); Ratify ..."
        if stems and stems not in clauses:
            clauses.append(stems)
    return " ".join(clauses)


def action_kinds(normalized: str) -> tuple[str, ...]:
    """The kinds of action a normalized ask names (`ACTION_KINDS`), in table order.

    >>> action_kinds(normalize("Investigate and punish racist hate speech (Chile);"))
    ('justice',)
    """
    return tuple(name for name, pattern in ACTION_KINDS if pattern.search(normalized))


def action_mask(normalized: str) -> int:
    return sum(
        1 << bit for bit, (_, pattern) in enumerate(ACTION_KINDS) if pattern.search(normalized)
    )

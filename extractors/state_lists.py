"""Recommending States as printed: the State lists closing an ask ("(Ghana, Philippines)",
"(Italy and Germany)", "(France) (Lithuania)") and the State that opens a paragraph."""

from __future__ import annotations

import re
from bisect import bisect_right
from itertools import groupby

from uprdex.pipeline.model import AskPart
from uprdex.pipeline.states import StateTable, parentheticals, state_list_names

__all__ = [
    "ASTERISK_AFTER_LIST",
    "MAX_STATE_WORDS",
    "ask_parts",
    "leading_state",
    "marker_after_list",
    "split_recommending_states",
]

# " 4" in "(France 4); Ratify the Second Optional Protocol": a note number printed in the list.
STRAY_NUMBER = re.compile(r"\s+\d{1,2}$")

# "(Paraguay" closing "Consider the possibility of accession to CED (Paraguay (Argentina);".
UNCLOSED_LIST = re.compile(r"\(([A-Z][^()]*)$")

# "(a)" and "(b)" in "(a) Adopt necessary measures to safeguard ...; (b) Facilitate
# reintegration of IDPs ...": lettered asks that open an item, then follow a ";".
LETTERED_PART = re.compile(r"(?:^|[:;,.]\s+(?:and\s+)?)\(([a-z])\)\s")

# "(Mexico); consider": the end of one ask inside a cycle-1 item, where the next ask opens with
# its verb. Not where the same ask goes on without one: with another treaty, "(Brazil); CEDAW
# (Italy)", "Consider ratifying or acceding to: ... CED (Chile, Mexico); other individual
# complaints procedures ... (Norway); OP-ICCPR 1 (Chile)" (Bangladesh 2009, A/HRC/11/18 94.1),
# "(Czech Republic); the International Convention ... (France)" (Bahamas 2009); with another
# object, "training programmes on human rights for the judiciary (Jordan); judges and judiciary
# personnel (United Arab Emirates)" (China 2009, A/HRC/11/25 114.7), where a plural noun opens
# the part (an imperative never ends in "-s" but for "-ss", "-us": "address", "focus"); with a
# verb's "-ing" form, "consider (Chile); ratifying (Chile, Mexico) the CED" (Norway 2010,
# A/HRC/13/5 105.3), "(Portugal, Spain); allowing for individual complaints"; with one State's
# detail, "(Cuba, Qatar, Saudi Arabia, Jordan, Iran); in particular, it underlined ... (Cuba)"
# (Djibouti 2009); or with its purpose, "(OP-CAT); in order to provide a further disincentive
# against torture ... (United Kingdom)" (Central African Republic 2009), "so that".
PART_END = re.compile(
    r"\)\s*;(?!\s*(?:and\s+)?(?:[A-Z]{2,}\b|(?:the|a|an|other)\b|[a-z]{3,}ing\b"
    r"|[a-z]+[^\Wsu]s\b|in\s+particular\b|in\s+order\s+to\b|so\s+that\b))"
)

# "To accede to the International Convention ... (Algeria, Philippines, Egypt, Mexico, Peru) ,
# to withdraw reservations ... (Mexico) and to ratify the Palermo Protocol ( Peru);" (Republic of
# Korea 2008): in an ask opened by "To", a State list followed by another infinitive and its
# object closes one ask. Not "(Mexico) and to the", nor the nouns in "the right to food
# (Vietnam), to health (Saudi Arabia, Vietnam), and to education" (Mexico 2009).
NEXT_ASK = re.compile(
    r"\)\s*(?:,\s*(?:and\s+)?|and\s+|,?\s*as\s+well\s+as\s+)to\s+"
    r"(?!(?:the|a|an|its|their|his|her|all|any|this|that|these|those|which)\b)[a-z]{2,}\s+[^\s(]"
)

# "To ratify ...", "to render more effective ..." after "(Slovenia); ": an ask in the infinitive,
# whose next "and to create ..." is a second ask, unlike the object of "Step up its efforts made
# to investigate acts of racial aggression (Switzerland) and to punish their perpetrators"
# (Russian Federation 2009).
INFINITIVE_ASK = re.compile(r"^\s*(?:and\s+)?to\s+[a-z]", re.IGNORECASE)

# A mark printed after the State list: a footnote number, "(Chad)3", "(Venezuela (Bolivarian
# Republic of)) 4;", "(New Zealand);" with "6" alone on the next line (Botswana 2013, A/HRC/23/7
# 115.75), or the asterisk of an ask a later paragraph speaks of, "(Brazil);*" (Costa Rica 2010:
# "the recommendations marked with an asterisk ... are either already implemented"); or the
# conjunction that joins the item to the last of its paragraph, "(France); and" (Guinea-Bissau
# 2010, A/HRC/15/10 65.100, 66.1, 67.4).
_ASTERISK = r"[;.]?\s*\*{1,3}\s*[;.]?"
_MARKER_AFTER_LIST = re.compile(
    rf"\)\s*(?:[;.]?\s*(?P<number>\d{{1,2}})\s*[;.]?|{_ASTERISK}|[;,]\s*(?:and|or))\s*$"
)
# "... Cultural Expressions (Burkina Faso);*" (Costa Rica 2010, A/HRC/13/15 89.4).
ASTERISK_AFTER_LIST = re.compile(rf"\)\s*{_ASTERISK}\s*$")

MAX_STATE_WORDS = 8


def leading_state(text: str, states: StateTable) -> str | None:
    """The State whose name opens a paragraph: "The Czech Republic recommended ..."."""
    words = text.split()[:MAX_STATE_WORDS]
    for count in range(len(words), 0, -1):
        state = states.resolve(" ".join(words[:count]).rstrip(",;:"))
        if state:
            return state.name
    return None


def split_recommending_states(text: str, states: StateTable) -> tuple[str, list[str], list[str]]:
    """Split "Ratify ICRMW (Senegal, Venezuela (Bolivarian Republic of));" into its text and
    States.

    Returns (text without the trailing State lists and final ";"/".", the States in print
    order as UN short names (unknown names kept as printed), the unknown names). State lists
    inside the text, as cycle-1 items print them ("to adhere to (Algeria) or to consider the
    ratification of (Mexico) the Convention"), count as recommending States too. A State
    counts once per part of the item closed by ";" ("Adhere to ICESCR (Mexico); ratify
    ICRMW (Mexico)" is two asks of Mexico) or by a State list before another infinitive ("To
    accede to ICRMW (Mexico, Peru), to withdraw reservations (Mexico) and to ratify the Palermo
    Protocol (Peru)": two asks each), and once in a merged "/" variant list ("Continue
    promoting (Bolivia) / to support (Lebanon) initiatives in defence (Bolivia)").
    """
    body, trailing, unknown = _cut_trailing_lists(text, states)
    groups = [
        (start, resolved[0])
        for start, _, inner in parentheticals(body)
        if (resolved := _resolve_list(inner, states, strict=True))
    ]
    breaks = _ask_ends(text.strip())
    if not groups and trailing and (letters := _lettered_parts(body)) > 1:
        # "(a) Adopt ...; (b) Facilitate ...; (c) Take ... (Austria)": one ask per letter.
        return (
            body.rstrip(" ;.,:"),
            [n for _ in range(letters) for _, g in trailing for n in g],
            unknown,
        )
    names: list[str] = []
    for _, part_groups in groupby(
        groups + trailing, key=lambda group: bisect_right(breaks, group[0])
    ):
        names.extend(dict.fromkeys(name for _, group in part_groups for name in group))
    # "... ill-treatment of children ((Iran (Islamic Republic of));" (Romania 2013): a doubled
    # "(" is left over once the list is taken.
    return body.rstrip(" ;.,:("), names, unknown


def ask_parts(text: str, states: StateTable) -> tuple[AskPart, ...]:
    """Who asked which part of an item that prints State lists inside its text: each stretch
    with the States of the list that closes it, in print order. Japan 2008's 60.1 (A/HRC/8/44):
    "... the Optional Protocol to the Convention against Torture (United Kingdom, Albania,
    Mexico, Brazil) the Optional Protocol to the Convention on the Elimination of Discrimination
    against Women (Portugal, Albania, Mexico, Brazil), ... Sign the Second Optional Protocol to
    the International Covenant on Civil and Political Rights (Portugal)".

    A closing stretch with no list of its own is the object the variants before it share, as
    the reports print them: "Consider ratifying (Philippines)/ acceding to (Egypt) the
    International Convention on ... Migrant Workers" (A/HRC/24/14 140.11), "Sign (Uganda) and
    ratify (Costa Rica, Netherlands, Sweden, Uganda) OP-CAT" (A/HRC/17/8 92.2): it gets the
    States of the ask it closes (the stretches since the last ";" that ends an ask,
    `_ask_ends`), and none, not attributed, when it opens an ask of its own. A clause after
    such a shared object, before the object's own list, is that list's States' alone
    (`OWN_CLAUSE`): "Rapidly accede to (France) / Consider ratifying (Argentina) the ...
    Convention ...; and accept the competence of the Committee ... (Argentina)" (A/HRC/12/2
    75.3). An item whose lists all name the same States has no parts, like an item with one
    list.
    """
    body, trailing, _ = _cut_trailing_lists(text, states)
    groups = [
        (start, end, resolved[0])
        for start, end, inner in parentheticals(body)
        if (resolved := _resolve_list(inner, states, strict=True))
    ]
    if not groups:
        return ()
    ends = _ask_ends(text.strip())
    parts: list[tuple[int, str, list[str]]] = []  # (which ask, stretch, States)
    variants: set[int] = set()  # the parts printed after a "/": "Ratify (Mexico) / Consider ..."
    waiting: list[str] = []  # a list with no stretch before it: "(Argentina) ..." opening
    start = 0
    closing = [(group_start, group_end, names) for group_start, group_end, names in groups]
    if trailing:
        closing.append((len(body), len(body), [n for _, group in trailing for n in group]))
    for group_start, group_end, names in closing:
        stretch = body[start:group_start].strip(_AROUND_PART)
        if _WORD.search(stretch):
            ask = bisect_right(ends, group_start)
            after_verb = bool(parts) and parts[-1][0] == ask and _bare_verb(parts[-1][1])
            if body[start:group_start].lstrip(" ,;").startswith("/"):
                variants.add(len(parts))
            for piece in _object_and_clause(stretch) if after_verb else (stretch,):
                parts.append((ask, piece, [*waiting, *names]))
            waiting = []
        elif parts:
            parts[-1][2].extend(names)
        else:
            waiting.extend(names)
        start = group_end
    for at in range(len(parts) - 1, 0, -1):
        if parts[at][0] == parts[at - 1][0] and QUALIFIER.match(parts[at][1]):
            parts[at - 1][2].extend(parts[at][2])
    for at in range(1, len(parts)):  # "Accelerate the reform (Nicaragua) to establish a NHRI"
        if parts[at][0] == parts[at - 1][0] and CONTINUATION.match(parts[at][1]):
            parts[at][2].extend(parts[at - 1][2])
    tail = body[start:].strip(_AROUND_PART)
    if _WORD.search(tail):  # not the ")" of "(France) ;)" (A/HRC/13/16 71.2)
        ask = bisect_right(ends, start)
        parts.append((ask, tail, [n for which, _, names in parts if which == ask for n in names]))
    parts = _last_object_shared(parts, variants)
    leads = _referred_back(parts, _shared_verbs(parts))
    leads = [_completed(parts, at, lead) for at, lead in enumerate(leads)]
    found = tuple(
        AskPart(stretch, tuple(dict.fromkeys(names)), lead)
        for (_, stretch, names), lead in zip(parts, leads, strict=True)
    )
    if len({frozenset(part.recommending_states) for part in found}) < 2:
        return ()
    return found


def _last_object_shared(
    parts: list[tuple[int, str, list[str]]], variants: set[int]
) -> list[tuple[int, str, list[str]]]:
    """Cut the last stretch of an ask, a variant after a verb alone, into its own verb and its
    object, which the verbs before share (`_shared_verbs`): "Ratify (Mexico) / Consider
    ratifying and implementing the Indigenous and Tribal Peoples Convention No. 169 (Norway)"
    (A/HRC/12/8 81.6) asks Mexico to ratify the Convention, printed once, in Norway's stretch.
    Only a variant, printed after a "/", after a verb (not "as soon as possible (Estonia)/",
    `QUALIFIER`), cut before its object (not "ratify Convention No. 169 of | the International
    Labour Organization") and at its ask's end: "Consider establishing (South Africa)/Establish
    (France)/Continue its endeavour to create (Thailand) an independent national human rights
    institution" (A/HRC/12/13 91.10) shares the stretch after its lists."""
    cut: list[tuple[int, str, list[str]]] = []
    for at, (ask, stretch, names) in enumerate(parts):
        found = OBJECT.search(stretch)
        verb = stretch[: found.start()].strip(_AROUND_PART) if found else ""
        before = parts[at - 1][1] if at and parts[at - 1][0] == ask else ""
        if (
            found is None
            or at not in variants
            or not _bare_verb(before)
            or QUALIFIER.match(before)
            or (at + 1 < len(parts) and parts[at + 1][0] == ask)
            or not _bare_verb(verb)
            or any(word[0].isupper() for word in verb.split()[1:])
        ):
            cut.append((ask, stretch, names))
            continue
        cut.extend([(ask, verb, names), (ask, stretch[found.start() :], list(names))])
    return cut


def _object_and_clause(stretch: str) -> tuple[str, ...]:
    """A shared object after variant verbs, cut from the clause its own list asked alone
    (`OWN_CLAUSE`): ("the International Convention ... Enforced Disappearance", "and accept the
    competence of the Committee on Enforced Disappearances"); the stretch whole when it has no
    such clause."""
    clause = OWN_CLAUSE.search(stretch) if OBJECT.match(stretch) else None
    if clause is None or not clause.start():
        return (stretch,)
    return stretch[: clause.start()].strip(_AROUND_PART), stretch[clause.end() :].strip()


def _shared_verbs(parts: list[tuple[int, str, list[str]]]) -> list[str]:
    """Give an object the States of the variant verbs it completes, and return each part's
    lead, the verb it shares with its ask's first part.

    "Ratify (Mexico, Austria) / Consider ratifying (Djibouti) / Sign and ratify (Belgium) the
    Optional Protocol ...; and implement it nationally (Belgium)" (A/HRC/12/2 74.4): the
    Protocol is what all four asked, the clause after it Belgium's alone (`_object_and_clause`).
    "Consider ratifying/Ratify the First Optional Protocol ... (Albania), the Optional Protocol
    to the Convention against Torture (United Kingdom, ...)" (A/HRC/8/44 60.1): the United
    Kingdom asked to ratify OP-CAT, not the first Protocol."""
    leads = [""] * len(parts)
    for at, (ask, stretch, names) in enumerate(parts):
        if not at or parts[at - 1][0] != ask or not OBJECT.match(stretch):
            continue
        verbs = at
        while verbs and parts[verbs - 1][0] == ask and _bare_verb(parts[verbs - 1][1]):
            verbs -= 1
        if verbs < at:
            names.extend(name for _, _, before in parts[verbs:at] for name in before)
            continue
        first = next(text for which, text, _ in parts if which == ask)
        named = NAMED_OBJECT.search(first)  # "To consider the possibility of acceding to the ..."
        lead = first[: named.start()].strip() if named else ""
        if not 0 < len(lead.split()) <= _HEAD_WORDS:
            lead = OBJECT.split(first, maxsplit=1)[0].strip()
            lead = lead if lead != first and _bare_verb(lead) else ""
        leads[at] = lead
    return leads


def _referred_back(parts: list[tuple[int, str, list[str]]], leads: list[str]) -> list[str]:
    """Each part's lead with what it refers to. A part that points back into its ask
    ("ratify the Optional Protocol thereto", "establish a national preventive mechanism
    accordingly") or qualifies it ("and through the legislative process") is searched with the
    stretches of its ask before it: the Netherlands asked for the Protocol to the Convention
    against Torture (A/HRC/10/80 98.3). A part that goes on with the sentence before it ("and of
    the media", `FRAGMENT`), or takes its object from it ("accept it", `OBJECT_PRONOUN`), is
    searched with the stretch just before it in its ask and that stretch's lead. Not across the
    end of an ask: there "it" and "them" stood for another ask's words far more often than for
    what the State asked (bench/bench_parts.py, 2008-2010: 374 words not asked against 13)."""
    found = list(leads)
    for at, (ask, stretch, _) in enumerate(parts):
        plain = stretch.removeprefix("and ")  # "and through the legislative process (Pakistan)"
        if BACK_REFERENCE.search(stretch) or QUALIFIER.match(plain):
            before = [text for which, text, _ in parts[:at] if which == ask]
            found[at] = " ".join([*before, found[at]]).strip()
        elif (
            at
            and parts[at - 1][0] == ask
            and (OBJECT_PRONOUN.search(stretch) or FRAGMENT.match(stretch))
        ):
            found[at] = " ".join([found[at - 1], parts[at - 1][1], found[at]]).strip()
    return found


def _completed(parts: list[tuple[int, str, list[str]]], at: int, lead: str) -> str:
    """A verb alone is searched with what completes it, the stretches of its ask after it up
    to the first that is more than a verb: "Ratify (Brazil, Mexico, United Kingdom)/ Accede
    to the Optional Protocol to CAT (Liechtenstein)" (A/HRC/11/19 85.4), "Establish promptly
    (Peru; Germany) its planned (Canada) national human rights institution" (A/HRC/12/12
    78.8). A frame whose object is the stretch after it (`COMPLEMENT`) is searched with that
    stretch: "Consider the possibility (Ecuador) of abolishing the death penalty (Brazil,
    Norway)" (A/HRC/18/15 79.4)."""
    ask, stretch, _ = parts[at]
    after_it = parts[at + 1] if at + 1 < len(parts) else None
    if after_it and after_it[0] == ask and COMPLEMENT.match(after_it[1]):
        return f"{lead} {after_it[1]}".strip()  # "Consider the possibility (Ecuador) of ..."
    if not _bare_verb(stretch) or OBJECT_PRONOUN.search(stretch):  # "reform it": done
        return lead
    after: list[str] = []
    for which, text, _ in parts[at + 1 :]:
        if which != ask:
            break
        after.append(text)
        if not _bare_verb(text):
            break
    return " ".join([lead, *after]).strip()


def _bare_verb(stretch: str) -> bool:
    """A stretch that is a verb alone, its object printed later: "Consider ratifying", "accede
    to", "Sign and ratify", "become party to"."""
    words = stretch.split()
    return 0 < len(words) <= _VERB_WORDS and not OBJECT.search(stretch)


# "the Optional Protocol ...", "its ratification", "OP-CAT": a stretch that opens with its object
# (a treaty's initials: "Consider ratifying or acceding to: OP-ICCPR 2 (Chile, ...); OP-CAT
# (Czech Republic, ...); ICRMW (Azerbaijan, ...)", A/HRC/11/18 94.1).
_INITIALS = r"(?=[A-Z][A-Z0-9-]*[A-Z]\b)"
OBJECT = re.compile(rf"\b(?:the|a|an|its|their|all|other|both)\b\s*|\b{_INITIALS}")
_VERB_WORDS = 6
_HEAD_WORDS = 16

# The object an ask names, a capitalised instrument or body: "To consider the possibility of
# acceding to the International Convention on ... Migrant Workers" (A/HRC/10/70 52.2).
NAMED_OBJECT = re.compile(rf"\b(?:the|a|an)\s+(?=[A-Z])|(?<=\s){_INITIALS}")

# Words that point back to another stretch of the ask: "ratify the Optional Protocol thereto
# (Netherlands, ...)" (A/HRC/10/80 98.3), "and to establish a national preventive mechanism
# accordingly (Czech Republic, Denmark)" (A/HRC/10/69 92.1), "combat impunity in this regard
# (France, Japan)" (A/HRC/11/27 93.28), "accept the competence of the relevant Committee
# (Argentina)" (A/HRC/12/10 96.2).
BACK_REFERENCE = re.compile(
    r"\b(?:there(?:to|of|in|under)|accordingly|in\s+(?:this|that|these)\s+(?:regard|respect)"
    r"|to\s+(?:this|that)\s+end|the\s+relevant|such|these|those|the\s+same"
    r"|the\s+(?:Convention|Covenant|Protocol|Committee|Principles|instrument)\b"
    r"(?!\s+(?:on|against|for|to|of)\b))"
)

# "it" or "them" as an object, standing for what the stretch before names: "Ratify the Rome
# Statute of the International Criminal Court (France, Brazil, Spain), accept it (Argentina)"
# (A/HRC/12/10 96.1),
# "ensuring an independent and well functioning judicial system (Sweden), reform it (Nigeria)"
# (A/HRC/10/71 80.20). Not the subject of a verb: "to enable it to achieve its objectives",
# "so that it can discharge its mandate".
OBJECT_PRONOUN = re.compile(
    r"(?<!that )(?<!whether )(?<!so )(?<!where )(?<!if )(?<!when )(?<!as )\b(?:it|them)\b"
    r"(?!\s+(?:to|is|are|has|have|was|were|can|could|will|would|may|might|should|shall|must"
    r"|does|do|be|becomes?)\b)"
)

# A stretch that goes on with the sentence before it, opening with a preposition or a relative
# rather than a verb: "To adopt necessary measures to secure full respect for freedom of
# expression (Sweden, Ireland) and of the media (Canada)" (A/HRC/10/78 57.19), "Continue efforts
# in favour of women in rural areas (Algeria) and on gender issues" (A/HRC/10/69 92.9), "Ratify
# the International Covenant on Economic, Social and Cultural Rights (ICESR) (Mexico) which has
# been signed but not ratified" (A/HRC/12/4 67.2), "... detention and prison facilities
# (Hungary) to all detention facilities" (A/HRC/10/83 106.5).
FRAGMENT = re.compile(
    r"(?:(?:and|or)\s+)?(?:of|on|for|amongst|among|against|from|by|as|which|who|whose|where"
    r"|when|to\s+(?:the|all|a|an)\b)\b"
)

# A stretch that is the object of the frame before it, an "of" right after that frame's list
# (not "and of", which goes on with the sentence): "Consider the possibility (Ecuador) of
# abolishing the death penalty (Brazil, Norway)" (A/HRC/18/15 79.4).
COMPLEMENT = re.compile(r"of\s")

# A stretch that completes the one before it in the same ask: "Accelerate the reform
# (Nicaragua) to establish a NHRI in accordance with the Paris Principles" (A/HRC/12/10 96.10).
CONTINUATION = re.compile(r"(?:to|in\s+order\s+to)\s+[a-z]")

# A stretch that qualifies the one before it, whose States asked that one too: "Ratify the
# International Convention for the Protection of All Persons from Enforced Disappearance
# (Azerbaijan, Argentina, Uruguay) as soon as possible (Greece)" (A/HRC/15/9 93.2), "Establish
# an independent national human rights commission (South Africa, Malaysia) in compliance with
# the Paris Principles (Portugal, ...) with a strong mandate (Portugal)" (A/HRC/10/71 80.4).
# Not "as well as to recognize ..." (Japan 2008), another ask.
QUALIFIER = re.compile(
    r"(?:as\s+(?:soon|early|quickly|a\s+matter|appropriate|recommended|possible)"
    r"|in\s+(?:the\s+near|compliance|conformity|accordance|line|particular|order|a\s+timely"
    r"|due|keeping|full)"
    r"|with(?:in|out)?|at\s+(?:an?|the)|through|including|particularly|especially|notably"
    r"|promptly|positively|so\s+as|so\s+that|before|prior\s+to|during)\b"
)

# Where the object variant verbs share ends and a clause that only the States of the list
# closing it asked begins, a ";" or ", and" before a verb: "Rapidly accede to (France) /
# Consider ratifying (Argentina) the International Convention for the Protection of All Persons
# from Enforced Disappearance; and accept the competence of the Committee on Enforced
# Disappearances (Argentina)" (A/HRC/12/2 75.3), "Consider ratifying (Democratic Republic of the
# Congo)/ ratify (Spain) the Convention on the Rights of Persons with Disabilities (CRPD), and
# sign and ratify the Optional Protocol to CPRD (Spain)" (A/HRC/13/17 98.1); or its purpose:
# "Sign and ratify (Egypt)/consider ratifying (Algeria, Nigeria, Philippines)/ratify (Argentina)
# the International Convention on ... Migrant Workers ... as a way of allowing immigrants to
# enjoy all of the rights ... (Algeria)" (A/HRC/13/10 104.1). UPR Info's rows give the clause to
# Argentina, Spain and Algeria alone. Not ", and the Optional Protocol", another object.
OWN_CLAUSE = re.compile(
    r";\s*|,\s+(?=and\s+(?!(?:the|a|an|its|their|all|other|both)\b)[a-z])"
    r"|\s+(?=(?:as\s+a\s+(?:way|means)\s+of|in\s+order\s+to|with\s+a\s+view\s+to)\b)"
)

_WORD = re.compile(r"\w")

# What is left around a part's stretch: "(Albania), the Optional Protocol ...", "/ acceding to".
_AROUND_PART = " ;,.:/"


def _mark_after_list(body: str, states: StateTable) -> re.Match[str] | None:
    """The mark printed after the item's State list (`_MARKER_AFTER_LIST`): "(Chad)3" (Lesotho
    2010 97.3), "(Venezuela (Bolivarian Republic of)) 4;" (Sri Lanka 2012 127.24), "(Brazil);*";
    None when the parenthesis before it is no State list ("Ratify ILO Convention (No. 189) 2")."""
    marker = _MARKER_AFTER_LIST.search(body)
    if marker is None:
        return None
    group = _last_parenthetical(body[: marker.start() + 1])
    return marker if group is not None and _resolve_list(group[1], states) is not None else None


def marker_after_list(text: str, states: StateTable) -> str | None:
    """The footnote number printed as text after an ask's State list: at body size on the
    baseline, "(Chad)3;" (Lesotho 2010, A/HRC/15/7 97.3), where the loader sees no superscript
    (`pipeline.loader`), or on a line of its own, "(New Zealand);" then "6" (Botswana 2013)."""
    marker = _mark_after_list(text.strip(), states)
    return marker["number"] if marker else None


def _cut_trailing_lists(
    text: str, states: StateTable
) -> tuple[str, list[tuple[int, list[str]]], list[str]]:
    """(the text without its closing State lists, those lists as (start, States), the unknown
    names they hold)."""
    body = text.strip()
    if marker := _mark_after_list(body, states):
        body = body[: marker.start() + 1]
    trailing: list[tuple[int, list[str]]] = []
    unknown: list[str] = []
    while True:
        body = body.rstrip(" ;.,:")
        group = (
            _last_parenthetical(body)
            or (None if trailing else _unopened_state(body, states))
            or _unclosed_list(body)
        )
        if group is None:
            break
        start, inner = group
        resolved = _resolve_list(inner, states)
        if resolved is None:
            break
        trailing.insert(0, (start, resolved[0]))
        unknown.extend(resolved[1])
        body = body[:start].rstrip()
    return body, trailing, unknown


def _ask_ends(printed: str) -> list[int]:
    """Where one ask of a cycle-1 item ends and the next begins (`PART_END`, `NEXT_ASK`)."""
    return sorted(
        [match.start() for match in PART_END.finditer(printed)]
        + [
            match.start()
            for match in NEXT_ASK.finditer(printed)
            if INFINITIVE_ASK.match(printed[: match.start()].rsplit(";", 1)[-1])
        ]
    )


def _lettered_parts(text: str) -> int:
    """How many lettered asks "(a) ...; (b) ..." the item lists from its start, or 0.

    A list after a lead ("Implement fully the following recommendations of the Committee on
    the Rights of the Child: (a) ensure ...; (b) ...") is one ask.
    """
    if not text.startswith("(a)"):
        return 0
    letters = LETTERED_PART.findall(text)
    count = 0
    for letter in letters:
        if ord(letter) - ord("a") == count:
            count += 1
    return count


def _last_parenthetical(text: str) -> tuple[int, str] | None:
    """(start, inside) of the balanced "( ... )" that ends the text."""
    if not text.endswith(")"):
        return None
    depth = 0
    for index in range(len(text) - 1, -1, -1):
        if text[index] == ")":
            depth += 1
        elif text[index] == "(":
            depth -= 1
            if depth == 0:
                return index, text[index + 1 : -1]
    return None


def _unclosed_list(text: str) -> tuple[int, str] | None:
    """(start, inside) of a last "(" whose ")" was not printed: "CED (Paraguay (Argentina);"."""
    unclosed = UNCLOSED_LIST.search(text)
    return (unclosed.start(), unclosed.group(1)) if unclosed else None


def _unopened_state(text: str, states: StateTable) -> tuple[int, str] | None:
    """(start, name) of a State closing the text whose "(" was not printed: "law Austria)"."""
    if not text.endswith(")"):
        return None
    words = text[:-1].split(" ")
    for count in range(min(len(words) - 1, MAX_STATE_WORDS), 0, -1):
        name = " ".join(words[-count:])
        if "(" not in name and states.resolve(name):
            return len(text) - 1 - len(name), name
    return None


def _resolve_list(
    inner: str, states: StateTable, strict: bool = False
) -> tuple[list[str], list[str]] | None:
    """Resolve a parenthesised State list, or None when it is not one ("(CEDAW)", "(2010)").

    Unknown names are kept as printed when the rest of the list are States (strict=False).
    """
    names: list[str] = []
    unknown: list[str] = []
    for part in state_list_names(inner, states):
        state = states.resolve(part) or states.resolve(STRAY_NUMBER.sub("", part))
        pair = None if state else _two_states(part, states)
        if state:
            names.append(state.name)
        elif pair:
            names.extend(pair)
        elif _looks_like_name(part):
            names.append(part)
            unknown.append(part)
        else:
            return None
    if not names or len(unknown) == len(names) or (strict and unknown):
        return None
    return names, unknown


def _two_states(part: str, states: StateTable) -> list[str] | None:
    """Two States whose separating comma was not printed: "(Argentina Chile, Guatemala)"."""
    words = part.split()
    for cut in range(1, len(words)):
        first, second = states.resolve(" ".join(words[:cut])), states.resolve(" ".join(words[cut:]))
        if first and second:
            return [first.name, second.name]
    return None


def _looks_like_name(part: str) -> bool:
    words = part.split()
    return (
        bool(words)
        and len(words) <= MAX_STATE_WORDS
        and part[:1].isupper()
        and not any(char.isdigit() for char in part)
    )

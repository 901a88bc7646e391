"""Recommending States as printed: the State lists closing an ask ("(Ghana, Philippines)",
"(Italy and Germany)", "(France) (Lithuania)") and the State that opens a paragraph."""

from __future__ import annotations

import re
from bisect import bisect_right
from itertools import groupby

from uprdex.pipeline.states import StateTable, parentheticals, state_list_names

__all__ = [
    "ASTERISK_AFTER_LIST",
    "MAX_STATE_WORDS",
    "leading_state",
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
    rf"\)\s*(?:[;.]?\s*\d{{1,2}}\s*[;.]?|{_ASTERISK}|[;,]\s*(?:and|or))\s*$"
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
    body = text.strip()
    # A mark after the State list (`_MARKER_AFTER_LIST`): "(Chad)3" (Lesotho 2010 97.3),
    # "(Venezuela (Bolivarian Republic of)) 4;" (Sri Lanka 2012 127.24), "(Brazil);*".
    marker = _MARKER_AFTER_LIST.search(body)
    if marker:
        group = _last_parenthetical(body[: marker.start() + 1])
        if group is not None and _resolve_list(group[1], states) is not None:
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
    groups = [
        (start, resolved[0])
        for start, _, inner in parentheticals(body)
        if (resolved := _resolve_list(inner, states, strict=True))
    ]
    printed = text.strip()
    breaks = sorted(
        [match.start() for match in PART_END.finditer(printed)]
        + [
            match.start()
            for match in NEXT_ASK.finditer(printed)
            if INFINITIVE_ASK.match(printed[: match.start()].rsplit(";", 1)[-1])
        ]
    )
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

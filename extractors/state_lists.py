"""Lists of recommending States as printed: "(Ghana, Philippines)", "(Italy and Germany)"."""

from __future__ import annotations

import re

__all__ = ["split_state_list"]


def split_state_list(inner: str) -> list[str]:
    """Split the inside of "(Ghana, Philippines)" at top-level commas, "and" and "/".

    Nested parentheses stay whole: "Venezuela (Bolivarian Republic of), Peru" gives two names.
    """
    parts: list[str] = []
    depth = 0
    current: list[str] = []
    for char in inner:
        if char == "(":
            depth += 1
        elif char == ")":
            depth -= 1
        if depth == 0 and char in ",;/":
            parts.append("".join(current))
            current = []
            continue
        current.append(char)
    parts.append("".join(current))
    names: list[str] = []
    for part in parts:
        names.extend(_AND.split(part))
    return [name.strip() for name in names if name.strip()]


# "(Italy and Germany)"; never inside "Bosnia and Herzegovina" (the caller checks each piece
# resolves, and tries the whole first).
_AND = re.compile(r"\s+and\s+(?![^()]*\))")

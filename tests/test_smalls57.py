"""smalls57: mends earlier reviews left. An id whose paragraph is typed with zeros before its
numbers ("115.022")."""

from __future__ import annotations

from pathlib import Path

import pytest

from helpers import cli

# An id whose paragraph is typed with zeros before its numbers, as a list padded to sort shows
# it, named no ask and `show` suggested none: "no recommendation 115.022 in A/HRC/28/15 in the
# index".
PADDED = {
    "A/HRC/28/15#115.022": "A/HRC/28/15#115.22",
    "A/HRC/28/15#0115.22": "A/HRC/28/15#115.22",
    "A/HRC/28/15#115.010": "A/HRC/28/15#115.10",
    "a/hrc/28/15:115.08": "A/HRC/28/15#115.8",
}


@pytest.mark.parametrize("typed", sorted(PADDED))
def test_an_id_typed_with_leading_zeros_suggests_the_ask(index: Path, typed: str) -> None:
    result = cli("show", typed, "--index", index)
    assert result.exit_code == 2
    assert f"did you mean {PADDED[typed]}?" in result.output, result.output

"""`uprdex ingest` on a terminal: its result lines are not glued to the progress bar (review27
finding 5). The bar is drawn on stderr; a result printed on stdout while it was shown began on
the bar's line ("ingesting ━━━ 1/3indexed .../andorra2011.pdf ...") in the scrollback."""

from __future__ import annotations

import os
import pty
import re
import shutil
import subprocess
import sys
from pathlib import Path

from helpers import fixture

UPRDEX = Path(sys.executable).parent / "uprdex"
FILES = ("andorra2011_recs.pdf", "armenia2010_notes.pdf", "bhutan2014_recs.pdf")
ERASE = re.compile(r".*(\r|\x1b\[2K)")  # what a line shows after the terminal's last rub-out


def _on_a_terminal(args: list[str]) -> str:
    """What a terminal shows of the command, stdout and stderr both on it, line by line."""
    leader, follower = pty.openpty()
    env = {**os.environ, "COLUMNS": "100", "TERM": "xterm"}
    with subprocess.Popen(args, stdout=follower, stderr=follower, env=env) as process:
        os.close(follower)
        shown = b""
        while True:
            try:
                chunk = os.read(leader, 65536)
            except OSError:  # the command ended: the terminal is closed
                break
            if not chunk:
                break
            shown += chunk
        process.wait(timeout=120)
    os.close(leader)
    return shown.decode("utf-8", "replace")


def test_ingest_result_lines_start_on_a_line_of_their_own(tmp_path: Path) -> None:
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    for name in FILES:
        shutil.copy(fixture(name), inbox / name)
    shown = _on_a_terminal([str(UPRDEX), "ingest", str(inbox), "--index", str(tmp_path / "i.db")])
    results = [line for line in shown.split("\n") if "indexed" in line and ".pdf" in line]
    assert len(results) == len(FILES), shown
    for line in results:
        visible = ERASE.sub("", line.rstrip("\r"))
        assert "ingesting" not in visible, repr(line)

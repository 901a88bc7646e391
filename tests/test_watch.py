"""`uprdex watch` runs once after a burst of files, not once per file."""

from __future__ import annotations

from uprdex.flows.watch import Debouncer


def test_a_burst_of_events_gives_one_run_after_the_quiet_period() -> None:
    now = [0.0]
    debouncer = Debouncer(10.0, clock=lambda: now[0])
    assert not debouncer.due()
    for second in range(5):  # five files land, one a second
        now[0] = float(second)
        debouncer.poke()
        assert not debouncer.due()
    now[0] = 13.9
    assert not debouncer.due()
    now[0] = 14.0
    assert debouncer.due()
    assert not debouncer.due()  # one run per burst

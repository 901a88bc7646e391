"""A run's process of `uprdex serve` that noted a service manager's stop (its SIGTERM, in
Prefect's handler) ends at once, quietly, on serve's Ctrl-C (`_served_runs.stop_runs`): it
ignored it, and serve's kill RUN_WAIT seconds later ended it, so every stop of serve mid-run
took those 5 s (stopblock)."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path


def test_a_served_run_that_noted_the_stop_ends_at_once_on_serves_ctrl_c(tmp_path: Path) -> None:
    code = textwrap.dedent(
        """
        import multiprocessing, os, signal, time

        def run(ready):
            import uprdex.flows  # the spawned run's process imports it first (its __mp_main__)
            from prefect.exceptions import TerminationSignal
            from prefect.utilities import engine
            from uprdex.flows.interrupts import the_run_begins

            the_run_begins()  # nightly's first lines
            signal.signal(signal.SIGTERM, engine._prefect_sigterm_handler)  # as the run begins
            try:
                os.kill(os.getpid(), signal.SIGTERM)  # the service manager's stop
                time.sleep(5)
            except TerminationSignal:  # the run's crash handling, calling a server gone
                ready.set()
                time.sleep(30)

        if __name__ == "__main__":
            # Ctrl-C as a terminal gives it, whatever this test's runner inherited
            signal.signal(signal.SIGINT, signal.default_int_handler)
            os.environ["UPRDEX_SERVED_BY"] = str(os.getpid())  # serve's `serving()`
            context = multiprocessing.get_context("spawn")
            ready = context.Event()
            process = context.Process(target=run, args=(ready,))
            process.start()
            assert ready.wait(60)
            sent = time.monotonic()
            os.kill(process.pid, signal.SIGINT)  # serve's stop of its run
            process.join(3)
            took = time.monotonic() - sent
            print(process.exitcode, "at once" if took < 2 else f"after {took:.1f} s")
            if process.is_alive():
                process.kill()
        """
    )
    script = tmp_path / "served.py"  # a file: spawn's child imports its `run` from it
    script.write_text(code)
    done = subprocess.run(
        [sys.executable, str(script)], capture_output=True, text=True, timeout=120, check=False
    )
    assert done.stdout.strip() == "130 at once", (done.stdout, done.stderr)
    assert "Traceback" not in done.stderr, done.stderr

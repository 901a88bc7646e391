"""review10: flows/interrupts.py's handler where it must not change what Ctrl-C does."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path


def _served_run_with_sigint_ignored(tmp_path: Path) -> str:
    """What a run's process of `uprdex serve` does with Ctrl-C, mid-run, when serve was started
    with SIGINT ignored (a script's `uprdex serve &`: the shell ignores SIGINT for a background
    job, and serve and its runs with it)."""
    code = textwrap.dedent(
        """
        import multiprocessing, os, signal, time

        def run(queue):
            import uprdex.flows  # the spawned run's process imports it first (its __mp_main__)
            from uprdex.flows.interrupts import the_run_begins

            the_run_begins()  # nightly's first lines
            try:
                os.kill(os.getpid(), signal.SIGINT)  # Ctrl-C at the terminal, mid-run
                time.sleep(0.5)
                queue.put("ignored")
            except KeyboardInterrupt:
                queue.put("interrupted")

        if __name__ == "__main__":
            signal.signal(signal.SIGINT, signal.SIG_IGN)
            os.environ["UPRDEX_SERVED_BY"] = str(os.getpid())  # serve's `serving()`
            context = multiprocessing.get_context("spawn")
            queue = context.Queue()
            process = context.Process(target=run, args=(queue,))
            process.start()
            print(queue.get(timeout=60))
            process.join()
        """
    )
    script = tmp_path / "served.py"  # a file: spawn's child imports its `run` from it
    script.write_text(code)
    done = subprocess.run(
        [sys.executable, str(script)], capture_output=True, text=True, timeout=120, check=False
    )
    return done.stdout.strip() or done.stderr


def test_a_served_run_keeps_ignoring_the_ctrl_c_its_serve_ignores(tmp_path: Path) -> None:
    # A run's process inherits serve's SIGINT ignored: a Ctrl-C serve ignores (it keeps serving)
    # must not end or interrupt the run, whose terminal would say nothing of it
    # (`EndedBeforeItsRun`, `Interrupted`). left9's handler replaced SIG_IGN (review10).
    assert _served_run_with_sigint_ignored(tmp_path) == "ignored"


def test_a_process_that_noted_the_stop_ignores_the_ctrl_c_that_follows(tmp_path: Path) -> None:
    # 6bff00f's clean-clone CI run: a service manager's SIGTERM reached serve's run's process
    # (noted in Prefect's handler there, `quiet_until_the_run`), then serve's own stop sent it
    # SIGINT (`_served_runs.stop_runs`), which landed as a KeyboardInterrupt traceback in
    # Prefect's drain at exit. Once the stop is noted, Ctrl-C and SIGTERM are ignored here (as
    # in `uprdex run` and `watch`); a served run's process ends at once on serve's Ctrl-C
    # instead (tests/test_served_run_ends_at_once.py).
    code = textwrap.dedent(
        """
        import os, signal, time

        from prefect.exceptions import TerminationSignal
        from prefect.utilities import engine

        from uprdex.flows.interrupts import noting_the_stop

        # Ctrl-C as a terminal gives it, whatever this test's runner inherited (a background
        # job starts with SIGINT ignored, which let this test pass on the old code)
        signal.signal(signal.SIGINT, signal.default_int_handler)
        signal.signal(signal.SIGTERM, noting_the_stop(engine._prefect_sigterm_handler))
        try:
            os.kill(os.getpid(), signal.SIGTERM)  # the service manager's stop
            time.sleep(5)
        except TerminationSignal:  # the run's crash handling, as Prefect's engine has it
            pass
        said = []
        for stop in (signal.SIGINT, signal.SIGTERM):  # serve's stop of its run; a second one
            try:
                os.kill(os.getpid(), stop)
                time.sleep(0.5)
                said.append("ignored")
            except BaseException as error:
                said.append(type(error).__name__)
        print(" ".join(said))
        """
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=120, check=False
    )
    assert done.stdout.strip() == "ignored ignored", done.stderr

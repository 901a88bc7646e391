"""The top layer: Prefect flows and tasks over the pipeline's stages, and the CLI beside them."""

from uprdex.flows.interrupts import quiet_until_the_run, stop_serve_early

# First, in a run's process `uprdex serve` spawned: before it imports Prefect (see interrupts).
quiet_until_the_run()
# First, in `uprdex serve` itself: a SIGTERM while it imports ends it in its line (interrupts).
stop_serve_early()

"""Per-document extraction on a Dask cluster, through `distributed`.

The flow stays where it was started: it scans the inbox, keeps Prefect's task runs, retries and
cache, and is the single writer of the index. Only the extraction of each document goes to a
Dask worker, as a plain function carrying the document's bytes (workers need no shared
filesystem, only the same uprdex), which runs it in the worker's own sandbox (pipeline/sandbox.py:
a Dask worker under its nanny is daemonic, so its documents run in spawned interpreters, with the
same time and memory budget). Each result names the worker that made it.

At the start of a run every worker is asked for its uprdex code version; a worker without
uprdex, or with other code, stops the run in one line before any document is sent.
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Iterator
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from uprdex.flows.extract import Extracted
from uprdex.flows.fingerprint import CODE_VERSION
from uprdex.flows.ingest import extract_isolated
from uprdex.pipeline.errors import UprdexError
from uprdex.pipeline.extras import require
from uprdex.pipeline.settings import LoaderSettings

__all__ = ["DaskRunner", "active", "connect", "extract_bytes", "worker_version"]

_QUIET = ("distributed", "tornado", "bokeh")


def worker_version() -> str:
    """This process's uprdex code version (asked of every worker at the start of a run)."""
    return CODE_VERSION


def extract_bytes(name: str, data: bytes, settings: LoaderSettings) -> Extracted:
    """On a worker: extract a document from the bytes the flow read (`name`, the flow's path,
    only names them: nothing is read from it here) within the per-document budget; the flow
    gives it its path's warnings (`extract.at_path`)."""
    from distributed import get_worker

    extracted = extract_isolated(Path(name), data, settings)
    return replace(extracted, worker=str(get_worker().name))


@dataclass
class DaskRunner:
    """A client of a Dask cluster (and the local cluster it started, if any)."""

    client: Any
    cluster: Any = None

    @property
    def threads(self) -> int:
        """Tasks the cluster runs at once."""
        return sum(self.client.nthreads().values()) or 1

    def extract(self, path: Path, data: bytes, settings: LoaderSettings) -> Extracted:
        """Send one document's bytes (read once by the flow, checked against the hash its
        reading is cached under) to a worker and wait for its extraction."""
        future = self.client.submit(extract_bytes, str(path), data, settings, pure=False)
        return future.result()  # type: ignore[no-any-return]

    def close(self) -> None:
        """Disconnect (and stop the local cluster)."""
        self.client.close()
        if self.cluster is not None:
            self.cluster.close()


_active: DaskRunner | None = None


def active() -> DaskRunner | None:
    """The Dask cluster this run extracts on, or None (local worker processes)."""
    return _active


@contextlib.contextmanager
def connect(address: str | None, workers: int, verbose: bool = False) -> Iterator[DaskRunner]:
    """Connect to the scheduler at `address`, or start a local cluster of `workers` processes
    (nannies on, as `dask worker` starts them), check the workers, and extract on it until the
    block ends."""
    global _active
    require("distributed", "dask", "Running on Dask (--dask-address, --dask-workers)")
    if not verbose:
        for name in _QUIET:
            logging.getLogger(name).setLevel(logging.ERROR)
    from distributed import Client, LocalCluster

    cluster = None
    try:
        if address:
            client = Client(address, timeout="10s")  # type: ignore[no-untyped-call]
        else:
            cluster = LocalCluster(  # type: ignore[no-untyped-call]
                n_workers=workers,
                threads_per_worker=1,
                processes=True,
                dashboard_address=None,
                silence_logs=logging.INFO if verbose else logging.ERROR,
            )
            client = Client(cluster)  # type: ignore[no-untyped-call]
    except OSError as error:
        raise UprdexError(
            f"no Dask scheduler answers at {address} ({error}): start one with `dask scheduler` "
            "and workers with `dask worker ADDRESS`, or check --dask-address"
        ) from error
    runner = DaskRunner(client, cluster)
    try:
        check_workers(client)
        _active = runner
        yield runner
    finally:
        _active = None
        runner.close()


def check_workers(client: Any, expected: str = CODE_VERSION, wait: float = 60) -> list[str]:
    """The workers' addresses, once at least one is there and each runs this code version;
    else an UprdexError in one line naming the worker and what to do."""
    try:
        client.wait_for_workers(1, timeout=wait)
    except TimeoutError as error:
        raise UprdexError(
            f"the Dask scheduler has no worker after {wait:g} s: start one with "
            "`dask worker ADDRESS`"
        ) from error
    try:
        versions = client.run(worker_version, on_error="return")
    except Exception as error:  # the scheduler went away meanwhile
        raise UprdexError(
            f"cannot ask the Dask workers for their uprdex version ({error})"
        ) from error
    for worker, found in sorted(versions.items()):
        if isinstance(found, BaseException):
            raise UprdexError(
                f"Dask worker {worker} cannot run uprdex ({type(found).__name__}: {found}): "
                "install the same uprdex, with its dask extra, on every worker"
            )
        if found != expected:
            raise UprdexError(
                f"Dask worker {worker} runs uprdex {found}, this machine {expected}: install "
                "the same uprdex on every worker and restart it"
            )
    return sorted(versions)

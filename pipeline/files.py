"""Files replaced at once: the new bytes written beside the old file, then renamed over it, so
that a full disk or a crash leaves the old file whole, never half of the new one (the exports a
nightly run rewrites and other tools read, the models `uprdex train-*` writes)."""

from __future__ import annotations

import errno
import os
import stat
import threading
from collections.abc import Callable
from contextlib import suppress
from pathlib import Path
from typing import BinaryIO

__all__ = ["remove_unfinished", "write_streamed", "write_whole"]


def write_whole(out: Path, data: bytes) -> None:
    """`data` at `out`, replacing the old file at once: a full disk (or a crash) leaves the
    old file, never half of the new one (a nightly run rewrites reports/*.csv that other tools
    read). The new file takes the old one's permissions and owner; a symbolic link's target is
    replaced, the link kept; what is not a file of its own (a device such as /dev/stdout, a
    pipe, a file with other hard links) is written where it is; a file made read-only stays
    refused. An OSError names `out`, not the temporary file beside it."""
    write_streamed(out, lambda handle: handle.write(data))


def write_streamed(out: Path, fill: Callable[[BinaryIO], object]) -> None:
    """What `fill` writes to a binary file, at `out`, replaced at once as `write_whole` does:
    for an output written as it is made (an export of the nightly run), whose whole bytes are
    never held."""
    out.parent.mkdir(parents=True, exist_ok=True)
    try:
        old = out.stat()  # of a symbolic link's target
    except FileNotFoundError:
        old = None
    try:
        if old is not None and not os.access(out, os.W_OK):
            raise PermissionError(errno.EACCES, os.strerror(errno.EACCES), str(out))
        if old is not None and (not stat.S_ISREG(old.st_mode) or old.st_nlink > 1):
            with out.open("wb") as handle:
                fill(handle)
            return
        _replace(out if old is None else out.resolve(), fill, old)
    except OSError as error:
        raise OSError(error.errno, error.strerror, str(out)) from error


_UNFINISHED: set[Path] = set()
"""The temporary files `_replace` is writing now, for `remove_unfinished`."""
_UNFINISHED_LOCK = threading.Lock()


def remove_unfinished() -> None:
    """Remove the temporary files being written now, beside the files they were to replace
    (which stay whole, as they were): for a process about to end at once (`os._exit`), where
    no write is unwound. A write started afterwards waits until the process ends."""
    _UNFINISHED_LOCK.acquire()  # held until the end: no new temporary file
    for temporary in _UNFINISHED:
        with suppress(OSError):
            temporary.unlink()


def _replace(target: Path, fill: Callable[[BinaryIO], object], old: os.stat_result | None) -> None:
    """What `fill` writes, written beside `target`, flushed to the disk, then renamed over it."""
    temporary = target.with_name(f".{target.name}.{os.getpid()}.tmp")
    with _UNFINISHED_LOCK:  # made and noted at once, for `remove_unfinished`
        handle = temporary.open("wb")
        _UNFINISHED.add(temporary)
    try:
        with handle:
            fill(handle)
            handle.flush()
            os.fsync(handle.fileno())
        if old is not None:
            os.chmod(temporary, stat.S_IMODE(old.st_mode))
            with suppress(PermissionError):  # only root gives a file to another owner
                os.chown(temporary, old.st_uid, old.st_gid)
        os.replace(temporary, target)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
    finally:
        with _UNFINISHED_LOCK:
            _UNFINISHED.discard(temporary)

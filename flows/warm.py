"""A warm uprdex: one long-running process with spaCy, the theme tagger and the models loaded,
to which `uprdex ingest`, `uprdex import` and `uprdex cluster` hand their work.

Cold, each of those commands spends about a second of CPU importing spaCy and compiling the
theme matchers before it reads a page: more than the work itself for one report. `uprdex warm`
pays that once. While it runs, those commands connect to it over a Unix socket and pass their
arguments, working folder, environment and their standard input, output and error (the file
descriptors themselves). It forks a copy of itself, which shares the loaded tables
copy-on-write, runs the command exactly as a cold process would, writing straight to the
caller's terminal, and sends back the exit status. Ctrl-C in the caller's terminal interrupts
the copy.

A command runs cold, as it always has, when no warm process is listening, when the warm process
runs other code (source files or models changed since it started: it says so in one line),
when UPRDEX_WARM=0, or on a system other than Linux.

The socket lives in a folder only this user can open ($XDG_RUNTIME_DIR/uprdex, else
/tmp/uprdex-<uid>), one per Python environment; UPRDEX_WARM_SOCKET names another.

Example:
    $ uprdex warm &              # once per session: loads spaCy and the models (~1.3 s)
    $ uprdex ingest report.pdf   # handed over: the index is written by the warm copy
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import json
import os
import select
import signal
import socket
import struct
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import TextIO

from uprdex.pipeline.errors import UprdexError
from uprdex.pipeline.resources import data_path

__all__ = ["HANDED_OVER", "SUPPORTED", "hand_over", "main", "serve", "socket_path"]

HANDED_OVER = frozenset({"ingest", "import", "cluster"})
"""The commands a warm process runs: those that load spaCy, the theme model or the clusters'
similarity model. The others start in about 0.1 s anyway."""

SUPPORTED = sys.platform.startswith("linux")
"""Linux only: it forks a process that has loaded numpy and spaCy, which macOS does not make
safe (uprdex reads documents there in fresh interpreters, for the same reason)."""

_HEADER = struct.Struct("!I")
_STANDARD_FDS = (0, 1, 2)
_PACKAGES = ("flows", "pipeline", "extractors")
_DATA_SUFFIXES = frozenset({".csv", ".yaml", ".txt"})


@dataclass(frozen=True, slots=True)
class _Request:
    """What a caller sends, besides its standard streams."""

    arguments: list[str]
    cwd: str
    environment: dict[str, str]
    fingerprint: str

    @classmethod
    def parse(cls, payload: bytes) -> _Request:
        raw = json.loads(payload)
        return cls(
            [str(argument) for argument in raw["arguments"]],
            str(raw["cwd"]),
            {str(name): str(value) for name, value in raw["environment"].items()},
            str(raw["fingerprint"]),
        )


def socket_path() -> Path:
    """Where this Python environment's warm process listens."""
    chosen = os.environ.get("UPRDEX_WARM_SOCKET")
    if chosen:
        return Path(chosen)
    runtime = os.environ.get("XDG_RUNTIME_DIR")
    folder = Path(runtime) / "uprdex" if runtime else Path(f"/tmp/uprdex-{os.getuid()}")
    environment = hashlib.sha1(sys.prefix.encode()).hexdigest()[:12]
    return folder / f"warm-{environment}.sock"


def code_fingerprint() -> str:
    """The code and shipped data a process runs: the interpreter, and each source file's and
    data file's path, size and time.

    A warm process started before an edit, an upgrade or a retrained model runs the old ones; a
    caller whose fingerprint differs runs cold. Reading it stats about 100 files: a millisecond.
    """
    root = Path(__file__).resolve().parent.parent
    data = data_path()
    files = [path for package in _PACKAGES for path in (root / package).rglob("*.py")]
    files += [path for path in data.glob("*.*") if path.suffix in _DATA_SUFFIXES]
    files += list(data_path("models").rglob("*.*"))
    digest = hashlib.sha1(f"{os.path.realpath(sys.executable)}\0{sys.prefix}".encode())
    for path in sorted(files):
        stat = path.stat()
        digest.update(f"{path}\0{stat.st_size}\0{stat.st_mtime_ns}\n".encode())
    return digest.hexdigest()


def hand_over(arguments: Sequence[str]) -> int | None:
    """Run `uprdex <arguments>` in the warm process: its exit status, or None to run cold."""
    if not _handed_over(arguments) or os.environ.get("UPRDEX_WARM", "1").strip() == "0":
        return None
    if not SUPPORTED:
        return None
    connection = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    try:
        connection.connect(str(socket_path()))
    except OSError:
        connection.close()
        return None
    with connection:
        try:
            fingerprint = code_fingerprint()
            request = _Request(list(arguments), os.getcwd(), dict(os.environ), fingerprint)
            payload = json.dumps(asdict(request)).encode()
            socket.send_fds(connection, [_HEADER.pack(len(payload))], list(_STANDARD_FDS))
            connection.sendall(payload)
            answers = connection.makefile("rb")
            answer = json.loads(answers.readline() or b"{}")
        except (OSError, ValueError):
            return None
        if answer.get("status") != "ok":
            if answer.get("status") == "stale":
                print(
                    f"note: the warm uprdex (pid {answer.get('pid')}) runs other code or models "
                    "than this install (started before an upgrade, an edit or a retraining); "
                    "running cold. Restart `uprdex warm` to use it again.",
                    file=sys.stderr,
                )
            return None
        return _wait_for_exit(connection, answers)


def _handed_over(arguments: Sequence[str]) -> bool:
    command = next((a for a in arguments if not a.startswith("-")), None)
    asks_help = any(a in ("-h", "--help", "--version") for a in arguments)
    return command in HANDED_OVER and not asks_help


def _wait_for_exit(connection: socket.socket, answers: io.BufferedReader) -> int:
    """The warm copy's exit status; Ctrl-C (or a SIGTERM) here is passed on to it."""

    def interrupt(signum: int, frame: object) -> None:
        del frame
        with contextlib.suppress(OSError):
            connection.sendall(bytes([signum]))

    for signum in (signal.SIGINT, signal.SIGTERM):
        signal.signal(signum, interrupt)
    try:
        line = answers.readline()
    except OSError:
        line = b""
    try:
        return int(json.loads(line)["exit"])
    except (ValueError, KeyError, TypeError):
        print(
            "error: the warm uprdex process ended this command without an exit status "
            "(killed?); check the index with `uprdex status`",
            file=sys.stderr,
        )
        return 1


def serve(preload: Callable[[], object], log: Callable[[str], object]) -> None:
    """Listen on `socket_path()` until interrupted, forking a copy to run each command.

    `preload` loads what the copies share; `log` gets one line per command.
    """
    if not SUPPORTED:
        raise UprdexError(f"uprdex warm runs on Linux only (this is {sys.platform})")
    path = socket_path()
    _private_folder(path.parent)
    listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    _take_over(path, listener)
    copies: dict[int, _Copy] = {}
    owner = os.getpid()
    # From the bind on, a Ctrl-C (during the preload, or just after the "listening" line)
    # removes the socket.
    try:
        started = time.monotonic()
        preload()
        fingerprint = code_fingerprint()
        log(f"warm in {time.monotonic() - started:.1f} s; listening on {path} (Ctrl-C to stop)")
        while True:
            _reap(copies, log)
            callers = {c.connection: pid for pid, c in copies.items() if c.connection.fileno() >= 0}
            # Every 0.1 s at most, finished copies are reaped and logged.
            ready, _, _ = select.select([listener, *callers], [], [], 0.1)
            for sock in ready:
                if sock is listener:
                    copy = _start(listener, fingerprint)
                    if copy is not None:
                        copies[copy.pid] = copy
                else:
                    _pass_signal(sock, callers[sock])
    finally:
        _reap(copies, log)
        if os.getpid() == owner:  # a copy never gets here; if it ever did, the socket stays
            listener.close()
            with contextlib.suppress(FileNotFoundError):
                path.unlink()


@dataclass(slots=True)
class _Copy:
    """A forked copy running one caller's command, and the caller's connection."""

    pid: int
    command: str
    connection: socket.socket
    began: float = field(default_factory=time.monotonic)


def _private_folder(folder: Path) -> None:
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    info = folder.stat()
    if info.st_uid != os.getuid() or info.st_mode & 0o077:
        raise UprdexError(
            f"{folder}: the warm socket's folder must belong to you and be private (mode 700)"
        )


def _take_over(path: Path, listener: socket.socket) -> None:
    """Bind the socket, replacing one left by a process that is gone; never a live one."""
    probe = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    with probe:
        try:
            probe.connect(str(path))
        except OSError:
            with contextlib.suppress(FileNotFoundError):
                path.unlink()
        else:
            raise UprdexError(f"a warm uprdex already listens on {path}")
    listener.bind(str(path))
    os.chmod(path, 0o600)
    listener.listen(16)


def _start(listener: socket.socket, fingerprint: str) -> _Copy | None:
    """Accept one caller and read its request; fork the copy that runs it."""
    connection, _ = listener.accept()
    try:
        header, fds, _, _ = socket.recv_fds(connection, _HEADER.size, len(_STANDARD_FDS))
        (size,) = _HEADER.unpack(header)
        payload = b""
        while len(payload) < size:
            chunk = connection.recv(size - len(payload))
            if not chunk:
                raise ValueError("request cut short")
            payload += chunk
        request = _Request.parse(payload)
    except (OSError, ValueError, KeyError, TypeError, AttributeError, struct.error):
        connection.close()
        return None
    try:
        if len(fds) != len(_STANDARD_FDS) or not _same_user(connection):
            _close(connection, b'{"status": "refused"}\n')
            return None
        if request.fingerprint != fingerprint:
            _close(connection, json.dumps({"status": "stale", "pid": os.getpid()}).encode())
            return None
        pid = os.fork()
        if pid == 0:  # the copy: never returns
            try:
                listener.close()
                _run_copy(connection, fds, request)
            finally:
                os._exit(1)
        return _Copy(pid, " ".join(["uprdex", *request.arguments]), connection)
    finally:
        for fd in fds:
            os.close(fd)


def _close(connection: socket.socket, answer: bytes) -> None:
    with contextlib.suppress(OSError):
        connection.sendall(answer.rstrip(b"\n") + b"\n")
    connection.close()


def _same_user(connection: socket.socket) -> bool:
    """The caller runs as this user (checked where the system tells; the folder is private)."""
    if not hasattr(socket, "SO_PEERCRED"):
        return True
    credentials = connection.getsockopt(socket.SOL_SOCKET, socket.SO_PEERCRED, 12)
    _, uid, _ = struct.unpack("3i", credentials)
    return bool(uid == os.getuid())


def _run_copy(connection: socket.socket, fds: list[int], request: _Request) -> None:
    """In the forked copy: become the caller's command, run it, send its exit status. The
    caller's Ctrl-C reaches it as a SIGINT from the warm process (`_pass_signal`)."""
    code = 1
    try:
        for fd, standard in zip(fds, _STANDARD_FDS, strict=True):
            os.dup2(fd, standard)
        os.chdir(request.cwd)
        os.environ.clear()
        os.environ.update(request.environment)
        signal.signal(signal.SIGINT, signal.default_int_handler)
        signal.signal(signal.SIGTERM, signal.SIG_DFL)
        sys.stdin = _stream(0, "r")
        sys.stdout = _stream(1, "w")
        sys.stderr = _stream(2, "w")
        connection.sendall(b'{"status": "ok"}\n')
        sys.argv = ["uprdex", *request.arguments]
        from uprdex.flows.cli import call_main

        code = call_main()
    finally:
        # Done: the caller, gone once it has the status, must not interrupt the way out.
        for signum in (signal.SIGINT, signal.SIGTERM):
            signal.signal(signum, signal.SIG_IGN)
        with contextlib.suppress(OSError):
            connection.sendall(json.dumps({"exit": code}).encode() + b"\n")
        os._exit(code)


def _stream(fd: int, mode: str) -> TextIO:
    """A standard stream on `fd` as Python opens one: line-buffered on a terminal."""
    # The stream lives as long as the process: sys.stdout and its kin are never closed.
    binary = (
        io.BufferedReader(io.FileIO(fd, "r", closefd=False))
        if mode == "r"
        else (io.BufferedWriter(io.FileIO(fd, "w", closefd=False)))
    )
    return io.TextIOWrapper(
        binary,
        encoding="utf-8",
        errors="backslashreplace" if fd == 2 else "strict",
        line_buffering=os.isatty(fd),
    )


def _pass_signal(connection: socket.socket, pid: int) -> None:
    """The caller's Ctrl-C or SIGTERM (a byte naming it) to its copy; a caller gone before its
    copy ended (closed terminal, killed) interrupts it too."""
    try:
        data = connection.recv(1)
    except OSError:
        data = b""
    with contextlib.suppress(ProcessLookupError):
        os.kill(pid, signal.SIGTERM if data and data[0] == signal.SIGTERM else signal.SIGINT)
    if not data:
        connection.close()  # no longer watched; its copy is reaped as usual


def _reap(copies: dict[int, _Copy], log: Callable[[str], object]) -> None:
    while copies:
        try:
            pid, status = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            copies.clear()
            return
        if pid == 0:
            return
        copy = copies.pop(pid, None)
        if copy is not None:
            copy.connection.close()
            took = time.monotonic() - copy.began
            log(f"{copy.command}: exit {os.waitstatus_to_exitcode(status)} in {took:.2f} s")


def _preload() -> None:
    """What every handed-over command would load first: spaCy and the theme matchers, the
    theme, similarity and pair models, the vocabulary and States tables, the store and
    clusters."""
    from uprdex.flows import ingest
    from uprdex.pipeline.settings import ClusterSettings

    for module in ("click", "rich.progress", "uprdex.pipeline.clusters", "uprdex.pipeline.store"):
        __import__(module)
    ingest.warm_up()
    ingest.load_cluster_models(ClusterSettings())


def main() -> None:
    """`python -m uprdex.flows.warm` (what `uprdex warm` becomes): a process that has imported
    no command-line module, so each copy sets up its output for the caller's terminal."""

    def log(line: str) -> None:
        print(f"uprdex warm: {line}", file=sys.stderr, flush=True)

    def stop(signum: int, frame: object) -> None:
        del signum, frame
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, stop)  # `kill` ends it as Ctrl-C does: the socket removed
    # Started in the background of a script (`uprdex warm &` in a non-interactive shell), it
    # inherits SIGINT ignored: Ctrl-C and `kill -INT` must still stop it.
    signal.signal(signal.SIGINT, signal.default_int_handler)
    try:
        serve(_preload, log)
    except KeyboardInterrupt:
        log("stopped")
    except (OSError, UprdexError) as error:
        log(f"error: {error}")
        raise SystemExit(2) from None


if __name__ == "__main__":
    main()

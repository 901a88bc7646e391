"""uprdex's exit codes, and the help that lists them: one place for the CLI and for the code
below it that ends the process itself (`os._exit`: a Ctrl-C before a served run began, a
temporary Prefect server lost during a run).

Only the CLI chooses an exit code for an error; this module only names them.
"""

from __future__ import annotations

__all__ = [
    "EXIT_BUSY",
    "EXIT_CLOSED_PIPE",
    "EXIT_CODES_HELP",
    "EXIT_INTERRUPTED",
    "EXIT_OK",
    "EXIT_SOME_FAILED",
    "EXIT_STOPPED",
    "EXIT_USAGE",
]

EXIT_OK, EXIT_SOME_FAILED, EXIT_USAGE = 0, 1, 2
EXIT_BUSY = 75
"""Another uprdex run (or a program such as DB Browser) is writing the index: try again later
(75 is EX_TEMPFAIL of sysexits.h, "a temporary failure; retry", which cron wrappers know)."""
EXIT_INTERRUPTED = 130
"""Ctrl-C (SIGINT): 128 + 2, as shells report a command the signal stopped; not 1, which says
that files failed."""
EXIT_STOPPED = 143
"""`uprdex run` stopped by SIGTERM (`kill`, a service manager's stop): 128 + 15, as shells
report a command the signal ended; it says what it had indexed and what is left."""
EXIT_CLOSED_PIPE = 141
"""The reader of standard output went away (`uprdex recs | head`): 128 + 13 (SIGPIPE), what a
shell reports for `cat`, `grep` or `sort` stopped so; not 1, which says that files failed."""
EXIT_CODES_HELP = (
    "\b\nExit codes: 0 done; 1 some files failed (the rest were done); 2 bad usage or setup "
    "(an option,\nuprdex.toml, the index, a model file, a missing extra, an output that cannot "
    "be written);\n75 the index is busy (another uprdex run or a program is writing it): try "
    "again later;\n130 interrupted (Ctrl-C): what was written before is kept, whole;\n141 the "
    "reader of the output went away (`| head`); a command that writes the index "
    "(ingest, import,\nrun, cluster) stops there: what it wrote is kept, whole, and the files "
    "after it were not read;\nrun it again to go on;\n143 stopped by SIGTERM (`kill`, a "
    "service manager's stop): as 130."
)

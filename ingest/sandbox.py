"""Parse a file in a child process with CPU-time and memory limits.

A PDF can be small and still ask for an unbounded amount of work: one page whose compressed
content stream expands to millions of drawing operators. The child sets its own limits
(resource.setrlimit) before reading, so such a file is refused with a clear message and the
process that asked (the task worker) is never held or exhausted. Progress (pages read of the
total) comes back over a pipe while the child works.

Only a ParseError says something about the file. Any other exception in the child is a bug in
our code: it comes back as an IngestBug carrying the child's traceback, never as a refusal of
the file (nor as a process that died "too complex").
"""

from __future__ import annotations

import multiprocessing
import resource
import signal
import time
import traceback
from collections.abc import Callable
from pathlib import Path

from ingest.parsers.files import ParsedFile, parse_file
from ingest.parsers.types import ParseError

# Seconds of wall-clock time allowed beyond the CPU limit (a child that sleeps or waits).
WALL_CLOCK_MARGIN = 30


class IngestBug(RuntimeError):
    """An exception in our own code while reading a file: a bug, not a fault of the file."""


def too_complex(name: str, needed: str) -> ParseError:
    return ParseError(
        f"{name}: too complex to read — reading it needed {needed}. A page may hold an "
        "unusual amount of drawing; export the document again, or ingest its text rendition."
    )


def child(path: str, cpu_seconds: int, memory_bytes: int, connection) -> None:
    """Runs in the child: limit itself, parse, send the outcome back."""
    resource.setrlimit(resource.RLIMIT_CPU, (cpu_seconds, cpu_seconds + 2))
    resource.setrlimit(resource.RLIMIT_AS, (memory_bytes, memory_bytes))
    try:
        parsed = parse_file(
            Path(path), lambda done, total: connection.send(("progress", (done, total)))
        )
        connection.send(("parsed", parsed))
    except ParseError as error:
        connection.send(("refused", str(error)))
    except MemoryError:
        connection.send(("memory", ""))
    except Exception:  # a bug: sent back as one (the parent raises IngestBug), never a reading
        connection.send(("bug", traceback.format_exc()))
    finally:
        connection.close()


def parse_limited(
    path: Path,
    *,
    cpu_seconds: int,
    memory_bytes: int,
    progress: Callable[[int, int], None] | None = None,
) -> ParsedFile:
    """The file parsed in a child process within the limits, or a ParseError saying why not."""
    context = multiprocessing.get_context("spawn")  # a fresh interpreter: no inherited state
    receiver, sender = context.Pipe(duplex=False)
    process = context.Process(
        target=child, args=(str(path), cpu_seconds, memory_bytes, sender), daemon=True
    )
    process.start()
    sender.close()
    deadline = time.monotonic() + cpu_seconds + WALL_CLOCK_MARGIN
    outcome = None
    try:
        while outcome is None:
            if time.monotonic() > deadline:
                limit = cpu_seconds + WALL_CLOCK_MARGIN
                raise too_complex(path.name, f"more than {limit} s (the limit)")
            if not receiver.poll(0.2):
                if not process.is_alive() and not receiver.poll(0):
                    break
                continue
            try:
                kind, payload = receiver.recv()
            except EOFError:
                break
            if kind == "progress":
                if progress:
                    progress(*payload)
            else:
                outcome = kind, payload
    finally:
        if process.is_alive():
            process.kill()
        process.join(5)
        receiver.close()
    megabytes = f"{memory_bytes // 2**20:,}"
    if outcome is None:
        signal_number = -(process.exitcode or 0)
        if signal_number in {signal.SIGXCPU, signal.SIGKILL}:
            raise too_complex(path.name, f"more than {cpu_seconds} s of processor time (the limit)")
        raise too_complex(path.name, f"more than {megabytes} MB of memory (the limit)")
    return outcome_of(*outcome, path=path, megabytes=megabytes)


def outcome_of(kind: str, payload, *, path: Path, megabytes: str) -> ParsedFile:
    """What the child's last message means: the parse, a refusal of the file, or a bug."""
    if kind == "parsed":
        return payload
    if kind == "memory":
        raise too_complex(path.name, f"more than {megabytes} MB of memory (the limit)")
    if kind == "bug":
        raise IngestBug(f"reading {path.name} failed in the ingest's code:\n{payload}")
    if kind == "refused":
        raise ParseError(payload)
    raise IngestBug(f"reading {path.name}: unexpected message {kind!r} from the reader")

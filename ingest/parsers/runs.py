"""Styled text: runs of characters sharing a weight and a slant, and how wrapped lines join.

The one representation of inline style that the PDF layout and the text renditions share.
"""

from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass(frozen=True)
class Run:
    text: str
    bold: bool = False
    italic: bool = False


def plain(runs: list[Run]) -> str:
    return "".join(r.text for r in runs)


def join_runs(first: list[Run], second: list[Run], hyphen_joins: bool = True) -> list[Run]:
    """Join two wrapped lines. A word broken after a hyphen ("non-" | "governmental") is joined
    without a space when `hyphen_joins`; the hyphen itself is always kept, as printed."""
    head = plain(first).rstrip()
    tail = plain(second).lstrip()
    if not head:
        return list(second)
    if not tail:
        return list(first)
    glue = "" if hyphen_joins and re.search(r"\w-$", head) and re.match(r"\w", tail) else " "
    out = _rstrip_runs(first)
    if glue:
        out.append(Run(glue, out[-1].bold if out else False, out[-1].italic if out else False))
    out.extend(_lstrip_runs(second))
    return out


def _rstrip_runs(runs: list[Run]) -> list[Run]:
    out = list(runs)
    while out and not out[-1].text.strip():
        out.pop()
    if out:
        last = out[-1]
        out[-1] = Run(last.text.rstrip(), last.bold, last.italic)
    return out


def _lstrip_runs(runs: list[Run]) -> list[Run]:
    out = list(runs)
    while out and not out[0].text.strip():
        out.pop(0)
    if out:
        first = out[0]
        out[0] = Run(first.text.lstrip(), first.bold, first.italic)
    return out


def strip_runs(runs: list[Run]) -> list[Run]:
    return _lstrip_runs(_rstrip_runs(runs))


def cut_runs(runs: list[Run], start: int, end: int | None = None) -> list[Run]:
    """The runs covering characters [start, end) of their concatenated text."""
    out, pos = [], 0
    for r in runs:
        a, b = pos, pos + len(r.text)
        pos = b
        lo, hi = max(a, start), b if end is None else min(b, end)
        if lo < hi:
            out.append(Run(r.text[lo - a : hi - a], r.bold, r.italic))
    return out


def all_bold(runs: list[Run], end: int) -> bool:
    """Whether every visible character before `end` is bold."""
    pos = 0
    for r in runs:
        if pos >= end:
            break
        if not r.bold and r.text[: end - pos].strip():
            return False
        pos += len(r.text)
    return True


def bold_at(runs: list[Run], index: int) -> bool:
    pos = 0
    for r in runs:
        if pos <= index < pos + len(r.text):
            return r.bold
        pos += len(r.text)
    return False

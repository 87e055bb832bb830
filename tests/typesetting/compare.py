"""What a rendition must read as: the text rendition's report, field by field, pages aside."""

from __future__ import annotations

import re
import subprocess
import unicodedata
from collections import Counter
from functools import cache
from pathlib import Path
from typing import Any

from ingest.parsers.files import parse_file
from ingest.summary import document_summary
from tests.typesetting.document import SUPERSCRIPT_DIGITS, Element

_DIGITS = str.maketrans(SUPERSCRIPT_DIGITS, "1234567890")

_POSITION_RE = re.compile(r"\b(?:lines?|pages?) \d+(?:\s*[–-]\s*\d+)?")


def _without_positions(value: Any) -> Any:
    """Page numbers (and the text's line numbers) say where, not what: they are left out."""
    if isinstance(value, dict):
        return {k: _without_positions(v) for k, v in value.items() if k != "page"}
    if isinstance(value, list):
        return [_without_positions(v) for v in value]
    if isinstance(value, str):
        return _POSITION_RE.sub("<where>", value)
    return value


def report_of(path: Path) -> dict[str, Any]:
    """The report JSON `manage.py ingest --dry-run --report-json` writes for this one file."""
    return _without_positions(document_summary(parse_file(path).document))


@cache
def _text_report(text_path: Path) -> dict[str, Any]:
    return report_of(text_path)


# What only a contents list says: that it prints another title than the project's heading.
CONTENTS_ONLY_ISSUES = {"toc_mismatch"}


def expected(text_path: Path, contents: bool = True) -> dict[str, Any]:
    """The text rendition's report; for a rendition printed without a contents list, less
    what only the contents list says (the `toc_mismatch` issue, warnings about its entries)."""
    report = _text_report(text_path)
    if contents or "paragraphs" in report:
        return report
    return {
        **report,
        "projects": [
            {**p, "issues": [c for c in p["issues"] if c not in CONTENTS_ONLY_ISSUES]}
            for p in report["projects"]
        ],
        "warnings": [w for w in report["warnings"] if "table of contents" not in w],
    }


def first_difference(expected: Any, actual: Any, where: str = "") -> str | None:
    """The first field where two reports differ, as "projects[3].budget: '1' ≠ '2'"."""
    if isinstance(expected, dict) and isinstance(actual, dict):
        for key in expected:
            if key not in actual:
                return f"{where}.{key}: missing"
            found = first_difference(expected[key], actual[key], f"{where}.{key}")
            if found:
                return found
        extra = sorted(set(actual) - set(expected))
        return f"{where}.{extra[0]}: unexpected" if extra else None
    if isinstance(expected, list) and isinstance(actual, list):
        for i, (a, b) in enumerate(zip(expected, actual, strict=False)):
            found = first_difference(a, b, f"{where}[{i}]")
            if found:
                return found
        if len(expected) != len(actual):
            return f"{where}: {len(expected)} items expected, {len(actual)} read"
        return None
    if isinstance(expected, str) and isinstance(actual, str) and expected != actual:
        start = next(
            (i for i, (a, b) in enumerate(zip(expected, actual, strict=False)) if a != b),
            min(len(expected), len(actual)),
        )
        start = max(0, start - 40)  # a long text: where it parts
        if start:
            expected, actual = "…" + expected[start:], "…" + actual[start:]
    if expected != actual:
        return f"{where}: {_short(expected)} expected, {_short(actual)} read"
    return None


def _short(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 100 else text[:97] + "..."


_HYPHENS = "\\-\u00ad\u2010\u2011"


def _normal(text: str) -> str:
    text = unicodedata.normalize("NFKC", text.translate(_DIGITS)).casefold()
    # digits apart from letters: a raised footnote marker sits against its word
    return re.sub(r"(?<=[^\W\d])(?=\d)|(?<=\d)(?=[^\W\d])", " ", text)


def words(text: str, compounds: dict[str, list[str]] | None = None) -> Counter[str]:
    """Case-, accent- and punctuation-blind words: what any typesetting must print.

    A hyphen separates words; `compounds` splits again the hyphenated words pdftotext
    joins where a line end broke them ("inter-" + "agency" → "interagency"), on both sides."""
    out: Counter[str] = Counter()
    for word in re.split(r"[^\w]+", _normal(text)):
        if word:
            out.update(compounds.get(word, [word]) if compounds else [word])
    return out


def _compounds(text: str) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for compound in re.findall(rf"\w+(?:\s*[{_HYPHENS}]\s*\w+)+", _normal(text)):
        parts = re.split(rf"[\s{_HYPHENS}]+", compound)
        for i in range(len(parts)):  # "training-of-trainers" → "trainingof" too
            for j in range(i + 2, len(parts) + 1):
                out["".join(parts[i:j])] = parts[i:j]
    return out


def _text_of(elements: list[Element]) -> str:
    parts = []
    for element in elements:
        parts += [element.label, " ".join(s.text for s in element.spans)]
        parts += [" ".join(s.text for s in note.spans) for note in element.footnotes]
    return "\n".join(parts)


def missing_words(elements: list[Element], pdf: Path) -> list[str]:
    """Words of the text the PDF does not print (as often as the text does), by poppler's
    pdftotext: an engine apart from the reader's, to check the generator itself."""
    # -raw: the characters in the order the producer drew them (both draw the text's own
    # order, column after column); pdftotext's own reading order would interleave two
    # columns' lines and join a hyphenated word's half with the other column's text
    extracted = subprocess.run(
        ["pdftotext", "-raw", "-enc", "UTF-8", str(pdf), "-"],
        capture_output=True,
        check=True,
        text=True,
    ).stdout
    text = _text_of(elements)
    compounds = _compounds(text)
    missing = words(text, compounds) - words(extracted, compounds)
    return sorted(w for w in missing.elements() if not _broken_at_line_end(w, extracted))


def _broken_at_line_end(word: str, extracted: str) -> bool:
    """A word the typesetter hyphenated where pdftotext did not join it again (its halves
    end and start lines that a column or page break set apart)."""
    lines = [_normal(line).strip() for line in extracted.splitlines()]
    # (a justified line may set its hyphen apart: "deliv -")
    ends = {m[1] for line in lines if (m := re.search(r"(\w+) ?[\-\u00ad\u2010]$", line))}
    starts = {m[1] for line in lines if (m := re.match(r"(\w+)", line))}
    return any(word[:k] in ends and word[k:] in starts for k in range(1, len(word)))

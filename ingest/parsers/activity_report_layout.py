"""A typeset report's lines (from layout) → layout-neutral blocks (see activity_report_text).

Lines become blocks by the space between them and their style: a step clearly wider than
the document's line pitch (learnt from the pages), a change of type size or of weight (a
heading set in bold or small capitals at body size), or a line starting with a paragraph
number ("12." hanging in the margin, or inline before a tab) after a line that ended a
sentence starts a new block. The document symbol is read from the page furniture the layout
set apart (the running head); lines that print only a job number or a symbol, and small type
in the page margins, are not content.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, replace

import pyphen

from .activity_report_text import (
    FOOTNOTE_RE,
    SYMBOL_RE,
    Block,
    Furniture,
    clean,
    is_furniture,
)
from .hyphens import broken_acronym, english_break
from .layout import Layout, Line

_NUMBERED_RE = re.compile(r"^\(?\d{1,3}[.)]\s")
_ENDS_RE = re.compile(r"[.:;!?][\"'\u201d)]?$")
_LINE_END_HYPHEN = re.compile(r"(\w+)[-\u2010\u00ad]$")
_COMPOUND_RE = re.compile(r"\w+(?:[-\u2010/]\w+)*")
# endings that make another form of a word: "expressed" prints "express" too
_INFLECTIONS = ("s", "es", "ed", "d", "ing", "er", "ers", "ly")
# a short capitalised abbreviation before a number ("WG.4", "Add. 1"), spaced or not
_ABBREVIATED_NUMBER_RE = re.compile(r"\b[A-Z][A-Za-z]{0,3}\.( ?)\d")
# a line starting with a symbol's number ("1).", "4/2015/5"), not with a count ("15 officials")
_SYMBOL_NUMBER_RE = re.compile(r"\d+(?:[./]\d+)*(?:[^\s\w]|$)")
# where a typesetter may break an English word (the reports read are the English editions)
_HYPHENATION = pyphen.Pyphen(lang="en_US")


class DocumentWords:
    """The words the document prints whole (within a line), to tell a typesetter's hyphen at
    a line end from one the text prints. As issue 11 says, a hyphen at a line end is removed
    when the joined word occurs elsewhere in the document: "cooper-" + "ation" is
    "cooperation" when that word, or another form of it ("expressed" for "express"), is
    printed elsewhere and "cooper-ation" is not; "inter-" + "agency" stays "inter-agency"
    when that is printed and "interagency" is not.

    When the document prints neither, it tells nothing; then, and only in a typesetting shown
    to break words (one such word at least, by the rule above), English decides
    (hyphens.english_break: "an-" + "other" is "another", "decision-" + "making" stays), and
    where English does not tell either, a break that leaves pieces which are not words, at a
    place where English hyphenation allows one, is a typesetter's ("Ander-" + "sson");
    anything else keeps its hyphen as printed ("long-" + "term")."""

    def __init__(self, texts: list[str]):
        self.words: set[str] = set()  # words and compounds ("inter-agency", "inter", "agency")
        self.single: set[str] = set()  # words printed on their own
        spaced = unspaced = 0
        for text in texts:
            found = [m.group(0) for m in _COMPOUND_RE.finditer(text)]
            if _LINE_END_HYPHEN.search(text):
                found = found[:-1]  # the first half of a broken word
            for compound in found[1:]:  # a line's first word may be the second half of one
                parts = re.split(r"[-\u2010]", compound.lower())
                if len(parts) == 1:
                    self.single.add(parts[0])
                for i in range(len(parts)):
                    for j in range(i + 1, len(parts) + 1):
                        self.words.add("-".join(parts[i:j]))
            for m in _ABBREVIATED_NUMBER_RE.finditer(text):
                spaced, unspaced = spaced + bool(m[1]), unspaced + (not m[1])
        self.forms = {  # the stems of inflected words: "expressed" → "express"
            word[: -len(ending)]
            for word in self.words
            for ending in _INFLECTIONS
            if word.endswith(ending) and len(word) - len(ending) >= 3
        }
        # Whether this document sets "Add.1" (as its symbols do: "WG.4") or "No. 5".
        self.abbreviation_runs_on = unspaced > spaced
        # Whether this typesetting breaks words at all: a word whose halves end one line and
        # start the next and that is printed whole elsewhere (and not hyphenated).
        self.hyphenates = any(self._known(a, b) for a, b in zip(texts, texts[1:], strict=False))

    def _known(self, head: str, tail: str) -> bool | None:
        """True or False when the document prints the joined word or the compound elsewhere
        (only one of them; as printed, else in another form), None when it tells nothing."""
        first = re.search(r"(\w+(?:[-\u2010]\w+)*)[-\u2010\u00ad]$", head)
        second = re.match(r"\w+", tail)
        if not (first and second):
            return None
        if head.endswith("\u00ad"):
            return True  # a soft hyphen: only a typesetter prints one
        *chain, a = re.split(r"[-\u2010]", first[1].lower())
        b = second[0].lower()
        joined = ["-".join([*chain, a + b]), a + b]
        compound = ["-".join([*chain, a, b]), f"{a}-{b}"]
        for printed in (self._printed, self._printed_in_another_form):
            whole = any(printed(w) for w in joined)
            hyphenated = any(printed(w) for w in compound)
            if whole or hyphenated:
                return whole and not hyphenated
        return None

    def _printed(self, word: str) -> bool:
        return word in self.words

    def _printed_in_another_form(self, word: str) -> bool:
        """Printed in another form: "express" as "expressed", "trainers" as "training"."""
        stems = [
            word[: -len(e)] for e in _INFLECTIONS if word.endswith(e) and len(word) > len(e) + 2
        ]
        return any(w in self.forms or w in self.words for w in [word, *stems])

    def broken(self, head: str, tail: str) -> bool:
        """Whether head's last word and tail's first are one word a typesetter hyphenated."""
        known = self._known(head, tail)
        if known is not None:
            return known
        second = re.match(r"\w+", tail)
        first = re.search(r"(\w+)[-\u2010]$", head)
        if not (first and second and self.hyphenates):
            return False  # not a broken word, or a typesetting that breaks none
        # Printed nowhere else: a typesetter breaks a word inside its lower-case letters,
        # where hyphenation allows, leaving pieces that are mostly not words ("Sin-" +
        # "gapore", "in-" + "vited", "state-" + "ments"); a compound the text prints ends in
        # a word of its own ("post-" + "conflict", "Internet-" + "based") or goes on from a
        # compound's word ("training-of-" + "trainers").
        if broken_acronym(first[1], second[0], lambda word: word.lower() in self.words):
            return True
        a, b = first[1].lower(), second[0].lower()
        if not (a + b).isalpha() or not second[0].islower():
            return False
        english = english_break(a, b, self._printed_in_another_form)
        if english is not None:
            return english  # "an-" + "other"; "decision-" + "making"
        if b in self.single and len(b) >= 5:
            return False
        if len(a) not in _HYPHENATION.positions(a + b):
            return False  # no typesetter breaks "longterm" there: "long-term" is printed
        return not (a in self.single and re.search(r"\w[-\u2010]\w+[-\u2010]$", head))

    def runs_on(self, head: str, tail: str) -> bool:
        """Whether `tail` goes on from `head` with no space between: a word a typesetter broke,
        a symbol broken after a slash or a dot ("CTOC/COP/" + "WG.4/2015/4")."""
        head, tail = head.rstrip(), tail.strip()
        if _LINE_END_HYPHEN.search(head):
            return self.broken(head, tail)
        if _NUMBERED_RE.match(tail):
            return False  # a numbered paragraph after a page break ("2015/23." | "9. Also")
        return bool(head and tail) and self.join(head, tail) == head + tail

    def join(self, head: str, tail: str) -> str:
        """Two printed lines of one block as running text."""
        head, tail = head.rstrip(), tail.strip()
        if not head or not tail:
            return head or tail
        if _LINE_END_HYPHEN.search(head) and re.match(r"\w", tail):
            return head[:-1] + ("" if self.broken(head, tail) else "-") + tail
        if re.search(r"\w/$", head) and re.match(r"\w", tail):
            return head + tail  # a line may break after a slash: "and/" + "or"
        if re.search(r"\w/[\w./]*\.$", head) and (tail[0].isdigit() or tail[0].islower()):
            return head + tail  # a symbol broken after its dot: "CTOC/COP/WG." + "4/2015/5"
        if (
            self.abbreviation_runs_on
            and _SYMBOL_NUMBER_RE.match(tail)
            and re.search(r"\b[A-Z][A-Za-z]{0,3}\.$", head)
        ):
            # "Add." + "1)." where the document prints "WG.4", not "No. 5"; a sentence ending
            # in a name before a count ("in Kenya." + "15 officials") keeps its space
            return head + tail
        return head + " " + tail


@dataclass(frozen=True)
class _Spacing:
    """The document's line pitch and the wider step between paragraphs, relative to the type
    size (learnt from the pages: the commonest step between lines of one size, and the
    commonest step clearly wider than it)."""

    pitch: float
    paragraph: float

    @classmethod
    def of(cls, lines: list[Line]) -> _Spacing:
        ratios: Counter[float] = Counter()
        for a, b in zip(lines, lines[1:], strict=False):
            same = a.page == b.page and a.column == b.column and abs(a.size - b.size) < 0.5
            if same and a.size and (step := (b.top - a.top) / a.size) >= 0.9:
                ratios[round(step * 20) / 20] += 1
        if not ratios:
            return cls(1.2, 1.8)
        pitch = ratios.most_common(1)[0][0]
        wider = Counter({r: n for r, n in ratios.items() if 1.08 * pitch < r < 3 * pitch})
        paragraph = wider.most_common(1)[0][0] if wider else 1.6 * pitch
        return cls(pitch, paragraph)

    def breaks(self, line: Line, above: Line, body: float) -> bool:
        """Whether the space above `line` parts it from `above`. Body text parts at half way
        from the pitch to the paragraph step; a heading's (or the title page's) own lines,
        set otherwise than the body, may be spaced a little wider than the body's lines."""
        step = line.top - above.top
        size = max(line.small_caps or line.size, above.small_caps or above.size)  # type size
        if step < 0:
            return True
        plain = not (line.bold or line.small_caps or above.small_caps)
        if plain and abs(line.size - body) < 0.5:
            return step > (self.pitch + self.paragraph) / 2 * size
        return step > max(1.6 * self.pitch, self.pitch + 0.4) * size


def _starts_block(line: Line, above: Line, spacing: _Spacing, body: float) -> bool:
    if line.page != above.page or line.column != above.column:
        return False
    if spacing.breaks(line, above, body):
        return True
    if abs(line.size - above.size) > 0.5 or line.bold != above.bold:
        return True
    if _NUMBERED_RE.match(line.text):
        return line.x0 < above.x0 - 2 or bool(_ENDS_RE.search(above.text))
    return False


def _word_runs_over(above: Line, line: Line, words: DocumentWords) -> bool:
    """A word or a symbol a typesetter broke across a page or column break: one block goes
    on (a paragraph going on after a space is joined to its start later, as text)."""
    return abs(line.size - above.size) < 0.5 and words.runs_on(above.text, line.text)


_NOTE_MARKER_RE = re.compile(r"^(?:\d{1,2}|[*\u2020\u2021\u00a7]+|\^\{[^}]+\})\s")


def _footnote(group: list[Line], body: float, body_ends: dict[tuple[int, int], float]) -> bool:
    """A footnote: smaller type below the body text of its page, opening with its marker (a
    number or a sign, raised or not)."""
    first = group[0]
    below = first.top > body_ends.get((first.page, first.column), 0.0)
    return below and first.size < body - 0.5 and bool(_NOTE_MARKER_RE.match(first.text))


def report_blocks(layout: Layout) -> tuple[list[Block], Furniture]:
    """The report's blocks and what its furniture says (the document symbol)."""
    furniture = Furniture(printed_pages={})
    for line in layout.furniture:
        for text in [line.text, *re.split(r"\s{2,}", line.text), *line.text.split()]:
            if SYMBOL_RE.match(text.strip()) and not furniture.symbol:
                furniture.symbol = text.strip()
    body = layout.body_size
    content = []
    for line in layout.lines:
        if is_furniture(line.text):
            if SYMBOL_RE.match(line.text) and not furniture.symbol:
                furniture.symbol = line.text
            continue
        height = line.page_height or 1
        in_margin = line.top < 0.08 * height or line.bottom > (1 - 0.08) * height
        if in_margin and (line.small_caps or line.size) < body - 0.5:
            continue
        content.append(line)
    spacing = _Spacing.of(content)
    words = DocumentWords([line.text for line in content])
    groups: list[list[Line]] = []
    for line in content:
        if groups and not _starts_block(line, groups[-1][-1], spacing, body):
            above = groups[-1][-1]
            same_flow = line.page == above.page and line.column == above.column
            if same_flow or _word_runs_over(above, line, words):
                groups[-1].append(line)
                continue
        groups.append([line])
    body_ends: dict[tuple[int, int], float] = {}  # (page, column) -> top of its last body line
    for line in content:
        if abs((line.small_caps or line.size) - body) < 0.5:
            key = (line.page, line.column)
            body_ends[key] = max(body_ends.get(key, 0.0), line.top)
    blocks = []
    for group in groups:
        raw = ""
        for line in group:
            raw = words.join(raw, line.text)
        if FOOTNOTE_RE.match(raw) or _footnote(group, body, body_ends):
            continue
        text = clean(raw)
        last = blocks[-1] if blocks else None
        if text and last and re.search(r"\w[-\u2010]$", last.text) and re.match(r"[a-z]", text):
            # a word broken across a page whose foot prints a footnote: one block goes on
            blocks[-1] = replace(last, text=words.join(last.text, text))
            continue
        if text:
            first = group[0]
            plain = not (first.bold or first.small_caps) and abs(first.size - body) < 0.5
            blocks.append(Block(text, f"page {first.page}", first.page, plain))
    return blocks, furniture

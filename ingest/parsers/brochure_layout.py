"""A typeset brochure's lines (from layout) → blocks (see brochure_blocks).

What a line is, told by its words and its place, not by one edition's fonts:

- a table row starts with a known field label (brochure_fields.label_key: "Budget",
  "TOTAL PLEDGES", "hq focal point" …, colon or not, bold, italic, regular or capitals) set
  apart from its value by a colon, a tab stop, a table column or a change of style; or with
  an unknown label ending in ":" set in bold before a regular value ("Implementing Partner:")
  at the text's left edge. Lines after it continue the value when they sit in the value's
  column, or follow tightly a value that was run in after its label;
- a contents entry ends in a page number set apart from its title: by a wide gap (spaces,
  a tab), by leaders (dots, an ellipsis, middle dots) and at the right of the page;
- a list item starts with a bullet glyph ("•", "▪", or a dash followed by a wide gap); its
  indent gives the list depth;
- a line continues the paragraph above when it follows at the document's line pitch (learnt
  from the pages: the commonest tight distance between lines, relative to the type size) in
  the same type size; across a page or column break, when the last line was full (the next
  line's first word would not have fitted on it);
- a hyphen at a line's end is dropped (the word was broken by the typesetter) only when the
  word without it is printed elsewhere in the document; otherwise it is kept.

Each block keeps its typography (size relative to the body, bold, capitals) for the grammar.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

from ingest.parsers.brochure_blocks import SUPERSCRIPTS, Block
from ingest.parsers.brochure_fields import LABEL_WORDS, label_key
from ingest.parsers.countries import resolve_country
from ingest.parsers.hyphens import broken_acronym
from ingest.parsers.layout import SUPERSCRIPT_OF, Layout, Line
from ingest.parsers.runs import Run, all_bold, bold_at, cut_runs, join_runs, plain, strip_runs

BULLETS = "•▪◦●‣∙■□➢►"
DASH_BULLETS = "–-—"
# a sentence's end, a closing quote or bracket after it
_SENTENCE_END_RE = re.compile(r"[.!?][\"'’”)]?$")
_LEADERS_NUMBER_RE = re.compile(r"(?:[.·…‧∙]\s*){3,}\d{1,3}")  # a number wrapped below
_LEADERS_RE = re.compile(r"(?:[.·…‧∙]\s*){2,}$|…\s*$")
# a hyphen at a line's end: ASCII, Unicode's hyphen (U+2010) or a soft hyphen the typesetter
# printed (U+00AD: always the typesetter's own, never a word's)
_LINE_END_HYPHENS = "-\u2010\u00ad"
_SOFT_HYPHENS = "\u00ad"
_LABEL_WORDS_RE = re.compile(r"^[^\W\d_][\w .&/()'-]{0,40}?$")


@dataclass
class _BLine:
    line: Line
    runs: list[Run]
    margin: float  # the left edge of the text this line belongs to (page or column)
    label: str | None = None
    known: bool = False  # the label is a known field's
    run_in: bool = False  # the value follows its label on the same line, without a column
    continues: bool = False  # the line goes on with the value of the field above
    page_ref: int | None = None
    bullet: bool = False
    value_x: float | None = None  # where a labelled line's value starts, after a space
    full_runs: list[Run] = field(default_factory=list)  # the runs before a label was cut

    @property
    def page(self) -> int:
        return self.line.page

    @property
    def top(self) -> float:
        return self.line.top

    @property
    def base(self) -> float:
        return self.line.bottom

    @property
    def x0(self) -> float:
        return self.line.x0

    @property
    def size(self) -> float:
        return self.line.size

    @property
    def text(self) -> str:
        return "".join(r.text for r in self.runs).strip()


class _Words:
    """The document's words, to tell a typesetter's hyphen from a printed one."""

    def __init__(self, lines: list[Line]):
        self.words: set[str] = set()
        # times each word is printed whole: the halves of a word broken at a line end are not
        # words printed ("PA-" | "TROL" twice is no evidence that "PA" and "TROL" are words)
        self.printed = Counter[str]()
        broken = False  # the line above ended in a hyphen
        for ln in lines:
            found = re.findall(r"\w+(?:[-/]\w+)*", ln.text.lower())
            ends_broken = bool(re.search(rf"\w[{re.escape(_LINE_END_HYPHENS)}]$", ln.text))
            for k, word in enumerate(found):
                self.words.add(word)
                self.words.update(re.split(r"[-/]", word))  # "abajo-marques": "marques" too
                half = (k == 0 and broken) or (k == len(found) - 1 and ends_broken)
                if not half:
                    self.printed.update(re.split(r"[-/]", word))
            broken = ends_broken

    def known(self, word: str, before: str = "") -> bool:
        """Printed elsewhere in the document — as it is, or in its other number ("Republics"
        broken once, "Republic" printed elsewhere) — or a country's name (a donor may be named
        once), alone or with the words `before` it ("United" + "Kingdom")."""
        lower = word.lower()
        if resolve_country(word) is not None or any(f in self.words for f in _numbers(lower)):
            return True
        names = re.findall(r"[^\W\d_]+", before)[-3:]
        return any(resolve_country(" ".join([*names[k:], word])) for k in range(len(names)))

    def join(self, head: list[Run], tail: list[Run]) -> list[Run]:
        first = "".join(r.text for r in head).rstrip()
        rest = "".join(r.text for r in tail).lstrip()
        a = re.search(rf"(\w+)[{re.escape(_LINE_END_HYPHENS)}]$", first)
        b = re.match(r"(\w+(?:-\w+)*)", rest)  # "fol-" + "low-up": "follow-up"
        address = _in_address(first, rest)
        if a and b:
            whole = a.group(1) + b.group(1)
            hyphenated = f"{a.group(1)}-{b.group(1)}".lower()
            # a compound broken in its first word ("Transna-" + "tional-crime"): that word
            # printed elsewhere is enough, the compound may be printed once
            word = a.group(1) + b.group(1).split("-")[0]
            known = self.known(whole, first[: a.start()]) or (
                word != whole and self.known(word, first[: a.start()])
            )
            if (
                first[-1] in _SOFT_HYPHENS
                or (known and hyphenated not in self.words)
                # the halves themselves are printed once, here: a word is printed elsewhere too
                or broken_acronym(a.group(1), b.group(1), lambda w: self.printed[w.lower()] > 1)
                # an address broken by the typesetter: its own hyphens are rare
                or (address and hyphenated not in self.words)
            ):
                return cut_runs(head, 0, len(first) - 1) + strip_runs(tail)
            if first[-1] != "-":  # a typesetter's hyphen glyph, kept: the word's own hyphen
                head = cut_runs(head, 0, len(first) - 1) + [Run("-", *_style_at_end(head))]
                return join_runs(head, tail)
        if address:  # "jacob." + "townsend@unodc.org"
            keep = len(first) - 1 if first[-1] in _LINE_END_HYPHENS and not a else None
            if keep is not None and _in_address(first[:keep], rest):
                return cut_runs(head, 0, keep) + strip_runs(tail)  # "jacob.-": LibreOffice's
            return cut_runs(head, 0, len(first)) + strip_runs(tail)
        if re.search(r"\w/$", first) and b:
            # a line broken after a slash ("Study/" + "Report", "Name/" + "Name"): a
            # typesetter breaks there whether or not a space followed it, and a line end
            # cannot show which; a slash joins its two words, in prose and in a table's list
            return cut_runs(head, 0, len(first)) + strip_runs(tail)
        return join_runs(head, tail)


def _numbers(word: str) -> list[str]:
    """A word and its other grammatical number, by the regular English plural: "republics" →
    "republic", "approaches" → "approach", "policies" → "policy", "office" → "offices"."""
    forms = [word, f"{word}s"]
    if len(word) > 3 and word.endswith("s") and not word.endswith("ss"):
        forms.append(word[:-1])
        if word.endswith("ies"):
            forms.append(f"{word[:-3]}y")
        elif re.search(r"(?:s|x|z|ch|sh)es$", word):
            forms.append(word[:-2])
    return forms


@dataclass
class _Assembler:
    pitch: _Pitch
    words: _Words
    blocks: list[Block] = field(default_factory=list)
    last: _BLine | None = None
    first_x: float = 0.0  # x of the current block's first line
    item_xs: list[float] = field(default_factory=list)
    run_in: bool = False  # the current field's value was run in after its label
    # where the current table's values go on when they wrap: their lines' indent from the
    # text's edge (a table's value column, a tab stop's hanging indent), None while no value
    # has wrapped into a column
    hang: float | None = None
    # a paragraph that went on over a page or column break: its runs before the break
    broken: tuple[Block, list[Run], int] | None = None
    notes: list[Block] = field(default_factory=list)  # footnotes set at a page's foot
    last_note: Block | None = None  # the last footnote read, kept aside or not
    # the contents print an entry's number after its title's last line, not its first (a
    # number and its leaders wrapped onto a line of their own show it)
    numbers_last: bool = False
    bottoms: dict[float, float] = field(default_factory=dict)  # page height → text's foot
    noted: set[int] = field(default_factory=set)  # pages with footnotes at their foot

    def _filled(self, last: _BLine) -> bool:
        """Whether the text ran down to the foot of its page (or to its footnotes): else a
        page break was asked for, and the next page starts something new."""
        if last.page in self.noted:
            return True
        foot = self.bottoms.get(round(last.line.page_height), last.base)
        return last.base >= foot - 2.5 * self.pitch.of(last.size, last.line.font) * last.size

    def add(self, ln: _BLine, body: float) -> None:
        if ln.continues and not ln.runs:
            return  # a wrapped label's last words alone: its value did not wrap
        cur = self.blocks[-1] if self.blocks else None
        if ln.continues and cur is not None and cur.kind == "field":
            # the line beside a wrapped label's last words goes on with its value, whatever
            # its measured size (small capitals in the label cell make it look smaller)
            cur.runs = self.words.join(cur.runs, ln.runs)
            self.last = ln
            return
        last = self.last
        self.last = ln
        same_size = last is not None and abs(ln.size - last.size) < 0.5
        same_flow = last is not None and ln.page == last.page and ln.line.column == last.line.column
        tight = (
            last is not None
            and same_flow
            and same_size
            and 0
            < ln.base - last.base
            <= self.pitch.of(ln.size, ln.line.font) * 1.1 * max(ln.size, last.size)
        )
        new_page = last is not None and not same_flow and same_size
        fitted = (
            new_page
            and last is not None
            and _was_full(last, ln)
            and last.line.bold == ln.line.bold  # a bold line after a break is a heading
            and last.line.font == ln.line.font  # so is a line in the headings' font
            and self._filled(last)
        )
        where = f"page {ln.page}"
        if (
            cur is not None
            and cur.kind == "para"
            and not ln.bullet
            and (ln.page_ref is None or (ln.runs and cur.page_ref is None))
        ):
            in_column = ln.margin - ln.size <= ln.x0 <= self.first_x + ln.size
            if not in_column and last is not None and same_flow:
                in_column = _centred(last, ln)  # a centred title's second line
            if not in_column and new_page:
                in_column = abs(ln.x0 - ln.margin) <= ln.size
            # a bold lead-in ("Outcome: …") at the start of a wrapped line is not a table row
            # a line that stopped short (the next word would have fitted) ended its paragraph
            tight = tight and (_was_full(last, ln) or ln.label is not None)
            # a label's words alone on a line, wrapped from a heading in the same style
            wrapped = (
                ln.label is not None
                and not ln.runs
                and tight
                and last is not None
                and _was_full(last, ln)
                and (last.line.bold, last.line.italic) == (ln.line.bold, ln.line.italic)
            )
            if wrapped:
                ln.runs, ln.label, ln.known = ln.full_runs, None, False
            # an entry whose page number is printed is complete: nothing after a break joins it,
            # nor, where entries end in their numbers, a line however close
            fitted = fitted and cur.page_ref is None
            tight = tight and (cur.page_ref is None or not self.numbers_last)
            if ln.page_ref is not None:  # a contents entry's last line, its title wrapped
                fitted = False
            if in_column and not ln.known and (tight or (fitted and ln.label is None)):
                if ln.page_ref is not None:
                    cur.runs = self.words.join(cur.runs, ln.runs)
                    cur.page_ref = ln.page_ref
                else:
                    if not same_flow:
                        self.broken = (cur, list(cur.runs), ln.page)
                    cur.runs = self.words.join(cur.runs, ln.full_runs)
                if not same_flow:
                    self.first_x = ln.x0  # the paragraph goes on in the next column or page
                return
        if (
            cur is not None
            and cur.kind == "para"
            and cur.page_ref is None
            and ln.label is not None
            and re.fullmatch(r"\d{1,3}", "".join(r.text for r in ln.runs).strip())
            and ln.line.x1 >= ln.line.right - ln.size
            and tight
            and last is not None
            and _was_full(last, ln)
        ):
            # a contents entry's last word ("… the Baltic Sea" | "Region 17"), not a table row
            cur.runs = self.words.join(cur.runs, [Run(ln.label, ln.line.bold, ln.line.italic)])
            cur.page_ref = int("".join(r.text for r in ln.runs).strip())
            return
        if (
            cur is not None
            and cur.kind == "para"
            and cur.page_ref is None
            and (re.fullmatch(r"\d{1,3}", ln.text) or (ln.page_ref is not None and not ln.runs))
            and ln.line.x1 >= ln.line.right - ln.size
            and (tight or (last is not None and 0 < ln.base - last.base <= 2 * ln.size))
        ):
            # a contents entry's page number (and its leaders), wrapped below its title
            cur.page_ref = ln.page_ref if ln.page_ref is not None else int(ln.text)
            return
        if ln.label is not None and (ln.known or abs(ln.x0 - ln.margin) <= ln.size):
            self._start(Block("field", ln.runs, where, label=ln.label), ln, body)
            self.run_in = ln.run_in
            return
        if ln.label is not None:  # a bold lead-in inside the text, not a table row
            ln.runs, ln.label = ln.full_runs, None
        if ln.bullet:
            self.item_xs = [x for x in self.item_xs if x < ln.x0 - ln.size * 0.5]
            depth = len(self.item_xs)
            self.item_xs.append(ln.x0)
            self._start(Block("item", ln.runs, where, depth=depth), ln, body, keep_items=True)
            return
        if ln.page_ref is not None:
            self._start(Block("para", ln.runs, where, page_ref=ln.page_ref), ln, body)
            return
        if (
            cur is not None
            and cur.kind == "field"
            and cur.runs
            and last is not None
            and same_flow
            and same_size
            and 0 < ln.base - last.base <= 2 * self.pitch.of(ln.size, ln.line.font) * ln.size
            and _in_value_column(last, ln)
        ):
            # a value's next line in its column (a table's cells may space their lines
            # apart from the body text's pitch)
            cur.runs = self.words.join(cur.runs, ln.runs)
            self.hang = ln.x0 - ln.margin
            return
        # the value of a label printed alone: below it, or over a page or column break
        alone = cur is not None and cur.kind == "field" and not cur.runs and ln.label is None
        if alone and (tight or not same_flow or ln.x0 > ln.margin + 2 * ln.size):
            cur.runs = list(ln.runs)
            return
        if cur is not None and (tight or new_page):
            in_value_column = ln.x0 > ln.margin + 2 * ln.size
            if cur.kind == "field" and (
                ln.continues
                or in_value_column
                or (self.run_in and (tight or fitted) and self._runs_on(last, ln))
            ):
                cur.runs = self.words.join(cur.runs, ln.runs)
                if in_value_column and not ln.continues:
                    self.hang = ln.x0 - ln.margin
                return
            # over a page or column break, only from a full line, in the item's own style
            # (a short last line ended the item; a bold line after it is a heading)
            if (
                cur.kind == "item"
                and self.item_xs
                and ln.x0 > self.item_xs[-1] + ln.size * 0.3
                and (same_flow or fitted)
            ):
                cur.runs = self.words.join(cur.runs, ln.runs)
                return
        self._start(Block("para", ln.runs, where), ln, body)

    def _title_apart(self) -> None:
        """A table's title is a paragraph of its own: when the paragraph right above a table
        went on over a page or column break after a sentence's end, the title set at the body's
        size and weight after the break was read as that sentence's next line — it starts at
        the break."""
        if self.broken is None or self.broken[0] is not self.blocks[-1]:
            return
        block, head, page = self.broken
        before = "".join(r.text for r in head).rstrip()
        whole = "".join(r.text for r in block.runs)
        if not _SENTENCE_END_RE.search(before) or not whole.startswith(before):
            return
        tail = strip_runs(cut_runs(block.runs, len(before)))
        if not "".join(r.text for r in tail).strip():
            return
        block.runs = strip_runs(head)
        title = Block("para", tail, f"page {page}", page=page)
        title.size, title.bold, title.italic = block.size, block.bold, block.italic
        title.caps = block.caps
        self.blocks.append(title)

    def _runs_on(self, last: _BLine | None, ln: _BLine) -> bool:
        """Whether a line at the text's edge may go on with a value run in after its label
        (a run-in row wraps back to the edge): not when the table's values wrap into a column
        of their own (the line, left of it, is the text after the table), nor when the line
        is set to another measure than the value's (the table full width, the text after it
        in columns)."""
        if self.hang is not None:
            return False
        if last is None:
            return True
        width = last.line.right - last.line.left
        other = ln.line.right - ln.line.left
        return min(width, other) >= 0.8 * max(width, other)

    def _start(self, block: Block, ln: _BLine, body: float, keep_items: bool = False) -> None:
        if not keep_items:
            self.item_xs = []
        if block.kind != "field":
            self.hang = None
        elif self.blocks and self.blocks[-1].kind == "para":
            self._title_apart()
        self.broken = None
        self.run_in = False
        block.size = round(ln.size / body, 2) if body else 1.0
        block.bold = ln.line.bold
        block.italic = ln.line.italic
        block.caps = ln.line.caps
        block.page = ln.page
        if block.kind != "field" and self.notes and self.notes[0].page < ln.page:
            self.blocks.extend(self.notes)  # after the text the page break interrupted
            self.notes = []
        self.blocks.append(block)
        self.first_x = ln.x0

    def note(self, ln: _BLine, body: float, marker: str) -> None:
        """A footnote line at a page's foot: kept aside, out of the text's flow, until the
        paragraph or table the page break interrupted is complete."""
        if not marker and (self.notes or self.last_note is not None):
            # a note's next line, or its end at the next page's foot (the note itself may
            # have gone into the text already)
            note = self.notes[-1] if self.notes else self.last_note
            note.runs = self.words.join(note.runs, ln.runs)
            return
        text = "".join(r.text for r in ln.runs)
        start = len(text) - len(text.lstrip())
        rest = start + len(marker)  # "¹" or "2": one character a digit
        runs = [Run(marker, False, False), *cut_runs(ln.runs, rest)]  # "2" read as "²"
        block = Block("para", strip_runs(runs), f"page {ln.page}", page=ln.page)
        block.size = round(ln.size / body, 2) if body else 1.0
        block.bold, block.italic, block.caps = ln.line.bold, ln.line.italic, ln.line.caps
        self.notes.append(block)
        self.last_note = block

    def finish(self) -> list[Block]:
        self.blocks.extend(self.notes)
        self.notes = []
        return self.blocks


def _in_address(first: str, rest: str) -> bool:
    """Whether a line break falls inside an e-mail address: the word it breaks has an "@"
    on one side and no space on the other ("jacob." | "townsend@unodc.org")."""
    head = re.search(r"\S*$", first).group(0)
    tail = re.match(r"\S*", rest).group(0)
    if not head or not tail or _ADDRESS_RE.fullmatch(head.rstrip(".")):
        return False  # an address ends the line: what follows is another word
    if re.fullmatch(r"(?i)e?-?mail\W*", head):
        return False  # "E-mail." before the address
    return bool(_ADDRESS_RE.fullmatch((head + tail).rstrip(".,;")))


_ADDRESS_RE = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")


def _style_at_end(runs: list[Run]) -> tuple[bool, bool]:
    visible = [r for r in runs if r.text.strip()]
    return (visible[-1].bold, visible[-1].italic) if visible else (False, False)


def _in_value_column(last: _BLine, ln: _BLine) -> bool:
    """The line starts, indented from the text's edge, where the line above set its value:
    after the gap that parts a label from its value, or where that value's own line began."""
    if ln.x0 <= ln.margin + 2 * ln.size:
        return False
    starts = [x for _, _, x in last.line.gaps[:1]]
    if last.value_x is not None:
        starts.append(last.value_x)  # after a label set apart by a space, not a gap
    if last.label is None and last.x0 > last.margin + 2 * last.size:
        starts.append(last.x0)  # the value's previous line, itself in the column
    return any(abs(x - ln.x0) <= 1.0 for x in starts)


def _centred(last: _BLine, ln: _BLine) -> bool:
    """Two lines centred on one axis, indented from the text's left edge."""
    axis = (last.line.x0 + last.line.x1) / 2
    return (
        abs((ln.line.x0 + ln.line.x1) / 2 - axis) <= ln.size
        and min(last.x0, ln.x0) > last.line.left + ln.size
    )


def _was_full(last: _BLine, ln: _BLine) -> bool:
    """Line-fit rule: the next line's first word would not have fitted on the last, after a
    word space (at most 0.35 em) and a tenth of an em more: a word processor measures in its
    own units, with kerning, so a word that our measure fits by less than that may not."""
    room = last.line.right - last.line.x1
    if _centred(last, ln):  # the room is on both sides
        room = (last.line.right - last.line.left) - (last.line.x1 - last.line.x0)
    return ln.line.first_word + 0.45 * ln.size > room


def _classify(ln: _BLine, body: float, columns: list[float], row: bool = False) -> None:
    line = ln.line
    text = "".join(r.text for r in ln.runs)
    ln.full_runs = ln.runs
    if _contents_entry(ln, text):
        return
    first = text.lstrip()[:1]
    if first in BULLETS or (first in DASH_BULLETS and _dash_bullet(line, text)):
        ln.bullet = True
        start = len(text) - len(text.lstrip()) + 1
        ln.runs = _cut(ln.runs, None, start)
        return
    _label(ln, text, body, columns, row)


def _contents_entry(ln: _BLine, text: str) -> bool:
    """A contents entry: a page number at the right, after a wide gap or leaders."""
    line = ln.line
    # a number at the end, not the tail of a figure ("1,906,876", "3.5"), unless leaders
    # precede it ("....14")
    m = re.search(r"(?:(?<![\d,.])|(?<=\.\.)|(?<=[…·]))(\d{1,3})$", text)
    if not m or line.x1 < line.left + 0.6 * (line.right - line.left):
        return False
    # set apart: the widest gap of the line (a justified line's word spaces are all alike)
    others = [g[1] for g in line.gaps[:-1]]
    set_apart = bool(
        line.gaps
        and line.gaps[-1][0] + 1 == m.start()
        and (not others or line.gaps[-1][1] > 1.5 * max(others))
    )
    leaders = bool(_LEADERS_RE.search(text[: m.start()].rstrip()))
    if not (set_apart or leaders):
        return False
    title = re.sub(r"[\s.·…‧∙]+$", "", text[: m.start()])
    if not title and leaders:  # leaders and the number, wrapped below the entry's title
        ln.page_ref = int(m.group(1))
        ln.runs = []
        return True
    if not title or label_key(title.split(":")[0]) is not None:
        return False
    ln.page_ref = int(m.group(1))
    ln.runs = _cut(ln.runs, len(title))
    return True


def _dash_bullet(line: Line, text: str) -> bool:
    """A dash is a bullet when a wide gap follows it (a list marker), not a word space."""
    return line.first_gap > 0.45 * line.size and text.lstrip()[1:2] == " "


def _label(ln: _BLine, text: str, body: float, columns: list[float], row: bool) -> None:
    """A table row's label: known by its words, or an unknown bold "Label:" before a value.
    `row`: the line is one of a table's rows by its words alone (`_rows_by_words`)."""
    line = ln.line
    lead = len(text) - len(text.lstrip())
    colon = text.find(":")
    # the label is the text before a colon, or before the first wide gap (a column or tab)
    ends = []
    if 0 < colon <= lead + 45:
        ends.append((colon, colon + 1, True))
    if line.gaps and line.gaps[0][0] <= lead + 45 and _gap_apart(line):
        gap_at = line.gaps[0][0]
        ends.append((gap_at, gap_at, False))
    ends.sort()
    for end, value_start, by_colon in ends:
        label = text[lead:end].strip().rstrip(":").strip()
        if not label or not _LABEL_WORDS_RE.match(label) or len(label.split()) > 5:
            continue
        known = label_key(label) is not None
        after = text[value_start:]
        value_at = value_start + (len(after) - len(after.lstrip()))
        bold_label = all_bold(ln.runs, end)
        regular_value = value_at >= len(text) or not bold_at(ln.runs, value_at)
        if known or (by_colon and bold_label and regular_value and re.search(r"[^\W\d_]", label)):
            gap_after = any(g[0] >= end and g[0] <= value_at for g in line.gaps)
            _set_label(ln, label, known, value_start, run_in=not gap_after)
            return
        if by_colon:
            break
    # a known label alone on its line (its value wrapped below it, or onto the next page)
    alone = text.strip().rstrip(":").strip()
    if (
        label_key(alone) is not None
        and _LABEL_WORDS_RE.match(alone)
        and len(alone.split()) <= 4
        and line.size <= 1.1 * body
    ):
        _set_label(ln, alone, True, len(text), run_in=False)
        return
    if row and (found := _label_by_words(text)) is not None:
        _set_label(ln, found[0], True, found[1], run_in=True)
        return
    # a known label run in without colon or column: told by its style ("BUDGET US$ 5"), set
    # alike over the label's words and changing after them, or by a wider space after it
    for words in (3, 2, 1):
        parts = text[lead:].split(" ", words)
        if len(parts) <= words:
            continue
        label = " ".join(parts[:words])
        if label_key(label) is None:
            continue
        end = lead + len(label)
        style = _style_of(ln.runs, lead)
        if any(_style_of(ln.runs, i) != style for i in range(lead, end) if text[i] != " "):
            continue  # the label's words and a value's first word ("field office Anand")
        style_changes = style != _style_of(ln.runs, end + 1)
        if (
            style_changes
            or _small_caps_over(line, text, lead, end)
            or (label.isupper() and re.search(r"[^\W_A-Z]", parts[words]) is not None)
            or _wide_space_at(line, end, columns)
        ):
            _set_label(ln, label, True, end, run_in=True)
            return


def _gap_apart(line: Line) -> bool:
    """The line's first wide gap parts columns (a tab stop, a table's cell)."""
    return _space_apart(line, line.gaps[0][0], line.gaps[0][1])


def _space_apart(line: Line, index: int, width: float) -> bool:
    """The space at `index` parts a label from its value: it is wider than the line's other
    spaces, not one of a justified line's spaces all stretched alike ("countries      adopted
    in", "countries            anti-" in a narrow column)."""
    others = sorted(w for i, _, w in line.spaces if i != index)
    if not others:  # two words: a justified line's one space is stretched to the measure
        return line.x1 < line.right - 1.0
    return width > 1.5 * others[len(others) // 2]


def _small_caps_over(line: Line, text: str, start: int, end: int) -> bool:
    """The words from `start` to `end` are set in small capitals (every letter a capital,
    some of them small) and nothing after them is ("COUNTRY Global", "HQ FOCAL POINT Ms.")."""
    letters = [i for i in range(start, end) if text[i].isalpha()]
    return (
        any(i in line.lowered for i in letters)
        and all(i in line.lowered or text[i].isupper() for i in letters)
        and all(i < end for i in line.lowered)
    )


def _wide_space_at(line: Line, index: int, columns: list[float]) -> bool:
    """The space at `index` is clearly wider than the line's word spaces (a cell's padding),
    or opens onto the page's value column."""
    space = next(((x, w) for i, x, w in line.spaces if i == index), None)
    if space is None:
        return False
    widths = sorted(w for _, _, w in line.spaces)
    word_space = widths[len(widths) // 2] if len(widths) >= 3 else 0.0
    if any(abs(space[0] - c) <= 1.5 for c in columns) and space[1] > 1.2 * word_space:
        return True  # a label too long for its tab stop: its value at the next one
    if space[1] <= 0.45 * line.size:
        return False
    return bool(word_space) and space[1] > 1.8 * word_space


def _style_of(runs: list[Run], index: int) -> tuple[bool, bool]:
    pos = 0
    for r in runs:
        if pos <= index < pos + len(r.text):
            return r.bold, r.italic
        pos += len(r.text)
    return False, False


def _set_label(ln: _BLine, label: str, known: bool, value_start: int, run_in: bool) -> None:
    ln.label = label
    ln.known = known
    ln.run_in = run_in
    ln.value_x = _value_x(ln.line, value_start)
    ln.runs = _cut(ln.runs, None, value_start)


def _value_x(line: Line, value_start: int) -> float | None:
    """Where a value starting at `value_start` in the line's text is set: after the space
    there (where a label's words end), or just before it (after a colon)."""
    before = {i: x for i, x, _ in line.spaces if i in (value_start - 1, value_start)}
    return before.get(value_start, before.get(value_start - 1))


def _cut(runs: list[Run], end: int | None, start: int = 0) -> list[Run]:
    out = cut_runs(runs, start, end)
    if out:
        out[0] = Run(out[0].text.lstrip(), out[0].bold, out[0].italic)
        out[-1] = Run(out[-1].text.rstrip(), out[-1].bold, out[-1].italic)
    return [r for r in out if r.text]


_SAME_SIZE = 0.2  # points: two lines' type sizes as the PDF prints them, measured alike


class _Pitch:
    """The document's tight line pitch relative to the type size (e.g. 1.35), learnt per type
    size where enough lines are set in it (footnotes, headings), else over the document."""

    def __init__(self, lines: list[Line]):
        ratios: dict[float, Counter[float]] = {}
        fonts: dict[str, Counter[float]] = {}
        for a, b in zip(lines, lines[1:], strict=False):
            if (
                a.page == b.page
                and a.column == b.column
                # one size: a subregion heading a little larger than the text under it
                # (8.9 over 8.5) spaced apart from it is no pitch of that size's lines
                and abs(a.size - b.size) < _SAME_SIZE
                and b.bottom > a.bottom
                and a.size > 0
            ):
                ratio = round((b.bottom - a.bottom) / a.size, 2)
                ratios.setdefault(round(a.size), Counter())[ratio] += 1
                if a.font == b.font:
                    fonts.setdefault(a.font, Counter())[ratio] += 1
        every: Counter[float] = Counter()
        for counter in ratios.values():
            every.update(counter)
        self.document = self._tightest(every) or 1.25
        self.by_size = {size: self._tightest(c) for size, c in ratios.items()}
        # a font's own line height (a word processor spaces lines by the font's ascent and
        # descent, so a heading font may set its lines further apart than the body's)
        self.by_font = {font: self._tightest(c) for font, c in fonts.items()}

    @staticmethod
    def _tightest(ratios: Counter[float]) -> float | None:
        """The tightest pitch that is common: seen three times at least, and at least a
        twentieth as often as the commonest (three list markers printed a little off their
        lines' baselines in a long text are no pitch of its lines)."""
        most = max(ratios.values(), default=0)
        common = sorted(r for r, n in ratios.items() if n >= max(3, most / 20) and r >= 0.9)
        return common[0] if common else None

    def of(self, size: float, font: str = "") -> float:
        return max(
            self.by_size.get(round(size)) or self.document,
            self.by_font.get(font) or self.document,
            self.document,
        )


def _margins(lines: list[Line]) -> dict[int, float]:
    """Each page's left text edge: the leftmost x at which several of its lines start (pages
    facing each other may have different margins)."""
    starts: dict[int, Counter[float]] = {}
    for ln in lines:
        if ln.column == 0:
            starts.setdefault(ln.page, Counter())[round(ln.x0, 1)] += 1
    document = Counter()
    for counter in starts.values():
        document.update(counter)
    fallback = document.most_common(1)[0][0] if document else 0.0
    out = {}
    for ln in lines:
        counter = starts.get(ln.page)
        if counter is None:
            out[ln.page] = fallback
            continue
        shared = [x for x, n in counter.items() if n >= 2]
        out[ln.page] = min(shared) if shared else fallback
    return out


def layout_blocks(layout: Layout) -> list[Block]:
    """The brochure's blocks, read from its layout."""
    lines = layout.lines
    if not lines:
        return []
    body = layout.body_size
    assembler = _Assembler(pitch=_Pitch(lines), words=_Words(lines))
    margins = _margins(lines)
    columns = _value_columns(lines)
    wrapped = _wrapped_labels(lines, columns)
    rows_by_words = _rows_by_words(lines, margins)
    notes = _foot_notes(lines, body)
    assembler.numbers_last = any(_LEADERS_NUMBER_RE.fullmatch(line.text) for line in lines)
    assembler.noted = {ln.page for ln in lines if id(ln) in notes}
    for ln in lines:
        if id(ln) not in notes:
            height = round(ln.page_height)
            assembler.bottoms[height] = max(assembler.bottoms.get(height, 0.0), ln.bottom)
    for line in lines:
        if id(line) in notes:
            assembler.note(_BLine(line, line.runs, line.left), body, notes[id(line)])
            continue
        bline = _BLine(line, line.runs, margins[line.page] if line.column == 0 else line.left)
        if id(line) in wrapped:
            label, start, first = wrapped[id(line)]
            if first:
                _set_label(bline, label, True, start, run_in=False)
            else:
                bline.runs = _cut(line.runs, None, start)
                bline.continues = True
                bline.value_x = _value_x(line, start)
        else:
            _classify(bline, body, columns.get(line.page, []), id(line) in rows_by_words)
        assembler.add(bline, body)
    return assembler.finish()


_NOTE_MARKERS = SUPERSCRIPTS + "*†‡§"


def _foot_notes(lines: list[Line], body: float) -> dict[int, str]:
    """Footnotes at the foot of a page (or column): its last lines, set smaller than the body
    text, the first of them starting with a note's marker — raised or superscript, or a
    number in the note's own size that the page's text calls as a raised marker ("²" in the
    text, "2 Member States …" at the foot). line id → the marker a note starts with ("" for
    a note's continuation lines, also at the next page's foot when the note broke off in
    mid-sentence)."""
    out: dict[int, str] = {}
    by_flow: dict[tuple[int, int], list[Line]] = {}
    calls: dict[int, set[str]] = {}
    for ln in lines:
        by_flow.setdefault((ln.page, ln.column), []).append(ln)
        if ln.size >= 0.92 * body:
            calls.setdefault(ln.page, set()).update(re.findall(rf"[{SUPERSCRIPTS}]+", ln.text))
    last_note: Line | None = None  # the last line of the last footnote so far
    for (page, _), flow in by_flow.items():
        k = len(flow)
        while k > 0 and _type_size(flow[k - 1]) < 0.92 * body:
            k -= 1
        if k == 0 or k == len(flow):
            continue
        marks = [_note_marker(ln.text, calls.get(page, set())) for ln in flow[k:]]
        first = next((i for i, mark in enumerate(marks) if mark), None)
        if first is None and last_note is not None and page - last_note.page <= 1:
            # a note the page before left in mid-sentence goes on at this page's foot
            first = None if _SENTENCE_END_RE.search(last_note.text) else 0
        if first is None or flow[k + first].top <= flow[k - 1].bottom:
            continue
        foot = zip(flow[k + first :], marks[first:], strict=True)
        out.update((id(ln), mark) for ln, mark in foot)
        last_note = flow[-1]
    return out


def _type_size(line: Line) -> float:
    """The size a line is set in: a line opening in small capitals (a label in them, "COUNTRY
    Albania") is set against the size its capitals are small against, not in small type."""
    text = plain(line.runs)
    first = next((i for i, c in enumerate(text) if c.isalpha()), None)
    return line.small_caps if line.small_caps and first in line.lowered else line.size


def _note_marker(text: str, calls: set[str]) -> str:
    if raised := re.match(r"\^\{[^}]+\}", text):
        return raised.group(0)  # a raised sign ("^{*}", from layout)
    if text[:1] in _NOTE_MARKERS:
        return re.match(rf"[{_NOTE_MARKERS}]+", text).group(0)
    number = re.match(r"(\d{1,2})\s", text)
    if number and number.group(1).translate(SUPERSCRIPT_OF) in calls:
        return number.group(1).translate(SUPERSCRIPT_OF)
    return ""


def _wrapped_labels(
    lines: list[Line], columns: dict[int, list[float]]
) -> dict[int, tuple[str, int, bool]]:
    """Labels wrapped in a narrow label column ("TOTAL" | "PLEDGES:"): two lines whose words
    before the same x (the value column) read as a known label only together.
    line id → (label, where its value starts, whether it is the label's first line)."""
    out: dict[int, tuple[str, int, bool]] = {}
    for a, b in zip(lines, lines[1:], strict=False):
        # the label may wrap over a page or column break ("HQ FOCAL" | next page: "POINT")
        same_flow = a.page == b.page and a.column == b.column
        if same_flow and id(a) not in out and _label_wrapped_alone(a, b):
            label = f"{a.text} {b.text}".rstrip(":").strip()
            out[id(a)] = (label, len(plain(a.runs)), True)
            out[id(b)] = (label, len(plain(b.runs)), False)
            continue
        if not a.spaces or id(a) in out:
            continue
        for index, x, width in a.spaces[:4]:
            head = a.text[:index].strip()
            if head.endswith(":") or len(head) > 30:
                break  # a whole label ("Budget:"), or words of a sentence
            if width <= 0.45 * a.size:
                continue  # the value column is set apart by more than a word space
            # a whole label before the value column, unless the words below it make a
            # longer one ("Field" | "Office", "Total" | "Pledges")
            complete = label_key(head.rstrip(":")) is not None
            tail_at = next(
                (i for i, bx, bw in b.spaces[:3] if abs(bx - x) <= 1.5 and bw > 0.45 * b.size),
                None,
            )
            # the label's last words alone: the value did not wrap (over a page or column
            # break, only labels' words: "total US$ 0" | next page: "pledges")
            alone = same_flow or _of_label_words(b.text)
            if tail_at is None and alone and b.x1 < x - 0.3 * b.size and len(b.text) <= 30:
                tail_at = len(b.text)
            if tail_at is None and complete:
                break
            if tail_at is None:
                continue
            tail = b.text[:tail_at].strip()
            label = f"{head} {tail}".rstrip(":").strip()
            if complete and (label_key(tail.rstrip(":")) is not None or label_key(label) is None):
                break  # the next row's own label, or no label's words
            # a word too long for its cell, broken with a hyphen ("OF-" | "FICE:") or without
            for joined in (head[:-1] if head[-1:] in _LINE_END_HYPHENS else None, head):
                whole = f"{joined}{tail}".rstrip(":").strip() if joined else ""
                if label_key(label) is None and whole and label_key(whole) is not None:
                    label = whole
            marked = (
                tail.endswith(":")
                or label.isupper()
                or all_bold(a.runs, index)
                or any(abs(x - c) <= 1.5 for c in columns.get(a.page, ()))
            )
            if marked and label_key(label) is not None and _LABEL_WORDS_RE.match(label):
                out[id(a)] = (label, index, True)
                out[id(b)] = (label, tail_at, False)
                break
    return out


# a table's rows told by their words alone: at least this many fields' labels, each at the
# start of a line at the text's left edge, the next one within a few lines (a value wraps)
_TABLE_FIELDS = 3
_ROWS_APART = 6
_MONEY_FIELDS = {"budget", "pledges", "shortfall"}
_MONEY_START_RE = re.compile(r"(?:US\s?\$|USD|\$|€|EUR|£|\d)")


def _rows_by_words(lines: list[Line], margins: dict[int, float]) -> set[int]:
    """Table rows whose labels nothing sets apart from their values but their words, run in
    and set as the text is ("countries Argentina/Bolivia", "budget US$ 300,000"): a line
    opening with a field's label at the text's left edge, in a run of such lines naming
    several fields and set alike, or naming a sum's field before an amount. A sentence that
    opens a line with "budget" or "region", or a title's second line ("region and
    Mauritania", in the title's type), is neither. Line ids."""
    starts: list[tuple[int, str, str]] = []  # (index in lines, field, the value's first word)
    for i, line in enumerate(lines):
        left = margins.get(line.page, line.left) if line.column == 0 else line.left
        if abs(line.x0 - left) > line.size:
            continue
        text = plain(line.runs)
        found = _label_by_words(text)
        if found is None:
            continue
        label, value_at = found
        lead = len(text) - len(text.lstrip())
        value = text[value_at:].split()[0]
        # no style sets the label apart, and a value opens as a name, a figure or a sum does
        # ("countries adopted in" is a sentence's line)
        alike = _style_of(line.runs, lead) == _style_of(line.runs, value_at)
        if alike and (value[0].isupper() or value[0].isdigit() or value[0] in "$€£\"'“‘("):
            starts.append((i, label_key(label) or "", value))
    rows: set[int] = set()
    run: list[tuple[int, str, str]] = []
    for start in [*starts, (len(lines) + _ROWS_APART + 1, "", "")]:
        if run and start[0] - run[-1][0] > _ROWS_APART:
            rows.update(id(lines[i]) for i in _rows_of(run, lines))
            run = []
        run.append(start)
    return rows


def _label_by_words(text: str) -> tuple[str, int] | None:
    """A known label a line opens with, told by its words alone, and where its value starts:
    the longest known label among the labels' words the line opens with ("hq focal point",
    "field office" before "Anand"), a colon after none of them (a label with a colon is read
    as such)."""
    spans = [m.span() for m in re.finditer(r"\S+", text)]
    words = [text[a:b] for a, b in spans]
    run = next((k for k, w in enumerate(words) if not _of_label_words(w)), len(words))
    if ":" in " ".join(words[:run]):
        return None
    # the longest known label among them ("countries" before "Sub-Region – West Africa")
    count = next((k for k in range(run, 0, -1) if label_key(" ".join(words[:k]))), 0)
    if not 0 < count < len(words):
        return None
    return " ".join(words[:count]), spans[count][0]


def _of_label_words(label: str) -> bool:
    """Made of labels' words only: "field office", not "field office Anand" (a label that
    nothing sets apart from its value ends where the labels' words end)."""
    words = label.lower().replace("-", " ").rstrip(":").split()
    return bool(words) and all(word in LABEL_WORDS for word in words)


def _rows_of(run: list[tuple[int, str, str]], lines: list[Line]) -> list[int]:
    """The lines of a run of label-led lines that are a table's rows: those set as most of
    them are, when they name several fields; else a sum's field before an amount."""
    type_of = {i: (lines[i].bold, lines[i].italic, round(lines[i].size, 1)) for i, _, _ in run}
    common = Counter(type_of.values()).most_common(1)[0][0]
    alike = [(i, key, value) for i, key, value in run if type_of[i] == common]
    if len({key for _, key, _ in alike}) >= _TABLE_FIELDS:
        return [i for i, _, _ in alike]
    return [i for i, key, value in run if key in _MONEY_FIELDS and _MONEY_START_RE.match(value)]


def _label_wrapped_alone(a: Line, b: Line) -> bool:
    """A label wrapped in its cell with no value beside it ("HQ FOCAL" | "POINT" at a page's
    foot, the value on the next page): two short lines set tight, in one size, made of
    labels' words that make a known label only together."""
    label = f"{a.text} {b.text}".rstrip(":").strip()
    return (
        not a.gaps
        and not b.gaps
        and len(a.text) <= 30
        and len(b.text) <= 30
        and abs(a.size - b.size) < 0.5
        and 0 <= b.top - a.bottom < 0.6 * b.size
        # not two rows' labels, each alone ("Budget" | "Shortfall"): one is no label by itself
        and None in (label_key(a.text.rstrip(":")), label_key(b.text.rstrip(":")))
        and label_key(label) is not None
        and _of_label_words(label)
    )


def _value_columns(lines: list[Line]) -> dict[int, list[float]]:
    """Per page, where values start after a known label (a table's value column, or a tab
    stop): after a wide gap, or after a space wider than a word space at an x that several
    rows share (right-aligned labels of different lengths, one value column). A label
    wrapped, or run in, before the same x belongs to the same table."""
    out: dict[int, list[float]] = {}
    shared: dict[int, Counter[float]] = {}
    for ln in lines:
        if ln.gaps and _gap_apart(ln):
            index, _, x = ln.gaps[0]
            if label_key(ln.text[:index].strip().rstrip(":")) is not None:
                out.setdefault(ln.page, []).append(x)
                continue
        for index, x, width in ln.spaces[:3]:
            if (
                width > 0.45 * ln.size
                and label_key(ln.text[:index].rstrip(":")) is not None
                and _space_apart(ln, index, width)
            ):
                shared.setdefault(ln.page, Counter())[round(x)] += 1
                break
    for page, counter in shared.items():
        xs = sorted(counter)
        for x in xs:
            near = sum(n for other, n in counter.items() if abs(other - x) <= 1.5)
            if near >= 2:
                out.setdefault(page, []).append(float(x))
    return out

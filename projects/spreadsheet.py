"""The XLSX shortfall list, ready for a donor meeting.

Sheet "Shortfalls": a title block (portal, filters in words, editions, "as of"), then an Excel
table of the projects whose totals row uses SUBTOTAL: the totals sit outside the sorted and
filtered range and count only the rows a person still sees. Sheet "Summary": the whole list by
section and by donor, as formulas over the other sheets. Sheet "Pledges": one row per pledge,
which the donor summary adds up. Written in openpyxl's write-only mode, row by row.
"""

from __future__ import annotations

import warnings
from collections import Counter
from copy import copy
from decimal import Decimal
from math import ceil
from typing import IO

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.styles.cell_style import StyleArray
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.filters import AutoFilter
from openpyxl.worksheet.hyperlink import Hyperlink
from openpyxl.worksheet.table import Table, TableColumn, TableFormula, TableStyleInfo
from openpyxl.worksheet.worksheet import Worksheet

from projects.exports import PORTAL_NAME, UNNAMED_DONOR, Column, Heading, Record
from projects.formulas import neutralise as formula_safe

WHOLE_DOLLARS = "#,##0;[Red]-#,##0"
DOLLARS_AND_CENTS = "#,##0.00;[Red]-#,##0.00"
PERCENT = "0.0%"
COUNT = "0"
TITLE = Font(bold=True, size=14)
BOLD = Font(bold=True)
LINK = Font(color="0563C1", underline="single")
HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
WRAP = Alignment(wrap_text=True, vertical="top")
TOP = Alignment(vertical="top")
HEADER_ALIGNMENT = Alignment(wrap_text=True, vertical="bottom")
TABLE_STYLE = TableStyleInfo(name="TableStyleLight1", showRowStripes=True)
LINE_HEIGHT, MAX_LINES = 15, 8  # points
WRAPPED_WIDTH = 10  # text columns at least this wide wrap instead of spilling over
BUDGET, PLEDGED, SHORTFALL = "Budget (US$)", "Pledged (US$)", "Shortfall (US$)"


def neutralise(value: str) -> str:
    """Text a cell can hold: none of the control characters XML (so XLSX) cannot carry, which
    openpyxl refuses with an exception, and no formula start."""
    return formula_safe(ILLEGAL_CHARACTERS_RE.sub("", value))


def has_cents(amount: Decimal) -> bool:
    return amount != amount.to_integral_value()


def money_format(cents: bool) -> str:
    """Whole dollars unless a figure has cents."""
    return DOLLARS_AND_CENTS if cents else WHOLE_DOLLARS


def percent_of(pledged: str, budget: str) -> str:
    return f'IF(N({budget})>0,{pledged}/{budget},"")'


class Sheet:
    """A write-only sheet that counts its rows and makes its cells."""

    def __init__(self, book: Workbook, title: str, widths: list[int]):
        self.sheet = book.create_sheet(title)
        self.rows = 0
        self.styles: dict[tuple, StyleArray] = {}
        for index, width in enumerate(widths, start=1):
            self.sheet.column_dimensions[get_column_letter(index)].width = width

    def append(self, cells: list) -> int:
        """Appends a row and returns its number."""
        self.sheet.append(cells)
        self.rows += 1
        return self.rows

    def styled(
        self,
        value: object,
        number_format: str = "General",
        font: Font | None = None,
        alignment: Alignment | None = None,
    ) -> WriteOnlyCell:
        """A cell with a style, which is looked up once: openpyxl hashes a style's parts each
        time one is set, which would cost more than writing the cell."""
        cell = WriteOnlyCell(self.sheet, value)
        key = (number_format, id(font), id(alignment))
        style = self.styles.get(key)
        if style is None:
            cell.number_format = number_format
            if font:
                cell.font = font
            if alignment:
                cell.alignment = alignment
            self.styles[key] = style = cell._style
        cell._style = copy(style)
        return cell

    def text(
        self, value: str, font: Font | None = None, alignment: Alignment | None = None
    ) -> WriteOnlyCell:
        return self.styled(neutralise(value), "General", font, alignment)

    def number(self, value: object, number_format: str, font: Font | None = None):
        """A number, or a formula when `value` starts with "=" (only ever one we wrote)."""
        return self.styled(value, number_format, font, None)

    def fit_height(self, texts: list[tuple[str, int]]) -> None:
        """Sets the next row's height to show its wrapped texts (text, column width), up to
        MAX_LINES lines: spreadsheets do not all size rows to wrapped text when they open."""
        lines = max((ceil(len(text) * 1.1 / max(width - 1, 1)) for text, width in texts), default=1)
        if lines > 1:
            self.sheet.row_dimensions[self.rows + 1].height = LINE_HEIGHT * min(lines, MAX_LINES)

    def header(self, labels: list[str]) -> int:
        cells = []
        for label in labels:
            cell = self.text(label, BOLD)
            cell.fill = HEADER_FILL
            cell.alignment = HEADER_ALIGNMENT
            cells.append(cell)
        return self.append(cells)

    def print_setup(self, heading: Heading, title_rows: str | None) -> None:
        sheet = self.sheet
        sheet.page_setup.orientation = "landscape"
        sheet.page_setup.paperSize = Worksheet.PAPERSIZE_A4
        sheet.page_setup.fitToWidth = 1
        sheet.page_setup.fitToHeight = 0
        if title_rows:
            sheet.print_title_rows = title_rows
        sheet.oddHeader.left.text = f"{PORTAL_NAME}: {heading.title}"
        sheet.oddFooter.left.text = f"&A, as of {heading.as_of}"
        sheet.oddFooter.right.text = "Page &P of &N"


class ShortfallWorkbook:
    def __init__(self, heading: Heading, columns: list[Column]):
        self.heading = heading
        self.columns = columns
        self.letters = {c.label: get_column_letter(i) for i, c in enumerate(columns, start=1)}
        self.book = Workbook(write_only=True)
        self.projects = Sheet(self.book, "Shortfalls", [c.width for c in columns])
        self.summary = Sheet(self.book, "Summary", [34, 10, 16, 16, 16, 10, 22])
        self.pledges = Sheet(self.book, "Pledges", [10, 45, 30, 14])
        self.count = 0
        self.with_cents: Counter[str] = Counter()  # section or donor: figures with cents
        self.sections: list[str] = []
        self.donors: set[str] = set()
        self.alignments = [
            WRAP if c.kind in ("text", "link") and c.width >= WRAPPED_WIDTH else TOP
            for c in columns
        ]
        for sheet in (self.projects, self.summary):  # written with the first row
            sheet.sheet.sheet_properties.pageSetUpPr.fitToPage = True
        self.start_projects()
        self.cells = self.reusable_cells()
        self.pledges.header(["Code", "Project", "Donor", "Amount (US$)"])
        self.pledges.sheet.freeze_panes = "A2"

    def title_block(self, sheet: Sheet, title: str, note: str) -> None:
        sheet.append([sheet.text(f"{PORTAL_NAME}: {title}", TITLE)])
        for line in [*self.heading.lines[1:], note]:
            sheet.append([sheet.text(line)])
        sheet.append([])

    def start_projects(self) -> None:
        sheet = self.projects
        sheet.sheet.freeze_panes = f"C{len(self.heading.lines) + 4}"
        self.title_block(
            sheet,
            self.heading.title,
            "Sort and filter freely: the totals under the table count the rows shown.",
        )
        labels = [c.label for c in self.columns]
        sheet.fit_height([(label, c.width) for label, c in zip(labels, self.columns, strict=True)])
        self.header_row = sheet.header(labels)

    def reusable_cells(self) -> list[dict[bool, WriteOnlyCell]]:
        """One styled cell per column (two for amounts: with and without cents), given each
        row's values in turn: a write-only sheet writes a row as it is appended, so its cells
        can be used again, which saves making and styling a cell for every value."""
        sheet, cells = self.projects, []
        for column, alignment in zip(self.columns, self.alignments, strict=True):
            if column.kind == "money":
                cells.append(
                    {
                        cents: sheet.styled(None, money_format(cents), None, alignment)
                        for cents in (False, True)
                    }
                )
            elif column.kind == "percent":
                cells.append({False: sheet.styled(None, PERCENT, None, alignment)})
            else:
                font = LINK if column.kind == "link" else None
                cells.append({False: sheet.styled(None, "General", font, alignment)})
        return cells

    def add(self, record: Record) -> None:
        row: list[WriteOnlyCell | None] = []
        for column, cells in zip(self.columns, self.cells, strict=True):
            value = column.value(record)
            if value is None or value == "":
                row.append(None)
            elif column.kind == "money":
                cell = cells[has_cents(value)]
                cell.value = value
                row.append(cell)
            elif column.kind == "percent":
                cell = cells[False]
                cell.value = value / 100
                row.append(cell)
            else:
                cell = cells[False]
                cell.value = neutralise(str(value))
                if column.kind == "link":
                    cell.hyperlink = Hyperlink(
                        ref="", target=record.url, tooltip="Open on the portal"
                    )
                row.append(cell)
        self.projects.fit_height(
            [
                (str(cell.value), column.width)
                for cell, column, alignment in zip(row, self.columns, self.alignments, strict=True)
                if cell is not None and alignment is WRAP
            ]
        )
        self.projects.append(row)
        self.count += 1
        if record.section not in self.sections:
            self.sections.append(record.section)
        for figure in (record.budget, record.pledged, record.computed_shortfall):
            if figure is not None and has_cents(figure):
                self.with_cents[record.section] += 1
        pledges = self.pledges
        code, title = neutralise(record.code), neutralise(record.title)
        for donor, amount in record.pledges:
            cents = has_cents(amount)
            # Plain values where no style is needed: openpyxl writes them fastest.
            pledges.append(
                [code, title, neutralise(donor), pledges.number(amount, money_format(cents))]
            )
            self.donors.add(donor)
            if cents:
                self.with_cents[donor] += 1

    # The totals row of the projects' table, then the table around them.

    def column_range(self, label: str, absolute: bool = False) -> str:
        letter, first, last = self.letters[label], self.first, self.last
        if absolute:
            return f"Shortfalls!${letter}${first}:${letter}${last}"
        return f"{letter}{first}:{letter}{last}"

    def finish_projects(self) -> None:
        sheet = self.projects
        if not self.count:  # a table needs a data row: this one says there is none
            sheet.append([None, sheet.text("No project matches these filters.")])
        self.first, self.last = self.header_row + 1, sheet.rows
        totals = self.last + 1
        budget, pledged = self.column_range(BUDGET), self.column_range(PLEDGED)
        first_pledged = f"{self.letters[PLEDGED]}{self.first}"
        # Pledges to projects without a stated budget are left out, as on the portal, so that
        # budget − pledged = shortfall holds in the totals row too.
        visible_pledged = (
            f"SUMPRODUCT(SUBTOTAL(109,OFFSET({first_pledged},"
            f'ROW({pledged})-ROW({first_pledged}),0)),--({budget}<>""))'
        )
        money = money_format(any(self.with_cents[s] for s in self.sections))
        formulas = {
            "Project": (f'SUBTOTAL(103,{self.column_range("Project")})&" projects shown"', ""),
            BUDGET: (f"SUBTOTAL(109,{budget})", money),
            PLEDGED: (visible_pledged, money),
            SHORTFALL: (f"SUBTOTAL(109,{self.column_range(SHORTFALL)})", money),
            "Funded (%)": (
                percent_of(f"{self.letters[PLEDGED]}{totals}", f"{self.letters[BUDGET]}{totals}"),
                PERCENT,
            ),
        }
        row = [sheet.text("Total", BOLD)]
        for column in self.columns[1:]:
            if column.label in formulas:
                formula, number_format = formulas[column.label]
                row.append(sheet.number(f"={formula}", number_format or "General", BOLD))
            else:
                row.append(None)
        sheet.append(row)
        last_letter = get_column_letter(len(self.columns))
        table = Table(
            displayName="Shortfalls",
            ref=f"A{self.header_row}:{last_letter}{totals}",
            totalsRowCount=1,
            tableStyleInfo=TABLE_STYLE,
            autoFilter=AutoFilter(ref=f"A{self.header_row}:{last_letter}{self.last}"),
        )
        table.tableColumns = [
            TableColumn(id=index, name=column.label)
            for index, column in enumerate(self.columns, start=1)
        ]
        table.tableColumns[0].totalsRowLabel = "Total"
        for column in table.tableColumns:
            if column.name in formulas:
                column.totalsRowFunction = "custom"
                column.totalsRowFormula = TableFormula(attr_text=formulas[column.name][0])
        with warnings.catch_warnings():  # "you must add table columns manually": done above
            warnings.simplefilter("ignore", UserWarning)
            sheet.sheet.add_table(table)
        sheet.print_setup(self.heading, f"{self.header_row}:{self.header_row}")

    # The summary: by section from the projects' sheet, by donor from the pledges' sheet.

    def finish_summary(self) -> None:
        sheet = self.summary
        self.title_block(
            sheet,
            "summary",
            "Every project of the Shortfalls sheet, whatever rows it shows: formulas over the"
            " Shortfalls and Pledges sheets.",
        )
        self.section_summary(sheet)
        sheet.append([])
        self.donor_summary(sheet)
        sheet.print_setup(self.heading, None)

    def section_summary(self, sheet: Sheet) -> None:
        sheet.append([sheet.text("By section", BOLD)])
        sheet.header(
            [
                "Section",
                "Projects",
                BUDGET,
                PLEDGED,
                SHORTFALL,
                "Funded (%)",
                "Pledged where the budget is not stated (US$)",
            ]
        )
        sections = self.column_range("Section", absolute=True)
        budget = self.column_range(BUDGET, absolute=True)
        pledged = self.column_range(PLEDGED, absolute=True)
        shortfall = self.column_range(SHORTFALL, absolute=True)
        first = sheet.rows + 1
        for name in sorted(self.sections, key=str.casefold):
            row = sheet.rows + 1
            money = money_format(bool(self.with_cents[name]))
            key = f"$A{row}"
            sheet.append(
                [
                    sheet.text(name),
                    sheet.number(f"=COUNTIFS({sections},{key})", COUNT),
                    sheet.number(f"=SUMIFS({budget},{sections},{key})", money),
                    sheet.number(f'=SUMIFS({pledged},{sections},{key},{budget},"<>")', money),
                    sheet.number(f"=SUMIFS({shortfall},{sections},{key})", money),
                    sheet.number(f"={percent_of(f'D{row}', f'C{row}')}", PERCENT),
                    sheet.number(f"=SUMIFS({pledged},{sections},{key})-D{row}", money),
                ]
            )
        self.total_row(sheet, first, summed="BCDEG", percent=("F", "D", "C"))

    def total_row(
        self, sheet: Sheet, first: int, summed: str, percent: tuple[str, str, str] | None = None
    ) -> None:
        row, last = sheet.rows + 1, sheet.rows
        money = money_format(bool(+self.with_cents))
        cells: list[object] = [sheet.text("Total", BOLD)]
        for letter in "BCDEFG":
            if letter in summed:
                number_format = COUNT if letter == "B" else money
                total = f"=SUM({letter}{first}:{letter}{last})"
                cells.append(sheet.number(total, number_format, BOLD))
            elif percent and letter == percent[0]:
                ratio = percent_of(f"{percent[1]}{row}", f"{percent[2]}{row}")
                cells.append(sheet.number(f"={ratio}", PERCENT, BOLD))
            else:
                cells.append(None)
        sheet.append(cells)

    def donor_summary(self, sheet: Sheet) -> None:
        sheet.append([sheet.text("By donor (the Pledges sheet)", BOLD)])
        sheet.header(["Donor", "Pledges", "Pledged (US$)"])
        last = max(self.pledges.rows, 2)
        donors, amounts = f"Pledges!$C$2:$C${last}", f"Pledges!$D$2:$D${last}"
        first = sheet.rows + 1
        for name in sorted(self.donors, key=lambda d: (d == UNNAMED_DONOR, d.casefold())):
            row = sheet.rows + 1
            sheet.append(
                [
                    sheet.text(name),
                    sheet.number(f"=COUNTIFS({donors},$A{row})", COUNT),
                    sheet.number(
                        f"=SUMIFS({amounts},{donors},$A{row})",
                        money_format(bool(self.with_cents[name])),
                    ),
                ]
            )
        self.total_row(sheet, first, summed="BC")

    def finish_pledges(self) -> None:
        self.pledges.sheet.auto_filter.ref = f"A1:D{max(self.pledges.rows, 2)}"
        self.pledges.print_setup(self.heading, "1:1")

    def save(self, target: IO[bytes]) -> None:
        self.finish_projects()
        self.finish_summary()
        self.finish_pledges()
        self.book.save(target)

"""The XLSX shortfall list: frozen header, autofilter, money formats, section subtotals."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from decimal import Decimal

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from projects.formulas import neutralise

MONEY_FORMAT = "#,##0.00;[Red]-#,##0.00"
PERCENT_FORMAT = '0.00"%"'
SUMMED = ("budget", "pledged", "computed shortfall")
BOLD = Font(bold=True)


def text(value: str) -> str:
    """Text a cell can hold: no formula start, and none of the control characters that XML
    (and so XLSX) cannot carry, which openpyxl refuses with an exception."""
    return neutralise(ILLEGAL_CHARACTERS_RE.sub("", value))


class ShortfallWorkbook:
    """Rows arrive sorted by section; a subtotal row closes each section, a grand total the list.

    Totals are sums of the exact Decimal figures (not spreadsheet formulas), so they equal the
    portal's own totals to the cent and are there even for programs that do not recalculate.
    """

    def __init__(self, columns: list[str], money_columns: set[str]):
        self.columns = columns
        self.money = money_columns
        self.book = Workbook()
        self.sheet = self.book.active
        self.sheet.title = "Shortfalls"
        self.sheet.append(columns)
        for cell in self.sheet[1]:
            cell.font = BOLD
        self.widths = [len(c) for c in columns]
        self.section: str | None = None
        self.section_sums = dict.fromkeys(SUMMED, Decimal(0))
        self.grand_sums = dict.fromkeys(SUMMED, Decimal(0))
        self.count = 0

    def add(self, record: dict[str, object]) -> None:
        if self.section is not None and record["section"] != self.section:
            self.total_row(f"Subtotal {self.section}", self.section_sums)
            self.section_sums = dict.fromkeys(SUMMED, Decimal(0))
        self.section = str(record["section"])
        for key in SUMMED:
            if record[key] is not None and record["budget"] is not None:
                self.section_sums[key] += record[key]
                self.grand_sums[key] += record[key]
        self.append([self.cell_value(name, record[name]) for name in self.columns])
        self.count += 1

    def cell_value(self, name: str, value: object) -> object:
        if value is None or isinstance(value, Decimal):
            return value
        return text(str(value))

    def append(self, values: list[object], bold: bool = False) -> None:
        self.sheet.append(values)
        row = self.sheet.max_row
        for index, name in enumerate(self.columns, start=1):
            cell = self.sheet.cell(row=row, column=index)
            if name in self.money:
                cell.number_format = MONEY_FORMAT
            elif name == "percent funded":
                cell.number_format = PERCENT_FORMAT
            if bold:
                cell.font = BOLD
            value = cell.value
            shown = f"{value:,.2f}" if isinstance(value, Decimal) else str(value or "")
            self.widths[index - 1] = max(self.widths[index - 1], min(len(shown), 60))

    def total_row(self, label: str, sums: dict[str, Decimal]) -> None:
        values: list[object] = [""] * len(self.columns)
        values[self.columns.index("title")] = label
        for key in SUMMED:
            values[self.columns.index(key)] = sums[key]
        self.append(values, bold=True)

    def finish(self, filters_used: Iterable[tuple[str, str]], when: datetime.datetime) -> None:
        if self.section is not None:
            self.total_row(f"Subtotal {self.section}", self.section_sums)
        last = get_column_letter(len(self.columns))
        self.sheet.auto_filter.ref = f"A1:{last}{self.sheet.max_row}"
        self.total_row("Grand total", self.grand_sums)
        self.sheet.freeze_panes = "A2"
        for index, width in enumerate(self.widths, start=1):
            self.sheet.column_dimensions[get_column_letter(index)].width = width + 2
        about = self.book.create_sheet("Filters")
        about.append(["Exported", when.strftime("%Y-%m-%d %H:%M UTC")])
        about.append(["Projects", self.count])
        filters = list(filters_used)
        for name, value in filters or [("filters", "none: every published project")]:
            about.append([text(name), text(value)])
        about.column_dimensions["A"].width = 20
        about.column_dimensions["B"].width = 60

    def save(self, target) -> None:
        self.book.save(target)

"""Render many renditions at once and read each back with the portal's reader.

WeasyPrint renditions are printed in worker processes while LibreOffice converts all the
DOCX renditions in one soffice run; the PDFs are then read in worker processes too.
"""

from __future__ import annotations

import multiprocessing
import os
import resource
import threading
import time
import traceback
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from tests.typesetting import docx, html
from tests.typesetting.compare import expected, first_difference, missing_words, report_of
from tests.typesetting.document import Document, arrange, brochure, report
from tests.typesetting.styles import Style, draw_style

DOCUMENTS = {"brochure": brochure, "report": report}


@dataclass(frozen=True)
class Spec:
    kind: str  # "brochure" or "report"
    producer: str  # "weasyprint" or "libreoffice"
    seed: int

    @property
    def name(self) -> str:
        return f"{self.kind}-{self.producer}-{self.seed}"

    @property
    def style(self) -> Style:
        return draw_style(self.seed, self.producer, self.kind)

    def document(self) -> Document:
        return DOCUMENTS[self.kind]()


@dataclass(frozen=True)
class Outcome:
    spec: Spec
    pdf: Path
    difference: str | None  # None: read exactly as the text rendition
    missing: tuple[str, ...] = ()  # words of the text the PDF does not print (a generator bug)

    @property
    def exact(self) -> bool:
        return self.difference is None


def _pool() -> ProcessPoolExecutor:
    """Worker processes (TYPESETTING_JOBS, default one per CPU), started by a fork server:
    LibreOffice's conversion runs in a thread meanwhile, and threads and fork() do not mix."""
    jobs = int(os.environ.get("TYPESETTING_JOBS", 0)) or len(os.sched_getaffinity(0))
    return ProcessPoolExecutor(jobs, mp_context=multiprocessing.get_context("forkserver"))


@dataclass
class Costs:
    """CPU seconds spent, by stage (summed over worker processes), and the wall time."""

    weasyprint: float = 0.0
    libreoffice: float = 0.0  # python-docx and soffice
    reading: float = 0.0  # the portal's reader, and pdftotext for the word check
    wall: float = 0.0

    def line(self, count: int) -> str:
        cpu = self.weasyprint + self.libreoffice + self.reading
        return (
            f"typesetting: {count} renditions in {self.wall:.0f} s; CPU {cpu:.0f} s "
            f"(WeasyPrint {self.weasyprint:.0f}, LibreOffice {self.libreoffice:.0f}, "
            f"reading {self.reading:.0f})"
        )


COSTS = Costs()


def _cpu(children: bool = False) -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN if children else resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def _weasyprint(spec: Spec, outdir: Path) -> tuple[Path, float]:
    started = _cpu()
    pdf = html.render_pdf(spec.document(), spec.style, outdir / f"{spec.name}.pdf")
    return pdf, _cpu() - started


def render(specs: list[Spec], outdir: Path) -> dict[Spec, Path]:
    """Every rendition as a PDF in `outdir`."""
    outdir.mkdir(parents=True, exist_ok=True)
    office = [s for s in specs if s.producer == "libreoffice"]
    weasy = [s for s in specs if s.producer == "weasyprint"]
    started = _cpu()
    docx_files = [
        docx.render_docx(s.document(), s.style, outdir / f"{s.name}.docx") for s in office
    ]
    failure: list[BaseException] = []

    COSTS.libreoffice += _cpu() - started

    def convert() -> None:
        started = _cpu(children=True)
        try:
            docx.convert(docx_files, outdir)
            COSTS.libreoffice += _cpu(children=True) - started
        except BaseException as error:  # re-raised below, in the caller's thread
            failure.append(error)

    converter = threading.Thread(target=convert)
    if docx_files:
        converter.start()
    with _pool() as pool:
        printed = list(pool.map(_weasyprint, weasy, [outdir] * len(weasy)))
    pdfs = {spec: pdf for spec, (pdf, _) in zip(weasy, printed, strict=True)}
    COSTS.weasyprint += sum(cpu for _, cpu in printed)
    if docx_files:
        converter.join()
    if failure:
        raise failure[0]
    for spec, path in zip(office, docx_files, strict=True):
        pdfs[spec] = path.with_suffix(".pdf")
    return pdfs


def _read(spec: Spec, pdf: Path) -> tuple[Outcome, float]:
    started = _cpu() + _cpu(children=True)
    text = spec.document().source
    try:
        difference = first_difference(expected(text, spec.style.contents), report_of(pdf))
    except Exception as error:  # the rendition could not be read at all: that is the finding
        last = traceback.extract_tb(error.__traceback__)[-1]
        where = f"{Path(last.filename).name}:{last.lineno}"
        difference = f"refused: {type(error).__name__}: {error} ({where})"
    elements = arrange(spec.document(), contents=spec.style.contents)
    outcome = Outcome(spec, pdf, difference, tuple(missing_words(elements, pdf)))
    return outcome, _cpu() + _cpu(children=True) - started


def read(pdfs: dict[Spec, Path]) -> list[Outcome]:
    specs = list(pdfs)
    with _pool() as pool:
        results = list(pool.map(_read, specs, [pdfs[s] for s in specs]))
    COSTS.reading += sum(cpu for _, cpu in results)
    return [outcome for outcome, _ in results]


def render_and_read(specs: list[Spec], outdir: Path) -> list[Outcome]:
    started = time.monotonic()
    try:
        return read(render(specs, outdir))
    finally:
        COSTS.wall += time.monotonic() - started

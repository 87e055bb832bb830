"""Render many renditions at once and read each back with the portal's reader.

WeasyPrint renditions are printed in worker processes while LibreOffice converts all the
DOCX renditions in one soffice run; the PDFs are then read in worker processes too.
"""

from __future__ import annotations

import multiprocessing
import os
import threading
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


def _weasyprint(spec: Spec, outdir: Path) -> Path:
    return html.render_pdf(spec.document(), spec.style, outdir / f"{spec.name}.pdf")


def render(specs: list[Spec], outdir: Path) -> dict[Spec, Path]:
    """Every rendition as a PDF in `outdir`."""
    outdir.mkdir(parents=True, exist_ok=True)
    office = [s for s in specs if s.producer == "libreoffice"]
    weasy = [s for s in specs if s.producer == "weasyprint"]
    docx_files = [
        docx.render_docx(s.document(), s.style, outdir / f"{s.name}.docx") for s in office
    ]
    failure: list[BaseException] = []

    def convert() -> None:
        try:
            docx.convert(docx_files, outdir)
        except BaseException as error:  # re-raised below, in the caller's thread
            failure.append(error)

    converter = threading.Thread(target=convert)
    if docx_files:
        converter.start()
    with _pool() as pool:
        pdfs = dict(zip(weasy, pool.map(_weasyprint, weasy, [outdir] * len(weasy)), strict=True))
    if docx_files:
        converter.join()
    if failure:
        raise failure[0]
    for spec, path in zip(office, docx_files, strict=True):
        pdfs[spec] = path.with_suffix(".pdf")
    return pdfs


def _read(spec: Spec, pdf: Path) -> Outcome:
    text = spec.document().source
    try:
        difference = first_difference(expected(text), report_of(pdf))
    except Exception as error:  # the rendition could not be read at all: that is the finding
        last = traceback.extract_tb(error.__traceback__)[-1]
        where = f"{Path(last.filename).name}:{last.lineno}"
        difference = f"refused: {type(error).__name__}: {error} ({where})"
    elements = arrange(spec.document(), contents=spec.style.contents)
    return Outcome(spec, pdf, difference, tuple(missing_words(elements, pdf)))


def read(pdfs: dict[Spec, Path]) -> list[Outcome]:
    specs = list(pdfs)
    with _pool() as pool:
        return list(pool.map(_read, specs, [pdfs[s] for s in specs]))


def render_and_read(specs: list[Spec], outdir: Path) -> list[Outcome]:
    return read(render(specs, outdir))

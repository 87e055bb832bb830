"""Ingest timings (the first part of `make bench`), printed as figures, not asserted by tests.

Ingest: the brochure PDF against the time pdfplumber alone takes to read its characters
(goal: within 1.2×), and the text rendition (goal: under one second). Each figure is the best
of several runs on a scratch SQLite database, so it measures our code, not a cold disk.
"""

import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = ROOT / "fixtures"
RUNS = int(os.environ.get("BENCH_RUNS", "3"))


def best_of(runs: int, work) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        work()
        times.append(time.perf_counter() - start)
    return min(times)


def pdfplumber_chars(path: Path) -> None:
    import pdfplumber

    with pdfplumber.open(path) as pdf:
        for page in pdf.pages:
            page.chars  # noqa: B018 - reading them is the work measured


def main() -> None:
    scratch = tempfile.mkdtemp(prefix="bench-")
    os.environ["DATABASE_URL"] = f"sqlite:///{scratch}/bench.sqlite3"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command

    from ingest.pipeline import ingest_files

    call_command("migrate", verbosity=0)

    print(f"Ingest (best of {RUNS} runs)")
    for stem in ("partnership-opportunities-2010", "tip-protocol-activities-report-2016"):
        pdf, txt = FIXTURES / f"{stem}.pdf", FIXTURES / f"{stem}.txt"
        chars = best_of(RUNS, lambda pdf=pdf: pdfplumber_chars(pdf))
        pdf_time = best_of(RUNS, lambda pdf=pdf: ingest_files([pdf]))
        txt_time = best_of(RUNS, lambda txt=txt: ingest_files([txt]))
        print(f"  {stem}")
        print(f"    pdfplumber reading the PDF's characters  {chars * 1000:8.0f} ms")
        print(
            f"    ingest of the PDF (parse + load)         {pdf_time * 1000:8.0f} ms"
            f"   {pdf_time / chars:.2f}× pdfplumber (goal ≤ 1.2×)"
        )
        print(
            f"    ingest of the text rendition             {txt_time * 1000:8.0f} ms"
            "   (goal < 1000 ms)"
        )


if __name__ == "__main__":
    main()

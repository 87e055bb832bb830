"""`make bench`: timings that matter, printed as figures (not asserted by tests).

1. Ingest (tests/bench/ingest.py): the brochure PDF and text rendition, on scratch SQLite.
2. Web (tests/bench/web.py): a synthetic portfolio of 10,000 projects in a scratch PostgreSQL
   database served by gunicorn with production settings, loaded with wrk.

Each part runs in its own process, as each needs its own DATABASE_URL. BENCH_ONLY=ingest or
BENCH_ONLY=web runs one of them.
"""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def main() -> int:
    only = os.environ.get("BENCH_ONLY", "")
    failed = 0
    for part in ("ingest", "web"):
        if only and only != part:
            continue
        result = subprocess.run([sys.executable, "-m", f"tests.bench.{part}"], cwd=ROOT)
        failed |= result.returncode
    return failed


if __name__ == "__main__":
    sys.exit(main())

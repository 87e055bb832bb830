"""`make typesetting-sweep N=200`: random typesettings of both documents, read back.

Prints how many renditions read exactly as their text rendition and, for the others, the
first differing field and the typesetting; their PDFs (and a .json of the typesetting and the
difference) are kept in var/typesetting-sweep/. Renders in batches so that disk use and
LibreOffice runs stay bounded; `--seed` makes a sweep reproducible.
"""

from __future__ import annotations

import argparse
import json
import random
import shutil
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

from tests.typesetting.renditions import COSTS, Spec, render_and_read

KEEP = Path("var/typesetting-sweep")


def specs_for(count: int, seed: int) -> list[Spec]:
    rng = random.Random(seed)
    return [
        Spec(
            rng.choice(["brochure", "report"]),
            rng.choice(["weasyprint", "libreoffice"]),
            rng.randrange(1, 2**31),
        )
        for _ in range(count)
    ]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", type=int, default=200, help="renditions to render (default 200)")
    parser.add_argument("--seed", type=int, default=None, help="sweep seed (default: random)")
    parser.add_argument("--batch", type=int, default=20, help="renditions per batch")
    parser.add_argument("--keep", type=Path, default=KEEP, help="where failing PDFs are kept")
    parser.add_argument(
        "renditions",
        nargs="*",
        metavar="KIND-PRODUCER-SEED",
        help="only these renditions, by name (brochure-weasyprint-194804717): repeats a finding",
    )
    args = parser.parse_args(argv)
    seed = args.seed if args.seed is not None else random.randrange(2**31)
    if args.renditions:
        specs = [
            Spec(*name.rsplit("-", 2)[:2], int(name.rsplit("-", 1)[1])) for name in args.renditions
        ]
        print(f"typesetting: {len(specs)} rendition(s)", flush=True)
    else:
        specs = specs_for(args.n, seed)
        print(f"typesetting sweep: {args.n} renditions, --seed {seed}", flush=True)
    if args.keep.exists():
        shutil.rmtree(args.keep)
    args.keep.mkdir(parents=True)
    started = time.monotonic()
    outcomes = []
    for start in range(0, len(specs), args.batch):
        batch = specs[start : start + args.batch]
        with tempfile.TemporaryDirectory(prefix="typesetting-") as tmp:
            for outcome in render_and_read(batch, Path(tmp)):
                outcomes.append(outcome)
                if outcome.exact:
                    continue
                kept = args.keep / outcome.pdf.name
                shutil.copy(outcome.pdf, kept)
                kept.with_suffix(".json").write_text(
                    json.dumps(
                        {
                            "difference": outcome.difference,
                            "kind": outcome.spec.kind,
                            "seed": outcome.spec.seed,
                            "style": json.loads(outcome.spec.style.describe()),
                        },
                        indent=2,
                        ensure_ascii=False,
                    )
                )
                print(f"  {kept}: {outcome.difference}", flush=True)
        done = len(outcomes)
        exact = sum(o.exact for o in outcomes)
        print(
            f"{done}/{len(specs)} rendered, {exact} read exactly "
            f"({time.monotonic() - started:.0f} s)",
            flush=True,
        )
    _summary(outcomes)
    print(COSTS.line(len(outcomes)))
    return 0 if all(o.exact for o in outcomes) else 1


def _summary(outcomes) -> None:
    print()
    for kind in ("brochure", "report"):
        for producer in ("weasyprint", "libreoffice"):
            group = [o for o in outcomes if (o.spec.kind, o.spec.producer) == (kind, producer)]
            if group:
                exact = sum(o.exact for o in group)
                print(f"{kind:8} {producer:11} {exact:4}/{len(group)} read exactly")
    total = sum(o.exact for o in outcomes)
    print(f"{'all':20} {total:4}/{len(outcomes)} read exactly")
    first_fields = Counter(
        o.difference.split(":")[0] if not o.difference.startswith("refused") else "refused"
        for o in outcomes
        if not o.exact
    )
    if first_fields:
        print("first differing field:")
        for field, count in first_fields.most_common(15):
            print(f"  {count:4}  {field}")


if __name__ == "__main__":
    sys.exit(main())

"""Convert the npm package world-atlas's country outlines into the map's committed SVG paths."""

from __future__ import annotations

import json
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from ingest.parsers.countries import all_countries
from projects.map_shapes import build
from projects.maps import SHAPES_FILE, SPRITE_FILE

SOURCE = Path(settings.BASE_DIR) / "node_modules" / "world-atlas" / "countries-110m.json"


class Command(BaseCommand):
    help = (
        "Write projects/data/world-110m.json (SVG paths keyed by ISO alpha-3) and its SVG sprite "
        "static/img/world-110m.svg from world-atlas's "
        "Natural Earth 1:110m countries. Run by `make vendor`; the output is committed."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("--source", type=Path, default=SOURCE, help="a TopoJSON file")
        parser.add_argument("-o", "--output", type=Path, default=SHAPES_FILE)
        parser.add_argument(
            "--sprite", type=Path, default=SPRITE_FILE, help="the SVG file pages draw from"
        )

    def handle(self, *args, source: Path, output: Path, sprite: Path, **options) -> None:
        if not source.exists():
            raise CommandError(f"{source} is missing: run `npm ci` (make vendor does)")
        try:
            topology = json.loads(source.read_text())
        except json.JSONDecodeError as error:
            raise CommandError(f"{source} is not JSON: {error}") from error
        world = build(topology, {iso3 for iso3, *_ in all_countries()})
        output.parent.mkdir(parents=True, exist_ok=True)
        text = json.dumps(world.as_json(), ensure_ascii=False, separators=(",", ":"), indent=0)
        output.write_text(text + "\n")
        sprite.parent.mkdir(parents=True, exist_ok=True)
        sprite.write_text(world.as_sprite())
        size = sum(len(shape.path) for shape in world.shapes)
        self.stdout.write(
            f"{output}: {len(world.shapes)} countries, {world.width}×{world.height}, "
            f"{size:,} characters of path data; {sprite}"
        )

"""Country outlines: TopoJSON decoded, projected, simplified and cut at 180° (no database)."""

import json
import math
import re
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ingest.parsers.countries import all_countries
from projects.map_shapes import (
    build,
    cut_at_antimeridian,
    decode_arcs,
    equal_earth,
    merge_rings,
    path_data,
    simplify,
)
from projects.maps import SHAPES_FILE

ROOT = Path(__file__).resolve().parents[2]
WORLD_ATLAS = ROOT / "node_modules" / "world-atlas" / "countries-110m.json"
CODES = {iso3 for iso3, *_ in all_countries()}
PATH = re.compile(r"^(M\d+ \d+(l(-?\d+)([ -]\d+)*)?z)+$")


def test_equal_earth_matches_its_published_extent():
    assert equal_earth(0, 0) == (0, 0)
    assert equal_earth(180, 0)[0] == pytest.approx(2.7066, abs=1e-4)
    assert equal_earth(0, 90)[1] == pytest.approx(1.3173, abs=1e-4)
    x, y = equal_earth(-30, -45)
    assert (x, y) == (-equal_earth(30, 45)[0], -equal_earth(30, 45)[1])


coordinates = st.floats(min_value=-500, max_value=500, allow_nan=False)


@given(st.lists(st.tuples(coordinates, coordinates), min_size=2, max_size=60))
def test_every_dropped_point_lies_within_the_tolerance_of_what_replaces_it(points):
    tolerance = 1.5
    kept = simplify(points, tolerance)
    assert kept[0] == 0 and kept[-1] == len(points) - 1
    for first, last in zip(kept, kept[1:], strict=False):
        (ax, ay), (bx, by) = points[first], points[last]
        length = math.hypot(bx - ax, by - ay)
        for px, py in points[first + 1 : last]:
            if length:
                distance = abs((by - ay) * px - (bx - ax) * py + bx * ay - by * ax) / length
            else:
                distance = math.hypot(px - ax, py - ay)
            assert distance <= tolerance + 1e-9


def test_simplify_drops_points_on_a_straight_line_and_keeps_a_corner():
    line = [(0, 0), (1, 0.1), (2, 0), (3, 0), (3, 5)]
    assert simplify(line, 0.5) == [0, 3, 4]


def test_a_ring_across_180_degrees_is_cut_into_one_ring_on_each_side():
    square = [(170, 10), (-170, 10), (-170, -10), (170, -10)]
    east, west = sorted(cut_at_antimeridian(square), key=lambda ring: -ring[0][0])
    assert {lon for lon, _ in east} == {170, 180}
    assert {lon for lon, _ in west} == {-170, -180}
    assert {lat for _, lat in east} == {lat for _, lat in west} == {10, -10}
    elsewhere = [(10, 10), (20, 10), (20, 0)]
    assert cut_at_antimeridian(elsewhere) == [elsewhere]


def topology(features: list[dict], arcs: list[list[list[int]]]) -> dict:
    return {
        "type": "Topology",
        "arcs": arcs,
        "objects": {"countries": {"type": "GeometryCollection", "geometries": features}},
    }


# Two squares side by side: arc 0 is their shared border (x = 10), 1 and 2 the outer sides.
SQUARES = [
    [[10, 0], [10, 10]],
    [[10, 10], [0, 10], [0, 0], [10, 0]],
    [[10, 0], [20, 0], [20, 10], [10, 10]],
]


def test_merged_polygons_lose_the_border_between_them():
    arcs = decode_arcs(topology([], SQUARES))
    rings = merge_rings([[[0, 1]], [[2, ~0]]], arcs)
    assert len(rings) == 1 and sorted(rings[0]) == [1, 2]


def test_build_keys_by_alpha3_merges_uncoded_parts_and_keeps_borders_shared():
    features = [
        {"type": "Polygon", "arcs": [[0, 1]], "id": "706", "properties": {"name": "Somalia"}},
        {"type": "Polygon", "arcs": [[2, ~0]], "properties": {"name": "Somaliland"}},
        {"type": "Polygon", "arcs": [[3]], "id": "404", "properties": {"name": "Kenya"}},
        {"type": "Polygon", "arcs": [[4]], "id": "999", "properties": {"name": "Nowhere"}},
    ]
    island = [[30, 30], [35, 30], [35, 35], [30, 30]]
    world = build(topology(features, [*SQUARES, island, island]), CODES, width=1000)
    shapes = {shape.iso3: shape for shape in world.shapes}
    assert set(shapes) == {"SOM", "KEN"}
    assert shapes["SOM"].path.count("M") == 1  # one outline: the border inside it is gone
    for shape in world.shapes:
        assert PATH.match(shape.path), shape.path
        for x, y in points_of(shape.path):
            assert 0 <= x <= world.width and 0 <= y <= world.height


def points_of(path: str) -> list[tuple[int, int]]:
    points = []
    for ring in re.findall(r"M[^M]+", path):
        numbers = [int(n) for n in re.findall(r"-?\d+", ring)]
        x, y = numbers[0], numbers[1]
        points.append((x, y))
        for dx, dy in zip(numbers[2::2], numbers[3::2], strict=True):
            x, y = x + dx, y + dy
            points.append((x, y))
    return points


def test_path_data_is_relative_and_compact():
    assert path_data([[(5, 5), (8, 3), (12, 8)]]) == "M5 5l3-2 4 5z"


def test_the_committed_outlines_are_what_the_converter_makes_of_world_atlas():
    if not WORLD_ATLAS.exists():
        pytest.skip(f"{WORLD_ATLAS} is missing: run `npm ci` (make test does)")
    world = build(json.loads(WORLD_ATLAS.read_text()), CODES)
    assert world.as_json() == json.loads(SHAPES_FILE.read_text())


def test_the_committed_outlines_are_small_and_inside_their_frame():
    committed = json.loads(SHAPES_FILE.read_text())
    countries = committed["countries"]
    assert len(countries) > 170 and "ATA" not in countries
    assert set(countries) <= CODES
    assert {"KEN", "XKX", "RUS", "FJI", "USA"} <= set(countries)
    assert sum(len(path) for path in countries.values()) < 30_000
    for iso3, path in countries.items():
        assert PATH.match(path), iso3
        for x, y in points_of(path):
            assert 0 <= x <= committed["width"] and 0 <= y <= committed["height"], iso3
    # Cut at 180°, Russia and Fiji no longer stretch across the whole map.
    for iso3 in ("RUS", "FJI"):
        for ring in re.findall(r"M[^M]+", countries[iso3]):
            xs = [x for x, _ in points_of(ring)]
            assert max(xs) - min(xs) < committed["width"] / 2, iso3

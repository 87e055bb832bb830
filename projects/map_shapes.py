"""Country outlines for the shortfall map, converted once from TopoJSON into SVG path strings.

The source is Natural Earth's 1:110m countries (public domain) as the npm package `world-atlas`
publishes them (TopoJSON, keyed by ISO 3166 numeric code). `build_world_map` runs this once and
commits the result (projects/data/world-110m.json), so pages only read finished path strings.

Shapes are simplified per TopoJSON arc, before rings are assembled, so neighbours sharing a
border keep sharing the same simplified line (no slivers or gaps between them). The projection
is Equal Earth: equal-area, so a country's shading is not exaggerated by its latitude.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

import pycountry

Point = tuple[float, float]

# Features Natural Earth draws without an ISO code: Kosovo has its own page (XKX); the
# other two are drawn as part of the member state the United Nations recognises.
UNCODED_FEATURES = {"Kosovo": "XKX", "Somaliland": "SOM", "N. Cyprus": "CYP"}
LEFT_OUT = {"ATA"}  # Antarctica: no programme there, and it would take a third of the height

# Equal Earth (Šavrič, Patterson and Jenny, 2018).
A1, A2, A3, A4 = 1.340264, -0.081106, 0.000893, 0.003796
M = math.sqrt(3) / 2


@dataclass(frozen=True)
class Shape:
    iso3: str
    path: str


@dataclass(frozen=True)
class WorldShapes:
    width: int
    height: int
    shapes: list[Shape]

    def as_sprite(self) -> str:
        """The outlines as one static SVG file that pages draw from with `<use href>`: each
        country a path whose id is its ISO alpha-3 code, no colour of its own (it takes the
        fill and stroke of the `<use>` that draws it)."""
        return sprite_svg(self.as_json())

    def as_json(self) -> dict:
        return {
            "source": "Natural Earth 1:110m countries (public domain), via world-atlas",
            "projection": "Equal Earth",
            "width": self.width,
            "height": self.height,
            "countries": {s.iso3: s.path for s in self.shapes},
        }


def equal_earth(longitude: float, latitude: float) -> Point:
    lam, phi = math.radians(longitude), math.radians(latitude)
    theta = math.asin(M * math.sin(phi))
    t2 = theta * theta
    t6 = t2 * t2 * t2
    x = lam * math.cos(theta) / (M * (A1 + 3 * A2 * t2 + t6 * (7 * A3 + 9 * A4 * t2)))
    y = theta * (A1 + A2 * t2 + t6 * (A3 + A4 * t2))
    return x, y


def decode_arcs(topology: dict) -> list[list[Point]]:
    """TopoJSON's quantised, delta-encoded arcs as (longitude, latitude) lists."""
    transform = topology.get("transform")
    arcs = []
    for arc in topology["arcs"]:
        if transform:
            (sx, sy), (tx, ty) = transform["scale"], transform["translate"]
            x = y = 0
            points = []
            for dx, dy in arc:
                x, y = x + dx, y + dy
                points.append((x * sx + tx, y * sy + ty))
        else:
            points = [(float(px), float(py)) for px, py in arc]
        arcs.append(points)
    return arcs


def simplify(points: Sequence[Point], tolerance: float) -> list[int]:
    """Douglas–Peucker: the indices of the points kept, both ends always among them."""
    if len(points) < 3:
        return list(range(len(points)))
    keep = [False] * len(points)
    keep[0] = keep[-1] = True
    stack = [(0, len(points) - 1)]
    while stack:
        first, last = stack.pop()
        (ax, ay), (bx, by) = points[first], points[last]
        dx, dy = bx - ax, by - ay
        length = math.hypot(dx, dy)
        farthest, distance = first, -1.0
        for i in range(first + 1, last):
            px, py = points[i]
            if length:
                d = abs(dy * px - dx * py + bx * ay - by * ax) / length
            else:  # a closed arc: measure from its single end point
                d = math.hypot(px - ax, py - ay)
            if d > distance:
                farthest, distance = i, d
        if distance > tolerance:
            keep[farthest] = True
            stack += [(first, farthest), (farthest, last)]
    return [i for i, kept in enumerate(keep) if kept]


def crosses_antimeridian(a: Point, b: Point) -> bool:
    return abs(a[0] - b[0]) > 180


def simplify_arc(arc: list[Point], project: Callable[[Point], Point], tolerance: float):
    """An arc with fewer points, measured in output units; kept in longitude and latitude.

    Where the arc crosses the antimeridian each side is simplified apart, so the points on
    either side of the crossing stay.
    """
    runs: list[list[Point]] = [[]]
    for point in arc:
        if runs[-1] and crosses_antimeridian(runs[-1][-1], point):
            runs.append([])
        runs[-1].append(point)
    kept: list[Point] = []
    for run in runs:
        kept += [run[i] for i in simplify([project(p) for p in run], tolerance)]
    return kept


def cut_at_antimeridian(ring: list[Point]) -> list[list[Point]]:
    """A ring that crosses 180° as one ring on each side of the map (others unchanged)."""
    if not any(crosses_antimeridian(a, b) for a, b in zip(ring, ring[1:], strict=False)):
        return [ring]
    unwrapped = [ring[0]]
    for lon, lat in ring[1:]:
        previous = unwrapped[-1][0]
        while lon - previous > 180:
            lon -= 360
        while lon - previous < -180:
            lon += 360
        unwrapped.append((lon, lat))
    low = min(lon for lon, _ in unwrapped)
    edge = -180.0 if low < -180 else 180.0
    inside = clip(unwrapped, edge, keep_east=edge < 0)
    outside = clip(unwrapped, edge, keep_east=edge > 0)
    shift = 360 if edge < 0 else -360
    return [r for r in (inside, [(lon + shift, lat) for lon, lat in outside]) if len(r) >= 3]


def clip(ring: list[Point], edge: float, keep_east: bool) -> list[Point]:
    """Sutherland–Hodgman: the part of a ring east (or west) of the meridian `edge`."""

    def inside(point: Point) -> bool:
        return point[0] >= edge if keep_east else point[0] <= edge

    def crossing(a: Point, b: Point) -> Point:
        t = (edge - a[0]) / (b[0] - a[0])
        return edge, a[1] + t * (b[1] - a[1])

    out: list[Point] = []
    for a, b in zip(ring, ring[1:] + ring[:1], strict=True):
        if inside(b):
            if not inside(a):
                out.append(crossing(a, b))
            out.append(b)
        elif inside(a):
            out.append(crossing(a, b))
    return out


def ring_points(ring: Iterable[int], arcs: list[list[Point]]) -> list[Point]:
    """A ring's points from its arc indices (~i is arc i reversed), shared ends not repeated."""
    points: list[Point] = []
    for index in ring:
        arc = arcs[index] if index >= 0 else arcs[~index][::-1]
        points.extend(arc if not points else arc[1:])
    return points


def ends(index: int, arcs: list[list[Point]]) -> tuple[Point, Point]:
    arc = arcs[index] if index >= 0 else arcs[~index]
    return (arc[0], arc[-1]) if index >= 0 else (arc[-1], arc[0])


def merge_rings(polygons: list[list[list[int]]], arcs: list[list[Point]]) -> list[list[int]]:
    """The rings of several polygons with the borders between them removed.

    An arc used twice is a border between two of the polygons; the remaining arcs are
    chained end to start into rings (signed indices kept, so each keeps its direction).
    """
    signed = [i for polygon in polygons for ring in polygon for i in ring]
    uses = Counter(i if i >= 0 else ~i for i in signed)
    remaining = [i for i in signed if uses[i if i >= 0 else ~i] == 1]
    by_start: dict[Point, list[int]] = {}
    for index in remaining:
        by_start.setdefault(ends(index, arcs)[0], []).append(index)
    rings, used = [], set()
    for first in remaining:
        if first in used:
            continue
        ring = [first]
        used.add(first)
        start, end = ends(first, arcs)
        while end != start:
            following = [i for i in by_start.get(end, []) if i not in used]
            if not following:
                raise ValueError(f"arcs {ring} do not close into a ring")
            ring.append(following[0])
            used.add(following[0])
            end = ends(following[0], arcs)[1]
        rings.append(ring)
    return rings


def country_code(feature: dict) -> str | None:
    """ISO alpha-3 of a TopoJSON feature keyed by ISO numeric (or named, when uncoded)."""
    numeric = feature.get("id")
    if numeric is None:
        return UNCODED_FEATURES.get(feature.get("properties", {}).get("name", ""))
    country = pycountry.countries.get(numeric=str(numeric).zfill(3))
    return country.alpha_3 if country else None


def polygons_of(geometry: dict) -> list[list[list[int]]]:
    if geometry["type"] == "Polygon":
        return [geometry["arcs"]]
    if geometry["type"] == "MultiPolygon":
        return list(geometry["arcs"])
    return []


def path_data(rings: list[list[tuple[int, int]]]) -> str:
    """Absolute first point, then relative moves: "M12 30l3-2 4 5z"."""
    parts = []
    for ring in rings:
        (x0, y0), rest = ring[0], ring[1:]
        text = [f"M{x0} {y0}"]
        moves = []
        px, py = x0, y0
        for x, y in rest:
            moves += [x - px, y - py]
            px, py = x, y
        if moves:
            # A minus sign separates numbers by itself: "l3-2 4 5".
            numbers = (f" {m}" if i and m >= 0 else f"{m}" for i, m in enumerate(moves))
            text.append("l" + "".join(numbers))
        parts.append("".join(text) + "z")
    return "".join(parts)


def ring_area(ring: list[tuple[int, int]]) -> float:
    return abs(
        sum(x0 * y1 - x1 * y0 for (x0, y0), (x1, y1) in zip(ring, ring[1:] + ring[:1], strict=True))
        / 2
    )


def build(
    topology: dict,
    codes: set[str],
    width: int = 1000,
    tolerance: float = 0.6,
    smallest_area: float = 3.0,
    object_name: str = "countries",
) -> WorldShapes:
    """Project, simplify and encode every country of `topology` whose code is in `codes`.

    `codes` are the ISO alpha-3 codes the portal knows (its Country table); features
    that map to none of them are left out. Islands smaller than `smallest_area` square
    units are dropped, but a country always keeps its largest ring.
    """
    scale = width / (2 * equal_earth(180, 0)[0])

    def project(point: Point) -> Point:
        x, y = equal_earth(*point)
        return x * scale, -y * scale  # SVG's y runs downwards

    geometries: dict[str, list[list[list[list[int]]]]] = {}
    for feature in topology["objects"][object_name]["geometries"]:
        iso3 = country_code(feature)
        if iso3 and iso3 in codes and iso3 not in LEFT_OUT:
            geometries.setdefault(iso3, []).append(polygons_of(feature))
    # Simplified arc by arc, so that neighbours keep sharing the same border line.
    arcs = [simplify_arc(arc, project, tolerance) for arc in decode_arcs(topology)]
    country_rings: dict[str, list[list[Point]]] = {}
    for iso3, features in geometries.items():
        polygons = [polygon for feature in features for polygon in feature]
        rings = (
            merge_rings(polygons, arcs)
            if len(features) > 1
            else [ring for polygon in polygons for ring in polygon]
        )
        country_rings[iso3] = [
            [project(point) for point in piece]
            for ring in rings
            for piece in cut_at_antimeridian(ring_points(ring, arcs))
        ]
    xs = [x for rings in country_rings.values() for ring in rings for x, _ in ring]
    ys = [y for rings in country_rings.values() for ring in rings for _, y in ring]
    left, top = math.floor(min(xs)) - 1, math.floor(min(ys)) - 1
    shapes = []
    for iso3, rings in sorted(country_rings.items()):
        grid_rings = []
        for ring in rings:
            grid: list[tuple[int, int]] = []
            for x, y in ring:
                point = (round(x - left), round(y - top))
                if not grid or grid[-1] != point:
                    grid.append(point)
            while len(grid) > 1 and grid[-1] == grid[0]:
                grid.pop()
            if len(grid) >= 3:
                grid_rings.append(grid)
        if not grid_rings:
            continue
        largest = max(grid_rings, key=ring_area)
        kept = [r for r in grid_rings if r is largest or ring_area(r) >= smallest_area]
        shapes.append(Shape(iso3, path_data(kept)))
    height = math.ceil(max(ys)) + 1 - top
    return WorldShapes(width=math.ceil(max(xs)) + 1 - left, height=height, shapes=shapes)


def sprite_svg(world: dict) -> str:
    """The committed outlines (`WorldShapes.as_json()`) as an SVG sprite."""
    paths = "".join(
        f'<path id="{iso3}" d="{path}"/>\n' for iso3, path in sorted(world["countries"].items())
    )
    return (
        '<svg xmlns="http://www.w3.org/2000/svg"'
        f' viewBox="0 0 {world["width"]} {world["height"]}">\n'
        f"<!-- {world['source']}; {world['projection']} projection -->\n{paths}</svg>\n"
    )

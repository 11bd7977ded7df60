"""The partner-towns map: an SVG drawn on the server from the country outlines in data/world.json.

No tile server and no request to another site: the outlines ship with the project (Natural Earth,
public domain; see data/README.md). The view is chosen to fit the towns shown; each town is a
marker whose shape says what it is (so colour carries no information alone); the SVG has a title
and a description that name every town, and the page lists them beside it.
"""

from __future__ import annotations

import base64
import hashlib
import json
import math
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

DATA = Path(__file__).resolve().parent / "data" / "world.json"

WIDTH = 1000  # output view box width; the height follows the view's proportions
MIN_SPAN = 14.0  # degrees of longitude shown at least (a single nearby partner keeps context)
MIN_RATIO, MAX_RATIO = 1.25, 2.1  # width / height of the map
COARSE_ABOVE = 45.0  # wider views than this (degrees) use the 1:110m outlines
# Above this many partner towns, towns close on the map share one marker ("Name +N"): a city
# with thousands of partnerships gets a readable map of bounded size.
MANY_PLACES = 150
CLUSTER_CELL = WIDTH / 50  # side of the square (in map units) whose towns share a marker
# A cell of the labels' grid holding this many boxes is crowded: no need to measure more.
CROWDED_CELL = 24

MEMBER = "member"
TWINNING = "twinning"
COOPERATION = "cooperation"
BOTH = "both"
OTHER = "other"  # a friendship pact or a one-off action
KINDS = (MEMBER, TWINNING, COOPERATION, BOTH, OTHER)


@dataclass(frozen=True)
class Place:
    """A town on the map."""

    name: str
    latitude: float
    longitude: float
    kind: str  # one of KINDS
    country_code: str = ""
    description: str = ""  # said in the map's text description, e.g. "Serbia, twin town"


@dataclass
class World:
    units: int
    max_latitude: float
    # level -> [(code, bbox, [ring as [(x, y), ...] in degrees])]
    levels: dict[str, list[tuple[str, tuple[float, float, float, float], list[list]]]]


@lru_cache(maxsize=1)
def world() -> World:
    raw = json.loads(DATA.read_text(encoding="utf-8"))
    units = raw["units_per_degree"]
    levels: dict[str, list] = {}
    for level, countries in raw["levels"].items():
        decoded = []
        for country in countries:
            rings = []
            for flat in country["rings"]:
                x = y = 0
                ring = []
                for i in range(0, len(flat), 2):
                    x += flat[i]
                    y += flat[i + 1]
                    ring.append((x / units, y / units))
                rings.append(ring)
            bbox = tuple(value / units for value in country["bbox"])
            decoded.append((country["code"], bbox, rings))
        levels[level] = decoded
    return World(units=units, max_latitude=raw["max_latitude"], levels=levels)


def project(latitude: float, longitude: float) -> tuple[float, float]:
    """Mercator in degrees of longitude, y southwards (as the stored outlines)."""
    limit = world().max_latitude
    latitude = max(-limit, min(limit, latitude))
    y = math.degrees(math.log(math.tan(math.pi / 4 + math.radians(latitude) / 2)))
    return longitude, -y


def view_box(points: list[tuple[float, float]]) -> tuple[float, float, float, float]:
    """(x, y, width, height) in projected degrees around the points, padded and proportioned."""
    xs = [x for x, _y in points]
    ys = [y for _x, y in points]
    x0, x1, y0, y1 = min(xs), max(xs), min(ys), max(ys)
    pad = max((x1 - x0) * 0.08, (y1 - y0) * 0.12, 2.5)
    x0, x1, y0, y1 = x0 - pad, x1 + pad, y0 - pad, y1 + pad
    width, height = x1 - x0, y1 - y0
    if width < MIN_SPAN:
        x0 -= (MIN_SPAN - width) / 2
        width = MIN_SPAN
    if width / height > MAX_RATIO:
        grow = width / MAX_RATIO - height
        y0 -= grow / 2
        height += grow
    elif width / height < MIN_RATIO:
        grow = height * MIN_RATIO - width
        x0 -= grow / 2
        width += grow
    # Keep inside the projected world (longitude ±180, latitude ±85).
    top, bottom = project(world().max_latitude, 0)[1], project(-world().max_latitude, 0)[1]
    if height > bottom - top:
        height = bottom - top
    y0 = min(max(y0, top), bottom - height)
    x0 = min(max(x0, -180.0), 180.0 - width) if width < 360 else -180.0
    return x0, y0, width, height


def _clip(ring: list[tuple[float, float]], right: float, bottom: float, margin: float) -> list:
    """Sutherland-Hodgman clipping of a ring to the output rectangle (plus a margin)."""
    edges = (
        (lambda p: p[0] >= -margin, lambda a, b: _cross_x(a, b, -margin)),
        (lambda p: p[0] <= right + margin, lambda a, b: _cross_x(a, b, right + margin)),
        (lambda p: p[1] >= -margin, lambda a, b: _cross_y(a, b, -margin)),
        (lambda p: p[1] <= bottom + margin, lambda a, b: _cross_y(a, b, bottom + margin)),
    )
    points = ring
    for inside, cross in edges:
        if not points:
            break
        clipped = []
        previous = points[-1]
        for point in points:
            if inside(point):
                if not inside(previous):
                    clipped.append(cross(previous, point))
                clipped.append(point)
            elif inside(previous):
                clipped.append(cross(previous, point))
            previous = point
        points = clipped
    return points


def _cross_x(a: tuple[float, float], b: tuple[float, float], x: float) -> tuple[float, float]:
    t = (x - a[0]) / (b[0] - a[0])
    return x, a[1] + t * (b[1] - a[1])


def _cross_y(a: tuple[float, float], b: tuple[float, float], y: float) -> tuple[float, float]:
    t = (y - a[1]) / (b[1] - a[1])
    return a[0] + t * (b[0] - a[0]), y


def _path(rings: list[list[tuple[float, float]]]) -> str:
    """Rings as a compact path: integer coordinates, relative moves."""
    parts = []
    for ring in rings:
        rounded: list[tuple[int, int]] = []
        for x, y in ring:
            point = (round(x), round(y))
            if not rounded or rounded[-1] != point:
                rounded.append(point)
        if len(rounded) < 3:
            continue
        x0, y0 = rounded[0]
        steps = [f"M{x0} {y0}"]
        previous = rounded[0]
        deltas = []
        for x, y in rounded[1:]:
            deltas.append(f"{x - previous[0]} {y - previous[1]}")
            previous = (x, y)
        steps.append("l" + " ".join(deltas) + "z")
        parts.append("".join(steps))
    return "".join(parts).replace(" -", "-")


@dataclass
class _Label:
    x: float
    y: float
    anchor: str
    box: tuple[float, float, float, float]


def _overlap(a: tuple[float, float, float, float], b: tuple[float, float, float, float]) -> float:
    width = min(a[2], b[2]) - max(a[0], b[0])
    height = min(a[3], b[3]) - max(a[1], b[1])
    return width * height if width > 0 and height > 0 else 0.0


Box = tuple[float, float, float, float]


class _BoxGrid:
    """Boxes bucketed in square cells, so that finding those a box may overlap looks at its
    neighbours only: a city with hundreds of partners places its labels in linear time."""

    def __init__(self, cell: float) -> None:
        self.cell = cell
        self.cells: dict[tuple[int, int], list[int]] = {}
        self.boxes: list[Box] = []

    def _keys(self, box: Box) -> list[tuple[int, int]]:
        c = self.cell
        return [
            (i, j)
            for i in range(int(box[0] // c), int(box[2] // c) + 1)
            for j in range(int(box[1] // c), int(box[3] // c) + 1)
        ]

    def add(self, box: Box) -> None:
        self.boxes.append(box)
        for key in self._keys(box):
            self.cells.setdefault(key, []).append(len(self.boxes) - 1)

    def crowd(self, box: Box) -> float:
        """The summed area of `box` that overlaps the boxes already added."""
        seen: set[int] = set()
        total = 0.0
        for key in self._keys(box):
            indexes = self.cells.get(key, ())
            if len(indexes) >= CROWDED_CELL:
                # Crowded: the spot is bad, however much exactly; a bounded cost per label.
                return total + (box[2] - box[0]) * (box[3] - box[1]) * len(indexes)
            for index in indexes:
                if index not in seen:
                    seen.add(index)
                    total += _overlap(box, self.boxes[index])
        return total


def _place_labels(
    markers: list[tuple[float, float, str]],
    size: float,
    right: float,
    bottom: float,
    *,
    skip_crowded: bool = False,
) -> list[_Label | None]:
    """Greedy placement: each label takes the first spot around its marker that overlaps no
    marker, no label already placed and stays inside the map; else the least crowded spot, or
    none at all with `skip_crowded` (the first marker, the member town, always keeps its label).
    """
    gap = size * 0.75
    taken = _BoxGrid(cell=size * 8)
    for x, y, _name in markers:
        taken.add((x - gap, y - gap, x + gap, y + gap))
    labels: list[_Label | None] = []
    for index, (x, y, name) in enumerate(markers):
        width = len(name) * size * 0.64 + size * 0.4  # bold system fonts, with room
        height = size
        candidates = [
            (x + gap, y + height * 0.35, "start"),
            (x - gap, y + height * 0.35, "end"),
            (x, y - gap - height * 0.2, "middle"),
            (x, y + gap + height * 0.8, "middle"),
            (x + gap * 0.7, y - gap * 0.9, "start"),
            (x + gap * 0.7, y + gap * 0.9 + height * 0.6, "start"),
            (x - gap * 0.7, y - gap * 0.9, "end"),
            (x - gap * 0.7, y + gap * 0.9 + height * 0.6, "end"),
        ]
        best: tuple[float, _Label] | None = None
        for lx, ly, anchor in candidates:
            left = {"start": lx, "end": lx - width, "middle": lx - width / 2}[anchor]
            box = (left, ly - height * 0.8, left + width, ly + height * 0.2)
            outside = (
                max(0.0, -box[0]) + max(0.0, box[2] - right) + max(0.0, -box[1])
            ) * height + max(0.0, box[3] - bottom) * width
            crowd = taken.crowd(box) + outside * 4
            label = _Label(lx, ly, anchor, box)
            if crowd == 0:
                best = (0.0, label)
                break
            if best is None or crowd < best[0]:
                best = (crowd, label)
        assert best is not None
        if best[0] > 0 and skip_crowded and index > 0:
            labels.append(None)
            continue
        labels.append(best[1])
        taken.add(best[1].box)
    return labels


def _clustered(
    located: list[Place], points: list[tuple[float, float]]
) -> tuple[list[Place], list[tuple[float, float]]]:
    """Partner towns in the same square of CLUSTER_CELL share one marker at their mean position,
    named after the first of them with the number of the others ("Kragujevac +3"); the member
    town keeps its own. Linear in the number of towns."""
    cells: dict[tuple[int, int], list[int]] = {}
    kept_places, kept_points = [], []
    for index, (place, (x, y)) in enumerate(zip(located, points, strict=True)):
        if place.kind == MEMBER:
            kept_places.append(place)
            kept_points.append((x, y))
        else:
            cells.setdefault((int(x // CLUSTER_CELL), int(y // CLUSTER_CELL)), []).append(index)
    for indexes in cells.values():
        first = located[indexes[0]]
        xs = [points[i][0] for i in indexes]
        ys = [points[i][1] for i in indexes]
        kinds = {located[i].kind for i in indexes}
        name = first.name if len(indexes) == 1 else f"{first.name} +{len(indexes) - 1}"
        kept_places.append(
            Place(
                name=name,
                latitude=first.latitude,
                longitude=first.longitude,
                kind=first.kind if len(kinds) == 1 else OTHER,
                country_code=first.country_code,
                description=first.description if len(indexes) == 1 else "",
            )
        )
        kept_points.append((sum(xs) / len(xs), sum(ys) / len(ys)))
    return kept_places, kept_points


def _marker(kind: str, x: float, y: float, r: float) -> str:
    if kind == MEMBER:
        s = r * 1.1
        return (
            f'<rect class="jm-member" x="{x - s:.1f}" y="{y - s:.1f}" '
            f'width="{2 * s:.1f}" height="{2 * s:.1f}"/>'
        )
    if kind == COOPERATION:
        d = r * 1.35
        return (
            f'<path class="jm-coop" d="M{x:.1f} {y - d:.1f}L{x + d:.1f} {y:.1f}'
            f'L{x:.1f} {y + d:.1f}L{x - d:.1f} {y:.1f}Z"/>'
        )
    if kind == BOTH:
        d = r * 1.6
        return (
            f'<path class="jm-coop" d="M{x:.1f} {y - d:.1f}L{x + d:.1f} {y:.1f}'
            f'L{x:.1f} {y + d:.1f}L{x - d:.1f} {y:.1f}Z"/>'
            f'<circle class="jm-twin" cx="{x:.1f}" cy="{y:.1f}" r="{r * 0.75:.1f}"/>'
        )
    if kind == OTHER:
        d = r * 1.3
        return (
            f'<path class="jm-other" d="M{x:.1f} {y - d:.1f}L{x + d:.1f} {y + d * 0.8:.1f}'
            f'L{x - d:.1f} {y + d * 0.8:.1f}Z"/>'
        )
    return f'<circle class="jm-twin" cx="{x:.1f}" cy="{y:.1f}" r="{r:.1f}"/>'


# The map's styles, one file for both uses: the pages link it (their Content-Security-Policy
# allows no inline style); the standalone SVG carries it inline, allowed by its hash (STYLE_HASH,
# added to that answer's policy by the view).
STYLE = (Path(__file__).resolve().parent / "static" / "public" / "css" / "map.css").read_text(
    encoding="utf-8"
)
STYLE_HASH = "'sha256-" + base64.b64encode(hashlib.sha256(STYLE.encode()).digest()).decode() + "'"


def render_map(
    places: list[Place],
    *,
    title: str,
    description: str,
    id_prefix: str = "map",
    standalone: bool = False,
) -> SafeString:
    """The SVG of the places, with an accessible name (title) and description."""
    located = [place for place in places if place.latitude is not None]
    if not located:
        return mark_safe("")
    projected = [project(place.latitude, place.longitude) for place in located]
    vx, vy, vw, vh = view_box(projected)
    scale = WIDTH / vw
    height = round(vh * scale)
    level = "coarse" if vw > COARSE_ABOVE else "fine"
    home_codes = {place.country_code for place in located if place.kind == MEMBER}
    partner_codes = {place.country_code for place in located if place.kind != MEMBER}

    land: dict[str, list[str]] = {"jm-land": [], "jm-land jm-partner-country": []}
    home_paths = []
    margin = 4.0
    for code, (bx0, by0, bx1, by1), rings in world().levels[level]:
        if bx1 < vx or bx0 > vx + vw or by1 < vy or by0 > vy + vh:
            continue
        clipped = []
        for ring in rings:
            points = [((x - vx) * scale, (y - vy) * scale) for x, y in ring]
            points = _clip(points, WIDTH, height, margin)
            if len(points) >= 3:
                clipped.append(points)
        path = _path(clipped)
        if not path:
            continue
        if code and code in home_codes:
            home_paths.append(path)
        elif code and code in partner_codes:
            land["jm-land jm-partner-country"].append(path)
        else:
            land["jm-land"].append(path)

    points = [((x - vx) * scale, (y - vy) * scale) for x, y in projected]
    if sum(1 for place in located if place.kind != MEMBER) > MANY_PLACES:
        located, points = _clustered(located, points)
    # The member town first: its label gets the best spot.
    order = sorted(range(len(located)), key=lambda i: (located[i].kind != MEMBER, points[i][1]))
    named = [(points[i][0], points[i][1], located[i].name) for i in order]
    # Two sets of markers and labels: one for a map shown wide, one with bigger marks for a
    # narrow map (a phone, a sidebar), where crowded labels give way to the list beside it.
    # A container query in the styles picks one (see STYLE).
    layers = []
    for css, size, radius, skip in (
        ("jm-wide", WIDTH / 52, WIDTH / 150, False),
        ("jm-narrow", WIDTH / 30, WIDTH / 75, True),
    ):
        labels = _place_labels(named, size, WIDTH, height, skip_crowded=skip)
        layers.append((css, size, radius, labels))

    title_id, desc_id = f"{id_prefix}-title", f"{id_prefix}-desc"
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {height}" '
        f'role="img" aria-labelledby="{title_id} {desc_id}" class="jm-map" '
        f'preserveAspectRatio="xMidYMid meet"'
        + (f' width="{WIDTH}" height="{height}"' if standalone else "")
        + ">",
        f'<title id="{title_id}">{escape(title)}</title>',
        f'<desc id="{desc_id}">{escape(description)}</desc>',
        f"<style>{STYLE}</style>" if standalone else "",
        f'<rect class="jm-sea" width="{WIDTH}" height="{height}"/>',
    ]
    for css_class, paths in land.items():
        if paths:
            out.append(f'<path class="{css_class}" d="{"".join(paths)}"/>')
    if home_paths:
        out.append(f'<path class="jm-land jm-home-country" d="{"".join(home_paths)}"/>')
    for css, size, radius, labels in layers:
        out.append(f'<g class="{css}">')
        for i in order:
            out.append(_marker(located[i].kind, points[i][0], points[i][1], radius))
        out.append(f'<g font-size="{size:.1f}">')
        for i, label in zip(order, labels, strict=True):
            if label is None:
                continue
            kind = "jm-label jm-label-member" if located[i].kind == MEMBER else "jm-label"
            out.append(
                f'<text class="{kind}" x="{label.x:.1f}" y="{label.y:.1f}" '
                f'text-anchor="{label.anchor}">{escape(located[i].name)}</text>'
            )
        out.append("</g></g>")
    out.append("</svg>")
    return mark_safe("".join(out))


def legend_kinds(places: list[Place]) -> list[str]:
    """The marker kinds present, in the legend's order."""
    present = {place.kind for place in places if place.latitude is not None}
    return [kind for kind in KINDS if kind in present]


def legend_label(kind: str) -> str:
    return {
        MEMBER: _("our town"),
        TWINNING: _("twin town"),
        COOPERATION: _("decentralised cooperation"),
        BOTH: _("twin town and decentralised cooperation"),
        OTHER: _("other partnership"),
    }[kind]


def legend_icon(kind: str) -> SafeString:
    """A small SVG of the marker, for the legend (decorative: the text beside says it)."""
    return mark_safe(
        '<svg class="jm-legend-icon" viewBox="0 0 20 20" width="20" height="20" '
        'aria-hidden="true" focusable="false">'
        f"{_marker(kind, 10, 10, 5)}</svg>"
    )


def describe(places: list[Place], lead: str) -> str:
    """A sentence naming every place, for the SVG's <desc>."""
    parts = [f"{place.name} ({place.description})" for place in places if place.description]
    if len(parts) > MANY_PLACES:  # the list beside the map names them all, page by page
        parts = [*parts[:MANY_PLACES], "…"]
    return lead + " " + "; ".join(parts) + "." if parts else lead

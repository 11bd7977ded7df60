"""Build `world.json`, the country outlines the public map is drawn from, from Natural Earth data.

Run once, by hand, when the boundaries are to be updated (the result is committed):

    npm pack world-atlas@2.0.2          # ISC licence; data from Natural Earth (public domain)
    tar xzf world-atlas-2.0.2.tgz       # gives package/countries-110m.json and -50m.json
    .venv/bin/python jumelage/public/data/build_map.py package/

What it does: decodes the TopoJSON, projects every ring with the Mercator projection (the one
people recognise on web maps; latitudes clipped at ±85°), simplifies the 1:50m outlines
(Douglas-Peucker), drops the tiniest islands and Antarctica, rounds to 0.01 degree of longitude
and writes two levels of detail, delta-encoded: "coarse" (1:110m, for wide views) and "fine"
(1:50m simplified, for regional views). Countries carry their ISO 3166-1 alpha-2 code.

Standard library only (plus django-countries' code table), so it runs anywhere.
"""

from __future__ import annotations

import json
import math
import sys
from pathlib import Path
from typing import Any

# Units of the stored coordinates: 100 per degree of longitude (0.01 degree, about 1 km).
UNITS_PER_DEGREE = 100
MAX_LATITUDE = 85.0
HERE = Path(__file__).resolve().parent
OUTPUT = HERE / "world.json"

# (source file, simplification tolerance in degrees, smallest ring kept in square degrees)
LEVELS = {
    "coarse": ("countries-110m.json", 0.0, 0.0),
    "fine": ("countries-50m.json", 0.04, 0.02),
}


def mercator(lon: float, lat: float) -> tuple[float, float]:
    """Mercator, in degrees of longitude; y grows southwards, as in SVG."""
    lat = max(-MAX_LATITUDE, min(MAX_LATITUDE, lat))
    y = math.degrees(math.log(math.tan(math.pi / 4 + math.radians(lat) / 2)))
    return lon, -y


def decode_arcs(topology: dict[str, Any]) -> list[list[tuple[float, float]]]:
    """TopoJSON arcs in longitude/latitude (quantised, delta-encoded positions)."""
    transform = topology.get("transform")
    arcs = []
    for arc in topology["arcs"]:
        points = []
        x = y = 0
        for position in arc:
            if transform:
                x += position[0]
                y += position[1]
                sx, sy = transform["scale"]
                tx, ty = transform["translate"]
                points.append((x * sx + tx, y * sy + ty))
            else:
                points.append((position[0], position[1]))
        arcs.append(points)
    return arcs


def ring_points(indexes: list[int], arcs: list[list[tuple[float, float]]]) -> list:
    points: list[tuple[float, float]] = []
    for index in indexes:
        arc = arcs[index] if index >= 0 else list(reversed(arcs[~index]))
        points.extend(arc if not points else arc[1:])
    return points


def area(points: list[tuple[float, float]]) -> float:
    total = 0.0
    for (x0, y0), (x1, y1) in zip(points, points[1:] + points[:1], strict=True):
        total += x0 * y1 - x1 * y0
    return abs(total) / 2


def simplify(points: list[tuple[float, float]], tolerance: float) -> list[tuple[float, float]]:
    """Douglas-Peucker, iterative (rings have thousands of points)."""
    if tolerance <= 0 or len(points) < 4:
        return points
    keep = [False] * len(points)
    keep[0] = keep[-1] = True
    stack = [(0, len(points) - 1)]
    while stack:
        start, end = stack.pop()
        (x0, y0), (x1, y1) = points[start], points[end]
        dx, dy = x1 - x0, y1 - y0
        length = math.hypot(dx, dy)
        farthest, index = 0.0, -1
        for i in range(start + 1, end):
            px, py = points[i]
            if length == 0:
                distance = math.hypot(px - x0, py - y0)
            else:
                distance = abs(dy * px - dx * py + x1 * y0 - y1 * x0) / length
            if distance > farthest:
                farthest, index = distance, i
        if index >= 0 and farthest > tolerance:
            keep[index] = True
            stack.append((start, index))
            stack.append((index, end))
    return [point for point, kept in zip(points, keep, strict=True) if kept]


def encode(points: list[tuple[float, float]]) -> list[int]:
    """Rounded to the stored units, repeated points dropped, then delta-encoded."""
    rounded: list[tuple[int, int]] = []
    for x, y in points:
        point = (round(x * UNITS_PER_DEGREE), round(y * UNITS_PER_DEGREE))
        if not rounded or rounded[-1] != point:
            rounded.append(point)
    if len(rounded) > 1 and rounded[0] == rounded[-1]:
        rounded.pop()
    flat: list[int] = []
    previous = (0, 0)
    for point in rounded:
        flat.extend((point[0] - previous[0], point[1] - previous[1]))
        previous = point
    return flat


def alpha2_by_numeric() -> dict[str, str]:
    from django_countries.data import ALT_CODES

    table = {f"{numeric:03d}": code for code, (_alpha3, numeric) in ALT_CODES.items() if numeric}
    table.setdefault("-99", "")
    return table


# Natural Earth names the few it gives no ISO number (their ISO codes where one is in use).
NAMES_WITHOUT_NUMBER = {"Kosovo": "XK", "N. Cyprus": "", "Somaliland": ""}


def build_level(path: Path, tolerance: float, smallest: float) -> list[dict[str, Any]]:
    topology = json.loads(path.read_text(encoding="utf-8"))
    arcs = decode_arcs(topology)
    codes = alpha2_by_numeric()
    countries = []
    for geometry in topology["objects"]["countries"]["geometries"]:
        name = geometry.get("properties", {}).get("name", "")
        if name == "Antarctica":
            continue  # infinite on a Mercator map, and nobody's partner town
        code = codes.get(geometry.get("id", ""), NAMES_WITHOUT_NUMBER.get(name, ""))
        if geometry["type"] == "Polygon":
            polygons = [geometry["arcs"]]
        elif geometry["type"] == "MultiPolygon":
            polygons = geometry["arcs"]
        else:
            continue
        rings = []
        xs: list[float] = []
        ys: list[float] = []
        for polygon in polygons:
            for ring in polygon:
                projected = [mercator(lon, lat) for lon, lat in ring_points(ring, arcs)]
                if area(projected) < smallest:
                    continue
                simplified = simplify(projected, tolerance)
                encoded = encode(simplified)
                if len(encoded) < 6:
                    continue
                rings.append(encoded)
                xs.extend(x for x, _y in simplified)
                ys.extend(y for _x, y in simplified)
        if not rings:
            continue
        bbox = [
            math.floor(min(xs) * UNITS_PER_DEGREE),
            math.floor(min(ys) * UNITS_PER_DEGREE),
            math.ceil(max(xs) * UNITS_PER_DEGREE),
            math.ceil(max(ys) * UNITS_PER_DEGREE),
        ]
        countries.append({"code": code, "name": name, "bbox": bbox, "rings": rings})
    countries.sort(key=lambda country: (country["code"], country["name"]))
    return countries


def main(source: Path) -> None:
    result: dict[str, Any] = {
        "source": "world-atlas 2.0.2 (npm), Natural Earth 4.1.0 admin 0 countries",
        "licence": "Natural Earth: public domain; world-atlas packaging: ISC",
        "projection": "mercator",
        "units_per_degree": UNITS_PER_DEGREE,
        "max_latitude": MAX_LATITUDE,
        "levels": {},
    }
    for level, (filename, tolerance, smallest) in LEVELS.items():
        result["levels"][level] = build_level(source / filename, tolerance, smallest)
    OUTPUT.write_text(json.dumps(result, separators=(",", ":")), encoding="utf-8")
    points = {
        level: sum(len(ring) // 2 for country in countries for ring in country["rings"])
        for level, countries in result["levels"].items()
    }
    print(f"Wrote {OUTPUT} ({OUTPUT.stat().st_size // 1024} KiB, points: {points})")


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit("usage: build_map.py <directory of the world-atlas package>")
    main(Path(sys.argv[1]))

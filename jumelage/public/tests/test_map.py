"""The map: drawn on the server from the shipped outlines, with an accessible name and one
marker per town; and the script that builds the outlines."""

from __future__ import annotations

import json
import re

import pytest

from jumelage.public import map as public_map
from jumelage.public.data import build_map

SURESNES = [
    public_map.Place("Suresnes", 48.8711, 2.2289, public_map.MEMBER, "FR", "France"),
    public_map.Place("Hackney", 51.545, -0.055, public_map.TWINNING, "GB", "United Kingdom"),
    public_map.Place("Hann. Münden", 51.4167, 9.65, public_map.TWINNING, "DE", "Germany"),
    public_map.Place("Holon", 32.0103, 34.7792, public_map.TWINNING, "IL", "Israel"),
    public_map.Place("Kragujevac", 44.0167, 20.9167, public_map.BOTH, "RS", "Serbia"),
    public_map.Place("Villach", 46.6103, 13.8558, public_map.TWINNING, "AT", "Austria"),
    public_map.Place("Colmenar Viejo", 40.6591, -3.7676, public_map.TWINNING, "ES", "Spain"),
    public_map.Place("Cap-Haïtien", 19.7578, -72.2042, public_map.COOPERATION, "HT", "Haiti"),
]


def render(places=SURESNES) -> str:
    return str(public_map.render_map(places, title="Map of <partners>", description="All & more"))


def test_the_map_is_an_image_named_by_its_title_and_description():
    svg = render()
    assert svg.startswith("<svg ")
    assert 'role="img"' in svg
    assert 'aria-labelledby="map-title map-desc"' in svg
    assert '<title id="map-title">Map of &lt;partners&gt;</title>' in svg
    assert '<desc id="map-desc">All &amp; more</desc>' in svg


def test_each_town_has_one_marker_in_each_layout():
    svg = render()
    for layer in ("jm-wide", "jm-narrow"):
        group = svg.split(f'<g class="{layer}">')[1].split("<g font-size")[0]
        markers = re.findall(r'class="jm-(member|twin|coop)"', group)
        # Kragujevac (both) draws a diamond and a circle.
        assert len(markers) == len(SURESNES) + 1
        assert markers.count("member") == 1


def test_every_town_is_labelled_on_a_wide_map():
    svg = render()
    wide = svg.split('<g class="jm-wide">')[1].split('<g class="jm-narrow">')[0]
    for place in SURESNES:
        assert f">{place.name}</text>" in wide


def test_the_view_fits_every_town_from_haiti_to_israel():
    points = [public_map.project(p.latitude, p.longitude) for p in SURESNES]
    x, y, width, height = public_map.view_box(points)
    for px, py in points:
        assert x < px < x + width
        assert y < py < y + height
    assert public_map.MIN_RATIO <= width / height <= public_map.MAX_RATIO + 0.01


def test_a_single_nearby_partner_still_shows_its_surroundings():
    places = SURESNES[:2]
    points = [public_map.project(p.latitude, p.longitude) for p in places]
    _x, _y, width, _height = public_map.view_box(points)
    assert width >= public_map.MIN_SPAN


def test_countries_are_drawn_and_those_of_partners_set_apart():
    svg = render()
    assert svg.count('class="jm-land jm-home-country"') == 1
    assert 'class="jm-land jm-partner-country"' in svg
    assert len(svg) < 60_000  # clipped to the view: light enough for a phone


def test_without_a_located_town_there_is_no_map():
    unplaced = public_map.Place("Nowhere", None, None, public_map.TWINNING)  # type: ignore[arg-type]
    assert render([unplaced]) == ""


def test_the_shipped_outlines_cover_the_demo_countries_at_both_levels():
    data = json.loads(public_map.DATA.read_text())
    assert data["projection"] == "mercator"
    for level in ("coarse", "fine"):
        codes = {country["code"] for country in data["levels"][level]}
        assert {"FR", "GB", "DE", "IL", "RS", "AT", "ES", "HT"} <= codes


def test_the_build_script_simplifies_and_delta_encodes_rings():
    square = [(0.0, 0.0), (0.5, 0.001), (1.0, 0.0), (1.0, 1.0), (0.0, 1.0), (0.0, 0.0)]
    simplified = build_map.simplify(square, 0.01)
    assert (0.5, 0.001) not in simplified
    assert build_map.encode([(0.0, 0.0), (1.0, 0.0), (1.0, 1.0), (0.0, 0.0)]) == [
        0, 0, 100, 0, 0, 100,
    ]  # fmt: skip


def test_the_build_script_projects_with_mercator_southwards():
    assert build_map.mercator(0, 0) == (0, pytest.approx(0, abs=1e-9))
    _x, north = build_map.mercator(10, 45)
    _x, south = build_map.mercator(10, -45)
    assert north < 0 < south
    assert build_map.mercator(0, 89)[1] == build_map.mercator(0, 85)[1]


def test_the_label_grid_finds_the_same_overlaps_as_checking_every_box():
    import random

    from jumelage.public.map import _BoxGrid, _overlap

    rng = random.Random(7)

    def box():
        x, y = rng.uniform(-50, 950), rng.uniform(-50, 450)
        return (x, y, x + rng.uniform(1, 120), y + rng.uniform(1, 30))

    grid, placed = _BoxGrid(cell=40), []
    for _ in range(300):
        probe = box()
        expected = sum(_overlap(probe, other) for other in placed)
        assert abs(grid.crowd(probe) - expected) < 1e-6
        grid.add(probe)
        placed.append(probe)


def _many(count: int) -> list[public_map.Place]:
    import random

    rng = random.Random(7)
    member = public_map.Place("Suresnes", 48.87, 2.22, public_map.MEMBER, "FR", "France")
    return [member] + [
        public_map.Place(
            f"Ville {i}", rng.uniform(-40, 60), rng.uniform(-100, 140), public_map.TWINNING, "XX"
        )
        for i in range(count)
    ]


def test_many_partner_towns_share_markers_and_the_map_stays_small():
    svg = render(_many(3000))
    markers = svg.count("<text ")
    # two layers (wide, narrow), each at most one marker per cluster square, the member's too
    squares = (public_map.WIDTH / public_map.CLUSTER_CELL) ** 2
    assert markers <= 2 * (squares + 1)
    assert len(svg) < 400_000
    assert re.search(r">Ville \d+ \+\d+</text>", svg)
    assert ">Suresnes</text>" in svg


def test_placing_labels_grows_linearly_with_the_towns():
    import time

    def seconds(count: int) -> float:
        started = time.perf_counter()
        render(_many(count))
        return time.perf_counter() - started

    small, large = seconds(400), seconds(4000)
    # ten times the towns: well under the hundred times of a quadratic placement
    assert large < 25 * small + 0.5

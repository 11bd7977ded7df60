"""`manage.py export_iati`: the file, the projects left out with their reasons, a summary."""

from __future__ import annotations

import io

import pytest
from django.core.management import CommandError, call_command
from lxml import etree

from jumelage.reporting.iati.reference import activity_schema, safe_parser
from jumelage.reporting.tests.factories import full_project


def run(*args: str) -> str:
    out = io.StringIO()
    call_command("export_iati", *args, stdout=out)
    return out.getvalue()


def test_it_writes_a_valid_file_and_lists_the_projects_left_out(tmp_path, city_a, city_b):
    full_project(city_a)
    bad = full_project(city_a, title={"fr": "Forages"})
    bad.sectors.all().delete()
    target = tmp_path / "ville-a.xml"
    output = run("--authority", "ville-a", "--output", str(target))
    root = etree.parse(str(target), safe_parser()).getroot()
    assert activity_schema().validate(root)
    assert len(root) == 1
    assert f"Left out: Forages ({bad.slug})" in output
    assert "  - No sector is given" in output
    assert output.splitlines()[-1] == (
        f"activities exported: 1; projects left out: 1; file written to {target}"
    )
    assert not list(tmp_path.glob("*.part"))


def test_it_refuses_an_unknown_authority(tmp_path, city_a):
    with pytest.raises(CommandError, match="No member authority has the slug “nowhere”"):
        run("--authority", "nowhere", "--output", str(tmp_path / "x.xml"))


def test_it_writes_no_file_when_no_project_can_be_exported(tmp_path, city_a):
    bad = full_project(city_a)
    bad.sectors.all().delete()
    target = tmp_path / "ville-a.xml"
    with pytest.raises(CommandError, match="no file was written"):
        run("--authority", "ville-a", "--output", str(target))
    assert not target.exists()
    assert list(tmp_path.iterdir()) == []


def test_it_keeps_the_previous_file_when_the_new_export_is_empty(tmp_path, city_a):
    target = tmp_path / "ville-a.xml"
    target.write_bytes(b"previous")
    with pytest.raises(CommandError):
        run("--authority", "ville-a", "--output", str(target))
    assert target.read_bytes() == b"previous"

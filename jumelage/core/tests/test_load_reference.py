"""`manage.py load_reference`: codelists, countries, the DAC list and the Atlas themes, loaded
idempotently and atomically from the files in core/reference."""

import hashlib
import re
import shutil
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from jumelage.core.models import AtlasTheme, CodelistItem, Country, OdaEligibility
from jumelage.core.reference_data import REFERENCE_DIR
from jumelage.core.tests.factories import CountryFactory, OdaEligibilityFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def in_english():
    """Messages are asserted in English, the source language, whatever catalogs exist."""
    with translation.override("en"):
        yield


MODELS = (Country, CodelistItem, OdaEligibility, AtlasTheme)


def load(**options):
    out = StringIO()
    call_command("load_reference", stdout=out, **options)
    return out.getvalue()


def snapshot():
    return {model: sorted(model.objects.values_list()) for model in MODELS}


def counts():
    return {model: model.objects.count() for model in MODELS}


@pytest.fixture
def reference_copy(tmp_path):
    """A copy of the reference files, to break one without touching the real ones."""
    directory = tmp_path / "reference"
    shutil.copytree(REFERENCE_DIR, directory)
    return directory


def test_a_second_load_creates_nothing_and_changes_nothing():
    first = load()
    assert "Countries: 250 created" in first
    before = snapshot()
    with CaptureQueriesContext(connection) as queries:
        second = load()
    writes = [q["sql"] for q in queries if q["sql"].split()[0] in ("INSERT", "UPDATE", "DELETE")]
    assert writes == []
    assert snapshot() == before
    lines = second.strip().splitlines()
    assert len(lines) == 4  # one line of counts per kind
    for line in lines:
        assert "0 created, 0 updated" in line and "0 removed" in line


def test_it_prints_one_line_of_counts_per_kind():
    lines = load().strip().splitlines()
    assert [line.split(":")[0] for line in lines] == [
        "Countries",
        "Codelist items",
        "ODA eligibility",
        "Atlas themes",
    ]


def test_it_loads_in_bulk_as_it_runs_on_every_start():
    # Query counts rather than seconds (a busy machine makes a timer lie): thousands of rows in
    # a few dozen statements, and a second load that only reads each table once or so.
    with CaptureQueriesContext(connection) as first:
        load()
    with CaptureQueriesContext(connection) as second:
        load()
    assert len(first) < 60
    assert len(second) <= 12


def test_it_updates_only_what_differs_and_restores_a_missing_row():
    load()
    item = CodelistItem.objects.get(codelist="Sector", code="15112")
    item.name_en = "Changed by hand"
    item.save()
    CodelistItem.objects.filter(codelist="Currency", code="XOF").delete()
    output = load()
    assert "Codelist items: 1 created, 1 updated, " in output
    item.refresh_from_db()
    assert item.name_en == "Decentralisation and support to subnational government"
    assert CodelistItem.objects.filter(codelist="Currency", code="XOF").exists()


def test_codelist_items_carry_their_french_name_and_category():
    load()
    sector = CodelistItem.objects.get(codelist="Sector", code="15112")
    assert sector.name_en == "Decentralisation and support to subnational government"
    assert sector.name_fr == "Décentralisation et soutien aux administrations infranationales"
    assert sector.category == "151"
    assert sector.is_active
    # A list without French names keeps the field empty, and falls back to English.
    currency = CodelistItem.objects.get(codelist="Currency", code="EUR")
    assert currency.name_fr == ""
    assert currency.name_en == "Euro"


def test_withdrawn_codes_are_loaded_inactive():
    load()
    assert not CodelistItem.objects.get(codelist="Sector", code="11321").is_active
    assert not CodelistItem.objects.get(codelist="Currency", code="BYR").is_active
    assert CodelistItem.objects.get(codelist="Currency", code="BYN").is_active


def test_every_codelist_of_the_model_is_loaded_even_long_codes():
    load()
    from jumelage.core.models import Codelist

    loaded = set(CodelistItem.objects.values_list("codelist", flat=True).distinct())
    assert loaded == set(Codelist.values)
    docx = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    assert CodelistItem.objects.get(codelist="FileFormat", code=docx).name_en == docx


def test_countries_have_french_and_english_names_and_eu_membership():
    load()
    germany = Country.objects.get(code="DE")
    assert (germany.name_fr, germany.name_en, germany.is_eu_member) == (
        "Allemagne",
        "Germany",
        True,
    )
    assert Country.objects.get(code="HT").name_fr == "Haïti"
    assert Country.objects.get(code="XK").name_en == "Kosovo"
    assert Country.objects.filter(is_eu_member=True).count() == 27
    assert not Country.objects.get(code="GB").is_eu_member
    assert not Country.objects.get(code="RS").is_eu_member


def test_a_country_renamed_by_hand_gets_its_reference_name_back():
    CountryFactory(code="DE", name_fr="Pays DE", name_en="Country DE")
    output = load()
    assert "Countries: 249 created, 1 updated, 0 unchanged" in output
    assert Country.objects.get(code="DE").name_fr == "Allemagne"


def test_the_dac_list_is_loaded_year_by_year():
    load()

    def group(code, year):
        row = OdaEligibility.objects.filter(country_id=code, year=year).first()
        return row.income_group if row else None

    assert group("HT", 2025) == "LDC"
    assert group("RS", 2025) == "UMIC"
    for code in ("DE", "ES", "GB", "AT", "IL", "FR"):
        assert not OdaEligibility.objects.filter(country_id=code).exists()
    for code in ("CL", "SC", "UY"):  # graduated on 1 January 2018
        assert not OdaEligibility.objects.filter(country_id=code).exists()
    assert group("AG", 2021) == "UMIC"
    assert group("AG", 2022) is None  # graduated on 1 January 2022
    assert (group("VU", 2020), group("VU", 2021)) == ("LDC", "LMIC")
    assert group("CK", 2020) is None
    assert (group("NR", 2025), group("NR", 2026)) == ("UMIC", None)
    assert set(OdaEligibility.objects.values_list("year", flat=True)) == set(range(2018, 2027))


def test_a_dac_list_row_the_file_does_not_have_is_removed():
    CountryFactory(code="DE")
    OdaEligibilityFactory(country=Country.objects.get(code="DE"), year=2025, income_group="UMIC")
    output = load()
    assert "1 removed" in output
    assert not OdaEligibility.objects.filter(country_id="DE").exists()


def test_atlas_themes_hang_under_their_parents():
    load()
    leaf = AtlasTheme.objects.get(code="1.1.1")
    assert leaf.level == 3
    assert leaf.parent.code == "1.1"
    assert leaf.parent.parent.code == "1"
    assert AtlasTheme.objects.get(code="1").parent is None
    assert [theme.code for theme in leaf.path()] == ["1", "1.1", "1.1.1"]
    assert leaf.name_fr == "Appui institutionnel"


def test_a_theme_moved_by_hand_gets_its_parent_back():
    load()
    leaf = AtlasTheme.objects.get(code="1.1.1")
    leaf.parent = AtlasTheme.objects.get(code="2")
    leaf.save()
    assert "Atlas themes: 0 created, 1 updated" in load()
    leaf.refresh_from_db()
    assert leaf.parent.code == "1.1"


def test_a_malformed_codelist_gives_a_clear_error_and_writes_nothing(reference_copy):
    sector = reference_copy / "iati" / "codelists" / "Sector.xml"
    sector.write_text(sector.read_text(encoding="utf-8")[:5000], encoding="utf-8")
    with pytest.raises(CommandError, match=r"Sector\.xml, line \d+: this is not well-formed XML"):
        load(directory=reference_copy)
    assert counts() == dict.fromkeys(MODELS, 0)


def test_a_missing_file_is_named(reference_copy):
    (reference_copy / "atlas_themes.csv").unlink()
    with pytest.raises(CommandError, match=r"atlas_themes\.csv: the file cannot be read"):
        load(directory=reference_copy)
    assert counts() == dict.fromkeys(MODELS, 0)


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("HT,Haiti,LDX,2018,2026,", "“LDX” is not an income group"),
        ("QQ,Nowhere,LDC,2018,2026,", "“QQ” is not a known country code"),
        ("HT,Haiti,LDC,2026,2018,", "the first year comes after the last year"),
        ("HT,Haiti,LDC,twenty,2026,", "“twenty” is not a year"),
        ("HT,Haiti,LDC,2018", "expected 6 columns, found 4"),
        ("AL,Albania,UMIC,2025,2025,", "AL is already listed for 2025"),
    ],
)
def test_a_malformed_dac_list_line_is_named_and_nothing_changes(reference_copy, line, message):
    load()
    before = snapshot()
    path = reference_copy / "oda_recipients.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    lines.insert(3, line)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(CommandError, match=f"oda_recipients.csv, line 4: {message}"):
        load(directory=reference_copy)
    assert snapshot() == before


def test_a_wrong_header_is_refused(reference_copy):
    path = reference_copy / "atlas_themes.csv"
    path.write_text("code;level;name\n1;1;Politique\n", encoding="utf-8")
    with pytest.raises(CommandError, match="line 1: the header must be “code,level,name_fr"):
        load(directory=reference_copy)


def test_a_theme_without_its_parent_is_refused(reference_copy):
    path = reference_copy / "atlas_themes.csv"
    path.write_text("code,level,name_fr,name_en\n1.4.1,3,Orphelin,Orphan\n", encoding="utf-8")
    with pytest.raises(
        CommandError, match=re.escape("the parent 1.4 of 1.4.1 must come before it")
    ):
        load(directory=reference_copy)


def test_a_failure_while_writing_rolls_back_what_was_already_written(reference_copy):
    # Countries are written before codelist items: a codelist name too long for its column
    # (caught before PostgreSQL would refuse it) must undo the countries too.
    path = reference_copy / "iati" / "codelists" / "TiedStatus.xml"
    text = path.read_text(encoding="utf-8")
    path.write_text(
        text.replace("<narrative>Untied</narrative>", f"<narrative>{'x' * 1001}</narrative>"),
        encoding="utf-8",
    )
    with pytest.raises(CommandError, match="longer than 1000 characters"):
        load(directory=reference_copy)
    assert counts() == dict.fromkeys(MODELS, 0)


def test_the_iati_schemas_are_the_files_the_iati_readme_pins():
    iati = REFERENCE_DIR / "iati"
    pinned = re.findall(r"^([0-9a-f]{64})  (schema/\S+)$", (iati / "README.md").read_text(), re.M)
    assert len(pinned) == 4
    for digest, name in pinned:
        assert hashlib.sha256((iati / name).read_bytes()).hexdigest() == digest, name

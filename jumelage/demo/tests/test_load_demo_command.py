"""`manage.py load_demo`: its summary, the sign-in details, and its refusal in production."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from jumelage.demo.services import ensure_demo_reference_rows
from jumelage.partners.models import MemberAuthority


@pytest.fixture
def reference(db, settings):
    # The test runner turns DEBUG off; the command expects a development instance.
    settings.DEBUG = True
    ensure_demo_reference_rows()


def run() -> str:
    out = StringIO()
    call_command("load_demo", stdout=out)
    return out.getvalue()


def test_it_prints_what_it_created_and_the_sign_in_details(reference, settings):
    settings.DEMO_PASSWORD = "a-demo-password"
    output = run()
    assert "Demo data loaded:" in output
    assert "partnerships: 9" in output
    for line in (
        "admin: superuser, administrator of Suresnes",
        "officer: officer of Suresnes",
        "viewer: viewer of Suresnes",
        "contributor: contributor of Suresnes",
        "officer2: officer of Villebelle-sur-Loire",
    ):
        assert line in output
    assert "Password: a-demo-password" in output


def test_a_second_run_says_it_created_nothing(reference):
    run()
    output = run()
    assert "nothing was created or changed" in output
    assert "officer2: officer of Villebelle-sur-Loire" in output


def test_it_refuses_the_default_password_on_a_production_instance(db, settings):
    settings.DEBUG = False
    settings.DEMO_PASSWORD = "demo"
    with pytest.raises(CommandError, match="JUMELAGE_DEMO_PASSWORD"):
        call_command("load_demo", stdout=StringIO())
    assert not MemberAuthority.objects.exists()

"""French first: every interface string has a French translation, and the compiled catalogue
that Django reads is the current one."""

from pathlib import Path

import polib

LOCALE = Path(__file__).resolve().parent.parent / "locale" / "fr" / "LC_MESSAGES"


def test_every_string_of_the_french_catalogue_is_translated():
    po = polib.pofile(str(LOCALE / "django.po"))
    missing = [entry.msgid for entry in po.untranslated_entries()]
    fuzzy = [entry.msgid for entry in po.fuzzy_entries()]
    assert not missing, f"{len(missing)} strings without French: {missing[:10]}"
    assert not fuzzy, f"{len(fuzzy)} fuzzy translations to check: {fuzzy[:10]}"


def test_the_compiled_catalogue_matches_the_translations():
    po = {
        (e.msgctxt, e.msgid): e.msgstr or e.msgstr_plural
        for e in polib.pofile(str(LOCALE / "django.po"))
        if not e.obsolete
    }
    mo = {
        (e.msgctxt, e.msgid): e.msgstr or e.msgstr_plural
        for e in polib.mofile(str(LOCALE / "django.mo"))
        if e.msgid
    }
    assert po == mo, "Run `make messages` (compilemessages) after editing django.po."


def test_a_message_reads_in_french(settings):
    from django.utils import translation

    from jumelage.tenancy.services import ConcurrentEditError  # noqa: F401 - loads the app's strings

    with translation.override("fr"):
        assert translation.gettext("Other languages") == "Autres langues"

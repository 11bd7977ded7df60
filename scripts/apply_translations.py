"""Apply translation files (JSON lists of {msgid, msgctxt, msgstr | msgstr_plural}) to a .po file.

Used when a batch of new strings has been translated outside the .po (by a person or a
translator's tool):
    python scripts/apply_translations.py locale/fr/LC_MESSAGES/django.po A.json ...
"""

import json
import sys

import polib


def main(po_path: str, *json_paths: str) -> None:
    po = polib.pofile(po_path)
    index = {(entry.msgctxt, entry.msgid): entry for entry in po}
    applied = missing = 0
    for path in json_paths:
        with open(path, encoding="utf-8") as handle:
            items = json.load(handle)
        for item in items:
            entry = index.get((item.get("msgctxt"), item["msgid"]))
            if entry is None:
                missing += 1
                continue
            if "msgstr_plural" in item:
                entry.msgstr_plural = {int(k): v for k, v in item["msgstr_plural"].items()}
            else:
                entry.msgstr = item["msgstr"]
            if "fuzzy" in entry.flags:
                entry.flags.remove("fuzzy")
            applied += 1
    po.save(po_path)
    untranslated = len(po.untranslated_entries())
    print(f"applied {applied}, not found {missing}, still untranslated {untranslated}")


if __name__ == "__main__":
    main(sys.argv[1], *sys.argv[2:])

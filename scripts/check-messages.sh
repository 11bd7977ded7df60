#!/usr/bin/env bash
# CI: refresh the French catalogue from the code and fail if a string has no translation.
set -euo pipefail
cd "$(dirname "$0")/.."
if ! command -v xgettext >/dev/null 2>&1; then
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq gettext >/dev/null
fi
.venv/bin/python manage.py makemessages -l fr --ignore=.venv --ignore=bench --ignore=node_modules --no-obsolete -v0
.venv/bin/python - <<'PY'
import sys
import polib
po = polib.pofile("locale/fr/LC_MESSAGES/django.po")
missing = po.untranslated_entries() + po.fuzzy_entries()
if missing:
    print(f"{len(missing)} strings need a French translation (locale/fr/LC_MESSAGES/django.po):")
    for entry in missing[:30]:
        print("  -", entry.msgid[:100], "@", ", ".join(f"{f}:{l}" for f, l in entry.occurrences[:1]))
    sys.exit(1)
print("French catalogue complete.")
PY

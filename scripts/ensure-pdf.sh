#!/usr/bin/env bash
# The PDF reports are printed by WeasyPrint, which needs Pango (text layout, with HarfBuzz and
# its font subsetter) and fonts; the screenshots of those reports use poppler's pdftoppm.
# Debian packages, installed when missing (as root, after apt-get update); otherwise says what
# to install. Called by scripts/bootstrap.sh, so `make run` and `make test` need nothing else.
set -euo pipefail
packages=(
  libpango-1.0-0        # text layout (WeasyPrint loads it through cffi)
  libpangoft2-1.0-0     # Pango's FreeType and fontconfig back end
  libharfbuzz-subset0   # embeds only the glyphs used: small PDF files
  fonts-liberation2     # Liberation Sans, metrics of Arial: the report's type
  fonts-dejavu-core     # wide coverage (Serbian Cyrillic, Haitian Creole accents...)
  poppler-utils         # pdftoppm / pdftotext: to look at a PDF (screenshots, checks)
)
command -v dpkg-query >/dev/null 2>&1 || exit 0  # not Debian: see docs/operators.md
missing=()
for package in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$package")
  fi
done
[ ${#missing[@]} -eq 0 ] && exit 0
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
  echo "Installing what the PDF reports need: ${missing[*]}..."
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
else
  # A warning, not a failure: everything but the PDF files works without them.
  echo "The PDF reports need: sudo apt-get install ${missing[*]}" >&2
fi

#!/usr/bin/env bash
# The tests need PostgreSQL (server binaries) and Chromium. Install them from Debian's packages when they are
# missing and we can; otherwise say exactly what is missing and fail (never skip silently).
set -euo pipefail

need=()
pg_bin() { ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1; }
if [ -z "$(pg_bin)" ] || [ ! -x "$(pg_bin)/initdb" ]; then need+=(postgresql); fi
if [ ! -x /usr/bin/chromium ]; then need+=(chromium); fi
# Reports: PDF needs a Cyrillic TTF (DejaVu Sans); the tests render a PDF page with pdftoppm.
if [ ! -f /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf ]; then need+=(fonts-dejavu-core); fi
if ! command -v pdftoppm >/dev/null; then need+=(poppler-utils); fi

if [ ${#need[@]} -eq 0 ]; then
  echo "system deps: PostgreSQL in $(pg_bin), Chromium at /usr/bin/chromium, DejaVu fonts, pdftoppm"
  exit 0
fi

if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
  echo "system deps: installing ${need[*]} from Debian packages"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq || true
  apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
  # The Debian package starts a cluster of its own; the tests use a throwaway one, so stop it.
  if [[ " ${need[*]} " == *" postgresql "* ]] && command -v service >/dev/null; then
    service postgresql stop >/dev/null 2>&1 || true
  fi
else
  echo "ERROR: the tests need these Debian packages, which are missing: ${need[*]}" >&2
  echo "       install them with: sudo apt-get install ${need[*]}" >&2
  exit 1
fi

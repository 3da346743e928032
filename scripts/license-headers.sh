#!/usr/bin/env bash
# Adds an SPDX Apache-2.0 header to every source file of the repository that lacks one, or, with
# --check, lists those files and exits 1. Idempotent: a file whose first lines already carry an
# "SPDX-License-Identifier:" is left alone. Files: *.java *.cu *.cuh *.h *.c *.cpp *.hpp *.sh *.py
# and the ./ika launcher, as git sees them (tracked, or untracked and not ignored).
#
#   scripts/license-headers.sh           add the missing headers
#   scripts/license-headers.sh --check   list files without one; exit status 1 if there are any
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
SPDX="SPDX-License-Identifier: Apache-2.0"
COPYRIGHT="Copyright 2026 the ika4j authors"
mode=fix
case "${1:-}" in
  --check) mode=check ;;
  "") ;;
  -h|--help) sed -n '2,9p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
  *) echo "license-headers: unknown argument '$1' (use --check or nothing)" >&2; exit 2 ;;
esac

cd "$ROOT"
has_header() { head -n 6 "$1" | grep -q 'SPDX-License-Identifier:'; }

add_header() { # $1 file, $2 comment style: c (block) or hash
  local f="$1" tmp
  tmp="$(mktemp "${f}.lic.XXXXXX")"
  if [ "$2" = c ]; then
    printf '/*\n * %s\n * %s\n */\n' "$COPYRIGHT" "$SPDX" > "$tmp"
    cat "$f" >> "$tmp"
  else
    if head -n 1 "$f" | grep -q '^#!'; then
      head -n 1 "$f" > "$tmp"
      printf '# %s\n# %s\n' "$COPYRIGHT" "$SPDX" >> "$tmp"
      tail -n +2 "$f" >> "$tmp"
    else
      printf '# %s\n# %s\n' "$COPYRIGHT" "$SPDX" > "$tmp"
      cat "$f" >> "$tmp"
    fi
  fi
  chmod --reference="$f" "$tmp" 2>/dev/null || true
  mv "$tmp" "$f"
}

missing=0
while IFS= read -r -d '' f; do
  [ -f "$f" ] || continue
  case "$f" in
    *.java|*.cu|*.cuh|*.h|*.c|*.cpp|*.hpp) style=c ;;
    *.sh|*.py|ika) style=hash ;;
    *) continue ;;
  esac
  has_header "$f" && continue
  if [ "$mode" = check ]; then
    echo "$f"
    missing=$((missing + 1))
  else
    add_header "$f" "$style"
    echo "license-headers: added to $f"
  fi
done < <(git ls-files -z --cached --others --exclude-standard)

if [ "$mode" = check ] && [ "$missing" -gt 0 ]; then
  echo "license-headers: $missing file(s) above lack an SPDX header; run scripts/license-headers.sh" >&2
  exit 1
fi
exit 0

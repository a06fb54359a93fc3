#!/usr/bin/env bash
# Fetches the repositories of training/data/eval-repos.json into a local cache (not committed), one
# folder per repository holding only its source root, for `samba eval --repos`:
#   bash scripts/fetch-eval-repos.sh [CACHE] [LIST]   (CACHE defaults to ~/.cache/samba-eval, LIST to
#                                                     training/data/eval-repos.json)
# For the GPU machine (no network there): bash scripts/fetch-eval-repos.sh .device-data/eval-repos,
# then carry .device-data (bench/RESULTS.md, "samba eval on the completion path", has the command).
# Needs npm (npm pack) and Debian's apt-get/dpkg-deb; the network only here, never at run time.
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
cache="${1:-${SAMBA_EVAL_CACHE:-$HOME/.cache/samba-eval}}"
mkdir -p "$cache/dl"
list="${2:-$here/training/data/eval-repos.json}"
python3 - "$list" > "$cache/dl/list.tsv" <<'PY'
import json, sys, re
for r in json.load(open(sys.argv[1]))["repositories"]:
    folder = re.sub(r"[^A-Za-z0-9._-]+", "_", r["repo"])
    print("\t".join([folder, r["source"], r["root"]]))
PY
while IFS=$'\t' read -r folder source root; do
  dest="$cache/$folder"
  if [ -d "$dest" ] && [ -n "$(ls -A "$dest")" ]; then find "$dest" -exec touch -h -d '2000-01-01 00:00:00 UTC' {} +; echo "have $folder"; continue; fi
  work="$cache/dl/$folder"; rm -rf "$work"; mkdir -p "$work"
  case "$source" in
    "npm pack "*)
      spec="${source#npm pack }"
      (cd "$work" && npm pack --silent "$spec" >/dev/null && tar -xzf ./*.tgz) ;;
    "apt-get download "*)
      spec="${source#apt-get download }"; spec="${spec%% *}"
      (cd "$work" && apt-get download "$spec" >/dev/null 2>&1 || apt-get download "${spec%%=*}" >/dev/null) 
      (cd "$work" && dpkg-deb -x ./*.deb .)
      # `a.tar.gz!dir`: the source is a tarball inside the package.
      if [[ "$root" == *'!'* ]]; then
        mkdir -p "$work/tarball" && tar -xzf "$work/${root%%!*}" -C "$work/tarball"
        root="tarball/${root#*!}"
      fi ;;
    /usr/lib/python3.11/*)
      src="${source%% *}"
      [ -d "$src" ] || { echo "missing $src: install Debian's python3.11 (libpython3.11-stdlib)" >&2; exit 1; }
      mkdir -p "$work/$(basename "$src")" && cp -r "$src"/. "$work/$(basename "$src")/" ;;
    *) echo "eval-repos.json: cannot fetch source '$source' of $folder" >&2; exit 1 ;;
  esac
  [ -d "$work/$root" ] || { echo "$folder: '$root' is not in the fetched package ($work)" >&2; exit 1; }
  rm -rf "$dest"; mkdir -p "$dest"
  cp -r "$work/$root"/. "$dest/"
  # Compiled and cache files are not source.
  find "$dest" \( -name '__pycache__' -o -name '*.pyc' \) -prune -exec rm -rf {} +
  # One mtime for every file: the extension orders a workspace by mtime, then path; equal mtimes make
  # that the path order on every machine (a copy's own mtimes would follow the copy's order).
  find "$dest" -exec touch -h -d '2000-01-01 00:00:00 UTC' {} +
  rm -rf "$work"
  echo "fetched $folder ($(find "$dest" -type f | wc -l) files)"
done < "$cache/dl/list.tsv"
echo "cache: $cache"

#!/usr/bin/env bash
# Builds the three sources of the data-mix example from text Debian installs (no downloads) and tokenizes them with
# `levain data prepare` into examples/data-mix/prepared/ (byte tokenizer, 5 % of documents held out per source).
#   fortunes  English quips and quotations        (package fortunes-min or fortunes: /usr/share/games/fortunes)
#   dict      English dictionary entries, GCIDE     (package dict-gcide: /usr/share/dictd/gcide.dict.dz)
#   man_ru    Russian manual pages (troff)          (package manpages-ru: /usr/share/man/ru)
# The target of the study is held-out loss on fortunes; dict is related English text, man_ru a different language.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
work="$here/sources"
mkdir -p "$work"

need() { [[ -e "$1" ]] || { echo "prepare.sh: $1 not found; install the Debian package $2" >&2; exit 64; }; }
need /usr/share/games/fortunes fortunes-min
need /usr/share/dictd/gcide.dict.dz dict-gcide
need /usr/share/man/ru manpages-ru

# fortunes: one document per fortune (files separate them with a line holding only '%'), blank-line separated.
: > "$work/fortunes.txt"
for f in /usr/share/games/fortunes/*; do
  [[ -f "$f" && "$f" != *.dat && "$f" != *.u8 ]] || continue
  grep -Iq . "$f" || continue                       # skip binary files
  awk 'BEGIN { RS = "\n%\n" } { gsub(/\n+$/, ""); gsub(/\n\n+/, "\n"); if (length($0) > 0) printf "%s\n\n", $0 }' "$f" \
    | iconv -f utf-8 -t utf-8 -c >> "$work/fortunes.txt"
done

# The target is scarce on purpose (as a new language or domain is): the first 400 kB of fortunes only.
awk -v max=400000 '{ n += length($0) + 1; print } /^$/ && n >= max { exit }' "$work/fortunes.txt" > "$work/fortunes.cut"
mv "$work/fortunes.cut" "$work/fortunes.txt"

# dict: the first 4 MB of GCIDE's entries (dictzip is gzip), one paragraph per entry.
# (zcat stops with SIGPIPE when head has enough: not an error here)
{ zcat /usr/share/dictd/gcide.dict.dz || true; } | head -c 4000000 | iconv -f utf-8 -t utf-8 -c > "$work/dict.txt"

# Plain-text sources split at blank lines; the man pages are one document per page.
"$root/levain" data prepare --tokenizer bytes --out "$here/prepared" --split paragraph \
  --source "fortunes=$work/fortunes.txt" --source "dict=$work/dict.txt" \
  --source "man_ru=/usr/share/man/ru" --troff-source man_ru "$@"

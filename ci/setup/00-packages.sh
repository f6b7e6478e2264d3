#!/usr/bin/env bash
# Installs the Debian packages the suite and benchmarks need (once; cheap when already present).
set -euo pipefail
need=()
for pkg in "$@" ${LEVAIN_APT_PACKAGES:-}; do dpkg -s "$pkg" >/dev/null 2>&1 || need+=("$pkg"); done
for pkg in $(cat "$(dirname "$0")"/packages.txt 2>/dev/null | grep -v '^#'); do dpkg -s "$pkg" >/dev/null 2>&1 || need+=("$pkg"); done
if ((${#need[@]})); then
  if [[ $(id -u) -ne 0 ]]; then echo "missing packages (need root to install): ${need[*]}" >&2; exit 1; fi
  echo "installing: ${need[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >/dev/null
  apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi
: > "$(dirname "$0")/.env"

#!/usr/bin/env bash
# Installs what Glimpse needs on a fresh Debian machine (idempotent): the C libraries it links.
# Run as root, or with sudo available. Swift 6 must already be on PATH.
set -euo pipefail

packages=(libopenblas-dev libpng-dev libjpeg-dev libzmq3-dev libdnnl-dev libssl-dev libedit-dev libhdf5-dev libcurl4-openssl-dev pkg-config)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "setup: installing ${missing[*]}"
  sudo_cmd=""
  [ "$(id -u)" -ne 0 ] && sudo_cmd="sudo"
  $sudo_cmd apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
command -v swift >/dev/null || { echo "setup: swift (6.0 or later) is not on PATH" >&2; exit 1; }

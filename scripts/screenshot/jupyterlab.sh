#!/usr/bin/env bash
# Screenshots the executed walkthrough as JupyterLab shows it, with the Glimpse kernel attached:
# JupyterLab from PyPI (in .venv-screenshot), Chromium from Debian, headless, driven over the
# DevTools protocol by capture.py (standard library only; nothing is downloaded but Debian and PyPI
# packages). Writes Notebooks/walkthrough-jupyterlab.png, or for another notebook
# Notebooks/<name in lower case>-jupyterlab.png.
# Usage: scripts/screenshot/jupyterlab.sh [NOTEBOOK.ipynb]   (GLIMPSE_BINARY overrides the debug build)
# Run as root or with sudo (apt); the server and the browser are stopped on every exit path.
set -euo pipefail
cd "$(dirname "$0")/../.."
root="$(pwd)"
notebook="${1:-Walkthrough.ipynb}"
stem="$(basename "$notebook" .ipynb | tr '[:upper:]' '[:lower:]')"
output="Notebooks/$stem-jupyterlab.png"
# A tall window: the predict result, the activation grid, occlusion and the first Grad-CAM pair.
width=1400
height=2200

bash scripts/setup.sh
packages=(chromium pngquant)
# Debian's python3 has no ensurepip (so no `python3 -m venv`) without python3-venv.
python3 -c "import ensurepip" 2>/dev/null || packages+=(python3-venv)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "screenshot: installing ${missing[*]}"
  sudo_cmd=""
  [ "$(id -u)" -ne 0 ] && sudo_cmd="sudo"
  $sudo_cmd apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq --no-install-recommends \
    "${missing[@]}" >/dev/null
fi

venv=".venv-screenshot"
if [ ! -x "$venv/bin/jupyter-lab" ]; then
  python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet --disable-pip-version-check jupyterlab
fi

if [ -z "${GLIMPSE_BINARY:-}" ]; then
  swift build --product glimpse
  GLIMPSE_BINARY="$(swift build --show-bin-path)/glimpse"
fi
# The kernelspec goes into the venv only, pointing at this build.
VIRTUAL_ENV="$root/$venv" "$GLIMPSE_BINARY" kernelspec install --sys-prefix >/dev/null

work="$(mktemp -d)"
server=""
capture=""
stop() {  # PID: SIGTERM, then SIGKILL after 10 s
  kill -0 "$1" 2>/dev/null || return 0
  kill -TERM "$1" 2>/dev/null || true
  for _ in $(seq 50); do kill -0 "$1" 2>/dev/null || break; sleep 0.2; done
  kill -KILL "$1" 2>/dev/null || true
  wait "$1" 2>/dev/null || true
}
cleanup() {
  # The capture first (it stops its Chromium), then the server (SIGTERM lets jupyter_server shut
  # its kernels down).
  [ -z "$capture" ] || stop "$capture"
  [ -z "$server" ] || stop "$server"
  rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# A throw-away copy of the notebooks and a private Jupyter home: the user's own settings,
# workspaces and kernelspecs (e.g. one from `glimpse kernelspec install --user`) play no part.
mkdir -p "$work/notebooks" "$work/settings/@jupyterlab/apputils-extension"
cp -R Notebooks/. "$work/notebooks/"
export JUPYTER_CONFIG_DIR="$work/config" JUPYTER_DATA_DIR="$work/data"
export JUPYTER_RUNTIME_DIR="$work/runtime" JUPYTERLAB_WORKSPACES_DIR="$work/workspaces"
export JUPYTERLAB_SETTINGS_DIR="$work/settings"
# No "would you like to receive Jupyter news?" toast over the notebook (and no request for it).
echo '{"fetchNews": "false"}' \
  > "$work/settings/@jupyterlab/apputils-extension/notification.jupyterlab-settings"

port="$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0))
print(s.getsockname()[1])')"
token="$(python3 -c 'import secrets; print(secrets.token_hex(16))')"
"$venv/bin/jupyter-lab" --no-browser --allow-root --ip=127.0.0.1 --port="$port" \
  --ServerApp.port_retries=0 --IdentityProvider.token="$token" \
  --ServerApp.root_dir="$work/notebooks" >"$work/lab.log" 2>&1 &
server=$!

started=$SECONDS
until python3 -c "import sys, urllib.request
urllib.request.urlopen(sys.argv[1], timeout=2)" \
    "http://127.0.0.1:$port/api/status?token=$token" 2>/dev/null; do
  if ! kill -0 "$server" 2>/dev/null || [ $((SECONDS - started)) -gt 60 ]; then
    echo "screenshot: JupyterLab did not come up; its log:" >&2
    cat "$work/lab.log" >&2
    exit 1
  fi
  sleep 0.5
done

images="$(python3 -c "import json, sys
cells = json.load(open(sys.argv[1]))['cells']
print(sum('image/png' in o.get('data', {}) for c in cells for o in c.get('outputs', [])))" \
  "Notebooks/$notebook")"
# ?reset opens a fresh workspace: the notebook alone, scrolled to its top. In the background so
# that a signal reaches the traps at once rather than after the capture.
python3 scripts/screenshot/capture.py --images "$images" --width "$width" --height "$height" \
  "http://127.0.0.1:$port/lab/tree/$notebook?reset&token=$token" "$work/shot.png" &
capture=$!
if ! wait "$capture"; then
  capture=""
  echo "screenshot: JupyterLab's log:" >&2
  tail -n 40 "$work/lab.log" >&2
  exit 1
fi
capture=""
# A 256-colour palette keeps text and heatmaps legible at a third of the size.
pngquant --force --strip --speed 1 --output "$output" 256 "$work/shot.png"
echo "screenshot: wrote $output ($(wc -c <"$output") bytes, ${width}x${height})"

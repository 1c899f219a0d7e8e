#!/usr/bin/env bash
# The kernel as Jupyter clients see it: the official jupyter_kernel_test suite, nbclient, jupyter console
# and jupyter_client's KernelManager, against the built glimpse binary.
# Usage: scripts/jupyter-tests.sh [PYTEST ARGS]   (GLIMPSE_BINARY overrides the debug build)
set -euo pipefail
cd "$(dirname "$0")/.."
binary="${GLIMPSE_BINARY:-$(swift build --show-bin-path)/glimpse}"
venv=".venv-jupyter"
if [ ! -x "$venv/bin/pytest" ]; then
  python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet --disable-pip-version-check \
    "jupyter_kernel_test==0.7.0" jupyter_client nbclient nbformat jupyter_console pexpect pytest
fi
# Install the kernelspec into the venv only, pointing at this build.
VIRTUAL_ENV="$(pwd)/$venv" "$binary" kernelspec install --sys-prefix >/dev/null
export JUPYTER_PATH="$(pwd)/$venv/share/jupyter"
export GLIMPSE_BINARY="$binary"
"$venv/bin/pytest" -q Tests/Jupyter "$@"

#!/usr/bin/env bash
# Installs Align with its test tools, and Debian's Chromium for the browser test.
# This is the README's one install command; .ci/run runs it on a clean clone.
set -euo pipefail
cd "$(dirname "$0")/.."

python -m pip install --quiet -e ".[dev]"

# The browser test drives the system Chromium: Playwright's own browser download
# cannot work offline, so we never run `playwright install`.
if ! command -v chromium >/dev/null 2>&1; then
    if command -v apt-get >/dev/null 2>&1; then
        sudo_cmd=""
        [ "$(id -u)" = 0 ] || sudo_cmd="sudo"
        $sudo_cmd apt-get update -qq
        DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq chromium >/dev/null
    else
        echo "install.sh: Chromium not found; install it for the browser test (tests/test_browser.py)" >&2
    fi
fi
echo "Align installed: try  align critique \"get better at feedback\"  or  align app"

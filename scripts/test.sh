#!/usr/bin/env bash
# The test command: installs what the tests need (scripts/setup.sh), then builds meshgw and runs
# every test tier: unit (*Test), integration (*IT: real kernel, real broker, real routers) and the
# e2e tests. Extra arguments go to Maven, e.g. `scripts/test.sh -pl mesh-sync -am`.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

"$root/scripts/setup.sh"

start=$(date +%s)
# -ntp: no download progress noise; the build itself checks formatting when CI=true.
"$root/mvnw" -B -ntp verify "$@"
echo "[test] all tiers passed in $(($(date +%s) - start)) s"

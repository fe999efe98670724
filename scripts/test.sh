#!/usr/bin/env bash
# The test command: installs what the tests need (scripts/setup.sh), then builds meshgw and runs
# every test tier: unit (*Test), integration (*IT: real kernel, real broker, real routers) and the
# e2e tests. Extra arguments go to Maven, e.g. `scripts/test.sh -pl mesh-sync -am`.
#
# Then it reads what every test JVM reported (scripts/test-report) and prints how many tests ran,
# failed and skipped, each skip with its reason. As root or with CI=true nothing may skip: a skip
# fails the run unless scripts/test-report/allowed-skips.txt lists it, with the issue that ends it.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

"$root/scripts/setup.sh"
# The lab's FRR and Kafka images for the container path: no registry is reachable to pull them.
# (The gateway's image is built by GatewayImageIT from the gateway the build packages.)
if [ "$(id -u)" -eq 0 ]; then
  "$root/scripts/image.sh" lab
else
  echo "[test] not root: the lab's images are not built, and the container path skips (scripts/image.sh lab as root builds them)"
fi

# The wrapper runs Maven on JAVA_HOME; the machine's default java may be older than the build needs.
export JAVA_HOME="$("$root/scripts/java-home.sh")"
java="$JAVA_HOME/bin/java"
report=("$java" "$root/scripts/test-report/TestReport.java" --allowed "$root/scripts/test-report/allowed-skips.txt")
if [ "$(id -u)" -eq 0 ] || [ "${CI:-}" = true ]; then report+=(--strict); fi
# The checker's own test first: a broken checker must not wave a run through.
"$java" "$root/scripts/test-report/TestReportTest.java"

start=$(date +%s)
# -ntp: no download progress noise; the build itself checks formatting when CI=true.
maven=0
"$root/mvnw" -B -ntp verify "$@" || maven=$?
# Only the reports this run wrote (those of earlier runs stay in target/ until a clean).
checked=0
"${report[@]}" --since "$((start * 1000))" "$root" || checked=$?
if [ "$maven" -ne 0 ] || [ "$checked" -ne 0 ]; then
  echo "[test] FAILED (maven exit $maven, report exit $checked) after $(($(date +%s) - start)) s"
  exit 1
fi
echo "[test] all tiers passed in $(($(date +%s) - start)) s"

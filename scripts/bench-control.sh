#!/usr/bin/env bash
# Control-plane benchmark: one pass of N exports from empty, and one changed service in M, planned
# and applied to a real tc datapath (loaded detached) and a real BGP speaker, beside the same
# figures for the baseline commit (before the typed plan), built from a temporary worktree.
# Needs root (CAP_BPF). Usage: scripts/bench-control.sh [N=10000] [M=65536] [changes=50] [baseline=<commit>]
# Builds with `package`, never `install`.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
export JAVA_HOME="$("$root/scripts/java-home.sh")"
"$root/scripts/setup.sh" >/dev/null
n="${1:-10000}" m="${2:-65536}" changes="${3:-50}"
# The last commit whose gateway re-planned the datapath table itself (TranslationPlanner, DatapathPort).
baseline="${4:-a1a13ec}"

# A fixed, touched heap, as a server runs: while a heap grows, first touches of new pages (the kernel zeroing
# them) land in whichever pass allocates there, and a 65,536-export table grows it by a gigabyte.
heap=(-Xms3g -Xmx3g -XX:+AlwaysPreTouch)

"$root/mvnw" -q -B -ntp ${MVN_OFFLINE:+-o} -pl e2e-tests/bench -am package -DskipTests
bench="$root/e2e-tests/bench/target"
echo "== current ($(git rev-parse --short HEAD))"
"$JAVA_HOME/bin/java" "${heap[@]}" --enable-native-access=ALL-UNNAMED -Dorg.slf4j.simpleLogger.defaultLogLevel=warn \
  -cp "$bench/classes:$(cat "$bench/classes/io/meshgw/bench/speaker.classpath")" \
  io.meshgw.bench.ControlPlaneBench "$n" "$m" "$changes"

# The baseline: the same scenario on the baseline commit's own classes, with a harness written
# against that commit's API (e2e-tests/bench/baseline/, copied into a temporary worktree).
work="$(mktemp -d /tmp/meshgw-baseline.XXXXXX)"
trap 'git -C "$root" worktree remove --force "$work" >/dev/null 2>&1 || true; rm -rf "$work"' EXIT
git -C "$root" worktree add -q --detach "$work" "$baseline"
harness="$work/gateway/src/test/java/io/meshgw/gateway/ControlPlaneBaseline.java"
cp "$root/e2e-tests/bench/baseline/ControlPlaneBaseline.java" "$harness"
# One reactor invocation, so the modules resolve to their target/classes (nothing installed); the
# last module built is the gateway, whose test classpath is what the harness runs on. This
# checkout's wrapper runs it: the baseline's own mvnw needed a system Maven to fetch Maven.
(cd "$work" && "$root/mvnw" -q -B -ntp ${MVN_OFFLINE:+-o} -pl gateway -am test-compile dependency:build-classpath \
  -Dmdep.outputFile="$work/cp.txt" -Dmdep.includeScope=test -Dspotless.check.skip=true -Dspotless.apply.skip=true)
echo "== baseline ($baseline)"
"$JAVA_HOME/bin/java" "${heap[@]}" --enable-native-access=ALL-UNNAMED -Dorg.slf4j.simpleLogger.defaultLogLevel=warn \
  -Djava.util.logging.manager=org.jboss.logmanager.LogManager \
  -cp "$work/gateway/target/test-classes:$work/gateway/target/classes:$(cat "$work/cp.txt")" \
  io.meshgw.gateway.ControlPlaneBaseline "$n" "$m" "$changes"

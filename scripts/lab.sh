#!/usr/bin/env bash
# The main job: a self-contained hybrid lab on this machine. It installs what it needs, builds
# meshgw, then creates network namespaces for two datacenter routers (BIRD, FRR), a legacy host and two
# clusters, each with a gateway (the real application, BGP + tc datapath + mesh-sync) and a few
# pods, starts a real Kafka broker, and walks through the story with a progress display:
# sessions up, a service of cluster west reachable on a legacy VIP through cluster east's
# gateway, a pod leaving with its stable egress IP, failover and withdrawal. Everything it
# creates is removed when it ends (Ctrl-C, or after LAB_SECONDS seconds).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
JAVA_HOME="$("$root/scripts/java-home.sh")"
export JAVA_HOME

"$root/scripts/setup.sh"
printf '\n==> building meshgw\n'
"$root/mvnw" -q -B -ntp install -DskipTests -pl e2e-tests/scenarios -am

cp="$(cat "$root/e2e-tests/scenarios/target/lab.classpath")"
# MESHGW_E2E_PARTS=local|containers|auto: FRR and the broker as local processes or containers.
exec "$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED \
  -Dmeshgw.e2e.parts="${MESHGW_E2E_PARTS:-auto}" \
  -Dmeshgw.gateway.app="$root/gateway/target/quarkus-app/quarkus-run.jar" \
  -cp "$root/e2e-tests/scenarios/target/classes:$cp" io.meshgw.e2e.Lab

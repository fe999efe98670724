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
parts="${MESHGW_E2E_PARTS:-auto}"
# With a Docker engine, FRR and the broker run as containers of images built here (no registry is
# reachable to pull them); building them the first time takes a few minutes.
if [ "$parts" != local ] && [ "$(id -u)" -eq 0 ] && docker info >/dev/null 2>&1; then
  printf '\n==> the lab'"'"'s container images\n'
  "$root/scripts/image.sh" lab
fi
printf '\n==> building meshgw\n'
"$root/mvnw" -q -B -ntp install -DskipTests -pl e2e-tests/scenarios -am

cp="$(cat "$root/e2e-tests/scenarios/target/lab.classpath")"
# Testcontainers' reaper image cannot be pulled here (the lab removes its containers itself), and a
# /.dockerenv on the host must not make it look for the engine from inside a container.
export TESTCONTAINERS_RYUK_DISABLED=true TESTCONTAINERS_HOST_OVERRIDE=localhost
# MESHGW_E2E_PARTS=local|containers|auto: FRR and the broker as local processes or containers.
# The lab prints its story; libraries say only what went wrong (slf4j-simple, warnings and up).
exec "$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED \
  -Dslf4j.provider=org.slf4j.simple.SimpleServiceProvider \
  -Dslf4j.internal.verbosity=WARN \
  -Dorg.slf4j.simpleLogger.defaultLogLevel=warn \
  -Dorg.slf4j.simpleLogger.log.org.testcontainers.utility.ResourceReaper=error \
  -Dmeshgw.e2e.parts="$parts" \
  -Dmeshgw.gateway.app="$root/gateway/target/quarkus-app/quarkus-run.jar" \
  -cp "$root/e2e-tests/scenarios/target/classes:$cp" io.meshgw.e2e.Lab

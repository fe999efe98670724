#!/usr/bin/env bash
# Runs meshgw's BGP speaker on its own (a route server: everything learned goes to every other
# neighbor), e.g. to try it against a router. Arguments go to SpeakerMain:
#   scripts/speaker.sh --asn 65000 --router-id 192.0.2.1 --peer 192.0.2.2:65001 --originate 198.51.100.0/24
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export JAVA_HOME="$("$root/scripts/java-home.sh")"
"$root/mvnw" -q -B -ntp -f "$root/pom.xml" -pl e2e-tests/bench -am install -DskipTests
exec "$JAVA_HOME/bin/java" -Xmx288m -XX:+UseCompactObjectHeaders --enable-native-access=ALL-UNNAMED \
  -cp "$(cat "$root/e2e-tests/bench/target/classes/io/meshgw/bench/speaker.classpath")" \
  io.meshgw.bgp.speaker.SpeakerMain "$@"

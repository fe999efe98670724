#!/usr/bin/env bash
# Runs a real single-node KRaft Kafka broker on a free loopback port in the foreground, from the
# Kafka jars on the Maven repository (no Docker). Prints bootstrap.servers; Ctrl-C stops it and
# deletes its data. Tests and the lab start the same broker through io.meshgw.testkit.KafkaBroker.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
export JAVA_HOME="$("$root/scripts/java-home.sh")"
"$root/mvnw" -q -B -ntp -pl e2e-tests/testkit -am install -DskipTests
kit="$root/e2e-tests/testkit/target/classes"
exec "$JAVA_HOME/bin/java" -cp "$kit:$(cat "$kit/io/meshgw/testkit/kafka-broker.classpath")" \
  io.meshgw.testkit.KafkaBroker

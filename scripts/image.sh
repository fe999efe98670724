#!/usr/bin/env bash
# Builds meshgw's container images from what this machine reaches (no registry needed) and loads
# them into the local Docker engine; each also lands as an archive in target/image/ for `docker
# load` elsewhere or a registry push.
#
#   gateway  ghcr.io/meshgw/gateway:<project version>, the chart's default image: a Debian 12
#            minbase root file system from debootstrap, a jlinked Java 25 runtime, the Quarkus app
#            and the meshgw CLI
#   lab      the e2e lab's routers and broker for the container path (LabParts): meshgw/lab-frr
#            (Debian 12's FRR) and meshgw/lab-kafka (the Kafka jars the build uses, on the same
#            jlinked runtime)
#
# Reproducible: each layer is a tar with sorted names, numeric owners and every time set to the
# last commit's, and the image config's dates are that time too, so the same inputs (this commit's
# build, the same Debian packages, the same JDK) give the same image id. The Debian bases are cached
# in $MESHGW_IMAGE_CACHE (default /var/cache/meshgw-image); MESHGW_IMAGE_REFRESH=1 fetches them again.
#
# Usage: scripts/image.sh [gateway|lab|all] [--no-build]   (default: gateway; --no-build uses what
# target/ holds instead of packaging first). Needs root (debootstrap) and a Docker engine
# (scripts/setup.sh starts one).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export JAVA_HOME="$("$root/scripts/java-home.sh")"
log() { printf '[image] %s\n' "$*"; }
die() { printf '[image] ERROR: %s\n' "$*" >&2; exit 1; }

what=gateway build=true
for arg in "$@"; do
  case "$arg" in
    gateway | lab | all) what="$arg" ;;
    --no-build) build=false ;;
    *) die "unknown argument '$arg'; usage: $0 [gateway|lab|all] [--no-build]" ;;
  esac
done

[ "$(id -u)" -eq 0 ] || die "must run as root (debootstrap); try: sudo $0"
command -v debootstrap >/dev/null || die "debootstrap is missing; run scripts/setup.sh"
docker info >/dev/null 2>&1 || die "no Docker engine answers; run scripts/setup.sh, which starts one"

version="$(sed -n '0,/<version>/s:.*<version>\(.*\)</version>.*:\1:p' "$root/pom.xml")"
epoch="$(git -C "$root" log -1 --format=%ct)"
created="$(date -u -d "@$epoch" +%Y-%m-%dT%H:%M:%SZ)"
revision="$(git -C "$root" rev-parse HEAD)"
cache="${MESHGW_IMAGE_CACHE:-/var/cache/meshgw-image}"
out="$root/target/image"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

# A Debian 12 minbase root file system with extra packages (comma-separated), cached per package
# set and unpacked into directory $2, then cut to what runs: no package caches or lists,
# documentation or locales. dpkg's status stays, so image scanners can list the packages, and so
# does each package's copyright file, which its licence asks to travel with it.
rootfs() {
  local include="$1" dir="$2" base="$cache/bookworm-minbase-${1//,/-}.tar"
  if [ ! -f "$base" ] || [ "${MESHGW_IMAGE_REFRESH:-0}" = 1 ]; then
    mkdir -p "$cache"
    local tmp
    tmp="$(mktemp -d "$cache/base.XXXXXX")"
    log "debootstrap of Debian 12 (minbase, with $include) into the cache; once, a minute or two"
    debootstrap --variant=minbase --include="$include" bookworm "$tmp/rootfs" http://deb.debian.org/debian \
      >"$cache/debootstrap.log" 2>&1 || { tail -n 20 "$cache/debootstrap.log" >&2; die "debootstrap failed"; }
    tar -C "$tmp/rootfs" -cf "$tmp/base.tar" . && mv "$tmp/base.tar" "$base"
    rm -rf "$tmp"
  fi
  mkdir -p "$dir"
  tar -C "$dir" -xf "$base"
  find "$dir"/usr/share/doc -mindepth 1 ! -type d ! -name copyright -delete
  find "$dir"/usr/share/doc -mindepth 1 -type d -empty -delete
  rm -rf "$dir"/var/cache/apt/* "$dir"/var/lib/apt/lists/* "$dir"/usr/share/man/* \
    "$dir"/usr/share/info/* "$dir"/usr/share/locale/* "$dir"/var/log/* "$dir"/var/cache/debconf/*-old \
    "$dir"/var/lib/dpkg/*-old
  find "$dir"/tmp "$dir"/run -mindepth 1 -delete
}

# A Java 25 runtime in $1/opt/java with the modules the gateway's jars use (jdeps over
# quarkus-app; they cover the Kafka broker's too) and JFR for diagnostics.
java_runtime() {
  local modules="java.base,java.compiler,java.desktop,java.logging,java.management,java.naming,java.net.http"
  modules="$modules,java.security.jgss,java.security.sasl,java.sql,java.xml,jdk.httpserver,jdk.management"
  modules="$modules,jdk.unsupported,jdk.security.auth,jdk.zipfs,jdk.jfr,jdk.crypto.cryptoki"
  "$JAVA_HOME/bin/jlink" --add-modules "$modules" --strip-debug --no-man-pages --no-header-files \
    --compress=zip-6 --output "$1/opt/java"
}

# Packs root file system $1 as image $2 (repository:tag) with config $3 (the "config" object of the
# image config: environment, entrypoint, ...), loads it and writes the archive.
pack() {
  local dir="$1" tag="$2" config="$3" name
  name="$(basename "${tag%%:*}")"
  local img="$work/$name-image"
  mkdir -p "$img"
  find "$dir" -exec touch -h -d "@$epoch" {} +
  tar -C "$dir" --sort=name --numeric-owner --owner=0 --group=0 --mtime="@$epoch" \
    --pax-option=exthdr.name=%d/PaxHeaders/%f,delete=atime,delete=ctime -cf "$work/layer.tar" .
  local layer_sha config_sha
  layer_sha="$(sha256sum "$work/layer.tar" | cut -d' ' -f1)"
  mkdir -p "$img/$layer_sha"
  mv "$work/layer.tar" "$img/$layer_sha/layer.tar"
  printf '{"architecture":"amd64","os":"linux","created":"%s","config":%s,"rootfs":{"type":"layers","diff_ids":["sha256:%s"]},"history":[{"created":"%s","created_by":"scripts/image.sh %s"}]}\n' \
    "$created" "$config" "$layer_sha" "$created" "$name" >"$work/config.json"
  config_sha="$(sha256sum "$work/config.json" | cut -d' ' -f1)"
  mv "$work/config.json" "$img/$config_sha.json"
  printf '[{"Config":"%s.json","RepoTags":["%s"],"Layers":["%s/layer.tar"]}]\n' "$config_sha" "$tag" "$layer_sha" \
    >"$img/manifest.json"
  mkdir -p "$out"
  local archive="$out/$name-${tag##*:}.tar"
  tar -C "$img" --sort=name --numeric-owner --owner=0 --group=0 --mtime="@$epoch" -cf "$archive" .
  docker load -q -i "$archive" >/dev/null
  local size
  size="$(docker image inspect -f '{{.Size}}' "$tag")"
  log "built $tag: image id sha256:$config_sha, $((size / 1024 / 1024)) MiB ($archive)"
}

labels() {
  printf '"Labels":{"org.opencontainers.image.title":"%s","org.opencontainers.image.version":"%s","org.opencontainers.image.revision":"%s","org.opencontainers.image.licenses":"%s"}' \
    "$1" "$2" "$revision" "$3"
}

gateway_image() {
  local app="$root/gateway/target/quarkus-app"
  if [ "$build" = true ]; then
    log "packaging the gateway"
    "$root/mvnw" -q -B -ntp ${MVN_OFFLINE:+-o} -pl gateway -am package -DskipTests
  fi
  [ -f "$app/quarkus-run.jar" ] || die "$app/quarkus-run.jar is missing; build the gateway (drop --no-build)"
  local fs="$work/gateway"
  # libelf1: libbpf's one runtime dependency beyond zlib and libc.
  rootfs libelf1 "$fs"
  java_runtime "$fs"
  cp -r "$app" "$fs/app"
  local cli_jar cli_deps
  cli_jar="$(cd "$fs" && ls app/app/gateway-*.jar)"
  cli_deps="$(cd "$fs" && ls app/lib/main/info.picocli.picocli-*.jar app/lib/main/com.fasterxml.jackson.core.jackson-*.jar \
    | sed 's:^:/:' | paste -sd:)"
  cat >"$fs/usr/local/bin/meshgw" <<EOF
#!/bin/sh
# meshgw: the admin API of the gateway in this container, at the terminal (docs/cli.md), e.g.
#   kubectl exec -n meshgw-system ds/meshgw -- meshgw peers
# It talks to the gateway on this pod's admin port with the token the chart mounts.
# The admin API listens on QUARKUS_HTTP_HOST (loopback unless the chart's admin.host says otherwise).
admin_host="\${QUARKUS_HTTP_HOST:-127.0.0.1}"
case "\$admin_host" in 0.0.0.0 | :: | "[::]") admin_host=127.0.0.1 ;; *:*) admin_host="[\${admin_host#[}" admin_host="\${admin_host%]}]" ;; esac
: "\${MESHGW_URL:=http://\$admin_host:\${QUARKUS_HTTP_PORT:-9180}}"
export MESHGW_URL
# The gateway's JVM options (heap, exit on OutOfMemoryError) are not the CLI's.
unset JDK_JAVA_OPTIONS
if [ -z "\${MESHGW_TOKEN:-}" ] && [ -n "\${MESHGW_ADMIN_TOKEN_FILE:-}" ] && [ -r "\$MESHGW_ADMIN_TOKEN_FILE" ]; then
  set -- --token-file "\$MESHGW_ADMIN_TOKEN_FILE" "\$@"
fi
exec /opt/java/bin/java -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -XX:-UsePerfData -Xlog:disable \\
  -Xlog:all=warning:stderr -cp /$cli_jar:$cli_deps io.meshgw.gateway.cli.Meshgw "\$@"
EOF
  chmod 755 "$fs/usr/local/bin/meshgw"
  local java_mb app_mb all_mb
  java_mb="$(du -sm "$fs/opt/java" | cut -f1)" app_mb="$(du -sm "$fs/app" | cut -f1)" all_mb="$(du -sm "$fs" | cut -f1)"
  pack "$fs" "${MESHGW_IMAGE_REPOSITORY:-ghcr.io/meshgw/gateway}:$version" \
    '{"Env":["PATH=/opt/java/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin","JAVA_HOME=/opt/java"],"Entrypoint":["/opt/java/bin/java","--enable-native-access=ALL-UNNAMED","-XX:+ExitOnOutOfMemoryError","-jar","/app/quarkus-run.jar"],"WorkingDir":"/app","User":"0",'"$(labels "meshgw gateway" "$version" "Apache-2.0 AND GPL-2.0-only")"'}'
  log "  of which: Java runtime $java_mb MiB, app $app_mb MiB, Debian base $((all_mb - java_mb - app_mb)) MiB"
}

# The lab's FRR: Debian 12's package, run the way the testkit runs FRR in a namespace (its daemons
# started through docker exec, vtysh on a socket directory of the test's).
frr_image() {
  local fs="$work/frr"
  rootfs frr,iproute2 "$fs"
  local frr_version
  frr_version="$(chroot "$fs" dpkg-query -W -f='${Version}' frr)"
  pack "$fs" "meshgw/lab-frr:bookworm" \
    '{"Env":["PATH=/usr/lib/frr:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"],"Cmd":["sleep","infinity"],'"$(labels "meshgw lab FRR (Debian $frr_version)" "$frr_version" "GPL-2.0-or-later")"'}'
}

# The lab's Kafka broker: the jars the build's own test broker uses (e2e-tests/testkit), with the
# two scripts the testkit calls in a Kafka image (storage format and server start).
kafka_image() {
  local cp="$root/e2e-tests/testkit/target/classes/io/meshgw/testkit/kafka-broker.classpath"
  if [ "$build" = true ]; then
    log "resolving the Kafka broker's jars"
    "$root/mvnw" -q -B -ntp ${MVN_OFFLINE:+-o} -pl e2e-tests/testkit -am generate-resources
  fi
  [ -f "$cp" ] || die "$cp is missing; build e2e-tests/testkit (drop --no-build)"
  local kafka_version
  kafka_version="$(tr ':' '\n' <"$cp" | sed -n 's:.*/kafka-clients-\([0-9.]*\)\.jar$:\1:p' | head -n1)"
  [ -n "$kafka_version" ] || die "no kafka-clients jar in $cp"
  local fs="$work/kafka"
  rootfs libelf1 "$fs"
  java_runtime "$fs"
  mkdir -p "$fs/opt/kafka/libs" "$fs/opt/kafka/bin"
  tr ':' '\n' <"$cp" | while read -r jar; do cp "$jar" "$fs/opt/kafka/libs/"; done
  for tool in "kafka-storage.sh kafka.tools.StorageTool" "kafka-server-start.sh kafka.Kafka"; do
    set -- $tool
    cat >"$fs/opt/kafka/bin/$1" <<EOF
#!/bin/sh
# $1: runs $2 on the image's Java runtime (KAFKA_HEAP_OPTS sets the heap).
exec /opt/java/bin/java \${KAFKA_HEAP_OPTS:--Xmx512m} -Dorg.slf4j.simpleLogger.defaultLogLevel=info \\
  -Dorg.slf4j.simpleLogger.showDateTime=true -cp '/opt/kafka/libs/*' $2 "\$@"
EOF
    chmod 755 "$fs/opt/kafka/bin/$1"
  done
  pack "$fs" "meshgw/lab-kafka:$kafka_version" \
    '{"Env":["PATH=/opt/kafka/bin:/opt/java/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin","JAVA_HOME=/opt/java"],"Cmd":["sleep","infinity"],'"$(labels "meshgw lab Kafka broker" "$kafka_version" "Apache-2.0")"'}'
}

case "$what" in
  gateway) gateway_image ;;
  lab) frr_image && kafka_image ;;
  all) gateway_image && frr_image && kafka_image ;;
esac

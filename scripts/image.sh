#!/usr/bin/env bash
# Builds the gateway's container image from what this machine reaches (no registry needed): a
# Debian 12 minbase root file system from debootstrap, a jlinked Java 25 runtime, the Quarkus app
# and the meshgw CLI. Loads it into the local Docker engine as ghcr.io/meshgw/gateway:<version>
# (the chart's default image) and writes the image archive to target/image/.
#
# Reproducible: the layer is a tar with sorted names, numeric owners and every time set to the last
# commit's time, and the image config's dates are that time too, so the same inputs (this commit's
# build, the same Debian packages, the same JDK) give the same image id. The Debian base is cached
# in $MESHGW_IMAGE_CACHE (default /var/cache/meshgw-image); MESHGW_IMAGE_REFRESH=1 fetches it again.
#
# Usage: scripts/image.sh [--no-build]   (--no-build: use gateway/target/quarkus-app as it is)
# Needs root (debootstrap) and a Docker engine (scripts/setup.sh starts one).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export JAVA_HOME="$("$root/scripts/java-home.sh")"
log() { printf '[image] %s\n' "$*"; }
die() { printf '[image] ERROR: %s\n' "$*" >&2; exit 1; }

[ "$(id -u)" -eq 0 ] || die "must run as root (debootstrap); try: sudo $0"
command -v debootstrap >/dev/null || die "debootstrap is missing; run scripts/setup.sh"
docker info >/dev/null 2>&1 || die "no Docker engine answers; run scripts/setup.sh, which starts one"

version="$(sed -n '0,/<version>/s:.*<version>\(.*\)</version>.*:\1:p' "$root/pom.xml")"
repository="${MESHGW_IMAGE_REPOSITORY:-ghcr.io/meshgw/gateway}"
tag="$repository:$version"
epoch="$(git -C "$root" log -1 --format=%ct)"
created="$(date -u -d "@$epoch" +%Y-%m-%dT%H:%M:%SZ)"
cache="${MESHGW_IMAGE_CACHE:-/var/cache/meshgw-image}"
out="$root/target/image"
app="$root/gateway/target/quarkus-app"

if [ "${1:-}" != --no-build ]; then
  log "packaging the gateway"
  "$root/mvnw" -q -B -ntp ${MVN_OFFLINE:+-o} -pl gateway -am package -DskipTests
fi
[ -f "$app/quarkus-run.jar" ] || die "$app/quarkus-run.jar is missing; build the gateway (drop --no-build)"

# The Debian base, once: minbase plus libelf1 (libbpf's one runtime dependency beyond zlib and libc).
base="$cache/bookworm-minbase.tar"
if [ ! -f "$base" ] || [ "${MESHGW_IMAGE_REFRESH:-0}" = 1 ]; then
  mkdir -p "$cache"
  tmp="$(mktemp -d "$cache/base.XXXXXX")"
  log "debootstrap of Debian 12 (minbase) into the cache; once, about a minute"
  debootstrap --variant=minbase --include=libelf1 bookworm "$tmp/rootfs" http://deb.debian.org/debian \
    >"$cache/debootstrap.log" 2>&1 || { tail -n 20 "$cache/debootstrap.log" >&2; die "debootstrap failed"; }
  tar -C "$tmp/rootfs" -cf "$tmp/base.tar" . && mv "$tmp/base.tar" "$base"
  rm -rf "$tmp"
fi

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
rootfs="$work/rootfs"
mkdir -p "$rootfs"
tar -C "$rootfs" -xf "$base"

# Only what the gateway needs at run time: no package caches or lists, documentation or locales.
# dpkg's status stays, so image scanners can list the Debian packages.
rm -rf "$rootfs"/var/cache/apt/* "$rootfs"/var/lib/apt/lists/* "$rootfs"/usr/share/doc/* \
  "$rootfs"/usr/share/man/* "$rootfs"/usr/share/info/* "$rootfs"/usr/share/locale/* \
  "$rootfs"/var/log/* "$rootfs"/var/cache/debconf/*-old "$rootfs"/var/lib/dpkg/*-old
find "$rootfs"/tmp "$rootfs"/run -mindepth 1 -delete

# The Java runtime: the modules the gateway's jars use (jdeps over quarkus-app), and JFR for
# diagnostics; no debug symbols, man pages or headers.
modules="java.base,java.compiler,java.desktop,java.logging,java.management,java.naming,java.net.http"
modules="$modules,java.security.jgss,java.security.sasl,java.sql,jdk.httpserver,jdk.management"
modules="$modules,jdk.unsupported,jdk.security.auth,jdk.zipfs,jdk.jfr,jdk.crypto.cryptoki"
"$JAVA_HOME/bin/jlink" --add-modules "$modules" --strip-debug --no-man-pages --no-header-files \
  --compress=zip-6 --output "$rootfs/opt/java"

cp -r "$app" "$rootfs/app"
cli_jar="$(cd "$rootfs" && ls app/app/gateway-*.jar)"
cli_deps="$(cd "$rootfs" && ls app/lib/main/info.picocli.picocli-*.jar app/lib/main/com.fasterxml.jackson.core.jackson-*.jar \
  | sed 's:^:/:' | paste -sd:)"
cat >"$rootfs/usr/local/bin/meshgw" <<EOF
#!/bin/sh
# meshgw: the admin API of the gateway in this container, at the terminal (docs/cli.md), e.g.
#   kubectl exec -n meshgw-system ds/meshgw -- meshgw peers
# It talks to the gateway on this pod's admin port with the token the chart mounts.
: "\${MESHGW_URL:=http://127.0.0.1:\${QUARKUS_HTTP_PORT:-9180}}"
export MESHGW_URL
if [ -z "\${MESHGW_TOKEN:-}" ] && [ -n "\${MESHGW_ADMIN_TOKEN_FILE:-}" ] && [ -r "\$MESHGW_ADMIN_TOKEN_FILE" ]; then
  set -- --token-file "\$MESHGW_ADMIN_TOKEN_FILE" "\$@"
fi
exec /opt/java/bin/java -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -XX:-UsePerfData -Xlog:disable \\
  -Xlog:all=warning:stderr -cp /$cli_jar:$cli_deps io.meshgw.gateway.cli.Meshgw "\$@"
EOF
chmod 755 "$rootfs/usr/local/bin/meshgw"

# The layer, byte for byte the same for the same files.
mkdir -p "$work/image"
find "$rootfs" -exec touch -h -d "@$epoch" {} +
tar -C "$rootfs" --sort=name --numeric-owner --owner=0 --group=0 --mtime="@$epoch" \
  --pax-option=exthdr.name=%d/PaxHeaders/%f,delete=atime,delete=ctime -cf "$work/layer.tar" .
layer_sha="$(sha256sum "$work/layer.tar" | cut -d' ' -f1)"
mkdir -p "$work/image/$layer_sha"
mv "$work/layer.tar" "$work/image/$layer_sha/layer.tar"

cat >"$work/config.json" <<EOF
{"architecture":"amd64","os":"linux","created":"$created",
"config":{"Env":["PATH=/opt/java/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin","JAVA_HOME=/opt/java"],
"Entrypoint":["/opt/java/bin/java","--enable-native-access=ALL-UNNAMED","-XX:+ExitOnOutOfMemoryError","-jar","/app/quarkus-run.jar"],
"WorkingDir":"/app","User":"0",
"Labels":{"org.opencontainers.image.title":"meshgw gateway","org.opencontainers.image.version":"$version","org.opencontainers.image.revision":"$(git -C "$root" rev-parse HEAD)","org.opencontainers.image.licenses":"Apache-2.0 AND GPL-2.0-only"}},
"rootfs":{"type":"layers","diff_ids":["sha256:$layer_sha"]},
"history":[{"created":"$created","created_by":"scripts/image.sh: Debian 12 minbase, jlinked Java 25, the gateway"}]}
EOF
config_sha="$(sha256sum "$work/config.json" | cut -d' ' -f1)"
mv "$work/config.json" "$work/image/$config_sha.json"
printf '[{"Config":"%s.json","RepoTags":["%s"],"Layers":["%s/layer.tar"]}]\n' "$config_sha" "$tag" "$layer_sha" \
  >"$work/image/manifest.json"

mkdir -p "$out"
archive="$out/gateway-$version.tar"
tar -C "$work/image" --sort=name --numeric-owner --owner=0 --group=0 --mtime="@$epoch" -cf "$archive" .
docker load -q -i "$archive" >/dev/null
size="$(docker image inspect -f '{{.Size}}' "$tag")"
log "built $tag: image id sha256:$config_sha, $((size / 1024 / 1024)) MiB ($archive)"
log "  of which: Java runtime $(du -sm "$rootfs/opt/java" | cut -f1) MiB, app $(du -sm "$rootfs/app" | cut -f1) MiB, Debian base $(($(du -sm "$rootfs" | cut -f1) - $(du -sm "$rootfs/opt/java" | cut -f1) - $(du -sm "$rootfs/app" | cut -f1))) MiB"

#!/usr/bin/env bash
# Installs, idempotently, every system part that meshgw's build, tests and lab need on a Debian 12
# machine, and mounts bpffs. Safe to run again: it only acts on what is missing, and says so.
set -euo pipefail

# What each package is for; keep this list the single place that names them.
PACKAGES=(
  clang          # compiles the BPF C programs (bpf-tc)
  llvm           # llvm-strip / llvm-objdump for the BPF objects
  libbpf-dev     # headers for the BPF programs; libbpf1 is the library bundled in the bpf-tc jar
  libbpf1
  linux-libc-dev # kernel UAPI headers (linux/bpf.h, linux/pkt_cls.h)
  bpftool        # benchmark baseline and debugging of pinned maps
  iproute2       # ip netns, veth, tc
  iptables       # baseline of the datapath benchmark (iptables DNAT)
  bird2          # BGP peer in interop and e2e tests, router in the lab
  frr            # BGP peer in interop and e2e tests
  gobgpd         # BGP peer in interop tests
  openbgpd       # BGP peer in the attribute and export safety tests
  iperf3         # throughput benchmark
  tcpdump        # packet captures in tests and when debugging the lab
  socat          # small TCP/UDP servers inside test namespaces
  procps         # pgrep/ps for process checks in tests
  iputils-ping   # reachability checks in the lab and e2e tests
  ethtool        # datapath traffic tests turn checksum offload off to check rewritten checksums
  wireguard-go   # the encrypted tunnel's test: userspace WireGuard (this kernel has no WireGuard device)
  wireguard-tools # wg: keys and peers of those WireGuard devices
  docker.io      # a Docker engine: the gateway image is built and run here (scripts/image.sh)
  debootstrap    # the Debian base of the images: no container registry is reachable
  unzip          # ./mvnw unpacks Maven's zip; without unzip it takes the tar.gz, which fails the zip's pinned sha256
)

log() { printf '[setup] %s\n' "$*"; }
die() { printf '[setup] ERROR: %s\n' "$*" >&2; exit 1; }

[ "$(id -u)" -eq 0 ] || die "must run as root (it installs packages and mounts bpffs); try: sudo $0"
command -v apt-get >/dev/null || die "apt-get not found: this script supports Debian 12 (bookworm) only"

installed() { dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q 'install ok installed'; }

missing=()
for p in "${PACKAGES[@]}"; do installed "$p" || missing+=("$p"); done

if [ ${#missing[@]} -eq 0 ]; then
  log "all ${#PACKAGES[@]} packages already installed"
else
  log "installing: ${missing[*]}"
  # Package installs must not start bird/frr/gobgpd/bgpd as system daemons in the root namespace:
  # tests and the lab start their own instances inside network namespaces.
  policy=/usr/sbin/policy-rc.d
  created_policy=false
  if [ ! -e "$policy" ]; then
    printf '#!/bin/sh\nexit 101\n' >"$policy" && chmod +x "$policy" && created_policy=true
  fi
  trap '[ "$created_policy" = true ] && rm -f "$policy"' EXIT
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq || die "apt-get update failed: check network access to the Debian mirror"
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/tmp/meshgw-setup-apt.log 2>&1 \
    || { tail -n 30 /tmp/meshgw-setup-apt.log >&2; die "apt-get install of ${missing[*]} failed (full log: /tmp/meshgw-setup-apt.log)"; }
  for p in "${missing[@]}"; do installed "$p" || die "package $p is still not installed after apt-get install"; done
  log "installed ${#missing[@]} package(s)"
fi

# Daemons from the packages may have been started by an earlier install without our policy;
# they would hold port 179 in the root namespace, which the lab and tests do not use, but they
# also write to the same runtime dirs. Stop them quietly if they run.
for d in bird bgpd zebra watchfrr gobgpd; do
  if pgrep -x "$d" >/dev/null 2>&1 && [ "$(readlink /proc/"$(pgrep -xo "$d")"/ns/net)" = "$(readlink /proc/self/ns/net)" ]; then
    log "note: a system $d runs in the root namespace (left alone; meshgw starts its own in namespaces)"
  fi
done

if mountpoint -q /sys/fs/bpf; then
  log "bpffs already mounted at /sys/fs/bpf"
else
  mount -t bpf bpf /sys/fs/bpf || die "could not mount bpffs at /sys/fs/bpf (needs CAP_SYS_ADMIN and a kernel with BPF)"
  log "mounted bpffs at /sys/fs/bpf"
fi

# A Docker engine, started here when none answers (there is no service manager to start it). Its
# iptables rules stay off: its FORWARD policy DROP and NAT chains would cut the forwarding between
# the network namespaces the lab and the tests create. Containers here run without a bridge network
# of their own (the tests wire them into namespaces), so nothing needs those rules.
if docker info >/dev/null 2>&1; then
  log "a Docker engine answers"
else
  command -v dockerd >/dev/null || die "dockerd is missing although docker.io is installed"
  # The daemon outlives this script: it must not keep the caller's other descriptors open (a
  # flock'd lock file would stay held for as long as dockerd runs), so all but 0-2 are closed.
  (
    for fd in /proc/$BASHPID/fd/*; do
      fd="${fd##*/}"
      [ "$fd" -gt 2 ] 2>/dev/null && eval "exec $fd>&-"
    done
    exec nohup setsid dockerd --iptables=false --ip-masq=false >/var/log/meshgw-dockerd.log 2>&1
  ) &
  for _ in $(seq 1 60); do docker info >/dev/null 2>&1 && break; sleep 0.5; done
  docker info >/dev/null 2>&1 || die "dockerd did not answer within 30 s (its log: /var/log/meshgw-dockerd.log)"
  log "started dockerd (iptables off; log /var/log/meshgw-dockerd.log)"
fi

# The JDK: fail early with a clear message instead of a compiler error later.
"$(dirname "$0")/java-home.sh" >/dev/null || exit 1
log "ok"

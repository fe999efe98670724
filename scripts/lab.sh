#!/usr/bin/env bash
# The main job: a self-contained hybrid lab on this machine. It installs what it needs, builds
# meshgw, then creates network namespaces for a datacenter router (BIRD), a legacy host and the
# gateway's node, starts a real Kafka broker, and shows what comes up. Everything it creates is
# removed when it ends (Ctrl-C, or after LAB_SECONDS when there is no terminal).
#
# Today the lab runs meshgw's BGP speaker on the gateway node, peering with the datacenter
# router and announcing a legacy VIP; the translation datapath and the second cluster join as
# they are built (see the README's status).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
prefix="${LAB_PREFIX:-mgw}"
work="$(mktemp -d /tmp/meshgw-lab.XXXXXX)"
step() { printf '\n\033[1m==> %s\033[0m\n' "$*"; }

"$root/scripts/setup.sh"
step "building meshgw"
"$root/mvnw" -q -B -ntp install -DskipTests

broker_pid=""
speaker_pid=""
cleanup() {
  step "tearing the lab down"
  [ -n "$speaker_pid" ] && kill "$speaker_pid" 2>/dev/null && wait "$speaker_pid" 2>/dev/null || true
  [ -n "$broker_pid" ] && kill "$broker_pid" 2>/dev/null && wait "$broker_pid" 2>/dev/null || true
  if [ -f "$work/bird.pid" ]; then
    bird_pid="$(cat "$work/bird.pid")"
    kill "$bird_pid" 2>/dev/null || true
    for _ in $(seq 1 50); do kill -0 "$bird_pid" 2>/dev/null || break; sleep 0.1; done
  fi
  for ns in dc legacy gw-a; do ip netns del "$prefix-$ns" 2>/dev/null || true; done
  rm -rf "$work"
  echo "lab removed"
}
trap cleanup EXIT INT TERM

step "network namespaces: legacy host <-> dc router <-> gateway node"
for ns in dc legacy gw-a; do ip netns del "$prefix-$ns" 2>/dev/null || true; ip netns add "$prefix-$ns"; done
link() { # ns1 if1 addr1 ns2 if2 addr2
  ip link add "$2" netns "$prefix-$1" type veth peer name "$5" netns "$prefix-$4"
  ip -n "$prefix-$1" addr add "$3" dev "$2"; ip -n "$prefix-$1" link set "$2" up
  ip -n "$prefix-$4" addr add "$6" dev "$5"; ip -n "$prefix-$4" link set "$5" up
}
link legacy eth0 10.99.0.2/24 dc legacy0 10.99.0.1/24
link gw-a eth0 10.98.0.2/24 dc gw0 10.98.0.1/24
for ns in dc legacy gw-a; do ip -n "$prefix-$ns" link set lo up; done
ip netns exec "$prefix-dc" sysctl -qw net.ipv4.ip_forward=1
ip -n "$prefix-legacy" route add default via 10.99.0.1
ip -n "$prefix-gw-a" route add 10.99.0.0/24 via 10.98.0.1

step "datacenter router: BIRD 2, AS 65001, waiting for the gateway (AS 65000) at 10.98.0.2"
cat >"$work/bird.conf" <<CONF
router id 10.98.0.1;
protocol device {}
protocol direct { ipv4; interface "legacy0"; }
protocol kernel { ipv4 { export all; }; }
protocol bgp gateway_a {
  local 10.98.0.1 as 65001;
  neighbor 10.98.0.2 as 65000;
  ipv4 { import all; export where source = RTS_DEVICE; };
}
CONF
ip netns exec "$prefix-dc" bird -c "$work/bird.conf" -s "$work/bird.ctl" -P "$work/bird.pid"
sleep 1
ip netns exec "$prefix-dc" birdc -s "$work/bird.ctl" show protocols

step "legacy host reachable from the gateway node through the router"
ip netns exec "$prefix-gw-a" ping -c 2 -W 1 10.99.0.2

step "Kafka broker (KRaft) for mesh-sync"
JAVA_HOME="$("$root/scripts/java-home.sh")"
kit="$root/e2e-tests/testkit/target/classes"
"$JAVA_HOME/bin/java" -cp "$kit:$(cat "$kit/io/meshgw/testkit/kafka-broker.classpath")" \
  io.meshgw.testkit.KafkaBroker >"$work/broker.out" 2>&1 &
broker_pid=$!
for _ in $(seq 1 120); do grep -q 'ready' "$work/broker.out" && break; sleep 1; done
grep 'ready' "$work/broker.out" || { cat "$work/broker.out"; exit 1; }

step "gateway node: meshgw's BGP speaker (AS 65000) announces the legacy VIP 198.51.100.10/32"
cp_file="$root/e2e-tests/bench/target/classes/io/meshgw/bench/speaker.classpath"
ip netns exec "$prefix-gw-a" "$JAVA_HOME/bin/java" -Xmx288m -XX:+UseCompactObjectHeaders \
  --enable-native-access=ALL-UNNAMED -cp "$(cat "$cp_file")" io.meshgw.bgp.speaker.SpeakerMain \
  --asn 65000 --router-id 10.98.0.2 --peer 10.98.0.1:65001 --originate 198.51.100.10/32 \
  --status-file "$work/speaker.status" >"$work/speaker.log" 2>&1 &
speaker_pid=$!
for _ in $(seq 1 60); do grep -q ESTABLISHED "$work/speaker.status" 2>/dev/null && break; sleep 0.5; done
grep -q ESTABLISHED "$work/speaker.status" 2>/dev/null || { echo "the BGP session did not come up:"; tail -20 "$work/speaker.log"; exit 1; }
ip netns exec "$prefix-dc" birdc -s "$work/bird.ctl" show protocols gateway_a
for _ in $(seq 1 20); do ip netns exec "$prefix-dc" birdc -s "$work/bird.ctl" show route 198.51.100.10/32 | grep -q 198.51.100.10 && break; sleep 0.5; done
ip netns exec "$prefix-dc" birdc -s "$work/bird.ctl" show route 198.51.100.10/32 all
echo "  the gateway learned the datacenter's routes: $(cut -d' ' -f3 "$work/speaker.status") prefix(es)"

step "lab is up"
echo "  router:  ip netns exec $prefix-dc birdc -s $work/bird.ctl show protocols all"
echo "  legacy:  ip netns exec $prefix-legacy ip addr"
echo "  speaker: cat $work/speaker.status; less $work/speaker.log"
if [ -t 0 ] && [ -z "${LAB_SECONDS:-}" ]; then
  read -r -p "press Enter to tear the lab down " _
else
  sleep "${LAB_SECONDS:-10}"
fi

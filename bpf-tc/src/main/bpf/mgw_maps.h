// SPDX-License-Identifier: GPL-2.0
// Map layouts of the meshgw datapath, version 1. These structs are a stable interface: the Java
// codecs in io.meshgw.bpf.datapath mirror them byte for byte, and every map name carries the
// layout version (_v1) so a pinned map of another layout is never reused by accident.
// Addresses and ports are in network byte order, exactly as they sit in the packet.
#ifndef MGW_MAPS_H
#define MGW_MAPS_H

#include <linux/bpf.h>
#include <linux/types.h>
#include <bpf/bpf_helpers.h>

// Service (legacy VIP) lookup: (VIP, port, protocol) -> service.
struct svc_key {
	__be32 vip;
	__be16 port;
	__u8 proto;
	__u8 pad;
};

struct svc_val {
	__u32 svc_id;
	__u16 count;       // backends in mgw_slot_v1 slots 0..count-1
	__u16 local_count; // the first local_count slots are in this cluster; preferred when > 0
	__u32 identity;    // the service's identity, for the policy map
	__u32 flags;
};

// Backend slots of a service: (svc_id, slot) -> backend id.
struct slot_key {
	__u32 svc_id;
	__u32 slot;
};

// Maglev lookup table of a service with two or more backends to choose from (the local ones when
// there are any, else all): entry i names the backend of the flows whose hash is i modulo
// MAGLEV_SIZE. Every gateway builds the same table from the same backends, whatever ids it gave
// them, so a flow the routers move to another gateway finds the same backend there without
// shared conntrack; and a backend added or removed moves few flows of the others (the Maglev
// property). A prime; 1021 keeps each of up to 10 backends within 1 % of its share.
#define MAGLEV_SIZE 1021

struct maglev {
	__u32 backend_id[MAGLEV_SIZE];
};

// Backends by id: an array (ids are small and dense), so the per-packet check that a flow's
// backend still exists is an inlined index, not a hash. A removed backend is all zeros.
struct backend {
	__be32 addr;
	__be16 port;
	__u16 cluster; // the mesh cluster id (1..4095), BACKEND_VIA_NODE or'ed in
};

// In struct backend.cluster: a local backend on an ordinary node whose node role returns its
// replies, looked up in mgw_bnode_v1. Only such a backend's packets pay that lookup; the flag also
// takes its cluster past mgw_tun_v1's slots, so it is never tunnelled to a cluster's gateway.
#define BACKEND_VIA_NODE 0x8000

// What a conntrack entry does to the packets it matches (ct_val.dir).
enum ct_dir {
	CT_FWD_DNAT = 1, // legacy client -> VIP: destination becomes the backend
	CT_REV_DNAT = 2, // backend -> legacy client (reply): source becomes the VIP
	CT_FWD_SNAT = 3, // pod -> legacy host: source becomes the egress address
	CT_REV_SNAT = 4, // legacy host -> egress address (reply): destination becomes the pod
	// A flow another cluster's gateway translated and sent here through the tunnel, for a backend
	// of this cluster: nat_addr is that gateway's tunnel endpoint; nothing is rewritten here.
	CT_TUN_IN = 5,	// its packets, decapsulated, toward the backend (looked up from the legacy side)
	CT_TUN_RET = 6, // the backend's replies: encapsulated back to nat_addr (from the cluster side)
};

// Which program looks an entry up (ct_key.side). Keyed by the packet's own 5-tuple and the
// side it arrives from, every packet needs exactly one conntrack lookup: from the legacy side
// the destination is rewritten (DNAT, reverse SNAT), from the cluster side the source.
enum ct_side {
	CT_FROM_LEGACY = 1,
	CT_FROM_CLUSTER = 2,
};

struct ct_key {
	__be32 saddr;
	__be32 daddr;
	__be16 sport;
	__be16 dport;
	__u8 proto;
	__u8 side;
	__u16 pad;
};

// TCP state of a flow (ct_val.flags), kept alike in both of its entries. Byte 7 was padding in
// the first v1 programs, always zero, which reads as "open": the layout is unchanged.
enum ct_flags {
	CT_FIN_FROM_LEGACY = 1,	 // a FIN came from the legacy side
	CT_FIN_FROM_CLUSTER = 2, // a FIN came from the cluster side
	CT_RST = 4,		 // an RST came from either side
	// Set on a new TCP flow's entries, cleared by the first packet the reply way. Inverted so
	// that entries of earlier programs (flags 0) read as answered, not as half-open.
	CT_UNREPLIED = 8,
	// This entry's seq_next holds its direction's highest sequence end. Per entry, not kept
	// alike in both: an entry of earlier programs (and a reply entry before its first packet)
	// has none, and an RST it sees is trusted on its tuple as before.
	CT_SEQ = 16,
};

// An RST closes a flow only when its sequence number is within this distance of the highest
// sequence end its sender's direction carried (RFC 5961 §3 in spirit: an RST must hit the
// window, not just the 5-tuple). The sender's own RST carries exactly that end; the distance
// covers segments seen on another CPU or path. 64 KiB, the largest unscaled window: a blind
// spoofer needs about 2^15 tries instead of one.
#define CT_RST_WINDOW 65536

// Conntrack timeouts, since the entry's last-seen time (which moves at most once a second): an
// entry idle longer is never used to translate, and Datapath.expireConntrack() deletes it.
// RFC 5382 REQ-5: an established TCP mapping lives at least 2 h 4 min; RFC 4787 REQ-5: a UDP
// mapping at least 2 min, 5 min recommended. A closed TCP flow goes after 10 s (the time
// nf_conntrack keeps a reset connection); its stragglers then start a new entry, which finds
// the same backend while the backend set is unchanged.
#define CT_TIMEOUT_TCP_NS (6ull * 3600 * 1000000000ull)
#define CT_TIMEOUT_TCP_CLOSING_NS (10ull * 1000000000ull)
// A TCP flow nobody answered yet (a SYN toward a VIP, or a pod's SYN toward a legacy host): as
// nf_conntrack's SYN_SENT, 2 min; a spoofed SYN flood cannot park entries for 6 h.
#define CT_TIMEOUT_TCP_UNREPLIED_NS (120ull * 1000000000ull)
#define CT_TIMEOUT_OTHER_NS (300ull * 1000000000ull)

struct ct_val {
	__be32 nat_addr; // the address and port the packet is rewritten to
	__be16 nat_port;
	__u8 dir;
	__u8 flags; // enum ct_flags
	__u32 backend_id; // CT_FWD_DNAT: the chosen backend
	union {
		__u32 svc_id; // DNAT entries: the service
		// SNAT entries: the node whose IPIP brought the flow's first packet (a pod's node, or a
		// gateway that is not the owner of the identity's egress address); its replies go back
		// to that node encapsulated. 0: the packets came plainly. Was always 0 in SNAT entries
		// of earlier programs, which reads as "plainly": the layout kept its suffix.
		__be32 via_node;
	};
	__u32 identity;
	// TCP, with CT_SEQ: the end (sequence number + payload + SYN + FIN, host byte order) of the
	// highest segment this entry's direction carried. Was padding (zero) in earlier programs.
	__u32 seq_next;
	__u64 created_ns;
	__u64 last_seen_ns;
	__u64 packets;
	__u64 bytes;
};

// Source identity: LPM over pod and legacy prefixes.
struct ident_key {
	__u32 prefixlen;
	__be32 addr;
};

// Egress SNAT per identity: the stable legacy source address and the ports it may use.
struct snat_val {
	__be32 addr;
	__u16 port_min; // host byte order
	__u16 port_max;
};

// Legacy destinations an identity is SNATed toward: LPM over (identity, prefix); prefixlen
// counts the 32 identity bits plus the destination prefix length.
struct egdst_key {
	__u32 prefixlen;
	__be32 identity;
	__be32 addr;
};

enum pol_dir {
	POL_INGRESS = 1, // legacy -> Kubernetes
	POL_EGRESS = 2,  // Kubernetes -> legacy
};

// An entry with proto 0 and port 0 is the identity's default for that direction; without one,
// the global default in mgw_cfg_v1 applies.
struct pol_key {
	__u32 identity;
	__u8 proto;
	__u8 dir;
	__be16 port; // the server-side port: the VIP port inbound, the destination port outbound
};

enum verdict {
	VERDICT_ALLOW = 1,
	VERDICT_DENY = 2,
};

enum config_flags {
	// The gateway SNATs some identity's egress. Identities are IPv4 prefixes, so an IPv6 packet
	// from the clusters cannot be told apart from a restricted pod's; while this is set, routed
	// IPv6 from the clusters is dropped (CNT_DROP_EGRESS_IPV6) instead of leaving untranslated.
	CFG_EGRESS = 1,
};

struct config {
	__u32 default_ingress; // enum verdict when no policy entry matches
	__u32 default_egress;
	__u32 flags; // enum config_flags
	__u32 pad;
};

// Reply adoption (mgw_rev_v1): a backend's address, port and protocol -> the VIP and port its
// replies leave with, for every IPv4 backend whose tuple one (VIP, port) alone claims. Two gateways
// of a cluster both announce a VIP and the routers spread its flows over them (ECMP); Maglev gives
// a flow the same backend on either, but the backend replies toward its own route, which may lead
// to the gateway that did not translate the flow and has no conntrack entry for it. There the
// reply's source is rewritten from this map, statelessly (no entry is created: a pod sending from
// its service port cannot fill conntrack), except a TCP SYN without ACK, which opens a connection
// and is no reply. A tuple two (VIP, port) pairs claim is left out: its reply cannot be told apart
// without conntrack. Same layout as struct svc_key.
struct rev_key {
	__be32 addr;
	__be16 port;
	__u8 proto;
	__u8 pad;
};

struct rev_val {
	__be32 vip;
	__be16 vport;
	__u16 pad;
};

// Per-CPU counters, indexed by enum counter.
enum counter {
	CNT_PASS = 0,          // not ours: handed on untouched
	CNT_DNAT_NEW,          // new inbound flow translated to a backend
	CNT_DNAT_EST,          // inbound packet of a known flow
	CNT_DNAT_REPLY,        // backend reply, source rewritten to the VIP
	CNT_SNAT_NEW,          // new outbound flow SNATed to the identity's address
	CNT_SNAT_EST,          // outbound packet of a known flow
	CNT_SNAT_REPLY,        // legacy reply, destination rewritten to the pod
	CNT_DROP_NO_BACKEND,   // VIP without a backend
	CNT_DROP_POLICY,       // denied by policy
	CNT_DROP_NO_PORT,      // SNAT port range exhausted
	CNT_POLICY_ALLOW,      // policy verdicts (new flows only)
	CNT_POLICY_DENY,
	CNT_MALFORMED,         // headers cut short or inconsistent: passed untouched, never misparsed
	CNT_FRAGMENT,          // IP fragments are passed untouched
	CNT_BACKEND_RESELECT,  // a known flow's backend went away and a new one was chosen
	CNT_ICMP_ERROR,        // ICMP errors about translated flows, translated
	// From an egress-restricted identity toward its legacy destinations, what cannot be SNATed
	// is dropped, never let through with the pod's own address:
	CNT_DROP_EGRESS_FRAGMENT, // IP fragments (a later fragment has no ports to translate)
	CNT_DROP_EGRESS_PROTOCOL, // neither TCP, UDP nor an ICMP error about a translated flow
	CNT_DROP_EGRESS_IPV6,     // routed IPv6 from the clusters while egress is configured
	CNT_DROP_NO_FLOW,         // a pod's TCP RST of no known egress flow: no port to give it
	CNT_RST_OUT_OF_WINDOW,    // RSTs whose sequence misses the tracked window: flow kept open
	CNT_TUNNEL_OUT,           // packets encapsulated (to another cluster's gateway, a node, a gateway here)
	CNT_TUNNEL_IN,            // packets from a peer gateway, decapsulated
	CNT_DROP_TUNNEL_PEER,     // IPIP to this gateway's endpoint from a source that is no peer gateway
	CNT_DROP_TUNNEL_MTU,      // too large for the tunnel (ICMP "fragmentation needed" sent when DF)
	CNT_DROP_TUNNEL_ROUTE,    // no route to the peer's endpoint, or the packet could not be encapsulated
	CNT_IPV6_EXT_LIMIT,       // IPv6 with more extension headers than walked: passed untouched
	CNT_NODE_IN,              // IPIP from a node of this cluster (mgw_nodes_v1), decapsulated
	CNT_EGRESS_STEERED,       // a pod's packet steered to the gateway that owns its identity's egress address
	CNT_DROP_EGRESS_NO_OWNER, // not the owner of the identity's egress address and none to steer to
	CNT_BACKEND_NODE,         // a flow's packet encapsulated toward its backend's node (mgw_bnode_v1)
	CNT_MAX,
};

// mgw_cnt_v2 has room for counters added later without another layout change (v1 had exactly
// CNT_MAX = 15 entries, so a new counter made the pinned map incompatible).
#define CNT_SLOTS 32

struct counter_val {
	__u64 packets;
	__u64 bytes;
};

// Gateway-to-gateway tunnels (IPv4 in IPv4, RFC 2003), indexed by cluster id (1..4095): the
// tunnel endpoint of that cluster's gateway, to which flows for its backends are encapsulated.
// Entry 0 (no cluster has id 0) is this gateway's own endpoint: the outer source it writes and
// the outer destination it decapsulates. An address of 0 means none: that cluster's backends are
// routed plainly, as before tunnels existed. An array, so the per-packet lookup is inlined.
#define TUNNEL_SLOTS 4096

struct tunnel {
	__be32 addr;
};

// A per-CPU, direct-mapped cache in front of mgw_ct_v1 (an exact-match flow cache, as in Open
// vSwitch's EMC): an established flow's packets are translated from an inlined array lookup
// instead of a hash-map call. A slot is trusted for CT_CACHE_TRUST_JIFFIES after it was read
// from mgw_ct_v1, then read again; per-flow packet and byte counts gather in the slot and are added
// to the conntrack entry at that moment (or when another flow takes the slot).
struct ct_cache_slot {
	struct ct_key key;
	__be32 nat_addr;
	__be16 nat_port;
	__u8 dir;	 // enum ct_dir; 0 = empty
	__u8 pad;
	__u32 backend_id;
	__u32 seq_next;	 // TCP: as ct_val.seq_next, for the packets counted here

	__u64 checked_jiffies; // when the slot was last read from mgw_ct_v1
	__u64 packets;	  // not yet added to the conntrack entry
	__u64 bytes;
	__u64 pad3;
};

// A per-CPU cache of the coarse monotonic clock, refreshed when jiffies moves. bpf_jiffies64()
// is inlined by the verifier (a load); bpf_ktime_get_coarse_ns() is a helper call, and with
// return-stack mitigations a call costs as much as the rest of a packet's work. Internal to the
// programs: nothing outside them reads it.
struct clock {
	__u64 jiffies;
	__u64 ns;
};

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 65536);
	__type(key, struct svc_key);
	__type(value, struct svc_val);
	__uint(pinning, LIBBPF_PIN_BY_NAME);
} mgw_svc_v1 SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 262144);
	__type(key, struct slot_key);
	__type(value, __u32);
	__uint(pinning, LIBBPF_PIN_BY_NAME);
} mgw_slot_v1 SEC(".maps");

// Maglev tables by svc_id. Not preallocated: a table is 4 KiB, and only services with two or
// more backends have one.
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 65536);
	__type(key, __u32);
	__type(value, struct maglev);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__uint(pinning, LIBBPF_PIN_BY_NAME);
} mgw_maglev_v1 SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 262144);
	__type(key, __u32);
	__type(value, struct backend);
	__uint(pinning, LIBBPF_PIN_BY_NAME);
} mgw_be_v1 SEC(".maps");

// Sized as mgw_be_v1: one entry per backend tuple (a backend serving TCP and UDP has two).
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 262144);
	__type(key, struct rev_key);
	__type(value, struct rev_val);
	__uint(pinning, LIBBPF_PIN_BY_NAME);
} mgw_rev_v1 SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, 524288);
	__type(key, struct ct_key);
	__type(value, struct ct_val);
	__uint(pinning, LIBBPF_PIN_BY_NAME);
} mgw_ct_v1 SEC(".maps");

// Egress (SNAT) flows in an LRU of their own. Every packet from the datacenter to a VIP with no
// entry makes one (a flow the routers moved here mid-stream must keep its backend and have its
// replies translated), so a spoofed flood fills mgw_ct_v1; it can evict only other inbound
// flows there, which the same Maglev pick re-creates, never a pod's egress flow, whose reply
// entry holds its port.
struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, 262144);
	__type(key, struct ct_key);
	__type(value, struct ct_val);
	__uint(pinning, LIBBPF_PIN_BY_NAME);
} mgw_ct_snat_v1 SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_LPM_TRIE);
	__uint(max_entries, 65536);
	__type(key, struct ident_key);
	__type(value, __u32);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__uint(pinning, LIBBPF_PIN_BY_NAME);
} mgw_ident_v1 SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 16384);
	__type(key, __u32);
	__type(value, struct snat_val);
	__uint(pinning, LIBBPF_PIN_BY_NAME);
} mgw_snat_v1 SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_LPM_TRIE);
	__uint(max_entries, 65536);
	__type(key, struct egdst_key);
	__type(value, __u32);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__uint(pinning, LIBBPF_PIN_BY_NAME);
} mgw_egdst_v1 SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 65536);
	__type(key, struct pol_key);
	__type(value, __u32);
	__uint(pinning, LIBBPF_PIN_BY_NAME);
} mgw_pol_v1 SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct config);
	__uint(pinning, LIBBPF_PIN_BY_NAME);
} mgw_cfg_v1 SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, CNT_SLOTS);
	__type(key, __u32);
	__type(value, struct counter_val);
	__uint(pinning, LIBBPF_PIN_BY_NAME);
} mgw_cnt_v2 SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, TUNNEL_SLOTS);
	__type(key, __u32);
	__type(value, struct tunnel);
	__uint(pinning, LIBBPF_PIN_BY_NAME);
} mgw_tun_v1 SEC(".maps");

// The peer gateways an IPIP packet may come from: endpoint -> cluster id. Anything else sent to
// this gateway's endpoint is dropped, never decapsulated (CNT_DROP_TUNNEL_PEER).
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, TUNNEL_SLOTS);
	__type(key, __be32);
	__type(value, __u32);
	__uint(pinning, LIBBPF_PIN_BY_NAME);
} mgw_peer_v1 SEC(".maps");

// The nodes of this cluster (their addresses) an IPIP packet may come from: the node role steers
// its pods' egress here, and a gateway that does not own an identity's egress address steers
// that identity's packets to the one that does. Anything else sent to this gateway's endpoint
// that is no peer gateway either is dropped (CNT_DROP_TUNNEL_PEER).
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 65536);
	__type(key, __be32);
	__type(value, __u32);
	__uint(pinning, LIBBPF_PIN_BY_NAME);
} mgw_nodes_v1 SEC(".maps");

// The backends of this cluster that run on an ordinary node whose node role is ready: backend
// address -> that node's address. A flow translated to such a backend is sent to its node in
// IPIP (tunnel_out), and the node role there records it and sends the backend's replies back
// the same way, so they return to the gateway holding the flow's conntrack whatever the node's
// own routes say (mgw_node.c). A backend not here is routed plainly.
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 65536);
	__type(key, __be32);
	__type(value, __be32);
	__uint(pinning, LIBBPF_PIN_BY_NAME);
} mgw_bnode_v1 SEC(".maps");

// Where mgw_from_l3 hands the tunnel's packets it gets from an L3 device (WireGuard's): the
// interface whose ingress runs mgw_from_cluster, and its MAC address, which the Ethernet header
// it writes is addressed to (the stack takes a frame for another MAC as not for this host). Slot
// 0 only; ifindex 0 while no such device is configured.
struct l3_entry {
	__u32 ifindex;
	__u8 mac[6];
	__u16 pad;
};

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct l3_entry);
	__uint(pinning, LIBBPF_PIN_BY_NAME);
} mgw_l3in_v1 SEC(".maps");

// Identities whose egress address another gateway of this cluster owns: identity -> that
// gateway's tunnel endpoint (0: the owner is not known). Such an identity's SNAT entry may be
// here too (every gateway plans the same egress), but only the owner translates: here its
// packets toward its egress destinations are steered to the owner, or dropped while there is
// none, never sent on with the pod's own address.
struct egress_owner {
	__be32 addr;
};

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 16384);
	__type(key, __u32);
	__type(value, struct egress_owner);
	__uint(pinning, LIBBPF_PIN_BY_NAME);
} mgw_egown_v1 SEC(".maps");

// The destinations a packet from the legacy side can be ours at: a bitmap over a hash of the IPv4
// destination address (dst_filter_bit() in mgw_tc.c; the gateway computes the same), so that a
// packet to any other address is handed on after one inlined array read, where it took both
// conntrack maps' and the service map's lookups. The gateway sets the bits of every IPv4 VIP,
// egress address and backend before it writes them to the other maps, and, when it starts, the
// bits of the destinations of the legacy-side conntrack entries it finds (a removed VIP's flows
// live on); the programs set the bit of a flow a peer gateway relays here before they record it.
// Bits are never cleared. Two addresses sharing a bit only cost packets to the one that is not
// ours the lookups every packet took before. 2^20 bits, 128 KiB.
#define DST_FILTER_BITS_LOG2 20
#define DST_FILTER_WORDS (1 << (DST_FILTER_BITS_LOG2 - 6))

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, DST_FILTER_WORDS);
	__type(key, __u32);
	__type(value, __u64);
	__uint(pinning, LIBBPF_PIN_BY_NAME);
} mgw_dst_v1 SEC(".maps");

#define CT_CACHE_SLOTS 1024 // a power of two

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, CT_CACHE_SLOTS);
	__type(key, __u32);
	__type(value, struct ct_cache_slot);
	__uint(pinning, LIBBPF_PIN_BY_NAME);
} mgw_ctcache_v1 SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct clock);
	__uint(pinning, LIBBPF_PIN_BY_NAME);
} mgw_clock_v1 SEC(".maps");

#endif

// SPDX-License-Identifier: GPL-2.0
// IPv6 translation: DNAT of IPv6 VIPs to IPv6 backends with conntrack, and reverse DNAT of the
// backends' replies (no NAT64: a v6 VIP has v6 backends). Its own maps (the twins below); backend
// slots, Maglev tables, policies, config, counters and the clock are shared with IPv4, and so
// are the conntrack rules (timeouts, TCP state, RST window), applied to the IPv4 entry that
// struct ct6_val embeds. Reached only from the programs' non-IPv4 branch, so the IPv4 path pays
// nothing for it. Included by mgw_tc.c after mgw_ct.h and ipv6_routed_under_egress().
#ifndef MGW_V6_H
#define MGW_V6_H

// RFC 8200 §4: the extension headers walked to reach the L4 header. Past this many the packet
// is handed on untouched and counted (CNT_IPV6_EXT_LIMIT): never guessed at, never dropped.
#define V6_EXT_MAX 4
#define NEXTHDR_HOP 0
#define NEXTHDR_ROUTING 43
#define NEXTHDR_FRAGMENT 44
#define NEXTHDR_DEST 60
#define NEXTHDR_ICMP6 58

struct in6 {
	__u32 w[4]; // network byte order, as in the packet
};

// Service (VIP) lookup: the twin of struct svc_key (20 B). Value: struct svc_val.
struct svc6_key {
	struct in6 vip;
	__be16 port;
	__u8 proto;
	__u8 pad;
};

// Backends by id, the twin of struct backend (20 B). Ids come from the one id space both
// families share, so mgw_slot_v1 and mgw_maglev_v1 name either; a v6 service's ids index this
// array (the IPv4 array holds zeros there, and the other way round).
struct backend6 {
	struct in6 addr;
	__be16 port;
	__u16 cluster;
};

// Conntrack, the twin of struct ct_key (40 B).
struct ct6_key {
	struct in6 saddr;
	struct in6 daddr;
	__be16 sport;
	__be16 dport;
	__u8 proto;
	__u8 side;
	__u16 pad;
};

// The IPv4 entry (its nat_addr unused, 0) followed by the IPv6 address it rewrites to (72 B):
// mgw_ct.h's rules on state, sequence and expiry read the embedded entry unchanged.
struct ct6_val {
	struct ct_val ct;
	struct in6 nat_addr;
};

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 65536);
	__type(key, struct svc6_key);
	__type(value, struct svc_val);
	__uint(pinning, LIBBPF_PIN_BY_NAME);
} mgw_svc6_v1 SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 262144);
	__type(key, __u32);
	__type(value, struct backend6);
	__uint(pinning, LIBBPF_PIN_BY_NAME);
} mgw_be6_v1 SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, 262144);
	__type(key, struct ct6_key);
	__type(value, struct ct6_val);
	__uint(pinning, LIBBPF_PIN_BY_NAME);
} mgw_ct6_v1 SEC(".maps");

// Reply adoption's IPv6 twin (mgw_rev6_v1, see mgw_rev_v1): an IPv6 backend's address, port and
// protocol (struct svc6_key's layout) -> the VIP and port its replies leave with.
struct rev6_val {
	struct in6 vip;
	__be16 vport;
	__u16 pad;
};

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 262144);
	__type(key, struct svc6_key);
	__type(value, struct rev6_val);
	__uint(pinning, LIBBPF_PIN_BY_NAME);
} mgw_rev6_v1 SEC(".maps");

// Room for the keys and entries of the paths that are not the hit path (a new flow, a peer
// refresh, TCP state), per CPU: on the stack they would take the IPv6 half past the verifier's
// 512 bytes, since its frame adds to the IPv4 program's. A per-CPU array lookup is inlined.
struct ct6_scratch {
	struct svc6_key svc;
	struct ct6_key rk;
	struct ct6_val fwd;
	struct ct6_val rev;
};

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct ct6_scratch);
} mgw_ct6_scratch SEC(".maps");

// The flow cache's IPv6 twin (mgw_ctcache6_v1, 96 B a slot): struct ct_cache_slot's rules
// (bpf-tc/DESIGN.md, "Flow cache") for the DNAT entries, the only ones IPv6 has. An established
// flow's packets, both ways, are translated from an inlined per-CPU array read instead of a
// hash-map call with a 40-byte key.
struct ct6_cache_slot {
	struct ct6_key key;
	struct in6 nat_addr;
	__be16 nat_port;
	__u8 dir; // enum ct_dir; 0 = empty
	__u8 pad;
	__u32 backend_id;
	__u32 seq_next; // TCP: as ct_val.seq_next, for the packets counted here
	__u32 pad2;
	__u64 checked_jiffies; // when the slot was last read from mgw_ct6_v1
	__u64 packets;	       // not yet added to the conntrack entry
	__u64 bytes;
};

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, CT_CACHE_SLOTS);
	__type(key, __u32);
	__type(value, struct ct6_cache_slot);
	__uint(pinning, LIBBPF_PIN_BY_NAME);
} mgw_ctcache6_v1 SEC(".maps");

struct flow6 {
	struct flow l4; // ports, protocol, TCP fields, offsets, length; saddr/daddr: folded addresses
	struct in6 saddr;
	struct in6 daddr;
};

static __always_inline int in6_equal(const struct in6 *a, const struct in6 *b)
{
	return a->w[0] == b->w[0] && a->w[1] == b->w[1] && a->w[2] == b->w[2] && a->w[3] == b->w[3];
}

static __always_inline __u32 in6_fold(const struct in6 *a)
{
	return a->w[0] ^ a->w[1] ^ a->w[2] ^ a->w[3];
}

static __always_inline int in6_zero(const struct in6 *a)
{
	return !(a->w[0] | a->w[1] | a->w[2] | a->w[3]);
}

// 0: TCP/UDP parsed; 2: ICMPv6 (l4_off and proto set); 1: not ours; -1: cut short or
// inconsistent; -2: a fragment; -3: more extension headers than V6_EXT_MAX.
static __always_inline int parse6(struct __sk_buff *skb, struct flow6 *f)
{
	void *data = (void *)(long)skb->data;
	void *end = (void *)(long)skb->data_end;
	__u8 *ip6 = data + sizeof(struct ethhdr);
	if ((void *)(ip6 + 40) > end)
		return -1;
	if ((ip6[0] >> 4) != 6)
		return -1;
	// RFC 8200 §3: payload length counts everything after the fixed header.
	__u32 payload = (__u32)ip6[4] << 8 | ip6[5];
	__u8 next = ip6[6];
	__u32 off = sizeof(struct ethhdr) + 40;
#pragma unroll
	for (int i = 0; i < V6_EXT_MAX; i++) {
		if (next != NEXTHDR_HOP && next != NEXTHDR_ROUTING && next != NEXTHDR_DEST)
			break;
		__u8 *ext = data + off;
		if ((void *)(ext + 2) > end)
			return -1;
		next = ext[0];
		off += ((__u32)ext[1] + 1) * 8;
	}
	if (next == NEXTHDR_HOP || next == NEXTHDR_ROUTING || next == NEXTHDR_DEST)
		return -3;
	if (next == NEXTHDR_FRAGMENT)
		return -2;
	if (next != IPPROTO_TCP && next != IPPROTO_UDP && next != NEXTHDR_ICMP6)
		return 1; // no next header, ESP, AH, other protocols: not ours
	__u32 ext_len = off - sizeof(struct ethhdr) - 40;
	if (payload < ext_len + 8)
		return -1;
	__builtin_memcpy(&f->saddr, ip6 + 8, 16);
	__builtin_memcpy(&f->daddr, ip6 + 24, 16);
	f->l4.proto = next;
	f->l4.l3_off = sizeof(struct ethhdr);
	f->l4.l4_off = off;
	f->l4.len = skb->len;
	if (next == NEXTHDR_ICMP6)
		return 2;
	__be16 *ports = data + off;
	if ((void *)(ports + 2) > end)
		return -1;
	f->l4.saddr = in6_fold(&f->saddr);
	f->l4.daddr = in6_fold(&f->daddr);
	f->l4.sport = ports[0];
	f->l4.dport = ports[1];
	if (next == IPPROTO_TCP) {
		struct tcphdr *tcp = (void *)ports;
		if ((void *)(tcp + 1) > end)
			return -1;
		f->l4.csum_off = off + offsetof(struct tcphdr, check);
		__u8 flags = ((__u8 *)ports)[13];
		__u32 doff = tcp->doff * 4;
		__u32 l4_len = payload - ext_len;
		__u32 data_len = l4_len > doff ? l4_len - doff : 0;
		f->l4.tcp_flags = flags;
		f->l4.seq = bpf_ntohl(tcp->seq);
		f->l4.seq_end = f->l4.seq + data_len + !!(flags & TCP_SYN) + !!(flags & TCP_FIN);
	} else {
		if (data + off + sizeof(struct udphdr) > end)
			return -1;
		f->l4.csum_off = off + offsetof(struct udphdr, check);
	}
	return 0;
}

// What replacing the 128-bit address old by new adds to a sum (RFC 1624, word by word).
static __always_inline __u32 csum_delta128(const struct in6 *old, const struct in6 *new)
{
	return csum_delta32(old->w[0], new->w[0]) + csum_delta32(old->w[1], new->w[1]) +
	       csum_delta32(old->w[2], new->w[2]) + csum_delta32(old->w[3], new->w[3]);
}

// The rewrite through helpers, for kernels whose skb checksum state cannot be read without one
// (and the helper test build). bpf_l4_csum_replace with a pseudo-header diff moves a
// CHECKSUM_COMPLETE skb's running sum by the change of the checksum field alone; the address
// bytes, which IPv6 has no header checksum to compensate, are added back with bpf_csum_update.
static __noinline int rewrite6_by_helpers(struct __sk_buff *skb, const struct flow6 *f, int dst,
					  const struct in6 *new_addr, __be16 new_port)
{
	const struct in6 *old_addr = dst ? &f->daddr : &f->saddr;
	__be16 old_port = dst ? f->l4.dport : f->l4.sport;
	__s64 diff = bpf_csum_diff((__be32 *)old_addr, 16, (__be32 *)new_addr, 16, 0);
	if (diff < 0)
		return -1;
	if (bpf_l4_csum_replace(skb, f->l4.csum_off, 0, (__u32)diff, l4_flags(&f->l4, BPF_F_PSEUDO_HDR)))
		return -1;
	bpf_csum_update(skb, (__u32)diff);
	if (old_port != new_port && bpf_l4_csum_replace(skb, f->l4.csum_off, old_port, new_port, l4_flags(&f->l4, 2)))
		return -1;
	void *data = (void *)(long)skb->data;
	void *end = (void *)(long)skb->data_end;
	__u8 *ip6 = data + sizeof(struct ethhdr);
	__u32 l4 = f->l4.l4_off & 0x3fff;
	__be16 *ports = data + l4;
	if ((void *)(ip6 + 40) > end || (void *)(ports + 2) > end)
		return -1;
	__builtin_memcpy(ip6 + (dst ? 24 : 8), new_addr, 16);
	ports[dst ? 1 : 0] = new_port;
	return 0;
}

// Rewrites the destination (dst) or source address and port, the L4 checksum updated in place.
// IPv6 has no header checksum: the L4 checksum's change exactly offsets the address and port
// change, so a CHECKSUM_COMPLETE skb's running sum stays right without a helper (unlike IPv4,
// whose header checksum is outside the L4 sum). CHECKSUM_PARTIAL takes the pseudo-header change
// only, as for IPv4.
static __always_inline int rewrite6(struct __sk_buff *skb, const struct flow6 *f, int dst,
				    const struct in6 *new_addr, __be16 new_port)
{
	int summed = skb_ip_summed(skb);
	if (summed < 0)
		return rewrite6_by_helpers(skb, f, dst, new_addr, new_port);
	const struct in6 *old_addr = dst ? &f->daddr : &f->saddr;
	__be16 old_port = dst ? f->l4.dport : f->l4.sport;
	void *data = (void *)(long)skb->data;
	void *end = (void *)(long)skb->data_end;
	__u8 *ip6 = data + sizeof(struct ethhdr);
	__u32 l4 = f->l4.l4_off & 0x3fff;
	__u16 *l4h = data + l4;
	if ((void *)(ip6 + 40) > end || (void *)(l4h + 4) > end)
		return -1;
	__u16 *check = &l4h[3];
	if (f->l4.proto == IPPROTO_TCP) {
		check = &l4h[8];
		if ((void *)(l4h + 9) > end)
			return -1;
	}
	__u32 addr_delta = csum_delta128(old_addr, new_addr);
	*check = csum_l4_update(*check, summed, f->l4.proto == IPPROTO_UDP, addr_delta,
				csum_delta16(old_port, new_port));
	__builtin_memcpy(ip6 + (dst ? 24 : 8), new_addr, 16);
	l4h[dst ? 1 : 0] = new_port;
	return 0;
}

static __always_inline void ct6_key_of(struct ct6_key *k, const struct flow6 *f, __u8 side)
{
	k->saddr = f->saddr;
	k->daddr = f->daddr;
	k->sport = f->l4.sport;
	k->dport = f->l4.dport;
	k->proto = f->l4.proto;
	k->side = side;
	k->pad = 0;
}

// As ct_peer_key() for the DNAT entries, the only ones IPv6 has yet.
static __always_inline void ct6_peer_key(struct ct6_key *pk, const struct flow6 *f, const struct ct6_val *v)
{
	if (v->ct.dir == CT_FWD_DNAT) {
		pk->saddr = v->nat_addr;
		pk->daddr = f->saddr;
		pk->sport = v->ct.nat_port;
		pk->dport = f->l4.sport;
		pk->side = CT_FROM_CLUSTER;
	} else {
		pk->saddr = f->daddr;
		pk->daddr = v->nat_addr;
		pk->sport = f->l4.dport;
		pk->dport = v->ct.nat_port;
		pk->side = CT_FROM_LEGACY;
	}
	pk->proto = f->l4.proto;
	pk->pad = 0;
}

static __always_inline struct ct6_scratch *ct6_scratch(void)
{
	__u32 zero = 0;
	return bpf_map_lookup_elem(&mgw_ct6_scratch, &zero);
}

static __always_inline int ct6_peer_matches(const struct flow6 *f, const struct ct6_val *v, const struct ct6_val *peer)
{
	if (v->ct.dir == CT_FWD_DNAT)
		return in6_equal(&peer->nat_addr, &f->daddr) && peer->ct.nat_port == f->l4.dport;
	return in6_equal(&peer->nat_addr, &f->saddr) && peer->ct.nat_port == f->l4.sport;
}

static __always_inline struct ct6_val *ct6_lookup(const struct ct6_key *k, const struct flow6 *f, __u64 now)
{
	struct ct6_val *v = bpf_map_lookup_elem(&mgw_ct6_v1, k);
	if (!v || ct_expired(&v->ct, f->l4.proto, now))
		return NULL;
	if ((f->l4.tcp_flags & (TCP_SYN | TCP_ACK)) == TCP_SYN && ct_closing(v->ct.flags))
		return NULL;
	return v;
}

// As ct_touch(): counts, and once a second moves last-seen and refreshes the peer. -1 when the
// peer is missing or another flow's (*peer_out NULL when missing).
static __always_inline int ct6_touch(struct ct6_val *v, const struct flow6 *f, __u64 now, struct ct6_val **peer_out)
{
	v->ct.packets++;
	v->ct.bytes += f->l4.len;
	if ((__s64)(now - v->ct.last_seen_ns) < (__s64)CT_REFRESH_NS)
		return 0;
	v->ct.last_seen_ns = now;
	struct ct6_scratch *sc = ct6_scratch();
	if (!sc)
		return 0;
	ct6_peer_key(&sc->rk, f, v);
	struct ct6_val *peer = bpf_map_lookup_elem(&mgw_ct6_v1, &sc->rk);
	*peer_out = peer;
	if (!peer || !ct6_peer_matches(f, v, peer))
		return -1;
	peer->ct.last_seen_ns = now;
	return 0;
}

// As ct_tcp_state(), with the IPv6 peer.
static __always_inline void ct6_tcp_state(struct ct6_val *v, const struct flow6 *f, __u8 side, __u64 now)
{
	if (f->l4.proto != IPPROTO_TCP)
		return;
	struct ct_val *ct = &v->ct;
	__u8 bits = 0;
	if (f->l4.tcp_flags & TCP_RST) {
		if (ct_rst_in_window(ct, &f->l4))
			bits = CT_RST;
		else
			count(CNT_RST_OUT_OF_WINDOW, f->l4.len);
	} else {
		ct_seq_seen(ct, &f->l4);
		if (f->l4.tcp_flags & TCP_FIN)
			bits = side == CT_FROM_LEGACY ? CT_FIN_FROM_LEGACY : CT_FIN_FROM_CLUSTER;
	}
	__u8 answered = ct->dir == CT_REV_DNAT ? (ct->flags & CT_UNREPLIED) : 0;
	if (!answered && (!bits || (ct->flags & bits) == bits))
		return;
	ct_note(ct, bits, answered, now);
	struct ct6_scratch *sc = ct6_scratch();
	if (!sc)
		return;
	ct6_peer_key(&sc->rk, f, v);
	struct ct6_val *peer = bpf_map_lookup_elem(&mgw_ct6_v1, &sc->rk);
	if (peer && ct6_peer_matches(f, v, peer))
		ct_note(&peer->ct, bits, answered, now);
}

// The flow-cache slot, on this CPU, of the conntrack key f has on side: ct_cache_slot()'s hash
// over the addresses parse6 folded already. Taken from the flow, not from a built key: a hit
// then never copies the 40-byte key.
static __always_inline struct ct6_cache_slot *ct6_cache_slot(const struct flow6 *f, __u8 side)
{
	__u32 h = f->l4.saddr * 0x9e3779b1u;
	h ^= f->l4.daddr * 0x85ebca6bu;
	h ^= ((__u32)f->l4.sport << 16 | f->l4.dport) * 0xc2b2ae35u;
	h ^= (__u32)f->l4.proto << 8 | side;
	h ^= h >> 16;
	__u32 idx = h & (CT_CACHE_SLOTS - 1);
	return bpf_map_lookup_elem(&mgw_ctcache6_v1, &idx);
}

// Whether the slot's key is the one f has on side (ct6_key_of's, compared field by field).
static __always_inline int ct6_slot_holds(const struct ct6_cache_slot *slot, const struct flow6 *f, __u8 side)
{
	const struct ct6_key *k = &slot->key;
	return in6_equal(&k->saddr, &f->saddr) && in6_equal(&k->daddr, &f->daddr) && k->sport == f->l4.sport &&
	       k->dport == f->l4.dport && k->proto == f->l4.proto && k->side == side;
}

static __always_inline int ct6_key_equal(const struct ct6_key *a, const struct ct6_key *b)
{
	return in6_equal(&a->saddr, &b->saddr) && in6_equal(&a->daddr, &b->daddr) &&
	       *(const __u32 *)&a->sport == *(const __u32 *)&b->sport &&
	       *(const __u32 *)&a->proto == *(const __u32 *)&b->proto;
}

// As ct_cache_usable(): the slot holds this flow, was read from conntrack within the trust time,
// and the packet neither opens nor closes a TCP connection.
static __always_inline int ct6_cache_usable(const struct ct6_cache_slot *slot, const struct flow6 *f, __u8 side)
{
	return slot && slot->dir && ct6_slot_holds(slot, f, side) &&
	       bpf_jiffies64() - slot->checked_jiffies < CT_CACHE_TRUST_JIFFIES &&
	       !(f->l4.tcp_flags & (TCP_FIN | TCP_SYN | TCP_RST));
}

static __always_inline void ct6_cache_count(struct ct6_cache_slot *slot, const struct flow6 *f)
{
	slot->packets++;
	slot->bytes += f->l4.len;
	if ((__s32)(f->l4.seq_end - slot->seq_next) > 0) // UDP: both 0
		slot->seq_next = f->l4.seq_end;
}

// As ct_cache_sync(): what this CPU's slot saw of the flow, before the entry judges a packet.
static __always_inline void ct6_cache_sync(const struct ct6_cache_slot *slot, const struct ct6_key *k,
					   struct ct6_val *v)
{
	if (slot && slot->dir && ct6_key_equal(&slot->key, k))
		ct_seq_merge(&v->ct, slot->seq_next);
}

// As ct_cache_forget(): the slot no longer vouches for this key.
static __always_inline void ct6_cache_forget(struct ct6_cache_slot *slot, const struct ct6_key *k)
{
	if (slot && slot->dir && ct6_key_equal(&slot->key, k))
		slot->dir = 0;
}

// As ct_cache_fill(): after a conntrack hit the slot holds this flow's translation; what it
// counted for the flow it held before is added to that flow's entry first. A closing flow is
// not cached.
static __always_inline void ct6_cache_fill(struct ct6_cache_slot *slot, const struct ct6_key *k, struct ct6_val *v)
{
	if (!slot)
		return;
	if (ct_closing(v->ct.flags)) {
		ct6_cache_forget(slot, k);
		return;
	}
	if (slot->packets) {
		struct ct6_val *held = ct6_key_equal(&slot->key, k) ? v : bpf_map_lookup_elem(&mgw_ct6_v1, &slot->key);
		if (held) {
			held->ct.packets += slot->packets;
			held->ct.bytes += slot->bytes;
			ct_seq_merge(&held->ct, slot->seq_next);
		}
	}
	slot->key = *k;
	slot->nat_addr = v->nat_addr;
	slot->nat_port = v->ct.nat_port;
	slot->dir = v->ct.dir;
	slot->backend_id = v->ct.backend_id;
	slot->seq_next = v->ct.seq_next;
	slot->checked_jiffies = bpf_jiffies64();
	slot->packets = 0;
	slot->bytes = 0;
}

static __always_inline struct backend6 *pick_backend6(const struct svc_val *svc, const struct flow6 *f, __u32 *id)
{
	__u32 *bid = pick_backend_id(svc, flow_hash(&f->l4));
	if (!bid)
		return NULL;
	*id = *bid;
	struct backend6 *be = bpf_map_lookup_elem(&mgw_be6_v1, bid);
	return be && !in6_zero(&be->addr) ? be : NULL;
}

static __always_inline int backend6_still(__u32 id, const struct in6 *addr, __be16 port)
{
	struct backend6 *be = bpf_map_lookup_elem(&mgw_be6_v1, &id);
	return be && be->port == port && in6_equal(&be->addr, addr);
}

// As dnat_new(): a new flow to an IPv6 VIP (or a known one whose backend went away).
static __always_inline int dnat6_new(struct __sk_buff *skb, const struct flow6 *f, const struct ct6_key *fk, int known)
{
	struct ct6_scratch *sc = ct6_scratch();
	if (!sc)
		return TC_ACT_UNSPEC;
	__builtin_memset(sc, 0, sizeof(*sc));
	sc->svc.vip = f->daddr;
	sc->svc.port = f->l4.dport;
	sc->svc.proto = f->l4.proto;
	struct svc_val *svc = bpf_map_lookup_elem(&mgw_svc6_v1, &sc->svc);
	if (!svc)
		return TC_ACT_UNSPEC;
	__u32 len = f->l4.len;
	if (!known) {
		if (policy(svc->identity, f->l4.proto, POL_INGRESS, f->l4.dport) == VERDICT_DENY) {
			count(CNT_POLICY_DENY, len);
			count(CNT_DROP_POLICY, len);
			return TC_ACT_SHOT;
		}
		count(CNT_POLICY_ALLOW, len);
	}
	__u32 bid = 0;
	struct backend6 *be = pick_backend6(svc, f, &bid);
	if (!be) {
		count(CNT_DROP_NO_BACKEND, len);
		return TC_ACT_SHOT;
	}
	const struct in6 *to = &be->addr; // an array map's value: valid for the whole program run
	__be16 to_port = be->port;
	if (f->l4.tcp_flags & TCP_RST) {
		count(CNT_DNAT_NEW, len);
		return rewrite6(skb, f, 1, to, to_port) ? TC_ACT_SHOT : TC_ACT_OK;
	}
	__u64 now = now_ns();
	sc->fwd.ct.nat_port = to_port;
	sc->fwd.ct.dir = CT_FWD_DNAT;
	sc->fwd.ct.backend_id = bid;
	sc->fwd.ct.svc_id = svc->svc_id;
	sc->fwd.ct.identity = svc->identity;
	sc->fwd.ct.created_ns = now;
	sc->fwd.ct.last_seen_ns = now;
	sc->fwd.ct.packets = 1;
	sc->fwd.ct.bytes = len;
	sc->fwd.ct.flags = first_seen(&f->l4);
	sc->fwd.ct.seq_next = f->l4.seq_end;
	sc->fwd.nat_addr = *to;
	sc->rk.saddr = *to;
	sc->rk.daddr = f->saddr;
	sc->rk.sport = to_port;
	sc->rk.dport = f->l4.sport;
	sc->rk.proto = f->l4.proto;
	sc->rk.side = CT_FROM_CLUSTER;
	sc->rev.ct.nat_port = f->l4.dport;
	sc->rev.ct.dir = CT_REV_DNAT;
	sc->rev.ct.backend_id = bid;
	sc->rev.ct.svc_id = svc->svc_id;
	sc->rev.ct.identity = svc->identity;
	sc->rev.ct.created_ns = now;
	sc->rev.ct.last_seen_ns = now;
	sc->rev.ct.flags = unreplied(&f->l4);
	sc->rev.nat_addr = f->daddr;
	if (bpf_map_update_elem(&mgw_ct6_v1, &sc->rk, &sc->rev, BPF_ANY) ||
	    bpf_map_update_elem(&mgw_ct6_v1, fk, &sc->fwd, BPF_ANY)) {
		count(CNT_DROP_NO_BACKEND, len);
		return TC_ACT_SHOT;
	}
	count(CNT_DNAT_NEW, len);
	return rewrite6(skb, f, 1, to, to_port) ? TC_ACT_SHOT : TC_ACT_OK;
}

static __always_inline void dnat6_restore_reply(const struct flow6 *f, const struct ct6_val *v, __u64 now)
{
	struct ct6_scratch *sc = ct6_scratch();
	if (!sc)
		return;
	__builtin_memset(&sc->rev, 0, sizeof(sc->rev));
	ct6_peer_key(&sc->rk, f, v);
	sc->rev.ct.nat_port = f->l4.dport;
	sc->rev.ct.dir = CT_REV_DNAT;
	sc->rev.ct.backend_id = v->ct.backend_id;
	sc->rev.ct.svc_id = v->ct.svc_id;
	sc->rev.ct.identity = v->ct.identity;
	sc->rev.ct.created_ns = v->ct.created_ns;
	sc->rev.ct.last_seen_ns = now;
	sc->rev.nat_addr = f->daddr;
	bpf_map_update_elem(&mgw_ct6_v1, &sc->rk, &sc->rev, BPF_NOEXIST);
}

// RFC 4443 §3: the ICMPv6 errors that quote the offending packet (as much of it as fits in the
// minimum MTU) and that a translated flow's endpoints must see about their own flow.
#define ICMP6_DEST_UNREACH 1
#define ICMP6_PACKET_TOO_BIG 2
#define ICMP6_TIME_EXCEEDED 3

// An ICMPv6 error about one of our flows, translated in place as mgw_icmp.h does for IPv4: the
// quoted tuple reversed is looked up on side (the side replies to the quoted packet come from),
// the quoted packet gets the entry's rewrite in the mirrored position, and the outer header gets
// it where it carries the address the flow's packets do (a backend's own error then comes from
// the VIP; a router's keeps the router's address). The ICMPv6 checksum covers a pseudo-header
// (RFC 4443 §2.3), so an outer address change moves it too; it also covers the quoted bytes.
// Every change is thus offset inside the packet, and a CHECKSUM_COMPLETE skb's running sum stays
// right without a helper. The quoted packet's extension headers are not walked: an error quoting
// one is not ours. enum icmp_verdict; icmp_off is the ICMPv6 header's offset (parse6()).
// Not inlined: its locals stay out of the callers' frames.
static __noinline int icmp6_error_translate(struct __sk_buff *skb, __u32 icmp_off, __u8 side)
{
	void *data = (void *)(long)skb->data;
	void *end = (void *)(long)skb->data_end;
	__u8 *ip6 = data + sizeof(struct ethhdr);
	__u32 off = icmp_off & 0x3fff;
	__u8 *icmp = data + off;
	if ((void *)(ip6 + 40) > end || (void *)(icmp + 8) > end)
		return ICMP_CUT_SHORT;
	if (icmp[0] != ICMP6_DEST_UNREACH && icmp[0] != ICMP6_PACKET_TOO_BIG && icmp[0] != ICMP6_TIME_EXCEEDED)
		return ICMP_UNRELATED;
	__u8 *in = icmp + 8;
	if ((void *)(in + 40) > end)
		return ICMP_CUT_SHORT;
	if ((in[0] >> 4) != 6)
		return ICMP_CUT_SHORT;
	__u8 proto = in[6];
	if (proto != IPPROTO_TCP && proto != IPPROTO_UDP)
		return ICMP_UNRELATED;
	__u16 *l4 = (void *)(in + 40);
	if ((void *)(l4 + 4) > end) // the ports and, for UDP, the checksum
		return ICMP_CUT_SHORT;
	// Bytes past the outer payload length are link-layer padding, not the error's.
	__u32 payload = (__u32)ip6[4] << 8 | ip6[5];
	__u32 l4_at = off + 8 + 40 - sizeof(struct ethhdr) - 40; // from the end of the fixed header
	if (l4_at + 8 > payload)
		return ICMP_CUT_SHORT;

	struct ct6_scratch *sc = ct6_scratch();
	if (!sc)
		return ICMP_UNRELATED;
	__builtin_memcpy(&sc->rk.saddr, in + 24, 16);
	__builtin_memcpy(&sc->rk.daddr, in + 8, 16);
	sc->rk.sport = l4[1];
	sc->rk.dport = l4[0];
	sc->rk.proto = proto;
	sc->rk.side = side;
	sc->rk.pad = 0;
	struct ct6_val *v = bpf_map_lookup_elem(&mgw_ct6_v1, &sc->rk);
	if (!v || ct_expired(&v->ct, proto, now_ns()))
		return ICMP_UNRELATED; // an expired entry no longer translates its flow's packets either
	int rewrites_dst = v->ct.dir == CT_FWD_DNAT;
	__u8 *in_addr = rewrites_dst ? in + 8 : in + 24;
	__u16 *in_port = rewrites_dst ? &l4[0] : &l4[1];
	struct in6 old;
	__builtin_memcpy(&old, in_addr, 16);
	__u16 old_port = *in_port;
	__u32 addr_delta = csum_delta128(&old, &v->nat_addr);
	__u32 port_delta = csum_delta16(old_port, v->ct.nat_port);
	__u32 icmp_delta = addr_delta + port_delta;

	// The quoted L4 checksum: the address is in its pseudo-header, the port in its data.
	__u16 *l4_check = NULL;
	if (proto == IPPROTO_UDP)
		l4_check = &l4[3];
	else if ((void *)(l4 + 9) <= end && l4_at + 18 <= payload)
		l4_check = &l4[8];
	if (l4_check) {
		__u16 was = *l4_check;
		__u16 now = csum_l4_update(was, MGW_CHECKSUM_NONE, proto == IPPROTO_UDP, addr_delta, port_delta);
		*l4_check = now;
		icmp_delta += csum_delta16(was, now);
	}
	__builtin_memcpy(in_addr, &v->nat_addr, 16);
	*in_port = v->ct.nat_port;

	// The outer header, where it carries the address the flow's own packets would.
	struct in6 outer;
	__u8 *outer_addr = rewrites_dst ? ip6 + 24 : ip6 + 8;
	__builtin_memcpy(&outer, outer_addr, 16);
	if (in6_equal(&outer, &old)) {
		__builtin_memcpy(outer_addr, &v->nat_addr, 16);
		icmp_delta += addr_delta; // the pseudo-header's address
	}
	__u16 *icmp_check = (void *)(icmp + 2);
	*icmp_check = csum_update(*icmp_check, icmp_delta);
	return ICMP_TRANSLATED;
}

// Counts what icmp6_error_translate() said; TC_ACT_OK when it translated.
static __always_inline int icmp6_error(struct __sk_buff *skb, __u32 icmp_off, __u8 side)
{
	return icmp_counted(skb, icmp6_error_translate(skb, icmp_off, side));
}

// Counts what parse6() did not make a flow of; rc as parse6() returns it.
static __always_inline void count6_other(int rc, __u32 len)
{
	count(rc == -1 ? CNT_MALFORMED : rc == -2 ? CNT_FRAGMENT : rc == -3 ? CNT_IPV6_EXT_LIMIT : CNT_PASS, len);
}

// mgw_from_legacy's IPv6 half: DNAT of IPv6 VIPs, and ICMPv6 errors about their flows (a legacy
// router's error about a reply goes to the backend). Everything else (neighbour discovery, other
// ICMPv6, other traffic) is handed on untouched. Not inlined: its stack (IPv6 keys and entries) would add
// to the IPv4 path's frame, past the verifier's 512 bytes with the checksum helpers' frame.
static __noinline int from_legacy6(struct __sk_buff *skb)
{
	struct flow6 f = {};
	int rc = parse6(skb, &f);
	if (rc == 2)
		return icmp6_error(skb, f.l4.l4_off, CT_FROM_LEGACY);
	if (rc) {
		count6_other(rc, skb->len);
		return TC_ACT_UNSPEC;
	}
	struct ct6_cache_slot *slot = ct6_cache_slot(&f, CT_FROM_LEGACY);
	if (ct6_cache_usable(slot, &f, CT_FROM_LEGACY) &&
	    backend6_still(slot->backend_id, &slot->nat_addr, slot->nat_port)) {
		ct6_cache_count(slot, &f);
		count(CNT_DNAT_EST, f.l4.len);
		return rewrite6(skb, &f, 1, &slot->nat_addr, slot->nat_port) ? TC_ACT_SHOT : TC_ACT_OK;
	}
	struct ct6_key k;
	ct6_key_of(&k, &f, CT_FROM_LEGACY);
	__u64 now = now_ns();
	struct ct6_val *v = ct6_lookup(&k, &f, now);
	int known = 0;
	if (v) {
		struct ct6_val *peer = NULL;
		ct6_cache_sync(slot, &k, v);
		ct6_tcp_state(v, &f, CT_FROM_LEGACY, now);
		if (backend6_still(v->ct.backend_id, &v->nat_addr, v->ct.nat_port)) {
			if (ct6_touch(v, &f, now, &peer) && !peer)
				dnat6_restore_reply(&f, v, now);
			ct6_cache_fill(slot, &k, v);
			count(CNT_DNAT_EST, f.l4.len);
			return rewrite6(skb, &f, 1, &v->nat_addr, v->ct.nat_port) ? TC_ACT_SHOT : TC_ACT_OK;
		}
		count(CNT_BACKEND_RESELECT, f.l4.len);
		known = 1;
	}
	// The flow is created again (a new connection on a closed or expired tuple, or its backend
	// went): this CPU's slot must not go on translating it the old way.
	ct6_cache_forget(slot, &k);
	int r = dnat6_new(skb, &f, &k, known);
	if (r == TC_ACT_UNSPEC)
		count(CNT_PASS, f.l4.len);
	return r;
}

// mgw_from_cluster's IPv6 half: backends' replies get the VIP as their source, and ICMPv6 errors
// about DNAT flows (a backend's port unreachable, a router's Packet Too Big) go to the client about
// the VIP. What is not
// translated meets the IPv4-only egress rule (ipv6_routed_under_egress) as before.
static __noinline int from_cluster6(struct __sk_buff *skb)
{
	struct flow6 f = {};
	int rc = parse6(skb, &f);
	int icmp = rc == 2 ? icmp6_error_translate(skb, f.l4.l4_off, CT_FROM_CLUSTER) : ICMP_UNRELATED;
	if (icmp == ICMP_TRANSLATED) {
		count(CNT_ICMP_ERROR, skb->len);
		return TC_ACT_OK;
	}
	if (rc == 0) {
		// Only reverse DNAT entries have this side's keys, so a slot that holds the key holds one.
		struct ct6_cache_slot *slot = ct6_cache_slot(&f, CT_FROM_CLUSTER);
		if (ct6_cache_usable(slot, &f, CT_FROM_CLUSTER)) {
			ct6_cache_count(slot, &f);
			count(CNT_DNAT_REPLY, f.l4.len);
			return rewrite6(skb, &f, 0, &slot->nat_addr, slot->nat_port) ? TC_ACT_SHOT : TC_ACT_OK;
		}
		struct ct6_key k;
		ct6_key_of(&k, &f, CT_FROM_CLUSTER);
		__u64 now = now_ns();
		struct ct6_val *v = ct6_lookup(&k, &f, now);
		if (v && v->ct.dir == CT_REV_DNAT) {
			struct ct6_val *peer = NULL;
			ct6_cache_sync(slot, &k, v);
			ct6_tcp_state(v, &f, CT_FROM_CLUSTER, now);
			ct6_touch(v, &f, now, &peer);
			ct6_cache_fill(slot, &k, v);
			count(CNT_DNAT_REPLY, f.l4.len);
			return rewrite6(skb, &f, 0, &v->nat_addr, v->ct.nat_port) ? TC_ACT_SHOT : TC_ACT_OK;
		}
		ct6_cache_forget(slot, &k);
		// Reply adoption (as in from_cluster): the reply of a flow another gateway translated,
		// statelessly, never a bare SYN.
		// Its key goes in the per-CPU scratch: on the stack it would pass the verifier's 512 bytes.
		__u32 zero = 0;
		struct ct6_scratch *sc = bpf_map_lookup_elem(&mgw_ct6_scratch, &zero);
		if (!v && sc && (f.l4.tcp_flags & (TCP_SYN | TCP_ACK)) != TCP_SYN) {
			sc->svc = (struct svc6_key){.vip = f.saddr, .port = f.l4.sport, .proto = f.l4.proto};
			struct rev6_val *rv = bpf_map_lookup_elem(&mgw_rev6_v1, &sc->svc);
			if (rv) {
				count(CNT_DNAT_REPLY, f.l4.len);
				return rewrite6(skb, &f, 0, &rv->vip, rv->vport) ? TC_ACT_SHOT : TC_ACT_OK;
			}
		}
	}
	if (ipv6_routed_under_egress(skb)) {
		count(CNT_DROP_EGRESS_IPV6, skb->len);
		return TC_ACT_SHOT;
	}
	count6_other(icmp == ICMP_CUT_SHORT ? -1 : rc, skb->len);
	return TC_ACT_UNSPEC;
}

// mgw_to_legacy's IPv6 half: an ICMPv6 error the gateway itself sends toward the datacenter about
// a DNAT flow's packet it could not forward (Packet Too Big on its own smaller link into the
// clusters, hop limit) quotes the translated packet, whose replies come from the cluster side.
// Everything else is handed on uncounted.
static __noinline int to_legacy6(struct __sk_buff *skb)
{
	struct flow6 f = {};
	if (parse6(skb, &f) != 2)
		return TC_ACT_UNSPEC;
	if (icmp6_error_translate(skb, f.l4.l4_off, CT_FROM_CLUSTER) != ICMP_TRANSLATED)
		return TC_ACT_UNSPEC;
	count(CNT_ICMP_ERROR, skb->len);
	return TC_ACT_OK;
}

#endif

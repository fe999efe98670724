// SPDX-License-Identifier: GPL-2.0
// The meshgw translation datapath (IPv4). Two tc ingress programs:
//   mgw_from_legacy  on the interface facing the datacenter: DNAT of legacy VIPs to backends,
//                    and reverse SNAT of replies to pods' egress traffic;
//   mgw_from_cluster on the interface facing the clusters: reverse DNAT of backend replies
//                    (the legacy host only ever sees the VIP; replies of flows another gateway
//                    translated too, from mgw_rev_v1), and per-identity egress SNAT;
// both also translate ICMP errors about translated flows (mgw_icmp.h). One tc egress program,
//   mgw_to_legacy    on the interface facing the datacenter, translates the ICMP errors the
//                    gateway itself sends about translated packets it could not forward.
// Conntrack sits behind a per-CPU flow cache (struct ct_cache_slot in mgw_maps.h). A flow DNATed
// to a backend of another cluster goes to that cluster's gateway through an IPIP tunnel the
// programs write themselves, and comes back the same way (mgw_tunnel.h).
// Translating at ingress, before the routing decision, lets the kernel route the rewritten
// packet. Packets that are not ours return TC_ACT_UNSPEC (tcx: "next"), so other tools'
// programs and filters behind us still see them.
#include <stddef.h>
#include <linux/bpf.h>
#include <linux/pkt_cls.h>
#include <linux/if_ether.h>
#include <linux/ip.h>
#include <linux/in.h>
#include <linux/tcp.h>
#include <linux/udp.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_endian.h>
#include "mgw_maps.h"
#include "mgw_csum.h"

#define MAX_PORT_PROBES 32
#define IP_MF 0x2000
#define IP_OFFSET 0x1fff
// A conntrack entry's last-seen time (and its peer's LRU position) is refreshed at most this
// often: per-packet writes of a timestamp buy nothing at a one-second expiry granularity.
#define CT_REFRESH_NS 1000000000ull
// How long a flow-cache slot is used before mgw_ct_v1 is read again: what another CPU (or the
// gateway) changed in the entry takes at most this long to be seen here. Counted in jiffies,
// which the verifier inlines (a load), so the cached path reads no clock: 100 jiffies are
// 0.1 s at CONFIG_HZ=1000 and 1 s at HZ=100, the slowest tick Linux has.
#define CT_CACHE_TRUST_JIFFIES 100
#define TCP_FIN 0x01
#define TCP_SYN 0x02
#define TCP_RST 0x04
#define TCP_ACK 0x10

struct flow {
	__be32 saddr;
	__be32 daddr;
	__be16 sport;
	__be16 dport;
	__u8 proto;
	__u8 tcp_flags; // FIN, SYN, RST, ... (byte 13 of the TCP header); 0 for UDP
	__u32 seq;	// TCP: the sequence number, host byte order; 0 for UDP
	__u32 seq_end;	// TCP: seq + payload + SYN + FIN, what the sender's next segment starts at
	__u32 l3_off;
	__u32 l4_off;
	__u32 csum_off; // offset of the L4 checksum
	__u32 len;
};

static __always_inline void count(__u32 idx, __u32 len)
{
	struct counter_val *c = bpf_map_lookup_elem(&mgw_cnt_v2, &idx);
	if (c) {
		c->packets++;
		c->bytes += len;
	}
}

// The coarse monotonic clock (bpf_ktime_get_coarse_ns), read through the per-CPU cache: one
// helper call per CPU per tick instead of one per packet.
static __always_inline __u64 now_ns(void)
{
	__u32 zero = 0;
	struct clock *c = bpf_map_lookup_elem(&mgw_clock_v1, &zero);
	if (!c)
		return bpf_ktime_get_coarse_ns();
	__u64 j = bpf_jiffies64();
	if (c->jiffies != j) {
		c->jiffies = j;
		c->ns = bpf_ktime_get_coarse_ns();
	}
	return c->ns;
}

// 0: parsed; 2: ICMP (see icmp_error()); 3: IPv6 (mgw_v6.h); 1: not IPv4 TCP/UDP/ICMP (not
// ours); -1: cut short or inconsistent; -2: a fragment.
static __always_inline int parse(struct __sk_buff *skb, struct flow *f)
{
	void *data = (void *)(long)skb->data;
	void *end = (void *)(long)skb->data_end;
	struct ethhdr *eth = data;
	if ((void *)(eth + 1) > end)
		return -1;
	if (eth->h_proto != bpf_htons(ETH_P_IP))
		return eth->h_proto == bpf_htons(ETH_P_IPV6) ? 3 : 1;
	struct iphdr *ip = (void *)(eth + 1);
	if ((void *)(ip + 1) > end)
		return -1;
	if (ip->version != 4 || ip->ihl < 5)
		return -1;
	if (ip->protocol != IPPROTO_TCP && ip->protocol != IPPROTO_UDP && ip->protocol != IPPROTO_ICMP)
		return 1;
	if (ip->frag_off & bpf_htons(IP_MF | IP_OFFSET))
		return -2;
	if (ip->protocol == IPPROTO_ICMP)
		return 2;
	__u32 ihl = ip->ihl * 4;
	__u32 l4_off = sizeof(*eth) + ihl;
	// RFC 791: total length covers header and payload; a shorter packet is malformed.
	if (bpf_ntohs(ip->tot_len) < ihl + 8)
		return -1;
	__be16 *ports = data + l4_off;
	if ((void *)(ports + 2) > end)
		return -1;
	f->saddr = ip->saddr;
	f->daddr = ip->daddr;
	f->sport = ports[0];
	f->dport = ports[1];
	f->proto = ip->protocol;
	f->l3_off = sizeof(*eth);
	f->l4_off = l4_off;
	if (ip->protocol == IPPROTO_TCP) {
		if (data + l4_off + sizeof(struct tcphdr) > end)
			return -1;
		f->csum_off = l4_off + offsetof(struct tcphdr, check);
		struct tcphdr *tcp = (void *)ports;
		__u8 flags = ((__u8 *)ports)[13];
		__u32 doff = tcp->doff * 4;
		__u32 tot = bpf_ntohs(ip->tot_len);
		__u32 payload = tot > ihl + doff ? tot - ihl - doff : 0;
		f->tcp_flags = flags;
		f->seq = bpf_ntohl(tcp->seq);
		f->seq_end = f->seq + payload + !!(flags & TCP_SYN) + !!(flags & TCP_FIN);
	} else {
		if (data + l4_off + sizeof(struct udphdr) > end)
			return -1;
		f->csum_off = l4_off + offsetof(struct udphdr, check);
	}
	f->len = skb->len;
	return 0;
}

static __always_inline __u32 flow_hash(const struct flow *f)
{
	__u32 h = f->saddr * 0x9e3779b1u;
	h ^= (f->daddr << 7 | f->daddr >> 25);
	h ^= ((__u32)f->sport << 16 | f->dport) * 0x85ebca6bu;
	h ^= f->proto;
	h ^= h >> 16;
	h *= 0x85ebca6bu;
	h ^= h >> 13;
	h *= 0xc2b2ae35u;
	h ^= h >> 16;
	return h;
}

static __always_inline __u64 l4_flags(const struct flow *f, __u64 size)
{
	// RFC 768: a UDP checksum of zero means "none"; keep it zero, and never produce zero.
	return f->proto == IPPROTO_UDP ? size | BPF_F_MARK_MANGLED_0 : size;
}

// Rewrites one address (and its port) through the checksum helpers, which also keep the
// kernel's running sum of a CHECKSUM_COMPLETE skb right; the bytes themselves are written
// directly. Not inlined: the compiler would otherwise share the final stores with rewrite()'s,
// through pointers the helpers have invalidated.
static __noinline int rewrite_by_helpers(struct __sk_buff *skb, const struct flow *f, int dst, __be32 new_addr,
					 __be16 new_port)
{
	__be32 old_addr = dst ? f->daddr : f->saddr;
	__be16 old_port = dst ? f->dport : f->sport;
	if (bpf_l4_csum_replace(skb, f->csum_off, old_addr, new_addr, l4_flags(f, BPF_F_PSEUDO_HDR | 4)))
		return -1;
	if (bpf_l3_csum_replace(skb, f->l3_off + offsetof(struct iphdr, check), old_addr, new_addr, 4))
		return -1;
	if (old_port != new_port && bpf_l4_csum_replace(skb, f->csum_off, old_port, new_port, l4_flags(f, 2)))
		return -1;
	// The helpers may have moved the packet: derive the pointers again.
	void *data = (void *)(long)skb->data;
	void *end = (void *)(long)skb->data_end;
	struct iphdr *ip = data + sizeof(struct ethhdr);
	__u32 l4 = f->l4_off & 0x7f; // 14 + at most 60 bytes of IPv4 header
	__be16 *ports = data + l4;
	if ((void *)(ip + 1) > end || (void *)(ports + 2) > end)
		return -1;
	if (dst) {
		ip->daddr = new_addr;
		ports[1] = new_port;
	} else {
		ip->saddr = new_addr;
		ports[0] = new_port;
	}
	return 0;
}

// Rewrites the destination (dst) or source address and port of the packet f was parsed from,
// with the IPv4 and L4 checksums updated incrementally in place: no helper call, unless the skb
// carries a CHECKSUM_COMPLETE sum (or the kernel cannot say), which only the helpers can adjust.
static __always_inline int rewrite(struct __sk_buff *skb, const struct flow *f, int dst, __be32 new_addr,
				   __be16 new_port)
{
	int summed = skb_ip_summed(skb);
	if (summed < 0 || summed == MGW_CHECKSUM_COMPLETE)
		return rewrite_by_helpers(skb, f, dst, new_addr, new_port);
	__be32 old_addr = dst ? f->daddr : f->saddr;
	__be16 old_port = dst ? f->dport : f->sport;
	void *data = (void *)(long)skb->data;
	void *end = (void *)(long)skb->data_end;
	struct iphdr *ip = data + sizeof(struct ethhdr);
	__u32 l4 = f->l4_off & 0x7f;
	__u16 *l4h = data + l4;
	// parse() checked these bounds; the verifier needs them said again here.
	if ((void *)(ip + 1) > end || (void *)(l4h + 4) > end)
		return -1;
	__u16 *check = &l4h[3]; // struct udphdr's check
	if (f->proto == IPPROTO_TCP) {
		check = &l4h[8]; // struct tcphdr's
		if ((void *)(l4h + 9) > end)
			return -1;
	}
	__u32 addr_delta = csum_delta32(old_addr, new_addr);
	ip->check = csum_update(ip->check, addr_delta);
	*check = csum_l4_update(*check, summed, f->proto == IPPROTO_UDP, addr_delta,
				csum_delta16(old_port, new_port));
	if (dst) {
		ip->daddr = new_addr;
		l4h[1] = new_port;
	} else {
		ip->saddr = new_addr;
		l4h[0] = new_port;
	}
	return 0;
}

// The bit of a destination in mgw_dst_v1: a multiplicative hash of the address in host byte
// order, its top DST_FILTER_BITS_LOG2 bits.
static __always_inline __u32 dst_filter_bit(__be32 daddr)
{
	return (bpf_ntohl(daddr) * 0x9e3779b1u) >> (32 - DST_FILTER_BITS_LOG2);
}

// A packet from the legacy side to daddr may be ours (see mgw_dst_v1); 0: surely not.
static __always_inline int dst_maybe_ours(__be32 daddr)
{
	__u32 bit = dst_filter_bit(daddr);
	__u32 word = bit >> 6;
	__u64 *w = bpf_map_lookup_elem(&mgw_dst_v1, &word);
	return !w || (*w & (1ull << (bit & 63)));
}

// Marks daddr as a destination of ours, before an entry with it is recorded.
static __always_inline void dst_filter_add(__be32 daddr)
{
	__u32 bit = dst_filter_bit(daddr);
	__u32 word = bit >> 6;
	__u64 *w = bpf_map_lookup_elem(&mgw_dst_v1, &word);
	__u64 mask = 1ull << (bit & 63);
	if (w && !(*w & mask))
		__sync_fetch_and_or(w, mask);
}

#include "mgw_ct.h"
// ICMP errors look their flows up through the same expiry rules.
#include "mgw_icmp.h"

static __always_inline __u32 policy(__u32 identity, __u8 proto, __u8 dir, __be16 port)
{
	struct pol_key pk = {.identity = identity, .proto = proto, .dir = dir, .port = port};
	__u32 *v = bpf_map_lookup_elem(&mgw_pol_v1, &pk);
	if (v)
		return *v;
	// The identity's own default (protocol 0, port 0), then the global one.
	pk.proto = 0;
	pk.port = 0;
	v = bpf_map_lookup_elem(&mgw_pol_v1, &pk);
	if (v)
		return *v;
	__u32 zero = 0;
	struct config *cfg = bpf_map_lookup_elem(&mgw_cfg_v1, &zero);
	if (!cfg)
		return VERDICT_ALLOW;
	__u32 d = dir == POL_INGRESS ? cfg->default_ingress : cfg->default_egress;
	return d == VERDICT_DENY ? VERDICT_DENY : VERDICT_ALLOW;
}

// The backend id a flow of svc with hash h goes to: its Maglev entry (two or more backends), or
// its slot (one backend, or a table not written yet: the slots in order). NULL when the service
// has none. Shared by both families: ids index mgw_be_v1 or mgw_be6_v1 by the service's family.
static __always_inline __u32 *pick_backend_id(const struct svc_val *svc, __u32 h)
{
	__u32 n = svc->local_count ? svc->local_count : svc->count;
	if (n == 0)
		return NULL;
	if (n > 1) {
		struct maglev *t = bpf_map_lookup_elem(&mgw_maglev_v1, &svc->svc_id);
		if (t) {
			__u32 i = h % MAGLEV_SIZE;
			asm volatile("" : "+r"(i)); // keep the check: the verifier does not bound a modulo
			if (i >= MAGLEV_SIZE)
				return NULL;
			return &t->backend_id[i];
		}
	}
	struct slot_key sk = {.svc_id = svc->svc_id, .slot = h % n};
	return bpf_map_lookup_elem(&mgw_slot_v1, &sk);
}

static __always_inline struct backend *pick_backend(const struct svc_val *svc, const struct flow *f, __u32 *id)
{
	__u32 *bid = pick_backend_id(svc, flow_hash(f));
	if (!bid)
		return NULL;
	*id = *bid;
	struct backend *be = bpf_map_lookup_elem(&mgw_be_v1, bid);
	return be && be->addr ? be : NULL;
}

static __always_inline void ct_key_of(struct ct_key *k, const struct flow *f, __u8 side)
{
	k->saddr = f->saddr;
	k->daddr = f->daddr;
	k->sport = f->sport;
	k->dport = f->dport;
	k->proto = f->proto;
	k->side = side;
	k->pad = 0;
}

#include "mgw_ipip.h"
#include "mgw_tunnel.h"

// An inbound flow's packet, to its backend: through the tunnel to the backend's cluster's gateway
// when it has one; in IPIP to its node when it is marked BACKEND_VIA_NODE and the node role there
// brings its replies back (mgw_bnode_v1); else translated and routed.
static __always_inline int dnat_send(struct __sk_buff *skb, const struct flow *f, const struct backend *be)
{
	__be32 remote = tunnel_to(be->cluster);
	if (remote)
		return tunnel_out(skb, f, remote, be->addr, be->port);
	if (be->cluster & BACKEND_VIA_NODE) {
		__be32 node = backend_node(be->addr);
		if (node) {
			count(CNT_BACKEND_NODE, f->len);
			return tunnel_out(skb, f, node, be->addr, be->port);
		}
	}
	return rewrite(skb, f, 1, be->addr, be->port) ? TC_ACT_SHOT : TC_ACT_OK;
}

// A new inbound flow to a VIP (or a known one whose backend went away): pick a backend, record
// both directions, translate.
static __always_inline int dnat_new(struct __sk_buff *skb, const struct flow *f, const struct ct_key *fk,
				    int known)
{
	struct svc_key key = {.vip = f->daddr, .port = f->dport, .proto = f->proto};
	struct svc_val *svc = bpf_map_lookup_elem(&mgw_svc_v1, &key);
	if (!svc)
		return TC_ACT_UNSPEC;
	if (!known) {
		if (policy(svc->identity, f->proto, POL_INGRESS, f->dport) == VERDICT_DENY) {
			count(CNT_POLICY_DENY, f->len);
			count(CNT_DROP_POLICY, f->len);
			return TC_ACT_SHOT;
		}
		count(CNT_POLICY_ALLOW, f->len);
	}
	__u32 bid = 0;
	struct backend *be = pick_backend(svc, f, &bid);
	if (!be) {
		count(CNT_DROP_NO_BACKEND, f->len);
		return TC_ACT_SHOT;
	}
	// An RST creates no state: it ends what it is about, and a flood of them (RSTs need no
	// handshake) would otherwise fill conntrack. Translated all the same, to the backend a flow
	// moved here from another gateway has, whose end it may well be.
	if (f->tcp_flags & TCP_RST) {
		count(CNT_DNAT_NEW, f->len);
		return dnat_send(skb, f, be);
	}
	__u64 now = now_ns();
	struct ct_val fwd = {.nat_addr = be->addr, .nat_port = be->port, .dir = CT_FWD_DNAT,
			     .backend_id = bid, .svc_id = svc->svc_id, .identity = svc->identity,
			     .created_ns = now, .last_seen_ns = now, .packets = 1, .bytes = f->len,
			     .flags = first_seen(f), .seq_next = f->seq_end};
	struct ct_key rk = {.saddr = be->addr, .daddr = f->saddr, .sport = be->port, .dport = f->sport,
			    .proto = f->proto, .side = CT_FROM_CLUSTER};
	struct ct_val rev = {.nat_addr = f->daddr, .nat_port = f->dport, .dir = CT_REV_DNAT,
			     .backend_id = bid, .svc_id = svc->svc_id, .identity = svc->identity,
			     .created_ns = now, .last_seen_ns = now, .flags = unreplied(f)};
	if (bpf_map_update_elem(&mgw_ct_v1, &rk, &rev, BPF_ANY) ||
	    bpf_map_update_elem(&mgw_ct_v1, fk, &fwd, BPF_ANY)) {
		count(CNT_DROP_NO_BACKEND, f->len);
		return TC_ACT_SHOT;
	}
	count(CNT_DNAT_NEW, f->len);
	return dnat_send(skb, f, be);
}

// A pod's packet toward an egress destination of its identity, whose egress address another
// gateway of this cluster owns: *encap_to is set to that gateway, and the program sends the
// packet there through the tunnel, untranslated (encap_out). Never sent on with the pod's own address:
// without an owner, or when the packet already came through a tunnel (gateways that disagree
// about the owner must not bounce it between them), it is dropped. -1: this gateway owns the
// address.
static __always_inline int egress_elsewhere(const struct flow *f, __u32 id, __be32 via, __be32 *encap_to)
{
	struct egress_owner *o = bpf_map_lookup_elem(&mgw_egown_v1, &id);
	if (!o)
		return -1;
	__be32 owner = o->addr;
	if (!owner || via) {
		count(CNT_DROP_EGRESS_NO_OWNER, f->len);
		return TC_ACT_SHOT;
	}
	count(CNT_EGRESS_STEERED, f->len);
	*encap_to = owner;
	return TC_ACT_REDIRECT;
}

// A new outbound flow from a pod whose identity has an egress address toward this destination.
// via: the node whose IPIP brought the packet, 0 when it came plainly; the flow's replies go back
// to it (ct_val.via_node).
static __always_inline int snat_new(struct __sk_buff *skb, const struct flow *f, const struct ct_key *fk,
				    __be32 via, __be32 *encap_to)
{
	struct ident_key ik = {.prefixlen = 32, .addr = f->saddr};
	__u32 *identity = bpf_map_lookup_elem(&mgw_ident_v1, &ik);
	if (!identity)
		return TC_ACT_UNSPEC;
	__u32 id = *identity;
	struct snat_val *sn = bpf_map_lookup_elem(&mgw_snat_v1, &id);
	if (!sn)
		return TC_ACT_UNSPEC;
	struct egdst_key dk = {.prefixlen = 64, .identity = bpf_htonl(id), .addr = f->daddr};
	if (!bpf_map_lookup_elem(&mgw_egdst_v1, &dk))
		return TC_ACT_UNSPEC;
	int elsewhere = egress_elsewhere(f, id, via, encap_to);
	if (elsewhere >= 0)
		return elsewhere;
	// A pod's RST of no known flow has no port to leave with, and creates no state.
	if (f->tcp_flags & TCP_RST) {
		count(CNT_DROP_NO_FLOW, f->len);
		return TC_ACT_SHOT;
	}
	if (policy(id, f->proto, POL_EGRESS, f->dport) == VERDICT_DENY) {
		count(CNT_POLICY_DENY, f->len);
		count(CNT_DROP_POLICY, f->len);
		return TC_ACT_SHOT;
	}
	count(CNT_POLICY_ALLOW, f->len);
	__u32 lo = sn->port_min, hi = sn->port_max;
	if (hi < lo)
		hi = lo;
	__u32 range = hi - lo + 1;
	__u32 start = flow_hash(f);
	__be32 egress = sn->addr;
	__u64 now = now_ns();
	struct ct_val rev = {.nat_addr = f->saddr, .nat_port = f->sport, .dir = CT_REV_SNAT, .identity = id,
			     .via_node = via, .created_ns = now, .last_seen_ns = now, .flags = unreplied(f)};
	struct ct_key rk = {.saddr = f->daddr, .daddr = egress, .sport = f->dport, .proto = f->proto,
			    .side = CT_FROM_LEGACY};
	// A port is ours only if inserting its reply key succeeds: BPF_NOEXIST makes two flows
	// racing on two CPUs for one port impossible.
	int found = 0;
	for (int i = 0; i < MAX_PORT_PROBES; i++) {
		rk.dport = bpf_htons(lo + (start + i) % range);
		if (bpf_map_update_elem(&mgw_ct_snat_v1, &rk, &rev, BPF_NOEXIST) == 0) {
			found = 1;
			break;
		}
	}
	if (!found) {
		count(CNT_DROP_NO_PORT, f->len);
		return TC_ACT_SHOT;
	}
	struct ct_val fwd = {.nat_addr = egress, .nat_port = rk.dport, .dir = CT_FWD_SNAT, .identity = id,
			     .via_node = via, .created_ns = now, .last_seen_ns = now, .packets = 1, .bytes = f->len,
			     .flags = first_seen(f), .seq_next = f->seq_end};
	if (bpf_map_update_elem(&mgw_ct_snat_v1, fk, &fwd, BPF_ANY)) {
		bpf_map_delete_elem(&mgw_ct_snat_v1, &rk);
		count(CNT_DROP_NO_PORT, f->len);
		return TC_ACT_SHOT;
	}
	count(CNT_SNAT_NEW, f->len);
	return rewrite(skb, f, 0, egress, rk.dport) ? TC_ACT_SHOT : TC_ACT_OK;
}

static __always_inline int classify(struct __sk_buff *skb, struct flow *f)
{
	int rc = parse(skb, f);
	if (rc == -1)
		count(CNT_MALFORMED, skb->len);
	else if (rc == -2)
		count(CNT_FRAGMENT, skb->len);
	else if (rc == 1)
		count(CNT_PASS, skb->len);
	return rc;
}

// An ICMP message arriving from side, translated when it is an error about one of our flows:
// enum icmp_verdict, nothing counted.
static __always_inline int icmp_error_verdict(struct __sk_buff *skb, __u8 side)
{
	void *data = (void *)(long)skb->data;
	void *end = (void *)(long)skb->data_end;
	struct iphdr *ip = data + sizeof(struct ethhdr);
	if ((void *)(ip + 1) > end)
		return ICMP_CUT_SHORT;
	return icmp_error_translate(skb, ip, side);
}

// Counts an ICMP error's enum icmp_verdict (of either family); TC_ACT_OK when it was translated.
static __always_inline int icmp_counted(struct __sk_buff *skb, int verdict)
{
	switch (verdict) {
	case ICMP_TRANSLATED:
		count(CNT_ICMP_ERROR, skb->len);
		return TC_ACT_OK;
	case ICMP_CUT_SHORT:
		count(CNT_MALFORMED, skb->len);
		return TC_ACT_UNSPEC;
	default:
		count(CNT_PASS, skb->len);
		return TC_ACT_UNSPEC;
	}
}

static __always_inline int icmp_error(struct __sk_buff *skb, __u8 side)
{
	return icmp_counted(skb, icmp_error_verdict(skb, side));
}

// The IPv4 packet comes from an identity that is SNATed toward its destination: whatever of it
// the datapath cannot translate must not leave with the pod's own address, past the egress
// address legacy firewalls know it by and past its egress policy.
static __always_inline int egress_restricted(struct __sk_buff *skb)
{
	void *data = (void *)(long)skb->data;
	void *end = (void *)(long)skb->data_end;
	struct ethhdr *eth = data;
	struct iphdr *ip = (void *)(eth + 1);
	if ((void *)(ip + 1) > end || eth->h_proto != bpf_htons(ETH_P_IP))
		return 0;
	struct ident_key ik = {.prefixlen = 32, .addr = ip->saddr};
	__u32 *identity = bpf_map_lookup_elem(&mgw_ident_v1, &ik);
	if (!identity)
		return 0;
	__u32 id = *identity;
	if (!bpf_map_lookup_elem(&mgw_snat_v1, &id))
		return 0;
	struct egdst_key dk = {.prefixlen = 64, .identity = bpf_htonl(id), .addr = ip->daddr};
	return bpf_map_lookup_elem(&mgw_egdst_v1, &dk) != NULL;
}

#define ETH_P_IPV6_ 0x86DD

// An IPv6 packet the gateway would route on, while it SNATs some identity's egress
// (CFG_EGRESS). Identities are IPv4 prefixes: an IPv6 packet cannot be told apart from a
// restricted pod's. Link-local and multicast traffic (neighbour discovery, router solicitation)
// never leaves the link and is not concerned.
static __always_inline int ipv6_routed_under_egress(struct __sk_buff *skb)
{
	void *data = (void *)(long)skb->data;
	void *end = (void *)(long)skb->data_end;
	struct ethhdr *eth = data;
	__u8 *ip6 = (void *)(eth + 1);
	if ((void *)(ip6 + 40) > end || eth->h_proto != bpf_htons(ETH_P_IPV6_))
		return 0;
	__u8 *src = ip6 + 8, *dst = ip6 + 24; // RFC 8200 §3
	if (dst[0] == 0xff || (dst[0] == 0xfe && (dst[1] & 0xc0) == 0x80) ||
	    (src[0] == 0xfe && (src[1] & 0xc0) == 0x80))
		return 0;
	__u32 zero = 0;
	struct config *cfg = bpf_map_lookup_elem(&mgw_cfg_v1, &zero);
	return cfg && (cfg->flags & CFG_EGRESS);
}

#include "mgw_v6.h"

static __always_inline int is_ipv6(struct __sk_buff *skb)
{
	struct ethhdr *eth = (void *)(long)skb->data;
	return (void *)(eth + 1) <= (void *)(long)skb->data_end && eth->h_proto == bpf_htons(ETH_P_IPV6);
}

// A packet from the clusters that parse() did not make a flow of (rc): an ICMP error about one of
// our flows is translated; from an egress-restricted pod toward its legacy destinations the rest
// is dropped, counted by why; anything else is handed on as before. A first fragment is dropped
// with the later ones: they carry no ports, and without reassembly half a datagram is no use.
static __always_inline int from_cluster_other(struct __sk_buff *skb, int rc)
{
	if (rc == 3)
		return TC_ACT_UNSPEC; // IPv6: mgw_from_cluster hands it to from_cluster6, never here
	int icmp = rc == 2 ? icmp_error_verdict(skb, CT_FROM_CLUSTER) : ICMP_UNRELATED;
	if (rc == 2 && icmp == ICMP_TRANSLATED) {
		count(CNT_ICMP_ERROR, skb->len);
		return TC_ACT_OK;
	}
	if (rc == 1 && ipv6_routed_under_egress(skb)) {
		count(CNT_DROP_EGRESS_IPV6, skb->len);
		return TC_ACT_SHOT;
	}
	if (rc != -1 && egress_restricted(skb)) {
		count(rc == -2 ? CNT_DROP_EGRESS_FRAGMENT : CNT_DROP_EGRESS_PROTOCOL, skb->len);
		return TC_ACT_SHOT;
	}
	if (rc == -1 || icmp == ICMP_CUT_SHORT)
		count(CNT_MALFORMED, skb->len);
	else if (rc == -2)
		count(CNT_FRAGMENT, skb->len);
	else
		count(CNT_PASS, skb->len);
	return TC_ACT_UNSPEC;
}

// Egress: only ICMP errors the gateway itself sends about a translated packet it could not
// forward (fragmentation needed on its own smaller link, TTL exceeded). Translation happens at
// ingress, before routing, so such an error quotes the translated packet; side is the side the
// flow's replies come from. Everything else is handed on uncounted.
static __always_inline int icmp_error_egress(struct __sk_buff *skb, __u8 side)
{
	void *data = (void *)(long)skb->data;
	void *end = (void *)(long)skb->data_end;
	struct ethhdr *eth = data;
	struct iphdr *ip = (void *)(eth + 1);
	if ((void *)(ip + 1) > end || eth->h_proto != bpf_htons(ETH_P_IP) || ip->protocol != IPPROTO_ICMP)
		return TC_ACT_UNSPEC;
	if (ip->version != 4 || ip->ihl < 5 || (ip->frag_off & bpf_htons(IP_MF | IP_OFFSET)))
		return TC_ACT_UNSPEC;
	if (side == CT_FROM_CLUSTER) {
		int tunnelled = tunnel_icmp_error(skb);
		if (tunnelled >= 0)
			return tunnelled;
		data = (void *)(long)skb->data;
		end = (void *)(long)skb->data_end;
		ip = data + sizeof(struct ethhdr);
		if ((void *)(ip + 1) > end)
			return TC_ACT_UNSPEC;
	}
	if (icmp_error_translate(skb, ip, side) != ICMP_TRANSLATED)
		return TC_ACT_UNSPEC;
	count(CNT_ICMP_ERROR, skb->len);
	return TC_ACT_OK;
}

#include "mgw_ctcache.h"

// The reply entry of a known inbound flow went missing (evicted while the backend was quiet):
// put it back, unless another flow holds that key now.
static __always_inline void dnat_restore_reply(const struct flow *f, const struct ct_val *ct, __u64 now)
{
	struct ct_key rk;
	ct_peer_key(&rk, f, ct);
	struct ct_val rev = {.nat_addr = f->daddr, .nat_port = f->dport, .dir = CT_REV_DNAT,
			     .backend_id = ct->backend_id, .svc_id = ct->svc_id, .identity = ct->identity,
			     .created_ns = ct->created_ns, .last_seen_ns = now};
	bpf_map_update_elem(&mgw_ct_v1, &rk, &rev, BPF_NOEXIST);
}

// A known inbound flow keeps its backend for as long as that backend exists: the backend, or NULL.
static __always_inline struct backend *backend_still(__u32 id, __be32 addr, __be16 port)
{
	struct backend *be = bpf_map_lookup_elem(&mgw_be_v1, &id);
	return be && be->addr == addr && be->port == port ? be : NULL;
}

// The programs' bodies are subprograms of their own, apart from the tunnel's: the verifier adds
// up the stacks of a chain of calls (512 bytes at most), and each body's is large.
static __noinline int from_legacy(struct __sk_buff *skb)
{
	struct flow f = {};
	int parsed = classify(skb, &f);
	if (parsed == 2)
		return icmp_error(skb, CT_FROM_LEGACY);
	if (parsed)
		return TC_ACT_UNSPEC; // IPv6 (3) goes to from_legacy6 from mgw_from_legacy, never here
	struct ct_key k;
	ct_key_of(&k, &f, CT_FROM_LEGACY);
	struct ct_cache_slot *slot = ct_cache_slot(&k);
	if (ct_cache_usable(slot, &k, &f)) {
		if (slot->dir == CT_REV_SNAT) {
			ct_cache_count(slot, &f);
			count(CNT_SNAT_REPLY, f.len);
			return rewrite(skb, &f, 1, slot->nat_addr, slot->nat_port) ? TC_ACT_SHOT : TC_ACT_OK;
		}
		struct backend *be = backend_still(slot->backend_id, slot->nat_addr, slot->nat_port);
		if (be) {
			ct_cache_count(slot, &f);
			count(CNT_DNAT_EST, f.len);
			return dnat_send(skb, &f, be);
		}
	}
	// No VIP, egress address or flow of ours has this destination: handed on without the
	// conntrack and service lookups.
	if (!dst_maybe_ours(f.daddr)) {
		count(CNT_PASS, f.len);
		return TC_ACT_UNSPEC;
	}
	__u64 now = now_ns();
	struct ct_val *ct = ct_lookup(&k, &f, now);
	int known = 0;
	if (ct) {
		struct ct_val *peer = NULL;
		ct_cache_sync(slot, &k, ct);
		ct_tcp_state(ct, &f, CT_FROM_LEGACY, now);
		if (ct->dir == CT_REV_SNAT) {
			ct_touch(ct, &f, now, &peer);
			ct_cache_fill(slot, &k, ct);
			count(CNT_SNAT_REPLY, f.len);
			// A flow a node steered here: the reply goes back to that node, translated.
			if (ct->via_node)
				return tunnel_out(skb, &f, ct->via_node, ct->nat_addr, ct->nat_port);
			return rewrite(skb, &f, 1, ct->nat_addr, ct->nat_port) ? TC_ACT_SHOT : TC_ACT_OK;
		}
		if (ct->dir == CT_TUN_IN) {
			// A flow a peer gateway tunnels here, met outside the tunnel: not ours to translate.
			count(CNT_PASS, f.len);
			return TC_ACT_UNSPEC;
		}
		struct backend *be = backend_still(ct->backend_id, ct->nat_addr, ct->nat_port);
		if (be) {
			if (ct_touch(ct, &f, now, &peer) && !peer)
				dnat_restore_reply(&f, ct, now);
			ct_cache_fill(slot, &k, ct);
			count(CNT_DNAT_EST, f.len);
			return dnat_send(skb, &f, be);
		}
		count(CNT_BACKEND_RESELECT, f.len);
		known = 1;
	}
	ct_cache_forget(slot, &k);
	int rc = dnat_new(skb, &f, &k, known);
	if (rc == TC_ACT_UNSPEC)
		count(CNT_PASS, f.len);
	return rc;
}

// What dnat_adopt_reply returns for a packet that is no backend's reply it knows (none of the
// verdicts it returns otherwise: TC_ACT_OK, TC_ACT_SHOT).
#define NOT_A_REPLY 1

// A packet from a backend's service port with no conntrack entry here: the reply of a flow another
// gateway of this cluster translated (the routers spread a VIP's flows over its gateways; the
// backend's route leads here). Its source becomes the VIP and port the backend serves, from
// mgw_rev_v1 (tuples two VIPs claim are not there). Stateless: no entry is created, so a pod
// sending from its service port cannot fill conntrack. A TCP SYN without ACK opens a connection
// and is never a reply. Not inlined, and called on the conntrack miss alone: from_cluster's frame
// and its flow-cache and conntrack hit paths stay exactly as they were. The flow-cache slot is
// left as it is: with no entry it holds this flow's translation for at most its trust time.
static __noinline int dnat_adopt_reply(struct __sk_buff *skb, const struct flow *f)
{
	if ((f->tcp_flags & (TCP_SYN | TCP_ACK)) == TCP_SYN)
		return NOT_A_REPLY;
	struct rev_key rk = {.addr = f->saddr, .port = f->sport, .proto = f->proto};
	struct rev_val *rv = bpf_map_lookup_elem(&mgw_rev_v1, &rk);
	if (!rv)
		return NOT_A_REPLY;
	__be32 vip = rv->vip;
	__be16 vport = rv->vport;
	count(CNT_DNAT_REPLY, f->len);
	return rewrite(skb, f, 0, vip, vport) ? TC_ACT_SHOT : TC_ACT_OK;
}

// via: the node whose IPIP brought the packet (decapsulated already), 0 when it came plainly.
// *encap_to: set when the packet is to go through the tunnel untranslated (to the peer gateway
// that translated its flow, or to the gateway that owns its identity's egress address); the
// program sends it (encap_out), so that tunnel_out's chain of calls is not under this frame.
static __noinline int from_cluster(struct __sk_buff *skb, __be32 via, __be32 *encap_to)
{
	struct flow f = {};
	int parsed = parse(skb, &f);
	if (parsed)
		return from_cluster_other(skb, parsed);
	struct ct_key k;
	ct_key_of(&k, &f, CT_FROM_CLUSTER);
	struct ct_cache_slot *slot = ct_cache_slot(&k);
	if (ct_cache_usable(slot, &k, &f)) {
		ct_cache_count(slot, &f);
		count(slot->dir == CT_REV_DNAT ? CNT_DNAT_REPLY : CNT_SNAT_EST, f.len);
		return rewrite(skb, &f, 0, slot->nat_addr, slot->nat_port) ? TC_ACT_SHOT : TC_ACT_OK;
	}
	__u64 now = now_ns();
	struct ct_val *ct = ct_lookup(&k, &f, now);
	if (!ct) {
		int adopted = dnat_adopt_reply(skb, &f);
		if (adopted != NOT_A_REPLY)
			return adopted;
	} else {
		struct ct_val *peer = NULL;
		ct_cache_sync(slot, &k, ct);
		ct_tcp_state(ct, &f, CT_FROM_CLUSTER, now);
		if (ct->dir == CT_REV_DNAT) {
			ct_touch(ct, &f, now, &peer);
			ct_cache_fill(slot, &k, ct);
			count(CNT_DNAT_REPLY, f.len);
			return rewrite(skb, &f, 0, ct->nat_addr, ct->nat_port) ? TC_ACT_SHOT : TC_ACT_OK;
		}
		if (ct->dir == CT_TUN_RET) {
			// A backend's reply to a flow a peer gateway translated: back to that gateway.
			ct_touch(ct, &f, now, &peer);
			*encap_to = ct->nat_addr;
			return TC_ACT_REDIRECT;
		}
		// The reply entry owns the port. If it went missing or another flow holds it now, the
		// port is claimed again, or another one, so two flows never share a port.
		if (ct_touch(ct, &f, now, &peer) == 0) {
			ct_cache_fill(slot, &k, ct);
			count(CNT_SNAT_EST, f.len);
			return rewrite(skb, &f, 0, ct->nat_addr, ct->nat_port) ? TC_ACT_SHOT : TC_ACT_OK;
		}
	}
	ct_cache_forget(slot, &k);
	int rc = snat_new(skb, &f, &k, via, encap_to);
	if (rc == TC_ACT_UNSPEC)
		count(CNT_PASS, f.len);
	return rc;
}

// The cluster side's IPv4 packets, through the tunnel when from_cluster says so.
static __always_inline int from_cluster_or_encap(struct __sk_buff *skb, __be32 via)
{
	__be32 to = 0;
	int rc = from_cluster(skb, via, &to);
	return to ? encap_out(skb, to) : rc;
}

// tc ingress on the interface facing the datacenter: IPIP from peer gateways, then the legacy side.
SEC("tc")
int mgw_from_legacy(struct __sk_buff *skb)
{
	__be32 node = 0;
	int tunnelled = tunnel_ingress(skb, &node);
	if (tunnelled >= 0)
		return tunnelled;
	if (node)
		return from_cluster_or_encap(skb, node);
	// IPv6 goes to its half from here, as in mgw_from_cluster: from_legacy's frame and the IPv6
	// half's chain (its ICMPv6 errors, its checksum helpers) under it would pass 512 bytes.
	if (is_ipv6(skb))
		return from_legacy6(skb);
	return from_legacy(skb);
}

// tc ingress on the interfaces facing the clusters (and the links to other clusters' gateways).
SEC("tc")
int mgw_from_cluster(struct __sk_buff *skb)
{
	__be32 node = 0;
	int tunnelled = tunnel_ingress(skb, &node);
	if (node)
		return from_cluster_or_encap(skb, node); // a pod's packet a node steered here, or a steered flow's reply
	if (tunnelled < 0 && tunnel_icmp_candidate(skb))
		tunnelled = tunnel_icmp_error(skb); // an error about a flow a peer gateway translated
	if (tunnelled >= 0)
		return tunnelled;
	// IPv6 is sent to its half from here, not from inside from_cluster: the verifier bounds the
	// stack of a chain of calls at 512 bytes, and from_cluster's frame with the IPv6 half's under
	// it would pass that.
	if (is_ipv6(skb))
		return from_cluster6(skb);
	return from_cluster_or_encap(skb, 0);
}

// tc egress on the interface facing the datacenter: errors the gateway sends toward legacy hosts
// (ICMP, and ICMPv6 through to_legacy6) quote packets it was forwarding into the clusters (a DNAT flow's, or an SNAT flow's reply),
// whose replies come from the cluster side. There is no twin toward the clusters: an error the
// gateway sends about a packet from the clusters goes to that packet's translated source, a VIP
// or an egress address, which the gateway does not route into the clusters.
SEC("tc")
int mgw_to_legacy(struct __sk_buff *skb)
{
	if (is_ipv6(skb))
		return to_legacy6(skb);
	return icmp_error_egress(skb, CT_FROM_CLUSTER);
}

// tc ingress on an L3 device the tunnel between gateways runs over (a WireGuard device, which
// encrypts it): its packets start with the IP header, where every other program expects an
// Ethernet header first. IPIP to this gateway's endpoint gets one, addressed to the cluster
// interface named in mgw_l3in_v1, and is handed to that interface's ingress: mgw_from_cluster
// decapsulates it there (a peer's packet, checked against mgw_peer_v1 as over any link) and the
// stack routes what comes out as if it had arrived on that interface. Anything else on the
// device is not the tunnel's and passes untouched.
SEC("tc")
int mgw_from_l3(struct __sk_buff *skb)
{
	void *data = (void *)(long)skb->data;
	void *end = (void *)(long)skb->data_end;
	struct iphdr *ip = data;
	if ((void *)(ip + 1) > end || ip->version != 4 || ip->protocol != IPPROTO_IPIP ||
	    skb->protocol != bpf_htons(ETH_P_IP))
		return TC_ACT_UNSPEC;
	__be32 self = tunnel_self();
	if (!self || ip->daddr != self)
		return TC_ACT_UNSPEC;
	__u32 zero = 0;
	struct l3_entry *to = bpf_map_lookup_elem(&mgw_l3in_v1, &zero);
	if (!to || !to->ifindex)
		return TC_ACT_UNSPEC;
	if (bpf_skb_change_head(skb, sizeof(struct ethhdr), 0)) {
		count(CNT_MALFORMED, skb->len);
		return TC_ACT_SHOT;
	}
	data = (void *)(long)skb->data;
	end = (void *)(long)skb->data_end;
	struct ethhdr *eth = data;
	if ((void *)(eth + 1) > end)
		return TC_ACT_SHOT;
	__builtin_memcpy(eth->h_dest, to->mac, ETH_ALEN);
	__builtin_memcpy(eth->h_source, to->mac, ETH_ALEN);
	eth->h_proto = bpf_htons(ETH_P_IP);
	return bpf_redirect(to->ifindex, BPF_F_INGRESS);
}

char LICENSE[] SEC("license") = "GPL";

// SPDX-License-Identifier: GPL-2.0
// Gateway-to-gateway forwarding: IPv4 in IPv4 (RFC 2003, IP protocol 4) written by the programs
// themselves, no tunnel device (bpf-tc/DESIGN.md, "Tunnels between gateways"). A flow this
// gateway DNATs to a backend of another cluster leaves encapsulated toward that cluster's
// gateway (mgw_tun_v1); that gateway decapsulates what comes from a known peer (mgw_peer_v1),
// routes it to its backend untouched, and sends the backend's replies back the same way, so
// they return here for the reverse translation whatever the other datacenter's routing does.
// Included by mgw_tc.c after mgw_ct.h, mgw_icmp.h and ct_key_of().
#ifndef MGW_TUNNEL_H
#define MGW_TUNNEL_H

#define IP_DF 0x4000
#define TUNNEL_TTL 64
#define IPV4_HLEN 20
#define MGW_AF_INET 2
// BPF_F_ADJ_ROOM_DECAP_L3_IPV4 (Linux 6.3): the decapsulated skb loses its tunnel GSO type.
// Older uapi headers lack it; older kernels refuse it, and the decapsulation is then retried
// without it.
#define MGW_ADJ_ROOM_DECAP_L3_IPV4 (1ULL << 7)

static __always_inline __be32 tunnel_self(void)
{
	__u32 zero = 0;
	struct tunnel *t = bpf_map_lookup_elem(&mgw_tun_v1, &zero);
	return t ? t->addr : 0;
}

// The tunnel endpoint of a cluster's gateway; 0 when its backends are routed plainly.
static __always_inline __be32 tunnel_to(__u32 cluster)
{
	struct tunnel *t = bpf_map_lookup_elem(&mgw_tun_v1, &cluster);
	return t ? t->addr : 0;
}

// The RFC 1071 checksum of a 20-byte IPv4 header.
static __always_inline __u16 ipv4_header_csum(const __u16 *h)
{
	__u32 sum = 0;
#pragma unroll
	for (int i = 0; i < IPV4_HLEN / 2; i++)
		sum += h[i];
	return (__u16)~csum_fold(sum);
}

// Writes a 20-byte IPv4 header (no options, id 0, this gateway's TTL) with its checksum.
static __always_inline void ipv4_header_fill(struct iphdr *ip, __u8 tos, __u16 tot_len, __be16 frag_off, __u8 proto,
					     __be32 saddr, __be32 daddr)
{
	*(__u16 *)ip = bpf_htons(0x4500 | tos); // version 4, IHL 5
	ip->tot_len = bpf_htons(tot_len);
	ip->id = 0;
	ip->frag_off = frag_off;
	ip->ttl = TUNNEL_TTL;
	ip->protocol = proto;
	ip->check = 0;
	ip->saddr = saddr;
	ip->daddr = daddr;
	ip->check = ipv4_header_csum((__u16 *)ip);
}

// Answers a packet too large for the tunnel with ICMP "fragmentation needed" (RFC 792, RFC 1191
// next-hop MTU), sent back out the interface it came in on, to the hop it came from: the packet
// itself becomes the error (cut to its IPv4 header and the start of its transport header, then
// an IPv4 and ICMP header put in front). The error comes from this gateway's tunnel endpoint and
// quotes the packet as its sender sent it (the caller has not translated it yet), so the sender
// finds its own flow in it. Headers with options are not quoted: such a packet is only dropped.
//
// A packet sent by a socket of this host or of a namespace behind a veth may still carry a
// transport checksum the kernel fills later (CHECKSUM_PARTIAL): its checksum field holds the
// pseudo-header sum, and the kernel refuses to cut the packet before that field. Such a packet
// is told by that refusal (a cut to 4 bytes of transport header, before both TCP's and UDP's
// field), and is quoted up to its checksum field instead (20 bytes of TCP, 8 of UDP). Once filled,
// the quoted transport bytes sum to the complement of the pseudo-header sum, so the ICMP checksum
// is computed over the rest and that complement.
static __always_inline int frag_needed_write(struct __sk_buff *skb, __be32 self, __u32 mtu, const __u32 quoted,
					     int partial, __u16 seed)
{
	void *data = (void *)(long)skb->data;
	void *end = (void *)(long)skb->data_end;
	struct ethhdr *eth = data;
	struct iphdr *ip = (void *)(eth + 1);
	if ((void *)(ip + 1) > end)
		return TC_ACT_SHOT;
	// Back to the hop it came from: the addresses swapped in place (the MAC header stays in front
	// when room is made after it).
	__u32 a_hi = *(__u32 *)eth->h_dest, b_hi = *(__u32 *)eth->h_source;
	__u16 a_lo = *(__u16 *)(eth->h_dest + 4), b_lo = *(__u16 *)(eth->h_source + 4);
	*(__u32 *)eth->h_dest = b_hi;
	*(__u16 *)(eth->h_dest + 4) = b_lo;
	*(__u32 *)eth->h_source = a_hi;
	*(__u16 *)(eth->h_source + 4) = a_lo;
	__be32 to = ip->saddr;
	if (bpf_skb_adjust_room(skb, IPV4_HLEN + sizeof(struct icmphdr), BPF_ADJ_ROOM_MAC, 0))
		return TC_ACT_SHOT;
	data = (void *)(long)skb->data;
	end = (void *)(long)skb->data_end;
	eth = data;
	ip = (void *)(eth + 1);
	struct icmphdr *icmp = (void *)(ip + 1);
	__u8 *quote = (void *)(icmp + 1);
	if ((void *)(quote + quoted) > end)
		return TC_ACT_SHOT;
	eth->h_proto = bpf_htons(ETH_P_IP);
	ipv4_header_fill(ip, 0, IPV4_HLEN + sizeof(struct icmphdr) + quoted, bpf_htons(IP_DF), IPPROTO_ICMP, self, to);
	icmp->type = ICMP_DEST_UNREACH;
	icmp->code = 4; // fragmentation needed and DF set
	icmp->checksum = 0;
	icmp->rest = bpf_htonl(mtu & 0xffff);
	__u32 summed = partial ? sizeof(*icmp) + IPV4_HLEN : sizeof(*icmp) + quoted;
	__s64 sum = bpf_csum_diff(NULL, 0, (__be32 *)icmp, summed, partial ? (__u16)~seed : 0);
	if (sum < 0)
		return TC_ACT_SHOT;
	icmp->checksum = (__u16)~csum_fold((__u32)sum);
	return bpf_redirect(skb->ifindex, 0);
}

static __noinline int tunnel_frag_needed(struct __sk_buff *skb, __be32 self, __u32 mtu)
{
	void *data = (void *)(long)skb->data;
	void *end = (void *)(long)skb->data_end;
	struct iphdr *ip = data + sizeof(struct ethhdr);
	if ((void *)(ip + 1) > end || ip->ihl != 5)
		return TC_ACT_SHOT;
	__u8 proto = ip->protocol;
	const __u32 l4 = sizeof(struct ethhdr) + IPV4_HLEN;
	__u32 second; // the transport header's bytes 4 to 7
	if (bpf_skb_load_bytes(skb, l4 + 4, &second, sizeof(second)))
		return TC_ACT_SHOT;
	if (bpf_skb_change_tail(skb, l4 + 4, 0) == 0) {
		// Nothing left to fill: quote 8 bytes, the 4 cut put back.
		if (bpf_skb_change_tail(skb, l4 + 8, 0) || bpf_skb_store_bytes(skb, l4 + 4, &second, 4, 0))
			return TC_ACT_SHOT;
		return frag_needed_write(skb, self, mtu, IPV4_HLEN + 8, 0, 0);
	}
	__u16 seed;
	if (proto == IPPROTO_TCP) {
		if (bpf_skb_change_tail(skb, l4 + 20, 0) || bpf_skb_load_bytes(skb, l4 + 16, &seed, sizeof(seed)))
			return TC_ACT_SHOT;
		return frag_needed_write(skb, self, mtu, IPV4_HLEN + 20, 1, seed);
	}
	if (proto == IPPROTO_UDP) {
		if (bpf_skb_change_tail(skb, l4 + 8, 0))
			return TC_ACT_SHOT;
		__builtin_memcpy(&seed, (__u8 *)&second + 2, sizeof(seed));
		return frag_needed_write(skb, self, mtu, IPV4_HLEN + 8, 1, seed);
	}
	return TC_ACT_SHOT;
}

// TCP's maximum segment size option (RFC 9293 §3.2): kind 2, length 4.
#define TCPOPT_MSS 2
#define TCPOPT_EOL 0
#define TCPOPT_NOP 1
// Outer IPv4, inner IPv4 and TCP headers: what a segment of a tunnelled flow carries beside its
// payload, at the least.
#define TUNNEL_TCP_OVERHEAD (IPV4_HLEN + IPV4_HLEN + 20)

// Lowers the MSS a SYN or SYN-ACK offers to what fits the interface the tunnel leaves by, less
// the outer header, as routers clamp it on tunnels: both ends then send segments the tunnel
// carries whole, and a TCP flow does not depend on "fragmentation needed" reaching its sender
// (networks that filter ICMP would otherwise stall it on the first full-sized segment). The
// option is looked for among the first ten options; a SYN without one is left as it is (the
// peer then assumes 536, which fits).
static __noinline void tunnel_clamp_mss(struct __sk_buff *skb, __u32 ifindex)
{
	void *data = (void *)(long)skb->data;
	void *end = (void *)(long)skb->data_end;
	struct iphdr *ip = data + sizeof(struct ethhdr);
	if ((void *)(ip + 1) > end)
		return;
	__u32 mtu = 0;
	bpf_check_mtu(skb, ifindex, &mtu, 0, 0);
	if (mtu <= TUNNEL_TCP_OVERHEAD + 64)
		return;
	__u16 limit = mtu - TUNNEL_TCP_OVERHEAD;
	__u32 tcp = sizeof(struct ethhdr) + ip->ihl * 4;
	__u8 doff;
	if (bpf_skb_load_bytes(skb, tcp + 12, &doff, 1))
		return;
	__u32 opt = tcp + 20, opt_end = tcp + (doff >> 4) * 4;
	for (int i = 0; i < 10 && opt + 1 < opt_end; i++) {
		__u8 kl[2];
		if (bpf_skb_load_bytes(skb, opt, kl, 2))
			return;
		if (kl[0] == TCPOPT_EOL)
			return;
		if (kl[0] == TCPOPT_NOP) {
			opt++;
			continue;
		}
		if (kl[1] < 2)
			return;
		if (kl[0] == TCPOPT_MSS && kl[1] == 4 && opt + 4 <= opt_end) {
			__be16 old;
			if (bpf_skb_load_bytes(skb, opt + 2, &old, 2) || bpf_ntohs(old) <= limit)
				return;
			__be16 clamped = bpf_htons(limit);
			if (bpf_l4_csum_replace(skb, tcp + 16, old, clamped, 2) == 0)
				bpf_skb_store_bytes(skb, opt + 2, &clamped, 2, 0);
			return;
		}
		opt += kl[1];
	}
}

// Sends the packet f was parsed from to the gateway at remote: translated first when dst_addr
// is not 0 (its destination becomes dst_addr:dst_port), then encapsulated and put out the
// interface the route to remote leaves by. A packet that would not fit that interface's MTU
// with the 20 bytes of the outer header is not translated; with DF set its sender gets ICMP
// "fragmentation needed" with the MTU less 20; without, it is dropped (nothing here fragments).
// GSO packets fit by construction: adjust_room lowers their segment size by the 20 bytes.
static __noinline int tunnel_out(struct __sk_buff *skb, const struct flow *f, __be32 remote, __be32 dst_addr,
				 __be16 dst_port)
{
	__be32 self = tunnel_self();
	void *data = (void *)(long)skb->data;
	void *end = (void *)(long)skb->data_end;
	struct iphdr *inner = data + sizeof(struct ethhdr);
	if (!self || (void *)(inner + 1) > end) {
		count(CNT_DROP_TUNNEL_ROUTE, f->len);
		return TC_ACT_SHOT;
	}
	__u16 inner_len = bpf_ntohs(inner->tot_len);
	__be16 df = inner->frag_off & bpf_htons(IP_DF);
	__u8 tos = inner->tos;
	struct bpf_fib_lookup fib = {};
	fib.family = MGW_AF_INET;
	fib.tos = tos;
	fib.l4_protocol = IPPROTO_IPIP;
	// With tot_len the lookup checks it against the route's MTU. A GSO packet is checked per
	// segment when it leaves; tot_len 0 makes the lookup check the skb, which passes GSO.
	fib.tot_len = skb->gso_size ? 0 : inner_len + IPV4_HLEN;
	fib.ipv4_src = self;
	fib.ipv4_dst = remote;
	fib.ifindex = skb->ifindex;
	long rc = bpf_fib_lookup(skb, &fib, sizeof(fib), 0);
	if (rc == BPF_FIB_LKUP_RET_FRAG_NEEDED) {
		count(CNT_DROP_TUNNEL_MTU, f->len);
		__u32 mtu = fib.mtu_result > IPV4_HLEN ? fib.mtu_result - IPV4_HLEN : 68;
		return df ? tunnel_frag_needed(skb, self, mtu) : TC_ACT_SHOT;
	}
	if (rc != BPF_FIB_LKUP_RET_SUCCESS && rc != BPF_FIB_LKUP_RET_NO_NEIGH) {
		count(CNT_DROP_TUNNEL_ROUTE, f->len);
		return TC_ACT_SHOT;
	}
	if (dst_addr && rewrite(skb, f, 1, dst_addr, dst_port))
		return TC_ACT_SHOT;
	if (f->proto == IPPROTO_TCP && (f->tcp_flags & TCP_SYN))
		tunnel_clamp_mss(skb, fib.ifindex);
	if (bpf_skb_adjust_room(skb, IPV4_HLEN, BPF_ADJ_ROOM_MAC, BPF_F_ADJ_ROOM_ENCAP_L3_IPV4)) {
		count(CNT_DROP_TUNNEL_ROUTE, f->len);
		return TC_ACT_SHOT;
	}
	data = (void *)(long)skb->data;
	end = (void *)(long)skb->data_end;
	struct ethhdr *eth = data;
	struct iphdr *outer = (void *)(eth + 1);
	if ((void *)(outer + 1) > end)
		return TC_ACT_SHOT;
	// RFC 2003 §3.1: TOS copied from the inner header, DF too (the sender's path MTU discovery
	// then covers the tunnel), the TTL the entry point's own.
	ipv4_header_fill(outer, tos, inner_len + IPV4_HLEN, df, IPPROTO_IPIP, self, remote);
	count(CNT_TUNNEL_OUT, f->len);
	if (rc == BPF_FIB_LKUP_RET_NO_NEIGH)
		return bpf_redirect_neigh(fib.ifindex, NULL, 0, 0);
	__builtin_memcpy(eth->h_dest, fib.dmac, ETH_ALEN);
	__builtin_memcpy(eth->h_source, fib.smac, ETH_ALEN);
	return bpf_redirect(fib.ifindex, 0);
}

// The endpoint of the peer gateway that translated the flow an ICMP error (Destination
// Unreachable, Time Exceeded) is about, when this gateway relays that flow for it; 0 otherwise.
// Such an error (a backend's "port unreachable", this host's own "fragmentation needed") is
// addressed to the legacy client, which only the peer reaches and only the peer can translate
// for: it goes back through the tunnel as the flow's replies do, untouched.
static __always_inline __be32 tunnel_icmp_peer(struct __sk_buff *skb)
{
	void *data = (void *)(long)skb->data;
	void *end = (void *)(long)skb->data_end;
	struct iphdr *ip = data + sizeof(struct ethhdr);
	if ((void *)(ip + 1) > end || ip->protocol != IPPROTO_ICMP || ip->ihl != 5)
		return 0;
	struct icmphdr *icmp = (void *)(ip + 1);
	struct iphdr *in = (void *)(icmp + 1);
	if ((void *)(in + 1) > end || (icmp->type != ICMP_DEST_UNREACH && icmp->type != ICMP_TIME_EXCEEDED))
		return 0;
	if (in->version != 4 || in->ihl != 5 || (in->protocol != IPPROTO_TCP && in->protocol != IPPROTO_UDP))
		return 0;
	__u16 *l4 = (void *)(in + 1);
	if ((void *)(l4 + 2) > end)
		return 0;
	struct ct_key k = {.saddr = in->daddr, .daddr = in->saddr, .sport = l4[1], .dport = l4[0],
			   .proto = in->protocol, .side = CT_FROM_CLUSTER};
	struct ct_val *ct = ct_find(&k);
	if (!ct || ct->dir != CT_TUN_RET || ct_expired(ct, k.proto, now_ns()))
		return 0;
	return ct->nat_addr;
}

// Whether the packet is IPv4 ICMP: what tunnel_icmp_error looks at, told without a call.
static __always_inline int tunnel_icmp_candidate(struct __sk_buff *skb)
{
	void *data = (void *)(long)skb->data;
	struct ethhdr *eth = data;
	struct iphdr *ip = (void *)(eth + 1);
	return (void *)(ip + 1) <= (void *)(long)skb->data_end && eth->h_proto == bpf_htons(ETH_P_IP) &&
	       ip->protocol == IPPROTO_ICMP;
}

// Sends an ICMP error about a relayed flow back to the peer that translated it; -1 when the
// error is about no such flow. Not inlined, and called from the programs themselves rather than
// from deep in the translation: its frame and tunnel_out's then stay off the translation's
// chain of calls, which the verifier bounds at 512 bytes of stack.
static __noinline int tunnel_icmp_error(struct __sk_buff *skb)
{
	__be32 peer = tunnel_icmp_peer(skb);
	if (!peer)
		return -1;
	struct flow f = {.proto = IPPROTO_ICMP, .len = skb->len};
	count(CNT_ICMP_ERROR, skb->len);
	return tunnel_out(skb, &f, peer, 0, 0);
}

enum tunnel_in_verdict {
	TUNNEL_NONE = 0, // not IPIP addressed to this gateway's endpoint: handled as any packet
	TUNNEL_DECAPSULATED = 1,
	TUNNEL_DROP = 2,
};

// An IPIP packet to this gateway's endpoint from a peer gateway loses its outer header; *peer is
// the peer's endpoint. From any other source it is dropped: decapsulating it would let anyone
// who can reach the endpoint put packets behind the gateway with any source address.
static __noinline int tunnel_in(struct __sk_buff *skb, __be32 *peer)
{
	void *data = (void *)(long)skb->data;
	void *end = (void *)(long)skb->data_end;
	struct ethhdr *eth = data;
	struct iphdr *ip = (void *)(eth + 1);
	if ((void *)(ip + 1) > end || eth->h_proto != bpf_htons(ETH_P_IP) || ip->protocol != IPPROTO_IPIP)
		return TUNNEL_NONE;
	__be32 self = tunnel_self();
	if (!self || ip->daddr != self)
		return TUNNEL_NONE;
	__be32 from = ip->saddr;
	if (!bpf_map_lookup_elem(&mgw_peer_v1, &from)) {
		count(CNT_DROP_TUNNEL_PEER, skb->len);
		return TUNNEL_DROP;
	}
	// The outer header is the one a peer writes: no options, never fragmented (it is sent whole
	// or refused with "fragmentation needed"), an IPv4 packet inside.
	struct iphdr *inner = (void *)(ip + 1);
	if (ip->ihl != 5 || (ip->frag_off & bpf_htons(IP_MF | IP_OFFSET)) || (void *)(inner + 1) > end ||
	    inner->version != 4) {
		count(CNT_MALFORMED, skb->len);
		return TUNNEL_DROP;
	}
	if (bpf_skb_adjust_room(skb, -IPV4_HLEN, BPF_ADJ_ROOM_MAC, MGW_ADJ_ROOM_DECAP_L3_IPV4) &&
	    bpf_skb_adjust_room(skb, -IPV4_HLEN, BPF_ADJ_ROOM_MAC, 0)) {
		count(CNT_MALFORMED, skb->len);
		return TUNNEL_DROP;
	}
	*peer = from;
	count(CNT_TUNNEL_IN, skb->len);
	return TUNNEL_DECAPSULATED;
}

// The packet a peer gateway sent through the tunnel, decapsulated: either the reply of a flow
// this gateway translated and tunnelled (reverse DNAT, then routed to the legacy client), or a
// packet of a flow the peer translated for a backend here (routed to it untouched, its conntrack
// entries naming the peer, so the backend's replies go back to it). ICMP errors about either are
// translated as from the clusters; anything else inside is routed as it is.
static __noinline int from_tunnel(struct __sk_buff *skb, __be32 peer)
{
	struct flow f = {};
	int parsed = parse(skb, &f);
	if (parsed == 2) {
		void *data = (void *)(long)skb->data;
		struct iphdr *ip = data + sizeof(struct ethhdr);
		if ((void *)(ip + 1) <= (void *)(long)skb->data_end &&
		    icmp_error_translate(skb, ip, CT_FROM_CLUSTER) == ICMP_TRANSLATED)
			count(CNT_ICMP_ERROR, skb->len);
		return TC_ACT_OK;
	}
	if (parsed)
		return TC_ACT_OK;
	__u64 now = now_ns();
	struct ct_key k;
	ct_key_of(&k, &f, CT_FROM_CLUSTER);
	struct ct_val *ct = ct_lookup(&k, &f, now);
	struct ct_val *peer_ct = NULL;
	if (ct && ct->dir == CT_REV_DNAT) {
		ct_tcp_state(ct, &f, CT_FROM_CLUSTER, now);
		ct_touch(ct, &f, now, &peer_ct);
		count(CNT_DNAT_REPLY, f.len);
		return rewrite(skb, &f, 0, ct->nat_addr, ct->nat_port) ? TC_ACT_SHOT : TC_ACT_OK;
	}
	ct_key_of(&k, &f, CT_FROM_LEGACY);
	ct = ct_lookup(&k, &f, now);
	if (ct && ct->dir == CT_TUN_IN && ct->nat_addr == peer) {
		ct_tcp_state(ct, &f, CT_FROM_LEGACY, now);
		if (ct_touch(ct, &f, now, &peer_ct) == 0)
			return TC_ACT_OK;
	}
	// A new flow from the peer (or one whose entries were lost or moved to another peer).
	if (f.tcp_flags & TCP_RST)
		return TC_ACT_OK;
	struct ct_val in = {.nat_addr = peer, .dir = CT_TUN_IN, .created_ns = now, .last_seen_ns = now,
			    .packets = 1, .bytes = f.len, .flags = first_seen(&f), .seq_next = f.seq_end};
	struct ct_val ret = {.nat_addr = peer, .dir = CT_TUN_RET, .created_ns = now, .last_seen_ns = now,
			     .flags = unreplied(&f)};
	struct ct_key rk = {.saddr = f.daddr, .daddr = f.saddr, .sport = f.dport, .dport = f.sport,
			    .proto = f.proto, .side = CT_FROM_CLUSTER};
	bpf_map_update_elem(&mgw_ct_v1, &rk, &ret, BPF_ANY);
	dst_filter_add(f.daddr); // k is looked up from the legacy side too (from_legacy)
	bpf_map_update_elem(&mgw_ct_v1, &k, &in, BPF_ANY);
	return TC_ACT_OK;
}

// tc ingress, either side: IPIP from a peer gateway is decapsulated and handled as what it
// carries; returns -1 for every other packet, which the program handles as before.
static __always_inline int tunnel_ingress(struct __sk_buff *skb)
{
	// Nearly every packet is no IPIP at all: told here, inlined, it costs no call into tunnel_in.
	void *data = (void *)(long)skb->data;
	struct ethhdr *eth = data;
	struct iphdr *ip = (void *)(eth + 1);
	if ((void *)(ip + 1) > (void *)(long)skb->data_end || eth->h_proto != bpf_htons(ETH_P_IP) ||
	    ip->protocol != IPPROTO_IPIP)
		return -1;
	__be32 peer = 0;
	switch (tunnel_in(skb, &peer)) {
	case TUNNEL_NONE:
		return -1;
	case TUNNEL_DECAPSULATED:
		return from_tunnel(skb, peer);
	default:
		return TC_ACT_SHOT;
	}
}

#endif

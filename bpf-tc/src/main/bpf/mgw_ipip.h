// SPDX-License-Identifier: GPL-2.0
// IPv4 in IPv4 (RFC 2003) as the programs write it themselves: the outer header, ICMP
// "fragmentation needed" for what does not fit, the MSS clamp, the route to the far end and the
// encapsulation. Shared by the gateway's tunnels (mgw_tunnel.h) and the node role (mgw_node.c);
// nothing here counts or looks at conntrack. Needs mgw_csum.h.
#ifndef MGW_IPIP_H
#define MGW_IPIP_H

#include "mgw_icmphdr.h"

#define IP_DF 0x4000
#define TUNNEL_TTL 64
#define IPV4_HLEN 20
#define MGW_AF_INET 2
// BPF_F_ADJ_ROOM_DECAP_L3_IPV4 (Linux 6.3): the decapsulated skb loses its tunnel GSO type.
// Older uapi headers lack it; older kernels refuse it, and the decapsulation is then retried
// without it.
#define MGW_ADJ_ROOM_DECAP_L3_IPV4 (1ULL << 7)
// What bpf_skb_adjust_room answers when asked to encapsulate a packet the kernel still holds as
// encapsulated (ipip_push).
#define MGW_EALREADY 114

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
// next-hop MTU), sent to the packet's sender: the packet
// itself becomes the error (cut to its IPv4 header and the start of its transport header, then
// an IPv4 and ICMP header put in front). The error comes from this gateway's tunnel endpoint and
// quotes the packet as its sender sent it (the caller has not translated it yet), so the sender
// finds its own flow in it. Headers with options are not quoted: such a packet is only dropped.
// At tc ingress (the gateway) the error goes back out the interface the packet came in on, to
// the hop it came from; at tc egress (the node role, routed) TC_ACT_OK is returned and the caller
// routes the error to the sender, a pod of its node: an error sent back into the interface as if
// received would carry one of the host's own addresses as its source, which the kernel drops as
// martian.
//
// A packet sent by a socket of this host or of a namespace behind a veth may still carry a
// transport checksum the kernel fills later (CHECKSUM_PARTIAL): its checksum field holds the
// pseudo-header sum, and the kernel refuses to cut the packet before that field. Such a packet
// is told by that refusal (a cut to 4 bytes of transport header, before both TCP's and UDP's
// field), and is quoted up to its checksum field instead (20 bytes of TCP, 8 of UDP). Once filled,
// the quoted transport bytes sum to the complement of the pseudo-header sum, so the ICMP checksum
// is computed over the rest and that complement.
static __always_inline int frag_needed_write(struct __sk_buff *skb, __be32 self, __u32 mtu, const __u32 quoted,
					     int partial, __u16 seed, int routed)
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
	// Routed: the caller sends it (its frame, not this one, holds the route lookup).
	return routed ? TC_ACT_OK : bpf_redirect(skb->ifindex, 0);
}

static __noinline int tunnel_frag_needed(struct __sk_buff *skb, __be32 self, __u32 mtu, int routed)
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
		return frag_needed_write(skb, self, mtu, IPV4_HLEN + 8, 0, 0, routed);
	}
	__u16 seed;
	if (proto == IPPROTO_TCP) {
		if (bpf_skb_change_tail(skb, l4 + 20, 0) || bpf_skb_load_bytes(skb, l4 + 16, &seed, sizeof(seed)))
			return TC_ACT_SHOT;
		return frag_needed_write(skb, self, mtu, IPV4_HLEN + 20, 1, seed, routed);
	}
	if (proto == IPPROTO_UDP) {
		if (bpf_skb_change_tail(skb, l4 + 8, 0))
			return TC_ACT_SHOT;
		__builtin_memcpy(&seed, (__u8 *)&second + 2, sizeof(seed));
		return frag_needed_write(skb, self, mtu, IPV4_HLEN + 8, 1, seed, routed);
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


// The route an IPIP packet self -> remote takes, for an inner packet of inner_len bytes: one of
// bpf_fib_lookup's BPF_FIB_LKUP_RET_* (FRAG_NEEDED when it would not fit with the outer header).
static __always_inline long ipip_route(struct __sk_buff *skb, struct bpf_fib_lookup *fib, __be32 self,
				       __be32 remote, __u8 tos, __u16 inner_len)
{
	fib->family = MGW_AF_INET;
	fib->tos = tos;
	fib->l4_protocol = IPPROTO_IPIP;
	// With tot_len the lookup checks it against the route's MTU. A GSO packet is checked per
	// segment when it leaves; tot_len 0 makes the lookup check the skb, which passes GSO.
	fib->tot_len = skb->gso_size ? 0 : inner_len + IPV4_HLEN;
	fib->ipv4_src = self;
	fib->ipv4_dst = remote;
	fib->ifindex = skb->ifindex;
	return bpf_fib_lookup(skb, fib, sizeof(*fib), 0);
}

// Puts the outer header (self -> remote) in front of the packet and sends it the way ipip_route
// found (rc SUCCESS or NO_NEIGH). RFC 2003 §3.1: TOS copied from the inner header, DF too (the
// sender's path MTU discovery then covers the tunnel), the TTL the entry point's own. -1 when
// the packet could not be encapsulated.
static __always_inline int ipip_push(struct __sk_buff *skb, const struct bpf_fib_lookup *fib, long rc, __be32 self,
				     __be32 remote, __u8 tos, __u16 inner_len, __be16 df)
{
	long grown = bpf_skb_adjust_room(skb, IPV4_HLEN, BPF_ADJ_ROOM_MAC, BPF_F_ADJ_ROOM_ENCAP_L3_IPV4);
	// A packet that came in through a tunnel and leaves through one again (a relayed flow's
	// packet on to its backend's node, the node's reply on to the peer gateway) keeps the kernel's
	// encapsulation state through ipip_pop (its flag changes skb->protocol alone), and the helper
	// refuses to encapsulate it twice. That state (inner offsets, inner protocol, the IPXIP4
	// segmentation type) still describes this packet once the outer header is back in front of
	// it, so plain room at the MAC layer is all it needs.
	if (grown == -MGW_EALREADY)
		grown = bpf_skb_adjust_room(skb, IPV4_HLEN, BPF_ADJ_ROOM_MAC, 0);
	if (grown)
		return -1;
	void *data = (void *)(long)skb->data;
	void *end = (void *)(long)skb->data_end;
	struct ethhdr *eth = data;
	struct iphdr *outer = (void *)(eth + 1);
	if ((void *)(outer + 1) > end)
		return -1;
	ipv4_header_fill(outer, tos, inner_len + IPV4_HLEN, df, IPPROTO_IPIP, self, remote);
	if (rc == BPF_FIB_LKUP_RET_NO_NEIGH)
		return bpf_redirect_neigh(fib->ifindex, NULL, 0, 0);
	__builtin_memcpy(eth->h_dest, fib->dmac, ETH_ALEN);
	__builtin_memcpy(eth->h_source, fib->smac, ETH_ALEN);
	return bpf_redirect(fib->ifindex, 0);
}

// Removes the outer header of an IPIP packet whose outer header was checked.
static __always_inline int ipip_pop(struct __sk_buff *skb)
{
	if (bpf_skb_adjust_room(skb, -IPV4_HLEN, BPF_ADJ_ROOM_MAC, MGW_ADJ_ROOM_DECAP_L3_IPV4) &&
	    bpf_skb_adjust_room(skb, -IPV4_HLEN, BPF_ADJ_ROOM_MAC, 0))
		return -1;
	return 0;
}

#endif

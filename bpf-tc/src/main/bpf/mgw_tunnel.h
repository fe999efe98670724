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

// The address of the node a backend of this cluster runs on, when the node role there brings its
// replies back (mgw_bnode_v1); 0 when it is routed plainly.
static __always_inline __be32 backend_node(__be32 addr)
{
	__be32 *node = bpf_map_lookup_elem(&mgw_bnode_v1, &addr);
	return node ? *node : 0;
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
	long rc = ipip_route(skb, &fib, self, remote, tos, inner_len);
	if (rc == BPF_FIB_LKUP_RET_FRAG_NEEDED) {
		count(CNT_DROP_TUNNEL_MTU, f->len);
		__u32 mtu = fib.mtu_result > IPV4_HLEN ? fib.mtu_result - IPV4_HLEN : 68;
		return df ? tunnel_frag_needed(skb, self, mtu, 0) : TC_ACT_SHOT;
	}
	if (rc != BPF_FIB_LKUP_RET_SUCCESS && rc != BPF_FIB_LKUP_RET_NO_NEIGH) {
		count(CNT_DROP_TUNNEL_ROUTE, f->len);
		return TC_ACT_SHOT;
	}
	if (dst_addr && rewrite(skb, f, 1, dst_addr, dst_port))
		return TC_ACT_SHOT;
	if (f->proto == IPPROTO_TCP && (f->tcp_flags & TCP_SYN))
		tunnel_clamp_mss(skb, fib.ifindex);
	int sent = ipip_push(skb, &fib, rc, self, remote, tos, inner_len, df);
	if (sent < 0) {
		count(CNT_DROP_TUNNEL_ROUTE, f->len);
		return TC_ACT_SHOT;
	}
	count(CNT_TUNNEL_OUT, f->len);
	return sent;
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
	TUNNEL_DECAPSULATED = 1, // from a peer gateway of another cluster
	TUNNEL_DROP = 2,
	TUNNEL_FROM_NODE = 3, // from a node of this cluster (mgw_nodes_v1), decapsulated
};

// An IPIP packet to this gateway's endpoint from a peer gateway (*peer is its endpoint) or from a
// node of this cluster (*node is its address: a pod's packet the node role or another gateway
// steered here for its SNAT, or the reply to a flow this gateway steered to the owner of its
// egress address) loses its outer header. From any other source it is dropped: decapsulating it
// would let anyone who can reach the endpoint put packets behind the gateway with any source
// address.
static __noinline int tunnel_in(struct __sk_buff *skb, __be32 *peer, __be32 *node)
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
	int verdict = TUNNEL_DECAPSULATED;
	if (!bpf_map_lookup_elem(&mgw_peer_v1, &from)) {
		if (!bpf_map_lookup_elem(&mgw_nodes_v1, &from)) {
			count(CNT_DROP_TUNNEL_PEER, skb->len);
			return TUNNEL_DROP;
		}
		verdict = TUNNEL_FROM_NODE;
	}
	// The outer header is the one a peer writes: no options, never fragmented (it is sent whole
	// or refused with "fragmentation needed"), an IPv4 packet inside.
	struct iphdr *inner = (void *)(ip + 1);
	if (ip->ihl != 5 || (ip->frag_off & bpf_htons(IP_MF | IP_OFFSET)) || (void *)(inner + 1) > end ||
	    inner->version != 4) {
		count(CNT_MALFORMED, skb->len);
		return TUNNEL_DROP;
	}
	if (ipip_pop(skb)) {
		count(CNT_MALFORMED, skb->len);
		return TUNNEL_DROP;
	}
	if (verdict == TUNNEL_FROM_NODE) {
		*node = from;
		count(CNT_NODE_IN, skb->len);
	} else {
		*peer = from;
		count(CNT_TUNNEL_IN, skb->len);
	}
	return verdict;
}

// A relayed flow's packet, decapsulated, on its way to the backend: routed to it untouched, or,
// when the backend runs on an ordinary node whose node role brings its replies back, *encap_to is
// set to that node (the program sends it there in IPIP, encap_out), so the replies come back
// here and from here through the tunnel to the peer.
static __always_inline int relay_to_backend(const struct flow *f, __be32 *encap_to)
{
	__be32 node = backend_node(f->daddr);
	if (!node)
		return TC_ACT_OK;
	count(CNT_BACKEND_NODE, f->len);
	*encap_to = node;
	return TC_ACT_REDIRECT;
}

// The packet a peer gateway sent through the tunnel, decapsulated: either the reply of a flow
// this gateway translated and tunnelled (reverse DNAT, then routed to the legacy client), or a
// packet of a flow the peer translated for a backend here (to it untouched, relay_to_backend,
// its conntrack entries naming the peer, so the backend's replies go back to it). ICMP errors
// about either are translated as from the clusters; anything else inside is routed as it is.
static __noinline int from_tunnel(struct __sk_buff *skb, __be32 peer, __be32 *encap_to)
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
			return relay_to_backend(&f, encap_to);
	}
	// A new flow from the peer (or one whose entries were lost or moved to another peer).
	if (f.tcp_flags & TCP_RST)
		return relay_to_backend(&f, encap_to);
	struct ct_val in = {.nat_addr = peer, .dir = CT_TUN_IN, .created_ns = now, .last_seen_ns = now,
			    .packets = 1, .bytes = f.len, .flags = first_seen(&f), .seq_next = f.seq_end};
	struct ct_val ret = {.nat_addr = peer, .dir = CT_TUN_RET, .created_ns = now, .last_seen_ns = now,
			     .flags = unreplied(&f)};
	struct ct_key rk = {.saddr = f.daddr, .daddr = f.saddr, .sport = f.dport, .dport = f.sport,
			    .proto = f.proto, .side = CT_FROM_CLUSTER};
	bpf_map_update_elem(&mgw_ct_v1, &rk, &ret, BPF_ANY);
	dst_filter_add(f.daddr); // k is looked up from the legacy side too (from_legacy)
	bpf_map_update_elem(&mgw_ct_v1, &k, &in, BPF_ANY);
	return relay_to_backend(&f, encap_to);
}

// A packet sent through the tunnel untranslated (a relayed flow's packet to its backend's node, its
// reply back to the peer, a pod's packet another gateway owns the egress of). Called from the
// programs themselves: a body's frame with tunnel_out's chain under it would pass the verifier's
// 512 bytes of stack.
static __noinline int encap_out(struct __sk_buff *skb, __be32 to)
{
	void *data = (void *)(long)skb->data;
	void *end = (void *)(long)skb->data_end;
	struct iphdr *ip = data + sizeof(struct ethhdr);
	if ((void *)(ip + 1) > end)
		return TC_ACT_SHOT;
	struct flow f = {.proto = ip->protocol, .len = skb->len};
	if (f.proto == IPPROTO_TCP && !(ip->frag_off & bpf_htons(IP_MF | IP_OFFSET)))
		bpf_skb_load_bytes(skb, sizeof(struct ethhdr) + ip->ihl * 4 + 13, &f.tcp_flags, 1);
	return tunnel_out(skb, &f, to, 0, 0);
}

// tc ingress, either side: IPIP from a peer gateway is decapsulated and handled as what it
// carries; IPIP from a node of this cluster is decapsulated, *node set, and -1 returned: the
// program hands it to from_cluster. Returns -1 for every other packet, which the program handles
// as before.
static __always_inline int tunnel_ingress(struct __sk_buff *skb, __be32 *node)
{
	// Nearly every packet is no IPIP at all: told here, inlined, it costs no call into tunnel_in.
	void *data = (void *)(long)skb->data;
	struct ethhdr *eth = data;
	struct iphdr *ip = (void *)(eth + 1);
	if ((void *)(ip + 1) > (void *)(long)skb->data_end || eth->h_proto != bpf_htons(ETH_P_IP) ||
	    ip->protocol != IPPROTO_IPIP)
		return -1;
	__be32 peer = 0;
	switch (tunnel_in(skb, &peer, node)) {
	case TUNNEL_NONE:
	case TUNNEL_FROM_NODE:
		return -1;
	case TUNNEL_DECAPSULATED: {
		__be32 to = 0;
		int rc = from_tunnel(skb, peer, &to);
		return to ? encap_out(skb, to) : rc;
	}
	default:
		return TC_ACT_SHOT;
	}
}

#endif

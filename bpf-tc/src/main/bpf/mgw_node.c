// SPDX-License-Identifier: GPL-2.0
// The node role: what runs on a node that is no gateway (bpf-tc/DESIGN.md, "Node role"). A pod
// with an EgressIdentity sending toward a legacy prefix would leave through its own node with
// its own address, past the egress address legacy firewalls know its identity by. Two tc
// programs on the node's uplink (the interface its routes toward the datacenter leave by):
//   mgw_node_out  tc egress: such a packet is encapsulated in IPv4 (RFC 2003) to the gateway node
//                 that owns the identity's egress address, which SNATs it; everything else
//                 (other pods, other destinations, the node's own traffic) is handed on untouched;
//   mgw_node_in   tc ingress: the replies the owner sends back the same way lose their outer
//                 header and are routed to the pod.
// Routed packets, not the pods' interfaces: one attachment whatever the CNI names its veths. The
// node must not masquerade its pods' traffic toward the legacy prefixes (tc egress runs after
// netfilter's POSTROUTING): the program knows a pod only by its source address.
#include <stddef.h>
#include <linux/bpf.h>
#include <linux/pkt_cls.h>
#include <linux/if_ether.h>
#include <linux/ip.h>
#include <linux/in.h>
#include <linux/tcp.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_endian.h>
#include "mgw_csum.h"
#include "mgw_ipip.h"

#define IP_MF 0x2000
#define IP_OFFSET 0x1fff
#define TCP_SYN 0x02

// Map layouts of the node role, version 1: a stable interface mirrored by the Java codecs
// (io.meshgw.bpf.datapath.NodeRole). Addresses in network byte order.

// A pod with an EgressIdentity, by its IPv4 address.
struct node_pod {
	__be32 owner;	 // the tunnel endpoint of the gateway node owning the identity's egress address; 0: none
	__u32 identity; // for the counters' sake and the CLI; the gateway finds the identity itself
};

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 65536);
	__type(key, __be32);
	__type(value, struct node_pod);
	__uint(pinning, LIBBPF_PIN_BY_NAME);
} mgw_node_pod_v1 SEC(".maps");

// The legacy prefixes (learned from the routers) such pods' packets are steered toward.
struct node_dst_key {
	__u32 prefixlen;
	__be32 addr;
};

struct {
	__uint(type, BPF_MAP_TYPE_LPM_TRIE);
	__uint(max_entries, 65536);
	__type(key, struct node_dst_key);
	__type(value, __u32);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__uint(pinning, LIBBPF_PIN_BY_NAME);
} mgw_node_dst_v1 SEC(".maps");

// The gateways whose IPIP is decapsulated here: endpoint -> 1.
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 4096);
	__type(key, __be32);
	__type(value, __u32);
	__uint(pinning, LIBBPF_PIN_BY_NAME);
} mgw_node_gw_v1 SEC(".maps");

// This node's own address: the outer source it writes, the outer destination it decapsulates.
struct node_cfg {
	__be32 self;
};

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct node_cfg);
	__uint(pinning, LIBBPF_PIN_BY_NAME);
} mgw_node_cfg_v1 SEC(".maps");

enum node_counter {
	NODE_STEERED = 0,      // a pod's packet encapsulated toward its identity's egress owner
	NODE_REPLY_IN,	       // the owner's IPIP, decapsulated toward the pod
	NODE_DROP_NO_OWNER,    // the identity's egress address has no owner (or this node no address)
	NODE_DROP_MTU,	       // too large with the outer header (ICMP "fragmentation needed" sent when DF)
	NODE_DROP_ROUTE,       // no route to the owner, or the packet could not be encapsulated
	NODE_MALFORMED,	       // IPIP from a known gateway that is not one it writes
	NODE_CNT_MAX,
};

#define NODE_CNT_SLOTS 16

struct counter_val {
	__u64 packets;
	__u64 bytes;
};

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, NODE_CNT_SLOTS);
	__type(key, __u32);
	__type(value, struct counter_val);
	__uint(pinning, LIBBPF_PIN_BY_NAME);
} mgw_node_cnt_v1 SEC(".maps");

static __always_inline void node_count(__u32 idx, __u32 len)
{
	struct counter_val *c = bpf_map_lookup_elem(&mgw_node_cnt_v1, &idx);
	if (c) {
		c->packets++;
		c->bytes += len;
	}
}

static __always_inline __be32 node_self(void)
{
	__u32 zero = 0;
	struct node_cfg *c = bpf_map_lookup_elem(&mgw_node_cfg_v1, &zero);
	return c ? c->self : 0;
}

// Sends the ICMP error tunnel_frag_needed wrote to the pod it is about, the way the kernel routes
// to it (the pod's interface, its MAC).
static __noinline int node_route_back(struct __sk_buff *skb, __be32 self, __be32 pod)
{
	struct bpf_fib_lookup fib = {};
	fib.family = MGW_AF_INET;
	fib.l4_protocol = IPPROTO_ICMP;
	fib.ipv4_src = self;
	fib.ipv4_dst = pod;
	fib.ifindex = skb->ifindex;
	long rc = bpf_fib_lookup(skb, &fib, sizeof(fib), 0);
	if (rc == BPF_FIB_LKUP_RET_NO_NEIGH)
		return bpf_redirect_neigh(fib.ifindex, NULL, 0, 0);
	if (rc != BPF_FIB_LKUP_RET_SUCCESS)
		return TC_ACT_SHOT;
	void *data = (void *)(long)skb->data;
	struct ethhdr *eth = data;
	if ((void *)(eth + 1) > (void *)(long)skb->data_end)
		return TC_ACT_SHOT;
	__builtin_memcpy(eth->h_dest, fib.dmac, ETH_ALEN);
	__builtin_memcpy(eth->h_source, fib.smac, ETH_ALEN);
	return bpf_redirect(fib.ifindex, 0);
}

// Encapsulates the packet toward owner, as the gateways' tunnel does (mgw_tunnel.h's tunnel_out):
// the MTU checked with the outer header, "fragmentation needed" routed back to the pod when it
// does not fit with DF set, a SYN's MSS clamped to what the tunnel carries.
static __noinline int node_steer(struct __sk_buff *skb, __be32 self, __be32 owner)
{
	void *data = (void *)(long)skb->data;
	void *end = (void *)(long)skb->data_end;
	struct iphdr *inner = data + sizeof(struct ethhdr);
	if ((void *)(inner + 1) > end)
		return TC_ACT_SHOT;
	__u32 len = skb->len;
	__u16 inner_len = bpf_ntohs(inner->tot_len);
	__be16 df = inner->frag_off & bpf_htons(IP_DF);
	__u8 tos = inner->tos;
	__be32 pod = inner->saddr;
	int syn = 0;
	if (inner->protocol == IPPROTO_TCP && !(inner->frag_off & bpf_htons(IP_MF | IP_OFFSET))) {
		__u8 flags;
		if (bpf_skb_load_bytes(skb, sizeof(struct ethhdr) + inner->ihl * 4 + 13, &flags, 1) == 0)
			syn = flags & TCP_SYN;
	}
	struct bpf_fib_lookup fib = {};
	long rc = ipip_route(skb, &fib, self, owner, tos, inner_len);
	if (rc == BPF_FIB_LKUP_RET_FRAG_NEEDED) {
		node_count(NODE_DROP_MTU, len);
		__u32 mtu = fib.mtu_result > IPV4_HLEN ? fib.mtu_result - IPV4_HLEN : 68;
		if (!df || tunnel_frag_needed(skb, self, mtu, 1) != TC_ACT_OK)
			return TC_ACT_SHOT;
		return node_route_back(skb, self, pod);
	}
	if (rc != BPF_FIB_LKUP_RET_SUCCESS && rc != BPF_FIB_LKUP_RET_NO_NEIGH) {
		node_count(NODE_DROP_ROUTE, len);
		return TC_ACT_SHOT;
	}
	if (syn)
		tunnel_clamp_mss(skb, fib.ifindex);
	int sent = ipip_push(skb, &fib, rc, self, owner, tos, inner_len, df);
	if (sent < 0) {
		node_count(NODE_DROP_ROUTE, len);
		return TC_ACT_SHOT;
	}
	node_count(NODE_STEERED, len);
	return sent;
}

// tc egress on the uplink. Every IPv4 packet of such a pod toward a legacy prefix goes to the
// owner, whatever its protocol or whether it is a fragment: the owner decides what it SNATs and
// drops the rest (bpf-tc/DESIGN.md, "Egress fails closed"), so nothing leaves with the pod's
// address from here either. Without an owner the packet is dropped.
SEC("tc")
int mgw_node_out(struct __sk_buff *skb)
{
	void *data = (void *)(long)skb->data;
	void *end = (void *)(long)skb->data_end;
	struct ethhdr *eth = data;
	struct iphdr *ip = (void *)(eth + 1);
	if ((void *)(ip + 1) > end || eth->h_proto != bpf_htons(ETH_P_IP) || ip->version != 4)
		return TC_ACT_UNSPEC;
	__be32 saddr = ip->saddr;
	struct node_pod *pod = bpf_map_lookup_elem(&mgw_node_pod_v1, &saddr);
	if (!pod)
		return TC_ACT_UNSPEC;
	struct node_dst_key dk = {.prefixlen = 32, .addr = ip->daddr};
	if (!bpf_map_lookup_elem(&mgw_node_dst_v1, &dk))
		return TC_ACT_UNSPEC;
	__be32 owner = pod->owner;
	__be32 self = node_self();
	if (!owner || !self) {
		node_count(NODE_DROP_NO_OWNER, skb->len);
		return TC_ACT_SHOT;
	}
	return node_steer(skb, self, owner);
}

// tc ingress on the uplink: IPIP to this node from a gateway it steers to, around a packet for
// one of the pods it steers (a translated reply), loses its outer header and is routed on by the
// kernel. Anything else is handed on untouched: no one can use the node as a relay.
SEC("tc")
int mgw_node_in(struct __sk_buff *skb)
{
	void *data = (void *)(long)skb->data;
	void *end = (void *)(long)skb->data_end;
	struct ethhdr *eth = data;
	struct iphdr *ip = (void *)(eth + 1);
	if ((void *)(ip + 1) > end || eth->h_proto != bpf_htons(ETH_P_IP) || ip->protocol != IPPROTO_IPIP)
		return TC_ACT_UNSPEC;
	__be32 self = node_self();
	__be32 from = ip->saddr;
	if (!self || ip->daddr != self || !bpf_map_lookup_elem(&mgw_node_gw_v1, &from))
		return TC_ACT_UNSPEC;
	struct iphdr *inner = (void *)(ip + 1);
	if (ip->ihl != 5 || (ip->frag_off & bpf_htons(IP_MF | IP_OFFSET)) || (void *)(inner + 1) > end ||
	    inner->version != 4) {
		node_count(NODE_MALFORMED, skb->len);
		return TC_ACT_SHOT;
	}
	__be32 pod = inner->daddr;
	if (!bpf_map_lookup_elem(&mgw_node_pod_v1, &pod))
		return TC_ACT_UNSPEC;
	if (ipip_pop(skb)) {
		node_count(NODE_MALFORMED, skb->len);
		return TC_ACT_SHOT;
	}
	node_count(NODE_REPLY_IN, skb->len);
	return TC_ACT_OK;
}

char LICENSE[] SEC("license") = "GPL";

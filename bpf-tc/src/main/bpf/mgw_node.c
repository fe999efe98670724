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
// The same two programs bring a backend's replies back to the gateway that translated its flow
// (the return half): a gateway sends a flow it DNATs to a backend here in IPIP (mgw_bnode_v1 in
// mgw_maps.h); mgw_node_in records the flow with that gateway's address (mgw_node_flow_v1) and
// routes the packet to the backend, and mgw_node_out sends the backend's replies (and its ICMP
// errors about the flow) back to that gateway in IPIP, whatever this node's own routes say.
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
#define TCP_ACK 0x10

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

// The pods of this node, by IPv4 address -> 1: the only inner destinations a gateway's IPIP is
// decapsulated toward, so no one can use the node to relay packets elsewhere.
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 65536);
	__type(key, __be32);
	__type(value, __u32);
	__uint(pinning, LIBBPF_PIN_BY_NAME);
} mgw_node_local_v1 SEC(".maps");

// A flow a gateway sent here in IPIP, by the tuple of its replies (the backend's address and port
// first), with that gateway's address. LRU: a flow's entry is refreshed by each of its packets
// from the gateway, and one that ended is evicted when the table is full. A new flow that reuses
// a tuple takes the entry over with its first packet.
struct node_flow_key {
	__be32 saddr;
	__be32 daddr;
	__be16 sport;
	__be16 dport;
	__u8 proto;
	__u8 pad[3];
};

struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, 131072);
	__type(key, struct node_flow_key);
	__type(value, __be32);
	__uint(pinning, LIBBPF_PIN_BY_NAME);
} mgw_node_flow_v1 SEC(".maps");

// A steered pod's egress flow (TCP or UDP), by the tuple its translated replies arrive with (the
// legacy peer's address and port first), with the owner it was steered to. Written when the node
// steers a flow's packet and the flow is new or moved to another owner; what tells the owner's
// reply from a flow a gateway sends to the same pod (node_classify). LRU: an entry the table
// evicted makes a later reply of its flow look like a flow of the owner's, which is delivered to
// the pod all the same and whose replies go to that same owner.
struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, 65536);
	__type(key, struct node_flow_key);
	__type(value, __be32);
	__uint(pinning, LIBBPF_PIN_BY_NAME);
} mgw_node_egress_v1 SEC(".maps");

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
	NODE_FLOW_IN,	       // a gateway's translated flow, decapsulated toward a backend here and recorded
	NODE_RETURNED,	       // a backend's reply, encapsulated back to the gateway holding its flow
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

// Encapsulates the packet toward a gateway, as the gateways' tunnel does (mgw_tunnel.h's tunnel_out):
// the MTU checked with the outer header, "fragmentation needed" routed back to the pod when it
// does not fit with DF set, a SYN's MSS clamped to what the tunnel carries.
static __noinline int node_steer(struct __sk_buff *skb, __be32 self, __be32 owner, __u32 counter)
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
	node_count(counter, len);
	return sent;
}

// The packet's tuple into *k as a reply of a recorded flow has it: its own for TCP and UDP,
// reversed for an ICMP error (Destination Unreachable, Time Exceeded) quoting one (the quote is
// the flow's packet toward the backend). -1 for anything else, a later fragment among it: it has
// no ports, and is routed as the node routes it.
static __always_inline int node_reply_key(struct __sk_buff *skb, struct node_flow_key *k)
{
	void *data = (void *)(long)skb->data;
	void *end = (void *)(long)skb->data_end;
	struct iphdr *ip = data + sizeof(struct ethhdr);
	if ((void *)(ip + 1) > end || ip->ihl != 5 || (ip->frag_off & bpf_htons(IP_OFFSET)))
		return -1;
	if (ip->protocol == IPPROTO_TCP || ip->protocol == IPPROTO_UDP) {
		__be16 *ports = (void *)(ip + 1);
		if ((void *)(ports + 2) > end)
			return -1;
		*k = (struct node_flow_key){.saddr = ip->saddr, .daddr = ip->daddr, .sport = ports[0],
					    .dport = ports[1], .proto = ip->protocol};
		return 0;
	}
	if (ip->protocol != IPPROTO_ICMP)
		return -1;
	__u8 *icmp = (void *)(ip + 1);
	struct iphdr *in = (void *)(icmp + 8);
	if ((void *)(in + 1) > end || (icmp[0] != 3 && icmp[0] != 11) || in->ihl != 5 ||
	    (in->protocol != IPPROTO_TCP && in->protocol != IPPROTO_UDP))
		return -1;
	__be16 *ports = (void *)(in + 1);
	if ((void *)(ports + 2) > end)
		return -1;
	*k = (struct node_flow_key){.saddr = in->daddr, .daddr = in->saddr, .sport = ports[1], .dport = ports[0],
				    .proto = in->protocol};
	return 0;
}

// Records the steered packet's flow (TCP or UDP, not a later fragment) by its replies' tuple with
// its owner, when new or moved: a flow's packets then cost a lookup, not a write.
static __always_inline void node_record_egress(struct __sk_buff *skb, __be32 owner)
{
	void *data = (void *)(long)skb->data;
	void *end = (void *)(long)skb->data_end;
	struct iphdr *ip = data + sizeof(struct ethhdr);
	if ((void *)(ip + 1) > end || ip->ihl != 5 || (ip->frag_off & bpf_htons(IP_OFFSET)) ||
	    (ip->protocol != IPPROTO_TCP && ip->protocol != IPPROTO_UDP))
		return;
	__be16 *ports = (void *)(ip + 1);
	if ((void *)(ports + 2) > end)
		return;
	struct node_flow_key k = {.saddr = ip->daddr, .daddr = ip->saddr, .sport = ports[1], .dport = ports[0],
				  .proto = ip->protocol};
	__be32 *known = bpf_map_lookup_elem(&mgw_node_egress_v1, &k);
	if (!known || *known != owner)
		bpf_map_update_elem(&mgw_node_egress_v1, &k, &owner, BPF_ANY);
}

// tc egress on the uplink. A reply of a flow a gateway sent here goes back to that gateway, before
// anything else: a backend with an EgressIdentity answers a VIP's client from the VIP, not from
// its egress address. Every other IPv4 packet of a steered pod toward a legacy prefix goes to the
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
	struct node_flow_key fk;
	if (node_reply_key(skb, &fk) == 0) {
		__be32 *gateway = bpf_map_lookup_elem(&mgw_node_flow_v1, &fk);
		if (gateway) {
			__be32 to = *gateway;
			__be32 self = node_self();
			if (!self) {
				node_count(NODE_DROP_NO_OWNER, skb->len);
				return TC_ACT_SHOT;
			}
			return node_steer(skb, self, to, NODE_RETURNED);
		}
	}
	data = (void *)(long)skb->data;
	end = (void *)(long)skb->data_end;
	ip = data + sizeof(struct ethhdr);
	if ((void *)(ip + 1) > end)
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
	node_record_egress(skb, owner);
	return node_steer(skb, self, owner, NODE_STEERED);
}

// Whether a packet from src to pod is the owner's reply to a steered pod's egress: the pod is one
// this node steers, src is in its legacy prefixes.
static __always_inline int node_egress_reply(__be32 src, __be32 pod)
{
	if (!bpf_map_lookup_elem(&mgw_node_pod_v1, &pod))
		return 0;
	struct node_dst_key dk = {.prefixlen = 32, .addr = src};
	return bpf_map_lookup_elem(&mgw_node_dst_v1, &dk) != NULL;
}

#define NODE_EGRESS_REPLY 0
#define NODE_FLOW 1

// What the packet (IPIP from gateway toward a pod here, not yet decapsulated) carries: the owner's
// reply to a steered pod's egress (NODE_EGRESS_REPLY), or a flow a gateway translated toward a
// backend here (NODE_FLOW), recorded by the tuple of its replies with that gateway's address. A
// TCP or UDP packet is an egress reply when the node steered its flow out (mgw_node_egress_v1)
// and it is no recorded flow and no TCP SYN (a connection opening toward the pod, which no egress
// reply is); every other one is a flow. So a steered pod serving a VIP whose clients sit in its
// legacy prefixes answers UDP from the VIP too. ICMP and later fragments, which have no ports, are
// told by their addresses: to a steered pod from its legacy prefixes is an egress reply. A record
// is written only when new or moved to another gateway: a flow's packets then cost a lookup.
static __always_inline int node_classify(struct __sk_buff *skb, __be32 gateway)
{
	void *data = (void *)(long)skb->data;
	void *end = (void *)(long)skb->data_end;
	struct iphdr *inner = data + sizeof(struct ethhdr) + sizeof(struct iphdr);
	if ((void *)(inner + 1) > end)
		return NODE_FLOW;
	__be32 src = inner->saddr;
	__be32 pod = inner->daddr;
	__be16 *ports = (void *)(inner + 1);
	if (inner->ihl != 5 || (inner->frag_off & bpf_htons(IP_OFFSET)) ||
	    (inner->protocol != IPPROTO_TCP && inner->protocol != IPPROTO_UDP) || (void *)(ports + 2) > end)
		return node_egress_reply(src, pod) ? NODE_EGRESS_REPLY : NODE_FLOW;
	struct node_flow_key k = {.saddr = pod, .daddr = src, .sport = ports[1], .dport = ports[0],
				  .proto = inner->protocol};
	int syn = 0;
	if (inner->protocol == IPPROTO_TCP) {
		__u8 *flags = (void *)(ports) + 13;
		if ((void *)(flags + 1) > end)
			return node_egress_reply(src, pod) ? NODE_EGRESS_REPLY : NODE_FLOW;
		syn = (*flags & (TCP_SYN | TCP_ACK)) == TCP_SYN;
	}
	__be32 *known = bpf_map_lookup_elem(&mgw_node_flow_v1, &k);
	if (!known && !syn) {
		struct node_flow_key ek = {.saddr = src, .daddr = pod, .sport = ports[0], .dport = ports[1],
					   .proto = inner->protocol};
		if (bpf_map_lookup_elem(&mgw_node_egress_v1, &ek))
			return NODE_EGRESS_REPLY;
	}
	if (!known || *known != gateway)
		bpf_map_update_elem(&mgw_node_flow_v1, &k, &gateway, BPF_ANY);
	return NODE_FLOW;
}

// tc ingress on the uplink: IPIP to this node from a gateway of the cluster loses its outer header
// and is routed on by the kernel, when it carries a packet for a pod of this node: a translated
// reply to a pod it steers, or a flow a gateway translated toward a backend here (recorded first,
// node_classify). Anything else is handed on untouched: no one can use the node as a relay.
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
	if (!bpf_map_lookup_elem(&mgw_node_local_v1, &pod) && !bpf_map_lookup_elem(&mgw_node_pod_v1, &pod))
		return TC_ACT_UNSPEC;
	int what = node_classify(skb, from);
	if (ipip_pop(skb)) {
		node_count(NODE_MALFORMED, skb->len);
		return TC_ACT_SHOT;
	}
	node_count(what == NODE_EGRESS_REPLY ? NODE_REPLY_IN : NODE_FLOW_IN, skb->len);
	return TC_ACT_OK;
}

char LICENSE[] SEC("license") = "GPL";

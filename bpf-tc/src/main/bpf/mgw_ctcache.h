// SPDX-License-Identifier: GPL-2.0
// The per-CPU flow cache in front of conntrack (struct ct_cache_slot; bpf-tc/DESIGN.md). Included
// by mgw_tc.c after mgw_ct.h.
#ifndef MGW_CTCACHE_H
#define MGW_CTCACHE_H

// The flow-cache slot of a conntrack key on this CPU (see struct ct_cache_slot).
static __always_inline struct ct_cache_slot *ct_cache_slot(const struct ct_key *k)
{
	__u32 h = k->saddr * 0x9e3779b1u;
	h ^= k->daddr * 0x85ebca6bu;
	h ^= ((__u32)k->sport << 16 | k->dport) * 0xc2b2ae35u;
	h ^= (__u32)k->proto << 8 | k->side;
	h ^= h >> 16;
	__u32 idx = h & (CT_CACHE_SLOTS - 1);
	return bpf_map_lookup_elem(&mgw_ctcache_v1, &idx);
}

static __always_inline int ct_key_equal(const struct ct_key *a, const struct ct_key *b)
{
	const __u32 *x = (const __u32 *)a, *y = (const __u32 *)b;
	return x[0] == y[0] && x[1] == y[1] && x[2] == y[2] && x[3] == y[3];
}

// The slot holds this flow and was read from mgw_ct_v1 recently enough to be trusted. Packets
// that open or close a TCP connection always go to the conntrack entry itself.
static __always_inline int ct_cache_usable(const struct ct_cache_slot *slot, const struct ct_key *k,
					   const struct flow *f)
{
	return slot && slot->dir && ct_key_equal(&slot->key, k) &&
	       bpf_jiffies64() - slot->checked_jiffies < CT_CACHE_TRUST_JIFFIES &&
	       !(f->tcp_flags & (TCP_FIN | TCP_SYN | TCP_RST));
}

static __always_inline void ct_cache_count(struct ct_cache_slot *slot, const struct flow *f)
{
	slot->packets++;
	slot->bytes += f->len;
	if ((__s32)(f->seq_end - slot->seq_next) > 0) // UDP: both 0
		slot->seq_next = f->seq_end;
}

// Before an entry judges a packet (an RST's sequence above all): what this CPU's slot saw of the
// flow since it was filled, the entry has not seen.
static __always_inline void ct_cache_sync(const struct ct_cache_slot *slot, const struct ct_key *k, struct ct_val *ct)
{
	if (slot && slot->dir && ct_key_equal(&slot->key, k))
		ct_seq_merge(ct, slot->seq_next);
}

// The slot no longer vouches for this key: the flow is being created again (a new connection
// on a closed or expired tuple, possibly with another backend or SNAT port) or is closing. Its
// gathered counts stay in the slot and reach the old entry at the next fill, if it still exists.
static __always_inline void ct_cache_forget(struct ct_cache_slot *slot, const struct ct_key *k)
{
	if (slot && slot->dir && ct_key_equal(&slot->key, k))
		slot->dir = 0;
}

// After a conntrack hit: the slot now holds this flow's translation. Counts gathered for the
// flow the slot held before are added to that flow's entry first.
static __always_inline void ct_cache_fill(struct ct_cache_slot *slot, const struct ct_key *k, struct ct_val *ct)
{
	if (!slot)
		return;
	// A closing flow's packets go to conntrack: a new connection may soon reuse its tuple. Tunnel
	// entries are not cached: their packets pay the encapsulation's helper calls anyway; nor are
	// the reply entries of flows a node steered here, which go back to it through the tunnel.
	if (ct_closing(ct->flags) || ct->dir == CT_TUN_IN || ct->dir == CT_TUN_RET ||
	    (ct->dir == CT_REV_SNAT && ct->via_node)) {
		ct_cache_forget(slot, k);
		return;
	}
	if (slot->packets) {
		struct ct_val *held = ct_key_equal(&slot->key, k) ? ct : bpf_map_lookup_elem(ct_map_of(slot->dir), &slot->key);
		if (held) {
			held->packets += slot->packets;
			held->bytes += slot->bytes;
			ct_seq_merge(held, slot->seq_next);
		}
	}
	slot->key = *k;
	slot->nat_addr = ct->nat_addr;
	slot->nat_port = ct->nat_port;
	slot->dir = ct->dir;
	slot->backend_id = ct->backend_id;
	slot->seq_next = ct->seq_next;
	slot->checked_jiffies = bpf_jiffies64();
	slot->packets = 0;
	slot->bytes = 0;
}

#endif

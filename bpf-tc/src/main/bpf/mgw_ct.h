// SPDX-License-Identifier: GPL-2.0
// Conntrack entries: the peer entry, refresh, TCP state and expiry. Included by mgw_tc.c after
// struct flow and the TCP flag and timing constants.
#ifndef MGW_CT_H
#define MGW_CT_H

// Inbound (DNAT) flows live in mgw_ct_v1, egress (SNAT) flows in mgw_ct_snat_v1; both entries
// of a flow are in the same map, so an entry's direction names the map of its peer.
static __always_inline void *ct_map_of(__u8 dir)
{
	return dir == CT_FWD_SNAT || dir == CT_REV_SNAT ? (void *)&mgw_ct_snat_v1 : (void *)&mgw_ct_v1;
}

// A conntrack key's entry in either map: inbound flows first (the legacy side's busiest kind).
static __always_inline struct ct_val *ct_find(const struct ct_key *k)
{
	struct ct_val *ct = bpf_map_lookup_elem(&mgw_ct_v1, k);
	if (!ct)
		ct = bpf_map_lookup_elem(&mgw_ct_snat_v1, k);
	return ct;
}

// The key of the entry for the flow's other direction: the reply to the translated packet.
// Entries that rewrite the destination are looked up from the legacy side (forward DNAT, reverse
// SNAT), those that rewrite the source from the cluster side.
static __always_inline void ct_peer_key(struct ct_key *pk, const struct flow *f, const struct ct_val *ct)
{
	if (ct->dir == CT_TUN_IN || ct->dir == CT_TUN_RET) {
		// Nothing is rewritten: the peer is the reversed tuple, seen from the other side.
		pk->saddr = f->daddr;
		pk->daddr = f->saddr;
		pk->sport = f->dport;
		pk->dport = f->sport;
		pk->side = ct->dir == CT_TUN_IN ? CT_FROM_CLUSTER : CT_FROM_LEGACY;
	} else if (ct->dir == CT_FWD_DNAT || ct->dir == CT_REV_SNAT) {
		pk->saddr = ct->nat_addr;
		pk->daddr = f->saddr;
		pk->sport = ct->nat_port;
		pk->dport = f->sport;
		pk->side = CT_FROM_CLUSTER;
	} else {
		pk->saddr = f->daddr;
		pk->daddr = ct->nat_addr;
		pk->sport = f->dport;
		pk->dport = ct->nat_port;
		pk->side = CT_FROM_LEGACY;
	}
	pk->proto = f->proto;
	pk->pad = 0;
}

// The peer translates back to what this packet was before its own translation.
static __always_inline int ct_peer_matches(const struct flow *f, const struct ct_val *ct, const struct ct_val *peer)
{
	if (ct->dir == CT_TUN_IN || ct->dir == CT_TUN_RET)
		return peer->dir == (ct->dir == CT_TUN_IN ? CT_TUN_RET : CT_TUN_IN) && peer->nat_addr == ct->nat_addr;
	if (ct->dir == CT_FWD_DNAT || ct->dir == CT_REV_SNAT)
		return peer->nat_addr == f->daddr && peer->nat_port == f->dport;
	return peer->nat_addr == f->saddr && peer->nat_port == f->sport;
}

// Per-flow accounting on a conntrack hit. Plain increments: a flow is handled by one CPU at a
// time in practice (RSS), and these are statistics, not policy. About once a second the entry's
// last-seen time moves and its peer is looked up too: that lookup keeps the peer from being the
// LRU's victim while its direction is quiet (a one-way flow still gets its replies translated),
// both entries age together, and a lost or reused peer is noticed. Returns 0, or -1 when the
// peer is missing or belongs to another flow (*peer_out says which: NULL when missing).
static __always_inline int ct_touch(struct ct_val *ct, const struct flow *f, __u64 now, struct ct_val **peer_out)
{
	ct->packets++;
	ct->bytes += f->len;
	if ((__s64)(now - ct->last_seen_ns) < (__s64)CT_REFRESH_NS)
		return 0;
	ct->last_seen_ns = now;
	struct ct_key pk;
	ct_peer_key(&pk, f, ct);
	struct ct_val *peer = bpf_map_lookup_elem(ct_map_of(ct->dir), &pk);
	*peer_out = peer;
	if (!peer || !ct_peer_matches(f, ct, peer))
		return -1;
	peer->last_seen_ns = now;
	return 0;
}

static __always_inline int ct_closing(__u8 flags)
{
	const __u8 both = CT_FIN_FROM_LEGACY | CT_FIN_FROM_CLUSTER;
	return (flags & CT_RST) || (flags & both) == both;
}

static __always_inline int ct_expired(const struct ct_val *ct, __u8 proto, __u64 now)
{
	__u64 timeout = proto != IPPROTO_TCP		? CT_TIMEOUT_OTHER_NS
			: ct_closing(ct->flags)		? CT_TIMEOUT_TCP_CLOSING_NS
			: (ct->flags & CT_UNREPLIED)	? CT_TIMEOUT_TCP_UNREPLIED_NS
							: CT_TIMEOUT_TCP_NS;
	return (__s64)(now - ct->last_seen_ns) > (__s64)timeout;
}

// The conntrack entry that translates this packet, if any. An entry idle for longer than its
// state allows is not used, and a bare SYN on a closed TCP flow opens a new connection on the
// same tuple: either way the packet is the first of a new flow (whose entries replace these).
static __always_inline struct ct_val *ct_lookup(const struct ct_key *k, const struct flow *f, __u64 now)
{
	struct ct_val *ct = ct_find(k);
	if (!ct || ct_expired(ct, f->proto, now))
		return NULL;
	if ((f->tcp_flags & (TCP_SYN | TCP_ACK)) == TCP_SYN && ct_closing(ct->flags))
		return NULL;
	return ct;
}

// Sets TCP state bits in an entry without losing bits another CPU sets at the same time (the
// two directions' FINs can cross). An atomic OR on the entry's first 64-bit word (nat_addr,
// nat_port, dir, flags): flags is its top byte on this little-endian machine, and OR leaves
// the other bytes as they are.
_Static_assert(offsetof(struct ct_val, flags) == 7, "flags is the top byte of the first word");
_Static_assert(__BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__, "the top byte is the last one");

static __always_inline void ct_set_flags(struct ct_val *ct, __u8 bits)
{
	__sync_fetch_and_or((__u64 *)ct, (__u64)bits << 56);
}

static __always_inline void ct_clear_flags(struct ct_val *ct, __u8 bits)
{
	__sync_fetch_and_and((__u64 *)ct, ~((__u64)bits << 56));
}

// Moves a TCP sequence end a flow-cache slot saw into an entry, when it is ahead of the entry's.
static __always_inline void ct_seq_merge(struct ct_val *ct, __u32 seq_next)
{
	if ((ct->flags & CT_SEQ) && (__s32)(seq_next - ct->seq_next) > 0)
		ct->seq_next = seq_next;
}

// Records a TCP segment's sequence end in its own direction's entry (the highest one wins).
static __always_inline void ct_seq_seen(struct ct_val *ct, const struct flow *f)
{
	if (!(ct->flags & CT_SEQ)) {
		ct->seq_next = f->seq_end;
		ct_set_flags(ct, CT_SEQ);
	} else if ((__s32)(f->seq_end - ct->seq_next) > 0) {
		ct->seq_next = f->seq_end;
	}
}

// An RST that may close its flow: its sequence number is near the highest end its direction
// carried (CT_RST_WINDOW), or nothing is tracked for that direction yet.
static __always_inline int ct_rst_in_window(const struct ct_val *ct, const struct flow *f)
{
	if (!(ct->flags & CT_SEQ))
		return 1;
	__s32 d = (__s32)(f->seq - ct->seq_next);
	return d > -CT_RST_WINDOW && d < CT_RST_WINDOW;
}

// Records in one entry what a TCP packet said: its FIN or RST bits, that it answered the flow,
// and when it was seen (ct_tcp_state() and its IPv6 twin, for an entry and its peer).
static __always_inline void ct_note(struct ct_val *ct, __u8 bits, __u8 answered, __u64 now)
{
	if (bits)
		ct_set_flags(ct, bits);
	if (answered)
		ct_clear_flags(ct, CT_UNREPLIED);
	ct->last_seen_ns = now;
}

// FIN and RST (which never take the flow cache) record the flow's TCP state in both of its
// entries; closing entries expire after CT_TIMEOUT_TCP_CLOSING_NS. An RST outside the window
// is handed on (the endpoint decides, RFC 5961 §3.2) without closing the flow: a blind RST
// that knows only the 5-tuple cannot shorten an idle flow's life to 10 s.
static __always_inline void ct_tcp_state(struct ct_val *ct, const struct flow *f, __u8 side, __u64 now)
{
	if (f->proto != IPPROTO_TCP)
		return;
	__u8 bits = 0;
	if (f->tcp_flags & TCP_RST) {
		if (ct_rst_in_window(ct, f))
			bits = CT_RST;
		else
			count(CNT_RST_OUT_OF_WINDOW, f->len);
	} else {
		ct_seq_seen(ct, f);
		if (f->tcp_flags & TCP_FIN)
			bits = side == CT_FROM_LEGACY ? CT_FIN_FROM_LEGACY : CT_FIN_FROM_CLUSTER;
	}
	// The first packet the reply way (a SYN-ACK: it never takes the flow cache) answers the flow.
	__u8 answered = (ct->dir == CT_REV_DNAT || ct->dir == CT_REV_SNAT || ct->dir == CT_TUN_RET)
				? (ct->flags & CT_UNREPLIED)
				: 0;
	if (!answered && (!bits || (ct->flags & bits) == bits))
		return;
	ct_note(ct, bits, answered, now);
	struct ct_key pk;
	ct_peer_key(&pk, f, ct);
	struct ct_val *peer = bpf_map_lookup_elem(ct_map_of(ct->dir), &pk);
	if (peer && ct_peer_matches(f, ct, peer))
		ct_note(peer, bits, answered, now);
}

// The TCP state a new flow's entries start in.
static __always_inline __u8 unreplied(const struct flow *f)
{
	return f->proto == IPPROTO_TCP ? CT_UNREPLIED : 0;
}

// The TCP state of a new flow's entry for the packet's own direction: its sequence is tracked
// from this first packet on.
static __always_inline __u8 first_seen(const struct flow *f)
{
	return f->proto == IPPROTO_TCP ? CT_UNREPLIED | CT_SEQ : 0;
}

#endif

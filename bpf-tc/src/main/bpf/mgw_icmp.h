// SPDX-License-Identifier: GPL-2.0
// ICMP errors about translated flows (RFC 792 Destination Unreachable, including "fragmentation
// needed" for Path MTU discovery, RFC 1191; Time Exceeded). An error carries the offending
// packet's IP header and at least 8 bytes of its L4 header; that packet was a translated one,
// so the host the error goes to would not recognise it. The error travels like a reply to the
// embedded packet: the conntrack entry of the embedded tuple reversed, on the side such replies
// come from, says how to translate it. The embedded header gets that entry's rewrite in the
// mirrored position (the entry rewrites replies' destinations: the embedded source is
// rewritten, and the other way round); the outer header gets the entry's own rewrite where it
// carries the address the flow's packets do. Every checksum is updated in place: the outer IPv4
// header's, the ICMP message's (which covers the embedded bytes), the embedded IPv4 header's,
// and the embedded L4 checksum when the error carries it (a TCP checksum needs 18 bytes).
// ICMP has no pseudo-header, so each change is compensated inside the packet and the kernel's
// running sum of a CHECKSUM_COMPLETE skb stays right without a helper.
#ifndef MGW_ICMP_H
#define MGW_ICMP_H

#include "mgw_icmphdr.h"

enum icmp_verdict {
	ICMP_TRANSLATED = 0,
	ICMP_UNRELATED = 1, // not an error, not about TCP/UDP, or about a flow we do not translate
	ICMP_CUT_SHORT = 2, // the embedded headers are cut short or inconsistent: never guessed at
};

// ip is the outer IPv4 header, already bounds-checked, IHL >= 5, not a fragment; side is the
// side replies to the embedded packet arrive from.
static __always_inline int icmp_error_translate(struct __sk_buff *skb, struct iphdr *ip, __u8 side)
{
	void *end = (void *)(long)skb->data_end;
	__u32 ihl = (ip->ihl & 0xf) * 4;
	struct icmphdr *icmp = (void *)ip + ihl;
	if ((void *)(icmp + 1) > end)
		return ICMP_CUT_SHORT;
	if (icmp->type != ICMP_DEST_UNREACH && icmp->type != ICMP_TIME_EXCEEDED)
		return ICMP_UNRELATED;
	struct iphdr *in = (void *)(icmp + 1);
	if ((void *)(in + 1) > end)
		return ICMP_CUT_SHORT;
	if (in->version != 4 || in->ihl < 5)
		return ICMP_CUT_SHORT;
	if (in->protocol != IPPROTO_TCP && in->protocol != IPPROTO_UDP)
		return ICMP_UNRELATED;
	if (in->frag_off & bpf_htons(IP_OFFSET))
		return ICMP_UNRELATED; // a later fragment: no L4 header to match
	__u16 *l4 = (void *)in + (in->ihl & 0xf) * 4;
	if ((void *)(l4 + 4) > end) // RFC 792: at least 64 bits of the original datagram's data
		return ICMP_CUT_SHORT;
	// Bytes past the outer header's total length are link-layer padding, not the error's: a
	// checksum found there must not be rewritten (the ICMP checksum does not cover it).
	__u32 tot_len = bpf_ntohs(ip->tot_len);
	__u32 l4_at = (void *)l4 - (void *)ip;
	if (l4_at + 8 > tot_len)
		return ICMP_CUT_SHORT;

	struct ct_key k = {.saddr = in->daddr, .daddr = in->saddr, .sport = l4[1], .dport = l4[0],
			   .proto = in->protocol, .side = side};
	struct ct_val *ct = ct_find(&k);
	if (!ct || ct_expired(ct, in->protocol, now_ns()))
		return ICMP_UNRELATED; // an expired entry no longer translates its flow's packets either
	if (ct->dir == CT_TUN_IN || ct->dir == CT_TUN_RET)
		return ICMP_UNRELATED; // a flow a peer gateway translated: its address is no translation
	int rewrites_dst = ct->dir == CT_FWD_DNAT || ct->dir == CT_REV_SNAT;
	__be32 *in_addr = rewrites_dst ? &in->saddr : &in->daddr;
	__u16 *in_port = rewrites_dst ? &l4[0] : &l4[1];
	__be32 old_addr = *in_addr;
	__u16 old_port = *in_port;
	__u32 addr_delta = csum_delta32(old_addr, ct->nat_addr);
	__u32 port_delta = csum_delta16(old_port, ct->nat_port);
	__u32 icmp_delta = addr_delta + port_delta;

	// The embedded L4 checksum: the address is in its pseudo-header, the port in its data.
	__u16 *l4_check = NULL;
	if (in->protocol == IPPROTO_UDP)
		l4_check = &l4[3];
	else if ((void *)(l4 + 9) <= end && l4_at + 18 <= tot_len)
		l4_check = &l4[8];
	if (l4_check) {
		__u16 old = *l4_check;
		__u16 new = csum_l4_update(old, MGW_CHECKSUM_NONE, in->protocol == IPPROTO_UDP, addr_delta, port_delta);
		*l4_check = new;
		icmp_delta += csum_delta16(old, new);
	}
	__u16 old_in_check = in->check;
	in->check = csum_update(old_in_check, addr_delta);
	icmp_delta += csum_delta16(old_in_check, in->check);
	*in_addr = ct->nat_addr;
	*in_port = ct->nat_port;
	icmp->checksum = csum_update(icmp->checksum, icmp_delta);

	// The outer header, where it carries the address the flow's own packets would: an error
	// sent to the embedded packet's source, or sent by the embedded packet's destination.
	if (rewrites_dst && ip->daddr == old_addr) {
		ip->check = csum_update(ip->check, addr_delta);
		ip->daddr = ct->nat_addr;
	} else if (!rewrites_dst && ip->saddr == old_addr) {
		ip->check = csum_update(ip->check, addr_delta);
		ip->saddr = ct->nat_addr;
	}
	return ICMP_TRANSLATED;
}

#endif

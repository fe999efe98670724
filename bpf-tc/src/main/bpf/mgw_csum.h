// SPDX-License-Identifier: GPL-2.0
// Internet checksum arithmetic for in-place rewrites (RFC 1071 sums, RFC 1624 incremental
// updates). Every word is taken raw, as it sits in the packet: the one's complement sum does not
// care about byte order as long as all words are read the same way.
#ifndef MGW_CSUM_H
#define MGW_CSUM_H

#include <linux/types.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_core_read.h>

// The skb's checksum state (CHECKSUM_* in include/linux/skbuff.h).
#define MGW_CHECKSUM_NONE 0
#define MGW_CHECKSUM_UNNECESSARY 1
#define MGW_CHECKSUM_COMPLETE 2
#define MGW_CHECKSUM_PARTIAL 3

// Inlined by the verifier into a register move (Linux 6.2+); weak, so the object still loads on
// older kernels, where every rewrite goes through the checksum helpers.
extern void *bpf_cast_to_kern_ctx(void *obj) __ksym __weak;

// The one field read from the kernel's sk_buff; CO-RE finds it in this kernel's layout.
struct sk_buff___mgw {
	__u8 ip_summed : 2;
} __attribute__((preserve_access_index));

// The skb's CHECKSUM_* state, or -1 when this kernel cannot tell us without a helper call.
static __always_inline int skb_ip_summed(struct __sk_buff *skb)
{
#ifdef MGW_CSUM_BY_HELPERS // a test build: every rewrite takes the helpers, as COMPLETE skbs do
	return -1;
#endif
	if (!bpf_cast_to_kern_ctx)
		return -1;
	struct sk_buff___mgw *k = bpf_cast_to_kern_ctx(skb);
	return BPF_CORE_READ_BITFIELD(k, ip_summed);
}

static __always_inline __u16 csum_fold(__u32 sum)
{
	sum = (sum & 0xffff) + (sum >> 16);
	sum = (sum & 0xffff) + (sum >> 16);
	return (__u16)sum;
}

// RFC 1624 eqn. 3: what replacing the 32-bit value old by new adds to a sum (~m + m').
static __always_inline __u32 csum_delta32(__u32 old, __u32 new)
{
	__u32 o = ~old;
	return (o & 0xffff) + (o >> 16) + (new & 0xffff) + (new >> 16);
}

static __always_inline __u32 csum_delta16(__u16 old, __u16 new)
{
	return (__u16)~old + (__u32) new;
}

// A checksum field (the complement of the sum) after the data it covers changed by delta:
// HC' = ~(~HC + ~m + m').
static __always_inline __u16 csum_update(__u16 check, __u32 delta)
{
	return (__u16)~csum_fold((__u16)~check + delta);
}

// The L4 checksum field after the pseudo-header changed by addr_delta and the L4 header itself
// by port_delta, for an skb whose checksum state is ip_summed (not CHECKSUM_COMPLETE: there the
// kernel's running sum must move too, which only the helpers can do). CHECKSUM_PARTIAL leaves
// only the pseudo-header sum, uncomplemented, in the field: the device (or the stack) adds the
// L4 bytes later, ports included. RFC 768: a UDP checksum of zero means "none" and stays zero;
// a computed zero is sent as all ones.
static __always_inline __u16 csum_l4_update(__u16 check, int ip_summed, int udp, __u32 addr_delta,
					    __u32 port_delta)
{
	if (udp && check == 0)
		return 0;
	__u16 out;
	if (ip_summed == MGW_CHECKSUM_PARTIAL)
		out = csum_fold((__u32)check + addr_delta);
	else
		out = csum_update(check, addr_delta + port_delta);
	return udp && out == 0 ? 0xffff : out;
}

#endif

// SPDX-License-Identifier: GPL-2.0
// Deliberately rejected by the verifier: reads packet data without checking data_end, so the
// tests can see the verifier log reach the Java exception.
#include <linux/bpf.h>
#include <linux/pkt_cls.h>
#include <bpf/bpf_helpers.h>

SEC("tc")
int tc_unchecked_read(struct __sk_buff *skb)
{
	unsigned char *data = (unsigned char *)(long)skb->data;
	return data[0] ? TC_ACT_OK : TC_ACT_SHOT;
}

char LICENSE[] SEC("license") = "GPL";

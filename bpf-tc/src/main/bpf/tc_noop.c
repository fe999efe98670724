// SPDX-License-Identifier: GPL-2.0
// The floor for datapath benchmarks: a tc program that passes every packet unchanged.
#include <linux/bpf.h>
#include <linux/pkt_cls.h>
#include <bpf/bpf_helpers.h>

SEC("tc")
int tc_noop(struct __sk_buff *skb)
{
	return TC_ACT_OK;
}

char LICENSE[] SEC("license") = "GPL";

// SPDX-License-Identifier: GPL-2.0
// Stands in for another tool's tc filter (a monitoring agent, another CNI): it counts every
// packet it sees and hands it on. The coexistence test installs it with plain `tc` before
// meshgw attaches, and checks that it is still there and still seeing traffic afterwards.
#include <linux/bpf.h>
#include <linux/pkt_cls.h>
#include <bpf/bpf_helpers.h>

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u64);
} other_seen SEC(".maps");

SEC("tc")
int other_tool(struct __sk_buff *skb)
{
	__u32 zero = 0;
	__u64 *n = bpf_map_lookup_elem(&other_seen, &zero);
	if (n)
		__sync_fetch_and_add(n, 1);
	return TC_ACT_UNSPEC;
}

char LICENSE[] SEC("license") = "GPL";

// SPDX-License-Identifier: GPL-2.0
// The ICMP header the programs read and write.
#ifndef MGW_ICMPHDR_H
#define MGW_ICMPHDR_H

#include <linux/types.h>

// RFC 792 (linux/icmp.h would drag in libc headers).
#define ICMP_DEST_UNREACH 3
#define ICMP_TIME_EXCEEDED 11

struct icmphdr {
	__u8 type;
	__u8 code;
	__u16 checksum;
	__u32 rest; // unused, or the next-hop MTU of "fragmentation needed" (RFC 1191)
};

#endif

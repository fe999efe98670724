// SPDX-License-Identifier: Apache-2.0
// The C baseline for programming meshgw's service map: fills a pinned mgw_svc_v1 with N
// entries of the v1 layout, once element by element and once with bpf_map_update_batch, and
// prints the time of each. Built and run by DatapathBench in the same run as the Java load.
// Usage: map_load <pinned map path> <entries>
#include <bpf/bpf.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <arpa/inet.h>

struct svc_key { uint32_t vip; uint16_t port; uint8_t proto; uint8_t pad; };
struct svc_val { uint32_t svc_id; uint16_t count; uint16_t local_count; uint32_t identity; uint32_t flags; };

static long long now_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

static void fill(struct svc_key *k, struct svc_val *v, int n)
{
	for (int i = 0; i < n; i++) {
		memset(&k[i], 0, sizeof(k[i]));
		k[i].vip = htonl(0xC6120000u + i); // 198.18.0.0/15, benchmark space
		k[i].port = htons(80);
		k[i].proto = 6;
		v[i] = (struct svc_val){.svc_id = i + 1, .count = 1, .local_count = 1, .identity = 100};
	}
}

static void clear(int fd, struct svc_key *k, int n)
{
	for (int i = 0; i < n; i++)
		bpf_map_delete_elem(fd, &k[i]);
}

int main(int argc, char **argv)
{
	if (argc != 3) {
		fprintf(stderr, "usage: %s <pinned map> <entries>\n", argv[0]);
		return 2;
	}
	int n = atoi(argv[2]);
	int fd = bpf_obj_get(argv[1]);
	if (fd < 0) {
		fprintf(stderr, "bpf_obj_get(%s): %s\n", argv[1], strerror(errno));
		return 1;
	}
	struct svc_key *k = calloc(n, sizeof(*k));
	struct svc_val *v = calloc(n, sizeof(*v));
	fill(k, v, n);

	long long t0 = now_ns();
	for (int i = 0; i < n; i++) {
		if (bpf_map_update_elem(fd, &k[i], &v[i], BPF_ANY)) {
			fprintf(stderr, "update %d: %s\n", i, strerror(errno));
			return 1;
		}
	}
	long long loop = now_ns() - t0;
	clear(fd, k, n);

	DECLARE_LIBBPF_OPTS(bpf_map_batch_opts, opts);
	__u32 count = n;
	t0 = now_ns();
	if (bpf_map_update_batch(fd, k, v, &count, &opts)) {
		fprintf(stderr, "batch: %s\n", strerror(errno));
		return 1;
	}
	long long batch = now_ns() - t0;
	clear(fd, k, n);
	printf("c_loop_ns=%lld\nc_batch_ns=%lld\n", loop, batch);
	return 0;
}

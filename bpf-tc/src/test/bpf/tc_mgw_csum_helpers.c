// SPDX-License-Identifier: GPL-2.0
// The datapath programs built so that every rewrite goes through the kernel's checksum helpers,
// the path CHECKSUM_COMPLETE skbs (and kernels without bpf_cast_to_kern_ctx) take. Test-run
// skbs are CHECKSUM_NONE, so without this build that path would never run in a test.
#define MGW_CSUM_BY_HELPERS
#include "../../main/bpf/mgw_tc.c"

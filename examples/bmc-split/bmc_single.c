// bmc_single: the same hash as bmc_split in one program. The loop runs LENGTH = 131072 times and the verifier
// walks every iteration (its counter decides the loop's exit, so no two iterations' states are alike): about
// 11 instructions each, far past the 1,000,000 instructions it explores before giving up. Linux 6.18 refuses
// it with "BPF program is too large. Processed 1000001 insn"; so does BpfSharp. Build: ./build.sh
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
#include "bmc.h"

char LICENSE[] SEC("license") = "GPL";

__u32 seed = 1;
__u64 result;

SEC("tc")
int bmc_single(struct __sk_buff *skb)
{
	struct hash_state s = { .done = 0, .x = seed, .h = FNV_OFFSET };

	hash_bytes(&s, LENGTH);
	result = s.h;
	return (__u32)s.h;
}

// chain.h - what every stage of a `bpfsharp chain` shares: the root program array, in which the chain loader puts
// stage i at slot i (each object defines it; the loader creates it once and hands the same map to every object), and
// the stage's own slot, which the loader writes into chain_index before the first packet.
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

#define CHAIN_STAGES 16

struct {
	__uint(type, BPF_MAP_TYPE_PROG_ARRAY);
	__uint(max_entries, CHAIN_STAGES);
	__type(key, __u32);
	__type(value, __u32);
} chain_progs SEC(".maps");

__u32 chain_index;

// Hands the packet to the stage `skip` places after the next one. Returns only when there is no such stage: the
// caller's verdict then ends the chain.
static __always_inline void chain_next(struct xdp_md *ctx, __u32 skip)
{
	bpf_tail_call(ctx, &chain_progs, chain_index + 1 + skip);
}

// large.bpf.c - a program as large as asked, for the time from loading to the first run: -DPARTS=N subprograms of
// 1400 rounds (about 10 000 instructions each) of an FNV-style hash over the first 64 packet bytes, unrolled as clang
// unrolls a parser's loop, with a branch every other round (a path may leave at most 8192 branches pending); the
// result counted in a map. (clang-19 cannot unroll 100 000 instructions' worth into one function within 512 bytes of
// stack.) -DSELECT makes it one the verifier must refuse at its 1M processed-instruction limit: `if (h & 0x80) h += i`
// in every round, which clang makes branch-free (`r s>>= 63; r &= i`), and on which Linux (maybe_fork_scalars) and
// BpfSharp split the path in two, 2^1400 paths in all.
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

char LICENSE[] SEC("license") = "GPL";

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 256);
	__type(key, __u32);
	__type(value, __u64);
} seen SEC(".maps");

#define ROUNDS 1400

#ifdef SELECT
#define ROUND_END(i, n) if (h & 0x80) h += i + n;
#else
/* a helper call keeps the branch a branch (clang makes a select of h += i) */
#define ROUND_END(i, n) if ((i & 1) && (h & 0x80)) h += bpf_get_smp_processor_id() + i + n;
#endif

#define PART(n)                                                                                                      \
	static __noinline __u64 part##n(volatile __u8 *p, __u64 h)                                                  \
	{                                                                                                            \
		_Pragma("clang loop unroll(full)") for (int i = 0; i < ROUNDS; i++)                                  \
		{                                                                                                    \
			h ^= p[i % 64];                                                                              \
			h *= 0x100000001b3ULL;                                                                       \
			ROUND_END(i, n)                                                                              \
		}                                                                                                    \
		return h;                                                                                            \
	}

PART(0) PART(1) PART(2) PART(3) PART(4) PART(5) PART(6) PART(7) PART(8) PART(9)

SEC("xdp")
int large(struct xdp_md *ctx)
{
	volatile __u8 *p = (void *)(long)ctx->data;
	__u64 h = 0xcbf29ce484222325ULL, *count;
	__u32 key;

	if ((void *)(p + 64) > (void *)(long)ctx->data_end)
		return XDP_DROP;
	h = part0(p, h);
#if PARTS > 1
	h = part1(p, h); h = part2(p, h); h = part3(p, h); h = part4(p, h);
	h = part5(p, h); h = part6(p, h); h = part7(p, h); h = part8(p, h); h = part9(p, h);
#endif
	key = h & 255;
	count = bpf_map_lookup_elem(&seen, &key);
	if (count)
		*count += 1;
	return h & 1 ? XDP_PASS : XDP_DROP;
}

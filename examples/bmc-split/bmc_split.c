// bmc_split: the hash of bmc.h split across tail-called stages, as BMC (the BPF memcached cache) splits its
// request processing: each stage is a program the verifier checks on its own, and the state travels between
// them in a per-CPU array map. bmc_start seeds the state and tail-calls bmc_hash; bmc_hash hashes CHUNK bytes
// and tail-calls itself until LENGTH bytes are done, then bmc_finish, which publishes the hash.
// 1 + 16 + 1 = 18 programs, 17 tail calls (of the 33 allowed). Input: seed in .data; output: result in .bss;
// bmc_start returns the hash's low 32 bits. Build: ./build.sh
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
#include "bmc.h"

char LICENSE[] SEC("license") = "GPL";

enum { STAGE_HASH, STAGE_FINISH };

__u32 seed = 1;
__u64 result;

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct hash_state);
} state SEC(".maps");

SEC("tc") int bmc_hash(struct __sk_buff *skb);
SEC("tc") int bmc_finish(struct __sk_buff *skb);

struct {
	__uint(type, BPF_MAP_TYPE_PROG_ARRAY);
	__uint(max_entries, 2);
	__uint(key_size, sizeof(__u32));
	__array(values, int (void *));
} stages SEC(".maps") = {
	.values = {
		[STAGE_HASH] = (void *)&bmc_hash,
		[STAGE_FINISH] = (void *)&bmc_finish,
	},
};

static __always_inline struct hash_state *current_state(void)
{
	__u32 zero = 0;

	return bpf_map_lookup_elem(&state, &zero);
}

SEC("tc")
int bmc_start(struct __sk_buff *skb)
{
	struct hash_state *s = current_state();

	if (!s)
		return -1;
	s->done = 0;
	s->x = seed;
	s->h = FNV_OFFSET;
	bpf_tail_call(skb, &stages, STAGE_HASH);
	return -1; /* a stage is missing */
}

SEC("tc")
int bmc_hash(struct __sk_buff *skb)
{
	struct hash_state *s = current_state();

	if (!s)
		return -1;
	hash_bytes(s, CHUNK);
	bpf_tail_call(skb, &stages, s->done < LENGTH ? STAGE_HASH : STAGE_FINISH);
	return -1;
}

SEC("tc")
int bmc_finish(struct __sk_buff *skb)
{
	struct hash_state *s = current_state();

	if (!s)
		return -1;
	result = s->h;
	return (__u32)s->h;
}

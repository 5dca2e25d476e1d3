// counter.c - chain stage: counts packets and bytes per EtherType (the outer one: a VLAN tag counts as 0x8100),
// then passes every packet on.
#include "chain.h"
#include <linux/if_ether.h>
#include <bpf/bpf_endian.h>

char LICENSE[] SEC("license") = "GPL";

struct counter {
	__u64 packets;
	__u64 bytes;
};

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 64);
	__type(key, __u16); // EtherType, host order
	__type(value, struct counter);
} ethertypes SEC(".maps");

SEC("xdp")
int count(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data;
	void *end = (void *)(long)ctx->data_end;
	struct ethhdr *eth = data;
	struct counter *counter, first = { .packets = 1 };
	__u16 type;

	if ((void *)(eth + 1) > end)
		return XDP_DROP;
	type = bpf_ntohs(eth->h_proto);
	first.bytes = end - data;
	counter = bpf_map_lookup_elem(&ethertypes, &type);
	if (counter) {
		__sync_fetch_and_add(&counter->packets, 1);
		__sync_fetch_and_add(&counter->bytes, end - data);
	} else {
		bpf_map_update_elem(&ethertypes, &type, &first, BPF_NOEXIST);
	}
	chain_next(ctx, 0);
	return XDP_PASS;
}

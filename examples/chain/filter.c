// filter.c - chain stage: drops IPv4 TCP and UDP packets to blocked_port (telnet unless the chain's config says
// otherwise), counting them; passes other IPv4 packets to the next stage, and lets everything else skip it (the
// stage after this one rewrites IPv4 headers only).
#include "chain.h"
#include <linux/if_ether.h>
#include <linux/in.h>
#include <linux/ip.h>
#include <linux/tcp.h>
#include <linux/udp.h>
#include <bpf/bpf_endian.h>

char LICENSE[] SEC("license") = "GPL";

__u32 blocked_port = 23;

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u64);
} blocked SEC(".maps");

SEC("xdp")
int filter(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data;
	void *end = (void *)(long)ctx->data_end;
	struct ethhdr *eth = data;
	struct iphdr *ip = data + sizeof(*eth);
	__u16 *ports;

	if ((void *)(ip + 1) > end || eth->h_proto != bpf_htons(ETH_P_IP)) {
		chain_next(ctx, 1);
		return XDP_PASS;
	}
	ports = (void *)ip + ip->ihl * 4;
	if ((ip->protocol == IPPROTO_TCP || ip->protocol == IPPROTO_UDP) && (void *)(ports + 2) <= end
	    && bpf_ntohs(ports[1]) == blocked_port) {
		__u32 zero = 0;
		__u64 *drops = bpf_map_lookup_elem(&blocked, &zero);

		if (drops)
			__sync_fetch_and_add(drops, 1);
		return XDP_DROP;
	}
	chain_next(ctx, 0);
	return XDP_PASS;
}

// rewriter.c - chain stage: forwards IPv4 packets as a router does, decrementing the TTL and updating the header
// checksum incrementally (RFC 1624); a packet whose TTL would reach 0 is dropped. Other packets pass unchanged.
#include "chain.h"
#include <linux/if_ether.h>
#include <linux/ip.h>
#include <bpf/bpf_endian.h>

char LICENSE[] SEC("license") = "GPL";

SEC("xdp")
int rewrite(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data;
	void *end = (void *)(long)ctx->data_end;
	struct ethhdr *eth = data;
	struct iphdr *ip = data + sizeof(*eth);
	__u32 sum;

	if ((void *)(ip + 1) > end || eth->h_proto != bpf_htons(ETH_P_IP))
		goto next;
	if (ip->ttl <= 1)
		return XDP_DROP;
	ip->ttl--;
	// The TTL is the high byte of its 16-bit word: the word fell by 0x0100, so the one's complement sum rises by it.
	sum = ip->check + bpf_htons(0x0100);
	ip->check = sum + (sum >> 16);
next:
	chain_next(ctx, 0);
	return XDP_PASS;
}

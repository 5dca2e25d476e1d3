// xdp_pipeline.c - a DDoS-style XDP pipeline chained by tail calls:
//
//   xdp_parse --proto_stages[IP protocol]--> xdp_tcp | xdp_udp | xdp_icmp --pipeline[RATE_LIMIT]--> xdp_rate_limit
//             (no stage for the protocol) -----------------------------------pipeline[RATE_LIMIT]-->      |
//             (not IP, or malformed) ----------pipeline[VERDICT]--> xdp_verdict <--pipeline[VERDICT]------+
//
// xdp_parse reads Ethernet (one VLAN tag), IPv4 or IPv6 and writes what the later stages need into the packet's XDP
// metadata (struct meta, in front of the packet: it travels with the packet through tail calls). A protocol stage
// may decide a drop reason and skip the rate limiter. xdp_rate_limit drops a source's packets after its first
// `packet_budget` (a per-source count, not a clock, so a replayed capture gives the same verdicts every time).
// xdp_verdict counts every packet and its bytes by reason in `verdicts` and returns XDP_PASS (reason 0) or
// XDP_DROP. A pipeline slot left empty makes the packet XDP_ABORTED. Both program arrays are filled in the object
// (libbpf's static initialisation), so loading it is enough.
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <linux/in.h>
#include <linux/ip.h>
#include <linux/ipv6.h>
#include <linux/tcp.h>
#include <linux/udp.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_endian.h>

char LICENSE[] SEC("license") = "GPL";

enum reason { PASS, MALFORMED, TCP_FLAGS, UDP_AMPLIFICATION, ICMP_OVERSIZE, RATE_LIMITED, REASONS };
enum pipeline_slot { RATE_LIMIT, VERDICT };

#define ICMP_MAX_PAYLOAD 512

struct meta {
	__u32 src;   // IPv4 source address as the packet has it; IPv6 folded (xor of its four words)
	__u16 l4off; // where the L4 header starts, from data
	__u8 proto;  // IPPROTO_*, 0 for non-IP
	__u8 reason; // enum reason
};

struct vlan_hdr {
	__be16 tci;
	__be16 proto;
};

struct counter {
	__u64 packets;
	__u64 bytes;
};

// Packets a source may send before the rate limiter drops the rest (user space may change it: it is .data).
__u32 packet_budget = 8;

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, REASONS);
	__type(key, __u32);
	__type(value, struct counter);
} verdicts SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, 4096);
	__type(key, __u32);
	__type(value, __u64);
} sources SEC(".maps");

int xdp_tcp(struct xdp_md *ctx);
int xdp_udp(struct xdp_md *ctx);
int xdp_icmp(struct xdp_md *ctx);
int xdp_rate_limit(struct xdp_md *ctx);
int xdp_verdict(struct xdp_md *ctx);

struct {
	__uint(type, BPF_MAP_TYPE_PROG_ARRAY);
	__uint(max_entries, 256);
	__uint(key_size, sizeof(__u32));
	__array(values, int (void *));
} proto_stages SEC(".maps") = {
	.values = {
		[IPPROTO_ICMP] = (void *)&xdp_icmp,
		[IPPROTO_TCP] = (void *)&xdp_tcp,
		[IPPROTO_UDP] = (void *)&xdp_udp,
		[IPPROTO_ICMPV6] = (void *)&xdp_icmp,
	},
};

struct {
	__uint(type, BPF_MAP_TYPE_PROG_ARRAY);
	__uint(max_entries, 2);
	__uint(key_size, sizeof(__u32));
	__array(values, int (void *));
} pipeline SEC(".maps") = {
	.values = {
		[RATE_LIMIT] = (void *)&xdp_rate_limit,
		[VERDICT] = (void *)&xdp_verdict,
	},
};

// The metadata, or NULL if the program before did not leave one.
static __always_inline struct meta *meta_of(struct xdp_md *ctx)
{
	struct meta *m = (void *)(long)ctx->data_meta;

	return (void *)(m + 1) <= (void *)(long)ctx->data ? m : NULL;
}

static __always_inline int next(struct xdp_md *ctx, __u32 slot)
{
	bpf_tail_call(ctx, &pipeline, slot);
	return XDP_ABORTED;
}

static __always_inline __u32 fold(const struct in6_addr *a)
{
	return a->in6_u.u6_addr32[0] ^ a->in6_u.u6_addr32[1] ^ a->in6_u.u6_addr32[2] ^ a->in6_u.u6_addr32[3];
}

SEC("xdp")
int xdp_parse(struct xdp_md *ctx)
{
	if (bpf_xdp_adjust_meta(ctx, -(int)sizeof(struct meta)))
		return XDP_ABORTED;
	void *data = (void *)(long)ctx->data;
	void *end = (void *)(long)ctx->data_end;
	struct meta *m = meta_of(ctx);
	struct ethhdr *eth = data;
	__u32 off = sizeof(*eth);
	__u16 proto;

	if (!m)
		return XDP_ABORTED;
	__builtin_memset(m, 0, sizeof(*m));
	if ((void *)(eth + 1) > end) {
		m->reason = MALFORMED;
		return next(ctx, VERDICT);
	}
	proto = eth->h_proto;
	if (proto == bpf_htons(ETH_P_8021Q) || proto == bpf_htons(ETH_P_8021AD)) {
		struct vlan_hdr *vlan = data + off;

		if ((void *)(vlan + 1) > end) {
			m->reason = MALFORMED;
			return next(ctx, VERDICT);
		}
		proto = vlan->proto;
		off += sizeof(*vlan);
	}
	if (proto == bpf_htons(ETH_P_IP)) {
		struct iphdr *ip = data + off;

		if ((void *)(ip + 1) > end || ip->ihl < 5) {
			m->reason = MALFORMED;
			return next(ctx, VERDICT);
		}
		m->src = ip->saddr;
		m->proto = ip->protocol;
		m->l4off = off + ip->ihl * 4;
	} else if (proto == bpf_htons(ETH_P_IPV6)) {
		struct ipv6hdr *ip6 = data + off;

		if ((void *)(ip6 + 1) > end) {
			m->reason = MALFORMED;
			return next(ctx, VERDICT);
		}
		m->src = fold(&ip6->saddr);
		m->proto = ip6->nexthdr;
		m->l4off = off + sizeof(*ip6);
	} else {
		return next(ctx, VERDICT);
	}
	bpf_tail_call(ctx, &proto_stages, m->proto);
	return next(ctx, RATE_LIMIT);
}

// The L4 header of `size` bytes, or NULL when the packet ends first.
static __always_inline void *l4(struct xdp_md *ctx, struct meta *m, __u32 size)
{
	void *data = (void *)(long)ctx->data;
	void *header = data + (m->l4off & 0xfff);

	return header + size <= (void *)(long)ctx->data_end ? header : NULL;
}

// Drops the packet for `reason`, past the rate limiter.
static __always_inline int drop(struct xdp_md *ctx, struct meta *m, __u8 reason)
{
	m->reason = reason;
	return next(ctx, VERDICT);
}

SEC("xdp")
int xdp_tcp(struct xdp_md *ctx)
{
	struct meta *m = meta_of(ctx);
	struct tcphdr *tcp;

	if (!m)
		return XDP_ABORTED;
	tcp = l4(ctx, m, sizeof(*tcp));
	if (!tcp)
		return drop(ctx, m, MALFORMED);
	// SYN with FIN, a segment without flags (null scan), FIN+PSH+URG (xmas scan): no real stack sends these.
	if ((tcp->syn && tcp->fin) || (!tcp->syn && !tcp->ack && !tcp->fin && !tcp->rst && !tcp->psh && !tcp->urg)
	    || (tcp->fin && tcp->psh && tcp->urg))
		return drop(ctx, m, TCP_FLAGS);
	return next(ctx, RATE_LIMIT);
}

SEC("xdp")
int xdp_udp(struct xdp_md *ctx)
{
	struct meta *m = meta_of(ctx);
	struct udphdr *udp;

	if (!m)
		return XDP_ABORTED;
	udp = l4(ctx, m, sizeof(*udp));
	if (!udp)
		return drop(ctx, m, MALFORMED);
	// Replies from services that answer small requests with large ones: chargen, NTP, SSDP, memcached.
	switch (bpf_ntohs(udp->source)) {
	case 19:
	case 123:
	case 1900:
	case 11211:
		return drop(ctx, m, UDP_AMPLIFICATION);
	}
	return next(ctx, RATE_LIMIT);
}

SEC("xdp")
int xdp_icmp(struct xdp_md *ctx)
{
	struct meta *m = meta_of(ctx);
	void *header;

	if (!m)
		return XDP_ABORTED;
	header = l4(ctx, m, 8);
	if (!header)
		return drop(ctx, m, MALFORMED);
	if ((void *)(long)ctx->data_end - (header + 8) > ICMP_MAX_PAYLOAD)
		return drop(ctx, m, ICMP_OVERSIZE);
	return next(ctx, RATE_LIMIT);
}

SEC("xdp")
int xdp_rate_limit(struct xdp_md *ctx)
{
	struct meta *m = meta_of(ctx);
	__u32 src;
	__u64 *seen;

	if (!m)
		return XDP_ABORTED;
	src = m->src;
	seen = bpf_map_lookup_elem(&sources, &src);
	if (seen) {
		__sync_fetch_and_add(seen, 1);
		if (*seen > packet_budget)
			m->reason = RATE_LIMITED;
	} else {
		__u64 first = 1;

		bpf_map_update_elem(&sources, &src, &first, BPF_ANY);
	}
	return next(ctx, VERDICT);
}

SEC("xdp")
int xdp_verdict(struct xdp_md *ctx)
{
	struct meta *m = meta_of(ctx);
	struct counter *counter;
	__u32 reason;

	if (!m)
		return XDP_ABORTED;
	reason = m->reason;
	counter = bpf_map_lookup_elem(&verdicts, &reason);
	if (counter) {
		__sync_fetch_and_add(&counter->packets, 1);
		__sync_fetch_and_add(&counter->bytes, (void *)(long)ctx->data_end - (void *)(long)ctx->data);
	}
	return reason == PASS ? XDP_PASS : XDP_DROP;
}

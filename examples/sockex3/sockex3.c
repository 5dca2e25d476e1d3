// sockex3.c - a socket filter that parses each packet across tail calls and counts packets and bytes per flow,
// after the idea of the kernel's samples/bpf/sockex3_kern.c (written anew, libbpf style).
//
// main_prog reads the EtherType and tail-calls through jmp_table to the stage for it; each stage reads its header,
// records what the flow key needs in a per-CPU parse state (a tail call keeps no registers) and tail-calls the next:
//
//   main_prog --0x8100/0x88a8--> parse_vlan (again for each stacked tag)
//             --0x0800---------> parse_ip   --6--> parse_tcp
//             --0x86dd---------> parse_ipv6 --17-> parse_udp
//
// The filter keeps (returns skb->len for) every IP packet it can parse: TCP and UDP with their ports, other IP
// protocols with ports 0, each counted in `flows`. It drops (returns 0) what it cannot: other EtherTypes, IPv4
// fragments, truncated headers, and any packet whose next stage is missing from jmp_table, which user space fills
// as the kernel sample's loader does (bpfsharp: --tail-call jmp_table:1=parse_vlan ...; see README.md).
//
// Headers are read relative to the network header (BPF_HDR_START_NET), which a packet socket and a
// BPF_PROG_TEST_RUN both set after the Ethernet header, so the filter parses the same in both.
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

enum stage { PARSE_VLAN = 1, PARSE_IP = 2, PARSE_IPV6 = 3, PARSE_TCP = 4, PARSE_UDP = 5 };

// A flow: addresses as the packet has them (IPv6 ones folded to 32 bits by xor), ports in host order.
struct flow_key {
	__u32 src;
	__u32 dst;
	__u16 sport;
	__u16 dport;
	__u8 proto;
	__u8 pad[3];
};

struct flow_stats {
	__u64 packets;
	__u64 bytes;
};

// What one stage leaves the next: the flow so far and where the next header starts.
struct parse_state {
	struct flow_key flow;
	__u32 nhoff;
};

struct vlan_hdr {
	__be16 tci;
	__be16 proto;
};

struct {
	__uint(type, BPF_MAP_TYPE_PROG_ARRAY);
	__uint(max_entries, 8);
	__type(key, __u32);
	__type(value, __u32);
} jmp_table SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct parse_state);
} state SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 1024);
	__type(key, struct flow_key);
	__type(value, struct flow_stats);
} flows SEC(".maps");

static __always_inline struct parse_state *parse_state(void)
{
	__u32 zero = 0;

	return bpf_map_lookup_elem(&state, &zero);
}

static __always_inline int load(struct __sk_buff *skb, struct parse_state *s, void *to, __u32 len)
{
	return bpf_skb_load_bytes_relative(skb, s->nhoff, to, len, BPF_HDR_START_NET);
}

// Returns only when there is no stage for the EtherType (or its slot is empty): the packet is dropped.
static __always_inline void next_for_ethertype(struct __sk_buff *skb, __u16 proto)
{
	switch (proto) {
	case ETH_P_8021Q:
	case ETH_P_8021AD:
		bpf_tail_call(skb, &jmp_table, PARSE_VLAN);
		break;
	case ETH_P_IP:
		bpf_tail_call(skb, &jmp_table, PARSE_IP);
		break;
	case ETH_P_IPV6:
		bpf_tail_call(skb, &jmp_table, PARSE_IPV6);
		break;
	}
}

static __always_inline int count(struct __sk_buff *skb, struct parse_state *s)
{
	struct flow_key key = s->flow;
	struct flow_stats *stats = bpf_map_lookup_elem(&flows, &key);

	if (stats) {
		__sync_fetch_and_add(&stats->packets, 1);
		__sync_fetch_and_add(&stats->bytes, skb->len);
	} else {
		struct flow_stats first = { .packets = 1, .bytes = skb->len };

		bpf_map_update_elem(&flows, &key, &first, BPF_NOEXIST);
	}
	return skb->len;
}

static __always_inline int next_for_protocol(struct __sk_buff *skb, struct parse_state *s)
{
	if (s->flow.proto == IPPROTO_TCP)
		bpf_tail_call(skb, &jmp_table, PARSE_TCP);
	else if (s->flow.proto == IPPROTO_UDP)
		bpf_tail_call(skb, &jmp_table, PARSE_UDP);
	else
		return count(skb, s);
	return 0;
}

SEC("socket")
int main_prog(struct __sk_buff *skb)
{
	struct parse_state *s = parse_state();

	if (!s)
		return 0;
	__builtin_memset(s, 0, sizeof(*s));
	next_for_ethertype(skb, bpf_ntohs((__u16)skb->protocol));
	return 0;
}

SEC("socket")
int parse_vlan(struct __sk_buff *skb)
{
	struct parse_state *s = parse_state();
	struct vlan_hdr vlan;

	if (!s || load(skb, s, &vlan, sizeof(vlan)))
		return 0;
	s->nhoff += sizeof(vlan);
	next_for_ethertype(skb, bpf_ntohs(vlan.proto));
	return 0;
}

SEC("socket")
int parse_ip(struct __sk_buff *skb)
{
	struct parse_state *s = parse_state();
	struct iphdr ip;

	if (!s || load(skb, s, &ip, sizeof(ip)) || ip.ihl < 5)
		return 0;
	if (ip.frag_off & bpf_htons(0x3fff)) // more fragments, or an offset: no ports to read
		return 0;
	s->flow.src = ip.saddr;
	s->flow.dst = ip.daddr;
	s->flow.proto = ip.protocol;
	s->nhoff += ip.ihl * 4;
	return next_for_protocol(skb, s);
}

static __always_inline __u32 fold(const struct in6_addr *a)
{
	return a->in6_u.u6_addr32[0] ^ a->in6_u.u6_addr32[1] ^ a->in6_u.u6_addr32[2] ^ a->in6_u.u6_addr32[3];
}

SEC("socket")
int parse_ipv6(struct __sk_buff *skb)
{
	struct parse_state *s = parse_state();
	struct ipv6hdr ip6;

	if (!s || load(skb, s, &ip6, sizeof(ip6)))
		return 0;
	s->flow.src = fold(&ip6.saddr);
	s->flow.dst = fold(&ip6.daddr);
	s->flow.proto = ip6.nexthdr;
	s->nhoff += sizeof(ip6);
	return next_for_protocol(skb, s);
}

SEC("socket")
int parse_tcp(struct __sk_buff *skb)
{
	struct parse_state *s = parse_state();
	struct tcphdr tcp;

	if (!s || load(skb, s, &tcp, sizeof(tcp)))
		return 0;
	s->flow.sport = bpf_ntohs(tcp.source);
	s->flow.dport = bpf_ntohs(tcp.dest);
	return count(skb, s);
}

SEC("socket")
int parse_udp(struct __sk_buff *skb)
{
	struct parse_state *s = parse_state();
	struct udphdr udp;

	if (!s || load(skb, s, &udp, sizeof(udp)))
		return 0;
	s->flow.sport = bpf_ntohs(udp.source);
	s->flow.dport = bpf_ntohs(udp.dest);
	return count(skb, s);
}

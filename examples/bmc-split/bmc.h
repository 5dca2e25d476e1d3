// The work both forms do: FNV-1a (64-bit) over LENGTH pseudo-random bytes, each the low byte of the next
// xorshift32 value from SEED. Standing in for BMC's per-request work (hashing a memcached key, walking the
// cache), it is a fixed, long computation: far more instructions than the verifier will walk in one program.
#ifndef BMC_H
#define BMC_H

#define LENGTH (1 << 17)              /* bytes hashed in all: 131072 */
#define CHUNK (1 << 13)               /* bytes one stage run hashes: 8192, so 16 runs */
#define FNV_OFFSET 0xcbf29ce484222325ULL
#define FNV_PRIME 0x100000001b3ULL

/* The state carried from stage to stage (one per CPU, as BMC keeps its parsing context). */
struct hash_state {
	__u32 done;     /* bytes hashed so far */
	__u32 x;        /* the xorshift32 state */
	__u64 h;        /* the FNV-1a hash so far */
};

static __always_inline void hash_bytes(struct hash_state *s, __u32 count)
{
	__u32 x = s->x;
	__u64 h = s->h;

	for (__u32 i = 0; i < count; i++) {
		x ^= x << 13;
		x ^= x >> 17;
		x ^= x << 5;
		h = (h ^ (x & 0xff)) * FNV_PRIME;
	}
	s->x = x;
	s->h = h;
	s->done += count;
}

#endif

// tracex5: a seccomp-style syscall dispatcher, after the kernel's samples/bpf/tracex5 (ours, not a copy).
// A kprobe on __seccomp_filter(int nr, const struct seccomp_data *sd, bool recheck) runs at every syscall entry;
// it tail-calls the handler that sits in the prog array at the syscall's number, and falls through when there
// is none. Handlers are installed by section name, as samples/bpf/tracex5_user.c does: a program in
// SEC("kprobe/N") goes into slot N of the object's prog array.
// Syscall numbers are the host's (asm/unistd.h): x86-64 read=0 write=1 openat=257, arm64 read=63 write=64
// openat=56 (the seed used i386's 3/4/5). Build: ./build.sh
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include <bpf/bpf_core_read.h>

#if defined(__TARGET_ARCH_x86)
#define NR_read 0
#define NR_write 1
#define NR_openat 257
#elif defined(__TARGET_ARCH_arm64)
#define NR_read 63
#define NR_write 64
#define NR_openat 56
#endif

#define STRINGIFY(x) #x
#define HANDLER(nr) SEC("kprobe/" STRINGIFY(nr))

char LICENSE[] SEC("license") = "GPL";

struct {
	__uint(type, BPF_MAP_TYPE_PROG_ARRAY);
	__uint(max_entries, 512);
	__uint(key_size, sizeof(u32));
	__uint(value_size, sizeof(u32));
} progs SEC(".maps");

SEC("kprobe/__seccomp_filter")
int dispatch(struct pt_regs *ctx)
{
	int nr = (int)PT_REGS_PARM1(ctx);

	bpf_tail_call(ctx, &progs, nr);
	/* no handler for this syscall */
	return 0;
}

/* The second argument of __seccomp_filter: kernel memory, read with bpf_probe_read_kernel at CO-RE offsets. */
static __always_inline struct seccomp_data *seccomp_data(struct pt_regs *ctx)
{
	return (struct seccomp_data *)PT_REGS_PARM2(ctx);
}

HANDLER(NR_write)
int handle_write(struct pt_regs *ctx)
{
	struct seccomp_data *sd = seccomp_data(ctx);

	bpf_printk("write(fd=%d, count=%lu)", (int)BPF_CORE_READ(sd, args[0]), BPF_CORE_READ(sd, args[2]));
	return 0;
}

HANDLER(NR_read)
int handle_read(struct pt_regs *ctx)
{
	struct seccomp_data *sd = seccomp_data(ctx);

	bpf_printk("read(fd=%d, count=%lu)", (int)BPF_CORE_READ(sd, args[0]), BPF_CORE_READ(sd, args[2]));
	return 0;
}

HANDLER(NR_openat)
int handle_openat(struct pt_regs *ctx)
{
	struct seccomp_data *sd = seccomp_data(ctx);
	char path[64];

	/* The path is in the traced process's memory. */
	if (bpf_probe_read_user_str(path, sizeof(path), (const void *)BPF_CORE_READ(sd, args[1])) < 0)
		path[0] = 0;
	bpf_printk("openat(dfd=%d, path=%s)", (int)BPF_CORE_READ(sd, args[0]), path);
	return 0;
}

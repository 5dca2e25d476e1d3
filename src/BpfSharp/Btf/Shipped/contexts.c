// The types BpfSharp provides contexts for, as BTF, for CO-RE relocations on hosts without the kernel's own BTF
// (/sys/kernel/btf/vmlinux): no Linux, an old kernel, no permission. Built per architecture by build.sh, because
// pt_regs differs; the uapi structs come from the kernel headers as they are.
#include <linux/bpf.h>
#include <linux/seccomp.h>

#if defined(BPFSHARP_X86_64)
/* arch/x86/include/asm/ptrace.h, 64-bit */
struct pt_regs {
	unsigned long r15, r14, r13, r12, bp, bx, r11, r10, r9, r8, ax, cx, dx, si, di, orig_ax, ip, cs, flags, sp, ss;
};
#elif defined(BPFSHARP_ARM64)
/* arch/arm64/include/uapi/asm/ptrace.h and asm/ptrace.h (the prefix programs read) */
struct user_pt_regs {
	__u64 regs[31];
	__u64 sp;
	__u64 pc;
	__u64 pstate;
};
struct pt_regs {
	union {
		struct user_pt_regs user_regs;
		struct {
			__u64 regs[31];
			__u64 sp;
			__u64 pc;
			__u64 pstate;
		};
	};
	__u64 orig_x0;
	__s32 syscallno;
	__u32 pmr;
	__u64 sdei_ttbr1;
	struct frame_record_meta *stackframe;
};
#else
#error "define BPFSHARP_X86_64 or BPFSHARP_ARM64"
#endif

/* The part of the kernel's task_struct that bpf_get_current_task gives programs in BpfSharp. */
struct task_struct {
	int pid;
	int tgid;
	struct task_struct *group_leader;
	struct task_struct *real_parent;
	char comm[16];
};

/* Keep every type in the BTF: clang emits only what is used. */
struct __sk_buff *keep_skb;
struct xdp_md *keep_xdp;
struct pt_regs *keep_regs;
struct seccomp_data *keep_seccomp;
struct task_struct *keep_task;
enum bpf_map_type keep_map_type;
enum bpf_prog_type keep_prog_type;
enum bpf_func_id keep_func_id;
enum xdp_action keep_xdp_action;
#if defined(BPFSHARP_ARM64)
struct user_pt_regs *keep_user_regs;
#endif

/* The few kernel types tracex5 uses, written the way bpftool's vmlinux.h spells them: structs marked
 * preserve_access_index, so every field access becomes a CO-RE relocation that the loader resolves against
 * the target's BTF (the running kernel's /sys/kernel/btf/vmlinux, or the BTF BpfSharp ships). */
#ifndef __VMLINUX_H__
#define __VMLINUX_H__

typedef signed char __s8;
typedef unsigned char __u8;
typedef short __s16;
typedef unsigned short __u16;
typedef int __s32;
typedef unsigned int __u32;
typedef long long __s64;
typedef unsigned long long __u64;
typedef __u16 __be16;
typedef __u32 __be32;
typedef __u32 __wsum;
typedef __u8 u8;
typedef __u32 u32;
typedef __u64 u64;
typedef _Bool bool;

enum bpf_map_type {
	BPF_MAP_TYPE_PROG_ARRAY = 3,
};

#pragma clang attribute push (__attribute__((preserve_access_index)), apply_to = record)

#if defined(__TARGET_ARCH_x86)
/* arch/x86/include/asm/ptrace.h (64-bit): the names the kernel uses (di, si), not the user ones (rdi, rsi). */
struct pt_regs {
	unsigned long r15, r14, r13, r12, bp, bx, r11, r10, r9, r8, ax, cx, dx, si, di, orig_ax, ip, cs, flags, sp, ss;
};
#elif defined(__TARGET_ARCH_arm64)
/* arch/arm64/include/uapi/asm/ptrace.h: what bpf_tracing.h reads a kprobe's registers through. */
struct user_pt_regs {
	__u64 regs[31];
	__u64 sp;
	__u64 pc;
	__u64 pstate;
};
struct pt_regs {
	struct user_pt_regs user_regs;
};
#else
#error "define __TARGET_ARCH_x86 or __TARGET_ARCH_arm64"
#endif

/* include/uapi/linux/seccomp.h */
struct seccomp_data {
	int nr;
	__u32 arch;
	__u64 instruction_pointer;
	__u64 args[6];
};

#pragma clang attribute pop

#endif /* __VMLINUX_H__ */

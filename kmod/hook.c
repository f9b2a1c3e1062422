// SPDX-License-Identifier: GPL-2.0
/*
 * avfence: attaching to the kernel's LSM hook points.
 *
 * A loadable module cannot register LSM hooks on a stock kernel: the hook
 * lists are __ro_after_init (and static calls since 6.12).  Instead avfence
 * puts an ftrace hook on the entry of the security_*() functions that every
 * caller of an LSM hook goes through.  The ftrace callback runs at function
 * entry with the arguments still in their registers; when avfence has work
 * to do it rewrites the saved instruction pointer so that the call continues
 * in avfence's own function of the same signature, which makes its decision
 * and then calls the original function (whose ftrace callback sees the
 * call coming from this module and lets it through).
 *
 * The two functions every read of a file meets, security_file_open() and
 * security_file_permission(), are attached by a direct call instead
 * (AVF_DIRECT_TRAMP() below): ftrace calls avfence's own trampoline, which
 * saves only the two argument registers, where its generic trampoline
 * saves all of pt_regs for the callback.
 *
 * This file is the only one that knows about ftrace: the rest of the module
 * sees plain hook functions (hook_file_open(), ...) and avf_orig.
 */
#include <linux/kprobes.h>
#include <linux/module.h>
#include <linux/percpu.h>
#include <linux/delay.h>
#include <linux/hash.h>
#include <linux/sort.h>
#include <asm/ibt.h>
#include <asm/linkage.h>

#include "common.h"
#include "compat.h"
#include "hook.h"
#include "label.h"
#include "policy.h"

struct avf_orig avf_orig __ro_after_init;

/* Calls redirected into this module and not yet returned, summed over CPUs. */
static DEFINE_PER_CPU(long, avf_inflight);

enum avf_when {
	AVF_WHEN_ALWAYS,	/* every call */
	AVF_WHEN_TAGGED,	/* only when the calling task is tagged */
	AVF_WHEN_ANY_TAGGED,	/* only while any task is tagged */
	AVF_WHEN_LOCKED,	/* only once the policy is locked */
	AVF_WHEN_SOCKS,		/* only while ipc.c remembers a socket */
};

/**
 * struct avf_hook - one attached kernel function
 * @name: the kernel function
 * @wrapper: avfence's function of the same signature
 * @orig: where its real address is stored, for the wrapper to call
 * @when: which calls to redirect; the others cost a callback only
 * @addr: its address (function start), set at load
 */
/*
 * Hooks whose common case the ftrace callback decides itself: a tagged
 * task reading a file whose label is cached and within its clearance
 * (fs.c: avf_fast_file_open(), avf_fast_file_permission()).  Such a call
 * runs the original function as if it were not hooked; anything else
 * enters the wrapper.
 */
enum avf_fast {
	AVF_FAST_NONE,
	AVF_FAST_FILE_OPEN,
	AVF_FAST_FILE_PERMISSION,
};

struct avf_hook {
	const char *name;
	unsigned long wrapper;
	void **orig;
	enum avf_when when;
	enum avf_fast fast;
	unsigned long addr;
};

#define AVF_HOOK_SYM(fn, sym, w) {				\
	.name = sym,						\
	.wrapper = (unsigned long)hook_##fn,			\
	.orig = (void **)&avf_orig.fn,				\
	.when = (w),						\
}
#define AVF_HOOK(fn, w) AVF_HOOK_SYM(fn, "security_" #fn, w)
#define AVF_HOOK_FAST(fn, f) {					\
	.name = "security_" #fn,					\
	.wrapper = (unsigned long)hook_##fn,			\
	.orig = (void **)&avf_orig.fn,				\
	.when = AVF_WHEN_TAGGED,				\
	.fast = (f),						\
}

/* clang-format off */
/* Sorted by address at load, then read-only, like avf_orig. */
static struct avf_hook avf_hooks[] __ro_after_init = {
	/* subject.c: tags */
	AVF_HOOK(task_alloc, AVF_WHEN_TAGGED),
	AVF_HOOK(task_free, AVF_WHEN_ANY_TAGGED),
	AVF_HOOK(bprm_check, AVF_WHEN_ALWAYS),
	AVF_HOOK(bprm_committed_creds, AVF_WHEN_ALWAYS),
	/* fs.c: files and labels */
	AVF_HOOK_FAST(file_open, AVF_FAST_FILE_OPEN),
	AVF_HOOK(file_receive, AVF_WHEN_TAGGED),
	AVF_HOOK_FAST(file_permission, AVF_FAST_FILE_PERMISSION),
	/* written.c too: any task mapping a marked file executable */
	AVF_HOOK(mmap_file, AVF_WHEN_ALWAYS),
	/* written.c: writer marks */
	AVF_HOOK(file_mprotect, AVF_WHEN_ALWAYS),
	AVF_HOOK(inode_init_security, AVF_WHEN_TAGGED),
	AVF_HOOK(inode_follow_link, AVF_WHEN_ALWAYS),
	AVF_HOOK(inode_link, AVF_WHEN_TAGGED),
	AVF_HOOK(inode_rename, AVF_WHEN_TAGGED),
	AVF_HOOK(path_link, AVF_WHEN_TAGGED),
	AVF_HOOK(path_rename, AVF_WHEN_TAGGED),
	AVF_HOOK(inode_setxattr, AVF_WHEN_ALWAYS),
	AVF_HOOK(inode_removexattr, AVF_WHEN_ALWAYS),
	/* after a label changed: the label cache */
	AVF_HOOK_SYM(vfs_setxattr, "__vfs_setxattr", AVF_WHEN_ALWAYS),
	AVF_HOOK_SYM(vfs_removexattr, "__vfs_removexattr", AVF_WHEN_ALWAYS),
	/* door.c: side doors */
	AVF_HOOK(ptrace_access_check, AVF_WHEN_TAGGED),
	AVF_HOOK(ptrace_traceme, AVF_WHEN_ANY_TAGGED),
	AVF_HOOK(task_kill, AVF_WHEN_TAGGED),
	AVF_HOOK(file_fcntl, AVF_WHEN_TAGGED),
	AVF_HOOK(task_prlimit, AVF_WHEN_TAGGED),
	AVF_HOOK(sb_set_mnt_opts, AVF_WHEN_TAGGED),
	AVF_HOOK(capable, AVF_WHEN_TAGGED),
	AVF_HOOK(kernel_read_file, AVF_WHEN_TAGGED),
	AVF_HOOK(kernel_load_data, AVF_WHEN_TAGGED),
	AVF_HOOK(bpf, AVF_WHEN_TAGGED),
	AVF_HOOK(perf_event_open, AVF_WHEN_TAGGED),
	AVF_HOOK(locked_down, AVF_WHEN_TAGGED),
	AVF_HOOK(syslog, AVF_WHEN_TAGGED),
	AVF_HOOK(file_ioctl, AVF_WHEN_TAGGED),
	AVF_HOOK(file_ioctl_compat, AVF_WHEN_TAGGED),
	AVF_HOOK(uring_cmd, AVF_WHEN_TAGGED),
	/*
	 * delete_module() has no LSM hook, and a locked fence must survive
	 * rmmod -f (CONFIG_MODULE_FORCE_UNLOAD is on in Debian): the
	 * x86 system call entry points, native and 32-bit.
	 */
	AVF_HOOK_SYM(sys_delete_module, "__x64_sys_delete_module",
		     AVF_WHEN_LOCKED),
	AVF_HOOK_SYM(ia32_sys_delete_module, "__ia32_sys_delete_module",
		     AVF_WHEN_LOCKED),
	/*
	 * measure.c: every TPM command, from /dev/tpm* and the kernel, goes
	 * through tpm_transmit() with the command in a kernel buffer: no
	 * one but avfence may extend or reset its PCR.
	 */
	AVF_HOOK_SYM(tpm_transmit, "tpm_transmit", AVF_WHEN_ALWAYS),
	/* ipc.c: unix sockets of untagged services */
	AVF_HOOK(socket_post_create, AVF_WHEN_TAGGED),
	AVF_HOOK(unix_stream_connect, AVF_WHEN_TAGGED),
	AVF_HOOK(unix_may_send, AVF_WHEN_TAGGED),
	AVF_HOOK(sk_free, AVF_WHEN_SOCKS),
	/* write.c: changes to the filesystem and its mounts (write=) */
	AVF_HOOK(path_mknod, AVF_WHEN_TAGGED),
	AVF_HOOK(path_mkdir, AVF_WHEN_TAGGED),
	AVF_HOOK(path_rmdir, AVF_WHEN_TAGGED),
	AVF_HOOK(path_unlink, AVF_WHEN_TAGGED),
	AVF_HOOK(path_symlink, AVF_WHEN_TAGGED),
	AVF_HOOK(path_truncate, AVF_WHEN_TAGGED),
	AVF_HOOK(path_chmod, AVF_WHEN_TAGGED),
	AVF_HOOK(path_chown, AVF_WHEN_TAGGED),
	AVF_HOOK(inode_setattr, AVF_WHEN_TAGGED),
	/*
	 * label.c too: new mounts on labelled mount points are adopted
	 * when they are mounted, whoever mounts them; event.c's flush
	 * before any unmount.
	 */
	AVF_HOOK(sb_mount, AVF_WHEN_ALWAYS),
	AVF_HOOK(sb_kern_mount, AVF_WHEN_ALWAYS),
	AVF_HOOK(sb_umount, AVF_WHEN_ALWAYS),
	AVF_HOOK(move_mount, AVF_WHEN_ALWAYS),
	AVF_HOOK(sb_pivotroot, AVF_WHEN_TAGGED),
	/* fspick() + FSCONFIG_CMD_RECONFIGURE reaches no LSM hook. */
	AVF_HOOK_SYM(reconfigure_super, "reconfigure_super", AVF_WHEN_TAGGED),
	/* mount_setattr() has no LSM hook: its system call entry points. */
	AVF_HOOK_SYM(sys_mount_setattr, "__x64_sys_mount_setattr",
		     AVF_WHEN_TAGGED),
	AVF_HOOK_SYM(ia32_sys_mount_setattr, "__ia32_sys_mount_setattr",
		     AVF_WHEN_TAGGED),
	/* Private user namespaces: the ones tagged tasks create. */
	AVF_HOOK_SYM(create_user_ns, "create_user_ns", AVF_WHEN_TAGGED),
};
/* clang-format on */

/* The module's text, where the wrappers that call the originals are. */
static unsigned long avf_text_base __ro_after_init;
static unsigned long avf_text_size __ro_after_init;

/*
 * One ftrace_ops for each hook with a fast path, attached by direct call
 * (indexed by its enum avf_fast - 1), one for every other hook (and for
 * those too if direct calls are off or refused).
 */
static struct ftrace_ops avf_direct_ops[AVF_FAST_FILE_PERMISSION];
static struct ftrace_ops avf_ftrace_ops;
static bool avf_attached;
static unsigned int avf_direct_attached;	/* bit (fast - 1) per ops */

static bool direct = true;
module_param(direct, bool, 0444);
MODULE_PARM_DESC(direct, "attach security_file_open and security_file_permission by ftrace direct call (default), else through the ftrace callback like the other hooks");

/*
 * The callback finds its hook from the call site @ip in one probe of a
 * small table: the slot of every 16-byte block a hooked function's call
 * site can lie in holds that hook's index + 1.  The hash seed is chosen at
 * load so that no two hooks share a slot; if none works (two hooks within
 * 16 bytes), the table is unused and the sorted table searched.
 */
#define AVF_SLOT_BITS 10
static u8 avf_slot[1 << AVF_SLOT_BITS] __ro_after_init;
static u64 avf_slot_seed __ro_after_init;
static bool avf_slot_ok __ro_after_init;

static unsigned int notrace slot_of(unsigned long ip, u64 seed)
{
	return hash_64((ip >> 4) ^ seed, AVF_SLOT_BITS);
}

/* The hook whose function @ip (its ftrace call site) lies in. */
static const struct avf_hook *notrace find_hook(unsigned long ip)
{
	size_t lo = 0, hi = ARRAY_SIZE(avf_hooks);
	const struct avf_hook *hook;
	unsigned int i;

	if (likely(avf_slot_ok)) {
		i = avf_slot[slot_of(ip, avf_slot_seed)];
		if (!i)
			return NULL;
		hook = &avf_hooks[i - 1];
		return ip - hook->addr < 16 ? hook : NULL;
	}
	/* The call site is at the start, after ENDBR64 with IBT. */
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (avf_hooks[mid].addr > ip)
			hi = mid;
		else if (ip - avf_hooks[mid].addr >= 16)
			lo = mid + 1;
		else
			return &avf_hooks[mid];
	}
	return NULL;
}

/* Fill avf_slot[] with @seed: false if two hooks would share a slot. */
static bool fill_slots(u64 seed)
{
	unsigned int i, slot, end;

	memset(avf_slot, 0, sizeof(avf_slot));
	for (i = 0; i < ARRAY_SIZE(avf_hooks); i++) {
		/* The blocks of the first and the last byte of the site. */
		for (end = 0; end < 16; end += 15) {
			slot = slot_of(avf_hooks[i].addr + end, seed);
			if (avf_slot[slot] && avf_slot[slot] != i + 1)
				return false;
			avf_slot[slot] = i + 1;
		}
	}
	return true;
}

static void build_slots(void)
{
	u64 seed;

	BUILD_BUG_ON(ARRAY_SIZE(avf_hooks) >= U8_MAX);
	for (seed = 0; seed < 64; seed++) {
		if (fill_slots(seed)) {
			avf_slot_seed = seed;
			avf_slot_ok = true;
			return;
		}
	}
	pr_info("hook table: no collision-free hash, searching instead\n");
}

/*
 * For a hook with a fast path: true if the call needs no wrapper (current
 * is untagged, or the access is allowed on a cached label).  Asked before
 * the tag is looked up: it looks it up itself.
 */
static bool notrace fast_done(const struct avf_hook *hook, struct file *file,
			      int mask, const struct hlist_head *bucket)
{
	switch (hook->fast) {
	case AVF_FAST_FILE_OPEN:
		return avf_fast_file_open(file, bucket);
	case AVF_FAST_FILE_PERMISSION:
		return avf_fast_file_permission(file, mask, bucket);
	case AVF_FAST_NONE:
		break;
	}
	return false;
}

/*
 * The call is to enter its wrapper: false for any other call from the
 * module (its init or exit code), which goes through.  Only then:
 * within_module() walks the module's memory regions (7 on 6.12).
 */
static bool notrace enter_wrapper(unsigned long parent_ip)
{
	if (unlikely(READ_ONCE(THIS_MODULE->state) != MODULE_STATE_LIVE) &&
	    within_module(parent_ip, THIS_MODULE))
		return false;
	this_cpu_inc(avf_inflight);
	return true;
}

/* A wrapper calling the original (and the module's init and exit code). */
static __always_inline bool from_module_text(unsigned long parent_ip)
{
	return parent_ip - avf_text_base < avf_text_size;
}

/*
 * Current's bucket of the tag table if current may be tagged (any task
 * is, and the bucket is not empty), else NULL: an untagged task's call
 * costs this.  The bucket, hashed once, is the fast path's.
 */
static __always_inline const struct hlist_head *tagged_bucket(void)
{
	const struct hlist_head *bucket;

	if (!avf_any_tagged())
		return NULL;
	bucket = avf_current_bucket();
	return hlist_empty(bucket) ? NULL : bucket;
}

/* tagged_bucket(), but NULL for a wrapper's own call of the original. */
static __always_inline const struct hlist_head *
direct_bucket(unsigned long parent_ip)
{
	return from_module_text(parent_ip) ? NULL : tagged_bucket();
}

/*
 * The direct calls' decisions, one function per hooked function (so that
 * neither the hook nor its arguments need to be looked for): what
 * avf_ftrace_thunk() decides for a hook with a fast path.  Each takes the
 * hooked function's first two arguments and where it returns to, and
 * returns the wrapper to continue in, or 0 to run the hooked function.
 * Context: the hooked function's entry, possibly preemptible.
 */
unsigned long notrace avf_direct_file_open(struct file *file, int mask,
					   unsigned long parent_ip);
unsigned long notrace avf_direct_file_open(struct file *file, int mask,
					   unsigned long parent_ip)
{
	const struct hlist_head *bucket = direct_bucket(parent_ip);

	if (!bucket || avf_fast_file_open(file, bucket) ||
	    !enter_wrapper(parent_ip))
		return 0;
	return (unsigned long)hook_file_open;
}

unsigned long notrace avf_direct_file_permission(struct file *file, int mask,
						 unsigned long parent_ip);
unsigned long notrace avf_direct_file_permission(struct file *file, int mask,
						 unsigned long parent_ip)
{
	const struct hlist_head *bucket = direct_bucket(parent_ip);

	if (!bucket || avf_fast_file_permission(file, mask, bucket) ||
	    !enter_wrapper(parent_ip))
		return 0;
	return (unsigned long)hook_file_permission;
}

/*
 * The trampoline @tramp calling @decide: ftrace calls it from the hooked
 * function's entry, where the return address on the stack leads into the
 * function's body and the one above it back to its caller; the
 * function's arguments are in their registers.  @save pushes the ones it
 * has (%rdi, and %rsi if it takes two: the other registers a call may
 * change hold nothing at a function's entry), @restore pops them; @ret is
 * where the return address into the function is, from %rsp, between the
 * two (at 0 after @restore).  If @decide names a wrapper, that return
 * address is replaced by it: the wrapper runs with the function's
 * arguments, and returns to the function's caller.  No frame pointer: the
 * ORC unwinder follows %rsp (objtool checks it).
 */
#define AVF_DIRECT_TRAMP(tramp, decide, save, restore, ret)		\
	asm(".pushsection .text, \"ax\", @progbits\n"			\
	    ".type " #tramp ", @function\n"				\
	    ".globl " #tramp "\n"					\
	    #tramp ":\n"						\
	    ASM_ENDBR							\
	    CALL_DEPTH_ACCOUNT						\
	    save							\
	    "movq " #ret "+8(%rsp), %rdx\n"				\
	    "call " #decide "\n"					\
	    restore							\
	    "testq %rax, %rax\n"					\
	    "jz 1f\n"							\
	    "movq %rax, (%rsp)\n"					\
	    "1:\n"							\
	    ASM_RET							\
	    ".size " #tramp ", .-" #tramp "\n"				\
	    ".popsection\n")

AVF_DIRECT_TRAMP(avf_direct_tramp_file_open, avf_direct_file_open,
		 "pushq %rdi\n", "popq %rdi\n", 8);
AVF_DIRECT_TRAMP(avf_direct_tramp_file_permission, avf_direct_file_permission,
		 "pushq %rdi\npushq %rsi\n", "popq %rsi\npopq %rdi\n", 16);

/* Indexed by enum avf_fast - 1, as avf_direct_ops[]. */
static unsigned long direct_tramp(unsigned int i)
{
	return i ? (unsigned long)avf_direct_tramp_file_permission :
		   (unsigned long)avf_direct_tramp_file_open;
}

static void notrace avf_ftrace_thunk(unsigned long ip, unsigned long parent_ip,
				     struct ftrace_ops *ops,
				     struct ftrace_regs *fregs)
{
	const struct hlist_head *bucket;
	const struct avf_hook *hook;

	/*
	 * A wrapper calling the original: let it through.  One comparison,
	 * asked first: for a tagged task every redirected call comes back
	 * here once more, from its wrapper.
	 */
	if (from_module_text(parent_ip))
		return;
	hook = find_hook(ip);
	if (WARN_ON_ONCE(!hook))
		return;
	switch (hook->when) {
	case AVF_WHEN_TAGGED:
		bucket = tagged_bucket();
		if (!bucket)
			return;
		/*
		 * The hooks with a fast path, when they are not attached by
		 * direct call (avf_direct_file_open() and so on otherwise):
		 * they decide their common case here, and look up the tag
		 * themselves.
		 */
		if (hook->fast) {
			if (fast_done(hook,
				      (struct file *)avf_ftrace_arg(fregs, 0),
				      (int)avf_ftrace_arg(fregs, 1), bucket))
				return;
			break;
		}
		/* Most hooks: now the lookup itself. */
		if (!avf_current_tag_lookup())
			return;
		break;
	case AVF_WHEN_ANY_TAGGED:
		if (!avf_any_tagged())
			return;
		break;
	case AVF_WHEN_LOCKED:
		/*
		 * Unlocked, delete_module must not enter this module at
		 * all: its wrapper would return into freed memory.
		 */
		if (!READ_ONCE(avf_locked))
			return;
		break;
	case AVF_WHEN_SOCKS:
		/* A socket a tagged task made may outlive every tag. */
		if (!atomic_read(&avf_nsocks))
			return;
		break;
	case AVF_WHEN_ALWAYS:
		break;
	}
	if (enter_wrapper(parent_ip))
		avf_ftrace_set_ip(fregs, hook->wrapper);
}

/**
 * avf_hook_leave - mark the end of a redirected call
 *
 * Every hook_*() wrapper calls this exactly once, last, so that unloading
 * can wait until no task is executing module code.
 */
void avf_hook_leave(void)
{
	this_cpu_dec(avf_inflight);
}

static long inflight(void)
{
	long sum = 0;
	int cpu;

	for_each_possible_cpu(cpu)
		sum += per_cpu(avf_inflight, cpu);
	return sum;
}

typedef unsigned long (*kallsyms_lookup_name_t)(const char *name);

/*
 * kallsyms_lookup_name() is not exported, but a kprobe resolves it, once.
 * With IBT the probe lands after the ENDBR64 at function entry; an
 * indirect call must target the function's real start.
 */
static kallsyms_lookup_name_t find_kallsyms_lookup_name(void)
{
	static const u8 endbr64[] = { 0xf3, 0x0f, 0x1e, 0xfa };
	struct kprobe kp = { .symbol_name = "kallsyms_lookup_name" };
	unsigned long addr;
	int err;

	err = register_kprobe(&kp);
	if (err < 0) {
		pr_err("cannot resolve kernel symbols: kprobe on kallsyms_lookup_name failed: %d%s\n",
		       err, err == -EPERM ? " (kernel lockdown forbids kprobes)" : "");
		return NULL;
	}
	addr = (unsigned long)kp.addr;
	unregister_kprobe(&kp);
	if (IS_ENABLED(CONFIG_X86_KERNEL_IBT) &&
	    !memcmp((void *)(addr - sizeof(endbr64)), endbr64, sizeof(endbr64)))
		addr -= sizeof(endbr64);
	return (kallsyms_lookup_name_t)addr;
}

static int cmp_addr(const void *a, const void *b)
{
	const struct avf_hook *x = a, *y = b;

	return x->addr < y->addr ? -1 : x->addr > y->addr;
}

/* Unregister the direct calls attached, free their filters. */
static void detach_direct(void)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(avf_direct_ops); i++) {
		if (avf_direct_attached & BIT(i))
			avf_unregister_direct(&avf_direct_ops[i],
					      direct_tramp(i));
		ftrace_free_filter(&avf_direct_ops[i]);
	}
	avf_direct_attached = 0;
}

/**
 * avf_hooks_detach - detach every hook and wait for calls in flight
 *
 * Context: process context; may sleep for as long as a redirected call
 * sleeps (an open waiting on a fanotify listener, for example).
 */
void avf_hooks_detach(void)
{
	unsigned int waited = 0;

	if (avf_attached)
		unregister_ftrace_function(&avf_ftrace_ops);
	detach_direct();
	ftrace_free_filter(&avf_ftrace_ops);
	avf_attached = false;
	/* No new redirections now; wait for the ones under way. */
	while (inflight() > 0) {
		if (++waited % 500 == 0)
			pr_info("unload waits for %ld hooked calls to return\n",
				inflight());
		msleep(20);
	}
	/* A task may sit between avf_hook_leave() and its return. */
	synchronize_rcu_tasks();
}

/* Add the hooks with a fast path (@fast) or the others to @ops's filter. */
static int filter_hooks(struct ftrace_ops *ops, bool fast)
{
	const struct avf_hook *hook;
	int err;

	for (hook = avf_hooks; hook < avf_hooks + ARRAY_SIZE(avf_hooks); hook++) {
		if (!hook->fast != !fast)
			continue;
		err = ftrace_set_filter_ip(ops, hook->addr, 0, 0);
		if (err) {
			pr_err("cannot trace %s: %d\n", hook->name, err);
			return err;
		}
	}
	return 0;
}

/*
 * Attach each hook with a fast path by direct call.  ftrace refuses if
 * another direct call (a BPF trampoline: fentry, fexit) or an IPMODIFY
 * user already holds one of them; then both go through the callback.
 */
static bool attach_direct(void)
{
	const struct avf_hook *hook;
	unsigned int i;
	int err = 0;

	for (hook = avf_hooks; !err && hook < avf_hooks + ARRAY_SIZE(avf_hooks);
	     hook++) {
		if (!hook->fast)
			continue;
		i = hook->fast - 1;
		err = ftrace_set_filter_ip(&avf_direct_ops[i], hook->addr, 0, 0);
		if (!err)
			err = avf_register_direct(&avf_direct_ops[i],
						  direct_tramp(i));
		if (!err)
			avf_direct_attached |= BIT(i);
	}
	if (err) {
		pr_warn("direct calls refused (%d%s): security_file_open and security_file_permission attached through the ftrace callback\n",
			err, err == -EBUSY ? ", another direct call or IPMODIFY user holds one of them" : "");
		detach_direct();
	}
	return !err;
}

/**
 * avf_hooks_attach - attach every hook, or none
 *
 * Context: module init (writes the __ro_after_init hook table).
 * Return: 0, or a negative errno; then nothing is attached.
 */
int avf_hooks_attach(void)
{
	kallsyms_lookup_name_t lookup = find_kallsyms_lookup_name();
	struct avf_hook *hook;
	int err;

	if (!lookup)
		return -ENOENT;
	/* Cached labels depend on the mount tree (label.c). */
	avf_mount_lock = (seqlock_t *)lookup("mount_lock");
	if (!avf_mount_lock) {
		pr_err("cannot resolve mount_lock\n");
		return -ENOENT;
	}
	for (hook = avf_hooks; hook < avf_hooks + ARRAY_SIZE(avf_hooks); hook++) {
		hook->addr = lookup(hook->name);
		if (!hook->addr) {
			pr_err("cannot resolve %s\n", hook->name);
			return -ENOENT;
		}
	}
	sort(avf_hooks, ARRAY_SIZE(avf_hooks), sizeof(*avf_hooks), cmp_addr,
	     NULL);
	avf_module_text(&avf_text_base, &avf_text_size);
	build_slots();
	for (hook = avf_hooks; hook < avf_hooks + ARRAY_SIZE(avf_hooks); hook++)
		*hook->orig = (void *)hook->addr;
	/*
	 * No task is tagged before a policy is loaded: neither ops redirects
	 * a call before then, whichever is registered first.  The direct
	 * ops cannot be PERMANENT (ftrace sets its flags), but while the
	 * other one is registered the sysctl cannot switch ftrace off.
	 */
	if (!direct)
		pr_info("security_file_open and security_file_permission attached through the ftrace callback (direct=0)\n");
	err = filter_hooks(&avf_ftrace_ops, false);
	if (!err && !(direct && attach_direct()))
		err = filter_hooks(&avf_ftrace_ops, true);
	if (err)
		goto out_free;
	avf_ftrace_ops.func = avf_ftrace_thunk;
	/*
	 * PERMANENT: while avfence is loaded, root cannot switch it off with
	 * the kernel.ftrace_enabled sysctl.  IPMODIFY: the callback
	 * redirects.  No RECURSION: the callback calls no function that
	 * avfence hooks, so it cannot recurse through this ops, and the
	 * guard ftrace would wrap around it cost about a third of what the
	 * callback adds to an untagged open on 6.12.  Without it the
	 * callback may run preemptible, which it allows: it enters its own
	 * RCU read-side sections (rcu_read_lock(), or preemption off on
	 * the file hooks' fast path) and only increments a per-CPU counter.
	 */
	avf_ftrace_ops.flags = FTRACE_OPS_FL_IPMODIFY | FTRACE_OPS_FL_PERMANENT;
	err = register_ftrace_function(&avf_ftrace_ops);
	if (err) {
		pr_err("cannot attach: %d%s\n", err,
		       err == -EBUSY ? " (kernel.ftrace_enabled=0, or another module or livepatch modifies one of the functions)" : "");
		goto out_free;
	}
	avf_attached = true;
	return 0;

out_free:
	detach_direct();
	ftrace_free_filter(&avf_ftrace_ops);
	return err;
}

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
 * This file is the only one that knows about ftrace: the rest of the module
 * sees plain hook functions (hook_file_open(), ...) and avf_orig.
 */
#include <linux/kprobes.h>
#include <linux/module.h>
#include <linux/percpu.h>
#include <linux/delay.h>

#include "common.h"
#include "compat.h"
#include "hook.h"
#include "policy.h"

struct avf_orig avf_orig __ro_after_init;

/* Calls redirected into this module and not yet returned, summed over CPUs. */
static DEFINE_PER_CPU(long, avf_inflight);

enum avf_when {
	AVF_WHEN_ALWAYS,	/* every call */
	AVF_WHEN_TAGGED,	/* only when the calling task is tagged */
	AVF_WHEN_ANY_TAGGED,	/* only while any task is tagged */
	AVF_WHEN_LOCKED,	/* only once the policy is locked */
};

/**
 * struct avf_hook - one attached kernel function
 * @name: the kernel function
 * @wrapper: avfence's function of the same signature
 * @orig: where its real address is stored, for the wrapper to call
 * @when: which calls to redirect; the others cost a callback only
 * @ops: the ftrace registration
 * @attached: @ops is registered
 */
struct avf_hook {
	const char *name;
	unsigned long wrapper;
	void **orig;
	enum avf_when when;
	struct ftrace_ops ops;
	bool attached;
};

#define AVF_HOOK_SYM(fn, sym, w) {				\
	.name = sym,						\
	.wrapper = (unsigned long)hook_##fn,			\
	.orig = (void **)&avf_orig.fn,				\
	.when = (w),						\
}
#define AVF_HOOK(fn, w) AVF_HOOK_SYM(fn, "security_" #fn, w)

/* clang-format off */
static struct avf_hook avf_hooks[] = {
	/* subject.c: tags */
	AVF_HOOK(task_alloc, AVF_WHEN_TAGGED),
	AVF_HOOK(task_free, AVF_WHEN_ANY_TAGGED),
	AVF_HOOK(bprm_check, AVF_WHEN_ALWAYS),
	AVF_HOOK(bprm_committed_creds, AVF_WHEN_ALWAYS),
	/* fs.c: files and labels */
	AVF_HOOK(file_open, AVF_WHEN_TAGGED),
	AVF_HOOK(file_receive, AVF_WHEN_TAGGED),
	AVF_HOOK(file_permission, AVF_WHEN_TAGGED),
	AVF_HOOK(mmap_file, AVF_WHEN_TAGGED),
	AVF_HOOK(inode_link, AVF_WHEN_TAGGED),
	AVF_HOOK(inode_rename, AVF_WHEN_TAGGED),
	AVF_HOOK(inode_setxattr, AVF_WHEN_ALWAYS),
	AVF_HOOK(inode_removexattr, AVF_WHEN_ALWAYS),
	/* door.c: side doors */
	AVF_HOOK(ptrace_access_check, AVF_WHEN_TAGGED),
	AVF_HOOK(ptrace_traceme, AVF_WHEN_ANY_TAGGED),
	AVF_HOOK(capable, AVF_WHEN_TAGGED),
	AVF_HOOK(kernel_read_file, AVF_WHEN_TAGGED),
	AVF_HOOK(kernel_load_data, AVF_WHEN_TAGGED),
	AVF_HOOK(bpf, AVF_WHEN_TAGGED),
	AVF_HOOK(perf_event_open, AVF_WHEN_TAGGED),
	AVF_HOOK(locked_down, AVF_WHEN_TAGGED),
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
};
/* clang-format on */

static void notrace avf_ftrace_thunk(unsigned long ip, unsigned long parent_ip,
				     struct ftrace_ops *ops,
				     struct ftrace_regs *fregs)
{
	struct avf_hook *hook = container_of(ops, struct avf_hook, ops);

	/* The wrapper calling the original: let it through. */
	if (within_module(parent_ip, THIS_MODULE))
		return;
	switch (hook->when) {
	case AVF_WHEN_TAGGED:
		if (!avf_current_tagged())
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
	case AVF_WHEN_ALWAYS:
		break;
	}
	this_cpu_inc(avf_inflight);
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

/*
 * kallsyms_lookup_name() is not exported, but a kprobe resolves a symbol.
 * With IBT the probe lands after the ENDBR64 at function entry; the wrapper
 * must call the function's real start, which an indirect call may target.
 */
static unsigned long resolve(const char *name)
{
	static const u8 endbr64[] = { 0xf3, 0x0f, 0x1e, 0xfa };
	struct kprobe kp = { .symbol_name = name };
	unsigned long addr;

	if (register_kprobe(&kp) < 0)
		return 0;
	addr = (unsigned long)kp.addr;
	unregister_kprobe(&kp);
	if (IS_ENABLED(CONFIG_X86_KERNEL_IBT) &&
	    !memcmp((void *)(addr - sizeof(endbr64)), endbr64, sizeof(endbr64)))
		addr -= sizeof(endbr64);
	return addr;
}

static int attach(struct avf_hook *hook)
{
	unsigned long addr = resolve(hook->name);
	int err;

	if (!addr) {
		pr_err("cannot resolve %s\n", hook->name);
		return -ENOENT;
	}
	*hook->orig = (void *)addr;
	hook->ops.func = avf_ftrace_thunk;
	/*
	 * PERMANENT: while avfence is loaded, root cannot switch it off with
	 * the kernel.ftrace_enabled sysctl.  RECURSION: ftrace guards the
	 * callback against recursion.  IPMODIFY: the callback redirects.
	 */
	hook->ops.flags = FTRACE_OPS_FL_RECURSION | FTRACE_OPS_FL_IPMODIFY |
			  FTRACE_OPS_FL_PERMANENT;
	err = ftrace_set_filter_ip(&hook->ops, addr, 0, 0);
	if (err) {
		pr_err("cannot filter ftrace on %s: %d\n", hook->name, err);
		return err;
	}
	err = register_ftrace_function(&hook->ops);
	if (err) {
		pr_err("cannot attach to %s: %d%s\n", hook->name, err,
		       err == -EBUSY ? " (kernel.ftrace_enabled=0, or another module modifies it)" : "");
		ftrace_set_filter_ip(&hook->ops, addr, 1, 0);
		return err;
	}
	hook->attached = true;
	return 0;
}

static void detach(struct avf_hook *hook)
{
	if (!hook->attached)
		return;
	unregister_ftrace_function(&hook->ops);
	ftrace_free_filter(&hook->ops);
	hook->attached = false;
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
	int i;

	for (i = ARRAY_SIZE(avf_hooks) - 1; i >= 0; i--)
		detach(&avf_hooks[i]);
	/* No new redirections now; wait for the ones under way. */
	while (inflight() > 0) {
		if (++waited % 1000 == 0)
			pr_info("unload waits for %ld hooked calls to return\n",
				inflight());
		msleep(10);
	}
	/* A task may sit between avf_hook_leave() and its return. */
	synchronize_rcu_tasks();
}

/**
 * avf_hooks_attach - attach every hook, or none
 *
 * Return: 0, or the error of the first hook that failed; then nothing
 * remains attached.
 */
int avf_hooks_attach(void)
{
	size_t i;
	int err;

	for (i = 0; i < ARRAY_SIZE(avf_hooks); i++) {
		err = attach(&avf_hooks[i]);
		if (err) {
			avf_hooks_detach();
			return err;
		}
	}
	return 0;
}

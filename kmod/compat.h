/* SPDX-License-Identifier: GPL-2.0 */
/*
 * avfence: the differences between the kernels avfence supports.
 *
 * Every #if on the kernel version lives here, so that the rest of the
 * module reads like an ordinary LSM.
 */
#ifndef _AVFENCE_COMPAT_H
#define _AVFENCE_COMPAT_H

#include <linux/ftrace.h>
#include <linux/version.h>

#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 12, 0)
#include <linux/ftrace_regs.h>
/* 6.12 made struct ftrace_regs opaque and renamed the ip setter. */
#define avf_ftrace_set_ip(fregs, ip) \
	ftrace_regs_set_instruction_pointer(fregs, ip)
/* Argument @n of the traced function, at its entry. */
#define avf_ftrace_arg(fregs, n) ftrace_regs_get_argument(fregs, n)
#else
#define avf_ftrace_set_ip(fregs, ip) ftrace_instruction_pointer_set(fregs, ip)
#define avf_ftrace_arg(fregs, n) regs_get_kernel_argument(&(fregs)->regs, n)
#endif

/*
 * Direct calls (hook.c): 6.5 renamed the _multi functions of 6.1, and
 * unregistering may free the filter; avfence frees it itself.
 */
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 5, 0)
#define avf_register_direct(ops, addr) register_ftrace_direct(ops, addr)
#define avf_unregister_direct(ops, addr) \
	unregister_ftrace_direct(ops, addr, false)
#else
#define avf_register_direct(ops, addr) register_ftrace_direct_multi(ops, addr)
#define avf_unregister_direct(ops, addr) \
	unregister_ftrace_direct_multi(ops, addr)
#endif
/*
 * A trampoline's call depth accounting (retbleed's stuffing) since 6.2;
 * its per-CPU counter's offset is in asm-offsets.h.
 */
#include <asm/asm-offsets.h>
#include <asm/nospec-branch.h>
#ifndef CALL_DEPTH_ACCOUNT
#define CALL_DEPTH_ACCOUNT ""
#endif

/* The first argument of the xattr hooks became a struct mnt_idmap in 6.3. */
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 3, 0)
typedef struct mnt_idmap avf_idmap_t;
/* The identity mapping, for xattrs the module sets itself. */
#define avf_nop_idmap (&nop_mnt_idmap)
#else
typedef struct user_namespace avf_idmap_t;
#define avf_nop_idmap (&init_user_ns)
#endif

/* security_perf_event_open() lost its attr argument between 6.1 and 6.12. */
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 12, 0)
#define AVF_PERF_EVENT_OPEN_PARAMS int type
#define AVF_PERF_EVENT_OPEN_ARGS type
#else
struct perf_event_attr;
#define AVF_PERF_EVENT_OPEN_PARAMS struct perf_event_attr *attr, int type
#define AVF_PERF_EVENT_OPEN_ARGS attr, type
#endif

/* genl_family.pre_doit takes the split form of an op since 6.2. */
#include <net/genetlink.h>
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 2, 0)
typedef struct genl_split_ops avf_genl_ops_t;
#else
typedef struct genl_ops avf_genl_ops_t;
#endif

/* A counted reference to the executable of @mm, or NULL. */
#include <linux/fs.h>
#include <linux/mm_types.h>
#include <linux/rcupdate.h>
static inline struct file *avf_get_exe_file(struct mm_struct *mm)
{
	struct file *exe;

#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 7, 0)
	rcu_read_lock();
	exe = get_file_rcu(&mm->exe_file);
	rcu_read_unlock();
#else
	rcu_read_lock();
	exe = rcu_dereference(mm->exe_file);
	if (exe && !get_file_rcu(exe))
		exe = NULL;
	rcu_read_unlock();
#endif
	return exe;
}

/* The module's own text: 6.4 split a module's memory by type. */
#include <linux/module.h>
static inline void avf_module_text(unsigned long *base, unsigned long *size)
{
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 4, 0)
	*base = (unsigned long)THIS_MODULE->mem[MOD_TEXT].base;
	*size = THIS_MODULE->mem[MOD_TEXT].size;
#else
	*base = (unsigned long)THIS_MODULE->core_layout.base;
	*size = THIS_MODULE->core_layout.text_size;
#endif
}

#endif /* _AVFENCE_COMPAT_H */

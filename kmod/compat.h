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
#else
#define avf_ftrace_set_ip(fregs, ip) ftrace_instruction_pointer_set(fregs, ip)
#endif

#endif /* _AVFENCE_COMPAT_H */

// SPDX-License-Identifier: GPL-2.0
/*
 * avfence: side doors.
 *
 * A fenced agent runs as root with every capability.  Beyond opening
 * files it could read other processes' memory, read storage or memory
 * below the filesystem, or change the kernel that enforces the fence.
 * These hooks close those doors for tagged tasks; two of them (ptrace and
 * raw storage) can be opened per subject by the policy.
 */
#include <linux/capability.h>
#include <linux/cred.h>
#include <linux/fcntl.h>
#include <linux/kd.h>
#include <linux/kernel_read_file.h>
#include <linux/fs_struct.h>
#include <linux/magic.h>
#include <linux/major.h>
#include <linux/module.h>
#include <linux/path.h>
#include <linux/pid.h>
#include <linux/proc_fs.h>
#include <linux/ptrace.h>
#include <linux/security.h>
#include <linux/signal.h>
#include <linux/syslog.h>
#include <linux/termios.h>
#include <linux/uaccess.h>
#include <scsi/sg.h>

#include "common.h"
#include "compat.h"
#include "fence.h"
#include "hook.h"
#include "policy.h"

/*
 * Is @child's root directory current's?  Context: the caller of the
 * ptrace check holds task_lock(@child), so @child->fs stays.  The roots
 * are only compared (avf_same_root(), root.c), never followed.
 */
static bool same_root(struct task_struct *child)
{
	struct fs_struct *theirs = child->fs, *mine = current->fs;

	return theirs && mine && avf_same_root(theirs, mine);
}

int hook_ptrace_access_check(struct task_struct *child, unsigned int mode)
{
	/* The note of a /proc/PID/root link is taken on every check. */
	bool noted = avf_current_take_root_link(child);
	int err = 0;

	BUILD_BUG_ON(PTRACE_MODE_READ != AVF_PTRACE_MODE_READ);
	BUILD_BUG_ON(PTRACE_MODE_FSCREDS != AVF_PTRACE_MODE_FSCREDS);
	BUILD_BUG_ON(PTRACE_MODE_NOAUDIT != AVF_PTRACE_MODE_NOAUDIT);
	/* A process rooted where current is: see avf_proc_root_link_ok(). */
	if (!avf_proc_root_link_ok(mode, noted, noted && same_root(child)))
		/* Also /proc/PID/mem, process_vm_readv, pidfd_getfd, fd/. */
		err = avf_fence_task(AVFENCE_ROUTE_PTRACE, child,
				     AVFENCE_ALLOW_PTRACE,
				     avf_ptrace_probe(mode));
	if (!err)
		err = avf_orig.ptrace_access_check(child, mode);
	avf_hook_leave();
	return err;
}

/**
 * avf_door_follow_link - note a /proc/PID/root link a fenced task follows
 * @dentry: the link
 *
 * procfs checks ptrace access to PID before it resolves the link; the
 * note lets hook_ptrace_access_check() know which link that check is for.
 * Only the top-level /proc/PID/root: not /proc/PID/task/TID/root, cwd or
 * any other link.  A pid that is gone notes nothing.
 *
 * Called by hook_inode_follow_link() (written.c) for tagged tasks.
 *
 * Context: current is tagged; RCU path walk possible: nothing sleeps.
 */
void avf_door_follow_link(struct dentry *dentry)
{
	struct super_block *sb = dentry->d_sb;
	const struct dentry *parent;
	u32 nr = 0;

	if (sb->s_magic != PROC_SUPER_MAGIC)
		return;
	rcu_read_lock();
	parent = READ_ONCE(dentry->d_parent);
	/* /proc/PID directories are never renamed: their name is stable. */
	if (parent != dentry && READ_ONCE(parent->d_parent) == sb->s_root &&
	    parent != sb->s_root && !strcmp(dentry->d_name.name, "root"))
		nr = avf_proc_pid_of(parent->d_name.name);
	/*
	 * The walk holds the proc mount, so its pid namespace lives; the
	 * pid is only compared with the checked task's later, never followed.
	 */
	if (nr && nr <= INT_MAX)
		avf_current_note_root_link(find_pid_ns(nr, proc_pid_ns(sb)));
	rcu_read_unlock();
}

int hook_task_kill(struct task_struct *p, struct kernel_siginfo *info,
		   int sig, const struct cred *cred)
{
	/*
	 * A core dump of an untagged task would land outside the fence.
	 * sig_kernel_coredump() is false for signals out of 1..SIGRTMIN-1.
	 */
	int err = sig_kernel_coredump(sig) ?
		  avf_fence_task(AVFENCE_ROUTE_SIGNAL, p, 0, false) : 0;

	if (!err)
		err = avf_orig.task_kill(p, info, sig, cred);
	avf_hook_leave();
	return err;
}

/*
 * Signals the kernel sends on a fenced task's behalf without
 * security_task_kill(): F_SETSIG chooses the signal that SIGIO, leases and
 * dnotify deliver to the file's owner (send_sigio()), an owner that
 * F_SETOWN may name in any process.  A core-dumping one would dump an
 * untagged owner's memory outside the fence, as kill() would.
 */
int hook_file_fcntl(struct file *file, unsigned int cmd, unsigned long arg)
{
	int err = cmd == F_SETSIG && sig_kernel_coredump(arg) ?
		  avf_fence_door(AVFENCE_ROUTE_SIGNAL, 0,
				 "F_SETSIG to a core-dumping signal") : 0;

	if (!err)
		err = avf_orig.file_fcntl(file, cmd, arg);
	avf_hook_leave();
	return err;
}

/*
 * Another process's resource limits (prlimit()): raising its RLIMIT_CORE,
 * or lowering RLIMIT_CPU, RLIMIT_FSIZE, RLIMIT_STACK or RLIMIT_AS so that
 * the kernel itself sends it SIGXCPU, SIGXFSZ or SIGSEGV or it aborts,
 * dumps an untagged process's memory outside the fence, and changes how
 * other services run.  The hook is given credentials, not the task, so
 * every other process's limits are refused for writing, those of the
 * fenced task's own children too; reading them and setting its own
 * (setrlimit(), which reaches no hook) stay allowed.
 */
int hook_task_prlimit(const struct cred *cred, const struct cred *tcred,
		      unsigned int flags)
{
	int err = flags & LSM_PRLIMIT_WRITE ?
		  avf_fence_door(AVFENCE_ROUTE_SIGNAL, 0,
				 "prlimit() of another process") : 0;

	if (!err)
		err = avf_orig.task_prlimit(cred, tcred, flags);
	avf_hook_leave();
	return err;
}

/*
 * Mounting a filesystem from a block device reads storage below every
 * label (the kernel opens the device itself, not through open()).
 */
int hook_sb_set_mnt_opts(struct super_block *sb, void *mnt_opts,
			 unsigned long kern_flags,
			 unsigned long *set_kern_flags)
{
	int err = sb->s_bdev ? avf_fence_door(AVFENCE_ROUTE_RAW_DEVICE,
					       AVFENCE_ALLOW_RAW_DEVICES,
					       sb->s_id) : 0;

	if (!err)
		err = avf_orig.sb_set_mnt_opts(sb, mnt_opts, kern_flags,
					       set_kern_flags);
	avf_hook_leave();
	return err;
}

int hook_ptrace_traceme(struct task_struct *parent)
{
	int err = avf_fence_tracer(parent, AVFENCE_ALLOW_PTRACE);

	if (!err)
		err = avf_orig.ptrace_traceme(parent);
	avf_hook_leave();
	return err;
}

/*
 * Capabilities a fenced task loses.  Most doors they open have their own
 * hook as well; this is the second lock, and the only one for
 * delete_module().
 */
static const char *cap_name(int cap)
{
	switch (cap) {
	case CAP_SYS_RAWIO:
		return "CAP_SYS_RAWIO";
	case CAP_SYS_MODULE:
		return "CAP_SYS_MODULE";
	case CAP_MAC_ADMIN:
		return "CAP_MAC_ADMIN";
	case CAP_MAC_OVERRIDE:
		return "CAP_MAC_OVERRIDE";
	case CAP_BPF:
		return "CAP_BPF";
	case CAP_PERFMON:
		return "CAP_PERFMON";
	case CAP_AUDIT_CONTROL:
		return "CAP_AUDIT_CONTROL";
	}
	return "capability";
}

static int check_capability(int cap)
{
	u32 allow = 0;

	switch (cap) {
	case CAP_SYS_RAWIO:
		allow = AVFENCE_ALLOW_RAW_DEVICES;
		break;
	case CAP_SYS_MODULE:
	case CAP_MAC_ADMIN:
	case CAP_MAC_OVERRIDE:
	case CAP_BPF:
	case CAP_PERFMON:
	case CAP_AUDIT_CONTROL:
		break;
	default:
		return 0;
	}
	return avf_fence_door(AVFENCE_ROUTE_CAPABILITY, allow,
			      cap_name(cap));
}

/*
 * Is @cred what current acts with?  capable() and ns_capable() pass
 * current_cred() (an override_creds() of current's included);
 * has_capability() passes another task's credential and file_ns_capable()
 * a file opener's.  Those are about that task or opener, which is not the
 * fenced current: the answer is theirs (security_capable() runs for them
 * as if avfence were not there).
 */
static bool cred_of_current(const struct cred *cred)
{
	return cred == current_cred() || cred == current_real_cred();
}

int hook_capable(const struct cred *cred, struct user_namespace *ns, int cap,
		 unsigned int opts)
{
	int err = cred_of_current(cred) ? check_capability(cap) : 0;

	if (!err)
		err = avf_orig.capable(cred, ns, cap, opts);
	avf_hook_leave();
	return err;
}

/*
 * What a file or a buffer handed to the kernel is to become: a module, a
 * kexec image, or a policy or certificate the kernel trusts.  @id is an
 * enum kernel_read_file_id; enum kernel_load_data_id numbers the same
 * kinds alike (security.h builds both from one list; checked below).
 */
static int fence_kernel_load(enum kernel_read_file_id id,
			     const char *module_call, const char *kexec_call)
{
	switch (id) {
	case READING_MODULE:
		return avf_fence_door(AVFENCE_ROUTE_KERNEL_MODULE, 0,
				      module_call);
	case READING_KEXEC_IMAGE:
	case READING_KEXEC_INITRAMFS:
		return avf_fence_door(AVFENCE_ROUTE_KEXEC, 0, kexec_call);
	case READING_POLICY:
	case READING_X509_CERTIFICATE:
		return avf_fence_door(AVFENCE_ROUTE_LOCKDOWN, 0,
				      "kernel policy or certificate");
	default:
		return 0;
	}
}

int hook_kernel_read_file(struct file *file, enum kernel_read_file_id id,
			  bool contents)
{
	int err = fence_kernel_load(id, "finit_module", "kexec_file_load");

	if (!err)
		err = avf_orig.kernel_read_file(file, id, contents);
	avf_hook_leave();
	return err;
}

int hook_kernel_load_data(enum kernel_load_data_id id, bool contents)
{
	int err;

	BUILD_BUG_ON((int)LOADING_MODULE != (int)READING_MODULE);
	BUILD_BUG_ON((int)LOADING_KEXEC_IMAGE != (int)READING_KEXEC_IMAGE);
	BUILD_BUG_ON((int)LOADING_KEXEC_INITRAMFS !=
		     (int)READING_KEXEC_INITRAMFS);
	BUILD_BUG_ON((int)LOADING_POLICY != (int)READING_POLICY);
	BUILD_BUG_ON((int)LOADING_X509_CERTIFICATE !=
		     (int)READING_X509_CERTIFICATE);
	err = fence_kernel_load((enum kernel_read_file_id)id, "init_module",
				"kexec_load");
	if (!err)
		err = avf_orig.kernel_load_data(id, contents);
	avf_hook_leave();
	return err;
}

int hook_bpf(int cmd, union bpf_attr *attr, unsigned int size)
{
	int err = avf_fence_door(AVFENCE_ROUTE_BPF, 0, "bpf()");

	if (!err)
		err = avf_orig.bpf(cmd, attr, size);
	avf_hook_leave();
	return err;
}

int hook_perf_event_open(AVF_PERF_EVENT_OPEN_PARAMS)
{
	int err = avf_fence_door(AVFENCE_ROUTE_PERF, 0, "perf_event_open()");

	if (!err)
		err = avf_orig.perf_event_open(AVF_PERF_EVENT_OPEN_ARGS);
	avf_hook_leave();
	return err;
}

int hook_locked_down(enum lockdown_reason what)
{
	/*
	 * What lockdown guards (iopl/ioperm, /dev/mem, kcore, MSRs,
	 * tracefs, kprobes, debugfs, ...) a fenced task never gets, as if
	 * the kernel were locked down for it alone.
	 */
	char reason[32];
	int err;

	snprintf(reason, sizeof(reason), "lockdown reason %d", what);
	err = avf_fence_door(AVFENCE_ROUTE_LOCKDOWN, 0, reason);
	if (!err)
		err = avf_orig.locked_down(what);
	avf_hook_leave();
	return err;
}

/*
 * The kernel log and the audit trail are what an auditor reads.  A fenced
 * task may read the kernel log, but not clear it or change what the
 * console shows (syslog(2) and dmesg -c, -n, -D, -E); it has lost
 * CAP_AUDIT_CONTROL (above), which turning audit off, changing its rules
 * or becoming the audit daemon takes; fs.c refuses it /dev/kmsg for
 * writing, where it could forge kernel log lines.
 */
int hook_syslog(int type)
{
	char what[32];
	int err = 0;

	switch (type) {
	case SYSLOG_ACTION_READ_CLEAR:
	case SYSLOG_ACTION_CLEAR:
	case SYSLOG_ACTION_CONSOLE_OFF:
	case SYSLOG_ACTION_CONSOLE_ON:
	case SYSLOG_ACTION_CONSOLE_LEVEL:
		snprintf(what, sizeof(what), "syslog action %d", type);
		err = avf_fence_door(AVFENCE_ROUTE_KERNEL_CONFIG, 0, what);
	}
	if (!err)
		err = avf_orig.syslog(type);
	avf_hook_leave();
	return err;
}

/*
 * TIOCSTI pushes bytes into a terminal's input as if typed, TIOCLINUX
 * pastes the console selection into it (and reads the screen): a root
 * shell on that terminal would run what the agent typed.  On 6.12
 * dev.tty.legacy_tiocsti=0 still lets CAP_SYS_ADMIN through, on 6.1 any
 * task that can open the tty.  Refused on every character device: ttys
 * have many majors, some allocated at run time, and no other driver
 * answers these numbers.
 */
static const char *typing_ioctl(const struct file *file, unsigned int cmd)
{
	if (!S_ISCHR(file_inode(file)->i_mode))
		return NULL;
	switch (cmd) {
	case TIOCSTI:
		return "TIOCSTI";
	case TIOCLINUX:
		return "TIOCLINUX";
	}
	return NULL;
}

/*
 * A virtual console's keyboard maps: a function key string (KDSKBSENT),
 * a key bound to one (KDSKBENT), a scancode or accent remapped: the next
 * key the operator presses types what the agent chose.  Only on the
 * virtual consoles' majors (4, and 5 for /dev/tty and /dev/console),
 * where the vt driver answers these old numbers.
 */
static const char *keymap_ioctl(const struct file *file, unsigned int cmd)
{
	const struct inode *inode = file_inode(file);

	if (!S_ISCHR(inode->i_mode) ||
	    (imajor(inode) != TTY_MAJOR && imajor(inode) != TTYAUX_MAJOR))
		return NULL;
	switch (cmd) {
	case KDSKBENT:
		return "KDSKBENT";
	case KDSKBSENT:
		return "KDSKBSENT";
	case KDSKBDIACR:
		return "KDSKBDIACR";
	case KDSKBDIACRUC:
		return "KDSKBDIACRUC";
	case KDSETKEYCODE:
		return "KDSETKEYCODE";
	}
	return NULL;
}

/*
 * Typing into terminals; SCSI and NVMe command passthrough, which reads
 * storage below the filesystem.
 */
static int check_ioctl(struct file *file, unsigned int cmd)
{
	const char *name = typing_ioctl(file, cmd);

	if (!name)
		name = keymap_ioctl(file, cmd);
	if (name)
		return avf_fence_terminal(name, file);
	if (cmd != SG_IO && !(_IOC_TYPE(cmd) == 'N' && _IOC_NR(cmd) >= 0x40))
		return 0;
	return avf_fence_door(AVFENCE_ROUTE_PASSTHROUGH,
			      AVFENCE_ALLOW_RAW_DEVICES, "passthrough ioctl");
}

int hook_file_ioctl(struct file *file, unsigned int cmd, unsigned long arg)
{
	int err = check_ioctl(file, cmd);

	if (!err)
		err = avf_orig.file_ioctl(file, cmd, arg);
	avf_hook_leave();
	return err;
}

int hook_file_ioctl_compat(struct file *file, unsigned int cmd,
			   unsigned long arg)
{
	int err = check_ioctl(file, cmd);

	if (!err)
		err = avf_orig.file_ioctl_compat(file, cmd, arg);
	avf_hook_leave();
	return err;
}

int hook_uring_cmd(struct io_uring_cmd *ioucmd)
{
	int err = avf_fence_door(AVFENCE_ROUTE_PASSTHROUGH,
				 AVFENCE_ALLOW_RAW_DEVICES, "io_uring command");

	if (!err)
		err = avf_orig.uring_cmd(ioucmd);
	avf_hook_leave();
	return err;
}

/*
 * Once the policy is locked nobody unloads avfence, however forced.  The
 * module name is the first system call argument: rdi natively, ebx for
 * 32-bit callers.
 */
static long check_delete_module(const char __user *uname)
{
	char name[MODULE_NAME_LEN], comm[TASK_COMM_LEN];
	const char *q;
	long len;

	/* Redirected here only when locked, so never unloading itself. */
	len = strncpy_from_user(name, uname, sizeof(name));
	if (len < 0)
		return len;
	if (len == sizeof(name) || strcmp(name, KBUILD_MODNAME))
		return 0;
	get_task_comm(comm, current);
	q = avf_log_quote(comm);
	pr_notice_ratelimited("refused unloading: policy locked; pid=%d comm=" AVF_LOG_STR_FMT "\n",
			      task_tgid_nr(current), q, (int)strlen(comm), comm,
			      q);
	return -EPERM;
}

long hook_sys_delete_module(const struct pt_regs *regs)
{
	long err = check_delete_module((const char __user *)regs->di);

	if (!err)
		err = avf_orig.sys_delete_module(regs);
	avf_hook_leave();
	return err;
}

long hook_ia32_sys_delete_module(const struct pt_regs *regs)
{
	long err = check_delete_module((const char __user *)regs->bx);

	if (!err)
		err = avf_orig.ia32_sys_delete_module(regs);
	avf_hook_leave();
	return err;
}

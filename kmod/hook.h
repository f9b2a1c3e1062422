/* SPDX-License-Identifier: GPL-2.0 */
/*
 * avfence: the kernel functions avfence attaches to, and its wrappers.
 *
 * For each security_<hook>() listed here, hook.c redirects calls into
 * hook_<hook>(), which decides and then calls avf_orig.<hook>() to run
 * the other LSMs.  Each wrapper calls avf_hook_leave() exactly once, last.
 */
#ifndef _AVFENCE_HOOK_H
#define _AVFENCE_HOOK_H

#include <linux/binfmts.h>
#include <linux/fs.h>
#include <linux/kernel_read_file.h>
#include <linux/mm_types.h>
#include <linux/sched.h>
#include <linux/security.h>

#include "compat.h"

union bpf_attr;
struct sock;
struct socket;
struct fs_context;
struct io_uring_cmd;
struct tpm_chip;

#define AVF_HOOKS(X)							\
	X(int, task_alloc, struct task_struct *task,			\
	  unsigned long clone_flags)					\
	X(void, task_free, struct task_struct *task)			\
	X(int, bprm_check, struct linux_binprm *bprm)			\
	X(void, bprm_committed_creds, struct linux_binprm *bprm)	\
	X(int, file_open, struct file *file)				\
	X(int, file_receive, struct file *file)				\
	X(int, file_permission, struct file *file, int mask)		\
	X(int, mmap_file, struct file *file, unsigned long prot,	\
	  unsigned long flags)						\
	X(int, file_mprotect, struct vm_area_struct *vma,		\
	  unsigned long reqprot, unsigned long prot)			\
	X(int, inode_init_security, struct inode *inode,		\
	  struct inode *dir, const struct qstr *qstr,			\
	  initxattrs init_xattrs, void *fs_data)			\
	X(int, inode_follow_link, struct dentry *dentry,		\
	  struct inode *inode, bool rcu)				\
	X(int, inode_link, struct dentry *old_dentry, struct inode *dir,	\
	  struct dentry *new_dentry)					\
	X(int, path_link, struct dentry *old_dentry,			\
	  const struct path *new_dir, struct dentry *new_dentry)	\
	X(int, path_rename, const struct path *old_dir,		\
	  struct dentry *old_dentry, const struct path *new_dir,	\
	  struct dentry *new_dentry, unsigned int flags)		\
	X(int, inode_rename, struct inode *old_dir,			\
	  struct dentry *old_dentry, struct inode *new_dir,		\
	  struct dentry *new_dentry, unsigned int flags)		\
	X(int, inode_setxattr, avf_idmap_t *idmap, struct dentry *dentry,	\
	  const char *name, const void *value, size_t size, int flags)	\
	X(int, inode_removexattr, avf_idmap_t *idmap,			\
	  struct dentry *dentry, const char *name)			\
	X(int, vfs_setxattr, avf_idmap_t *idmap, struct dentry *dentry,	\
	  struct inode *inode, const char *name, const void *value,	\
	  size_t size, int flags)					\
	X(int, vfs_removexattr, avf_idmap_t *idmap,			\
	  struct dentry *dentry, const char *name)			\
	X(int, ptrace_access_check, struct task_struct *child,		\
	  unsigned int mode)						\
	X(int, ptrace_traceme, struct task_struct *parent)		\
	X(int, task_kill, struct task_struct *p,			\
	  struct kernel_siginfo *info, int sig, const struct cred *cred)	\
	X(int, file_fcntl, struct file *file, unsigned int cmd,		\
	  unsigned long arg)						\
	X(int, task_prlimit, const struct cred *cred,			\
	  const struct cred *tcred, unsigned int flags)			\
	X(int, sb_set_mnt_opts, struct super_block *sb, void *mnt_opts,	\
	  unsigned long kern_flags, unsigned long *set_kern_flags)	\
	X(int, capable, const struct cred *cred,			\
	  struct user_namespace *ns, int cap, unsigned int opts)	\
	X(int, kernel_read_file, struct file *file,			\
	  enum kernel_read_file_id id, bool contents)			\
	X(int, kernel_load_data, enum kernel_load_data_id id,		\
	  bool contents)						\
	X(int, bpf, int cmd, union bpf_attr *attr, unsigned int size)	\
	X(int, perf_event_open, AVF_PERF_EVENT_OPEN_PARAMS)		\
	X(int, locked_down, enum lockdown_reason what)			\
	X(int, syslog, int type)					\
	X(int, file_ioctl, struct file *file, unsigned int cmd,		\
	  unsigned long arg)						\
	X(int, file_ioctl_compat, struct file *file, unsigned int cmd,	\
	  unsigned long arg)						\
	X(int, uring_cmd, struct io_uring_cmd *ioucmd)			\
	X(long, sys_delete_module, const struct pt_regs *regs)		\
	X(long, ia32_sys_delete_module, const struct pt_regs *regs)	\
	X(ssize_t, tpm_transmit, struct tpm_chip *chip, u8 *buf,		\
	  size_t bufsiz)						\
	X(int, socket_post_create, struct socket *sock, int family,	\
	  int type, int protocol, int kern)				\
	X(int, unix_stream_connect, struct sock *sock,			\
	  struct sock *other, struct sock *newsk)			\
	X(int, unix_may_send, struct socket *sock, struct socket *other)	\
	X(void, sk_free, struct sock *sk)				\
	X(int, path_mknod, const struct path *dir, struct dentry *dentry,	\
	  umode_t mode, unsigned int dev)				\
	X(int, path_mkdir, const struct path *dir, struct dentry *dentry,	\
	  umode_t mode)							\
	X(int, path_rmdir, const struct path *dir, struct dentry *dentry)	\
	X(int, path_unlink, const struct path *dir, struct dentry *dentry)	\
	X(int, path_symlink, const struct path *dir, struct dentry *dentry,	\
	  const char *old_name)						\
	X(int, path_truncate, const struct path *path)			\
	X(int, path_chmod, const struct path *path, umode_t mode)	\
	X(int, path_chown, const struct path *path, kuid_t uid, kgid_t gid)	\
	X(int, inode_setattr, avf_idmap_t *idmap, struct dentry *dentry,	\
	  struct iattr *attr)						\
	X(int, sb_mount, const char *dev_name, const struct path *path,	\
	  const char *type, unsigned long flags, void *data)		\
	X(int, sb_umount, struct vfsmount *mnt, int flags)		\
	X(int, sb_kern_mount, const struct super_block *sb)		\
	X(int, move_mount, const struct path *from_path,		\
	  const struct path *to_path)					\
	X(int, sb_pivotroot, const struct path *old_path,		\
	  const struct path *new_path)					\
	X(int, reconfigure_super, struct fs_context *fc)		\
	X(long, sys_mount_setattr, const struct pt_regs *regs)		\
	X(long, ia32_sys_mount_setattr, const struct pt_regs *regs)	\
	X(int, create_user_ns, struct cred *new)

#define AVF_ORIG_MEMBER(ret, name, ...) ret (*name)(__VA_ARGS__);
#define AVF_WRAPPER_DECL(ret, name, ...) ret hook_##name(__VA_ARGS__);

/**
 * struct avf_orig - the kernel's security_*() functions avfence wraps
 */
struct avf_orig {
	AVF_HOOKS(AVF_ORIG_MEMBER)
};

extern struct avf_orig avf_orig;

AVF_HOOKS(AVF_WRAPPER_DECL)

void avf_hook_leave(void);
/* hook.c's direct-call trampolines (assembly), for ftrace to call. */
void avf_direct_tramp_file_open(void);
void avf_direct_tramp_file_permission(void);

bool avf_fast_file_open(struct file *file, const struct hlist_head *bucket);
bool avf_fast_file_permission(struct file *file, int mask,
			      const struct hlist_head *bucket);

#endif /* _AVFENCE_HOOK_H */

// SPDX-License-Identifier: GPL-2.0
/*
 * avf_captest: a test-only module for the VM (never installed): asks the
 * kernel's capability checks about a credential other than the caller's,
 * as has_capability() and file_ns_capable() do, so that
 * tests/kselftest/capable_test.c can see whose credential avfence judges.
 *
 * /proc/avf_captest: write "task PID CAP" (has_capability() of that task)
 * or "file CAP" (file_ns_capable() of this open file, i.e. of its
 * opener), then read "1\n" or "0\n".
 */
#include <linux/capability.h>
#include <linux/module.h>
#include <linux/pid.h>
#include <linux/proc_fs.h>
#include <linux/sched.h>
#include <linux/sched/task.h>
#include <linux/uaccess.h>

static ssize_t captest_write(struct file *file, const char __user *ubuf,
			     size_t len, loff_t *ppos)
{
	struct task_struct *task;
	char buf[64];
	int pid, cap;
	bool ok;

	if (len >= sizeof(buf))
		return -EINVAL;
	if (copy_from_user(buf, ubuf, len))
		return -EFAULT;
	buf[len] = '\0';
	if (sscanf(buf, "task %d %d", &pid, &cap) == 2) {
		if (!cap_valid(cap))
			return -EINVAL;
		task = get_pid_task(find_get_pid(pid), PIDTYPE_PID);
		if (!task)
			return -ESRCH;
		ok = has_capability_noaudit(task, cap);
		put_task_struct(task);
	} else if (sscanf(buf, "file %d", &cap) == 1) {
		if (!cap_valid(cap))
			return -EINVAL;
		ok = file_ns_capable(file, &init_user_ns, cap);
	} else {
		return -EINVAL;
	}
	file->private_data = (void *)(unsigned long)(ok ? 2 : 1);
	return len;
}

static ssize_t captest_read(struct file *file, char __user *ubuf, size_t len,
			    loff_t *ppos)
{
	unsigned long v = (unsigned long)file->private_data;
	const char *s = v == 2 ? "1\n" : "0\n";

	if (!v)
		return -ENODATA;
	return simple_read_from_buffer(ubuf, len, ppos, s, 2);
}

static const struct proc_ops captest_ops = {
	.proc_write = captest_write,
	.proc_read = captest_read,
	.proc_lseek = default_llseek,
};

static struct proc_dir_entry *captest_entry;

static int __init captest_init(void)
{
	captest_entry = proc_create("avf_captest", 0600, NULL, &captest_ops);
	return captest_entry ? 0 : -ENOMEM;
}

static void __exit captest_exit(void)
{
	proc_remove(captest_entry);
}

module_init(captest_init);
module_exit(captest_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("avfence test helper: capability checks of other credentials");

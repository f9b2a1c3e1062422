// SPDX-License-Identifier: GPL-2.0
/*
 * avfence side doors, weakening the fence: a fenced root agent tries to
 * change the kernel that enforces it (load or unload modules, load BPF
 * programs, kexec, raw I/O ports, system-wide perf events, the
 * kernel.modprobe and kernel.ftrace_enabled sysctls), to change labels, or
 * to change the policy over netlink.  All fail with EPERM for it (the
 * ftrace_enabled sysctl fails with EBUSY for everyone while avfence is
 * loaded); an untagged root task does each of them (the control).
 *
 * TMP (tmpfs)
 * ├── secret        SECRET, holds CANARY
 * ├── mine          owned by uid 1000, SECRET
 * └── plain         unlabelled (UNCLASSIFIED)
 *
 * AGENT_BIN has clearance OFFICIAL.  The module of the init_module tests is
 * brd from the VM image (tests/vm/modules.list).
 */
#include <linux/audit.h>
#include <linux/bpf.h>
#include <linux/fs.h>
#include <linux/perf_event.h>
#include <sys/ioctl.h>
#include <sys/klog.h>

#include "doors.h"

#ifndef KEXEC_FILE_NO_INITRAMFS
#define KEXEC_FILE_NO_INITRAMFS 0x00000004
#endif

#define BRD_KO EXTRA_MODULES "/brd.ko"
#define FTRACE_ENABLED "/proc/sys/kernel/ftrace_enabled"
#define MODPROBE "/proc/sys/kernel/modprobe"
#define TRACEFS "/sys/kernel/tracing"
#define DEBUGFS "/sys/kernel/debug"
#define PCI_CONFIG "/sys/bus/pci/devices/0000:00:00.0/config"
/* A writable debugfs file of every kernel (kernel/panic.c, mode 0200). */
#define DEBUGFS_FILE DEBUGFS "/clear_warn_once"

/* Agents */

/* module init|finit|delete ARG: init_module/finit_module of a .ko, or delete_module. */
AGENT(module)
{
	static char image[16 << 20];
	const char *op = argv[1], *arg = argv[2];
	int fd;
	long n;

	if (!strcmp(op, "delete")) {
		result("ret", syscall(SYS_delete_module, arg, O_NONBLOCK));
		return 0;
	}
	fd = open(arg, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return SETUP_FAILED;
	if (!strcmp(op, "finit")) {
		result("ret", syscall(SYS_finit_module, fd, "", 0));
	} else {
		n = read(fd, image, sizeof(image));
		if (n <= 0)
			return SETUP_FAILED;
		result("ret", syscall(SYS_init_module, image, n, ""));
	}
	return 0;
}

/* bpf: BPF_MAP_CREATE of an array, BPF_PROG_LOAD of "r0 = 0; exit". */
AGENT(bpf)
{
	struct bpf_insn insns[2];
	union bpf_attr attr;
	char log[256] = "";

	memset(&attr, 0, sizeof(attr));
	attr.map_type = BPF_MAP_TYPE_ARRAY;
	attr.key_size = 4;
	attr.value_size = 4;
	attr.max_entries = 1;
	result("map_create", syscall(SYS_bpf, BPF_MAP_CREATE, &attr, sizeof(attr)));

	memset(insns, 0, sizeof(insns));
	insns[0].code = BPF_ALU64 | BPF_MOV | BPF_K;	/* r0 = 0 */
	insns[1].code = BPF_JMP | BPF_EXIT;
	memset(&attr, 0, sizeof(attr));
	attr.prog_type = BPF_PROG_TYPE_SOCKET_FILTER;
	attr.insns = (unsigned long)insns;
	attr.insn_cnt = 2;
	attr.license = (unsigned long)"GPL";
	attr.log_buf = (unsigned long)log;
	attr.log_size = sizeof(log);
	attr.log_level = 1;
	result("prog_load", syscall(SYS_bpf, BPF_PROG_LOAD, &attr, sizeof(attr)));
	return 0;
}

/* kexec: kexec_load() with no segments (unloads nothing), kexec_file_load() of a non-kernel. */
AGENT(kexec)
{
	int fd = open("/bin/busybox", O_RDONLY | O_CLOEXEC);

	result("kexec_load", syscall(SYS_kexec_load, 0UL, 0UL, NULL, 0UL));
	result("kexec_file_load", syscall(SYS_kexec_file_load, fd, -1, 1UL, "",
					  (unsigned long)KEXEC_FILE_NO_INITRAMFS));
	return 0;
}

/* ioport: iopl(3), ioperm() of port 0x80. */
AGENT(ioport)
{
	result("iopl", syscall(SYS_iopl, 3));
	result("ioperm", syscall(SYS_ioperm, 0x80UL, 1UL, 1));
	return 0;
}

/* perf: a system-wide software counter on CPU 0. */
AGENT(perf)
{
	struct perf_event_attr attr;

	memset(&attr, 0, sizeof(attr));
	attr.type = PERF_TYPE_SOFTWARE;
	attr.size = sizeof(attr);
	attr.config = PERF_COUNT_SW_CPU_CLOCK;
	attr.disabled = 1;
	result("perf", syscall(SYS_perf_event_open, &attr, -1, 0, -1, 0));
	return 0;
}

/* xattr PATH [UID]: set then remove security.avfence (as UID, without capabilities). */
AGENT(xattr)
{
	if (argc > 2 && (setresgid(atoi(argv[2]), atoi(argv[2]), atoi(argv[2])) ||
			 setresuid(atoi(argv[2]), atoi(argv[2]), atoi(argv[2]))))
		return SETUP_FAILED;
	result("set", setxattr(argv[1], AVFENCE_XATTR_NAME, "UNCLASSIFIED", 12, 0));
	result("remove", removexattr(argv[1], AVFENCE_XATTR_NAME));
	return 0;
}

static int nl_err(int err)
{
	return err < 0 ? -err : err;
}

/* netlink: LOAD_POLICY (no subjects), SET_MODE audit, GET_STATUS. */
AGENT(netlink)
{
	static const char *const levels[] = { "UNCLASSIFIED", "OFFICIAL", "SECRET",
					      "TOP-SECRET", NULL };
	struct avf_policy_desc p = {
		.mode = AVFENCE_MODE_ENFORCE,
		.levels = levels,
		.default_level = "UNCLASSIFIED",
	};
	struct avf_status st;

	say("set_mode=%d\n", nl_err(avf_set_mode(AVFENCE_MODE_AUDIT)));
	say("load=%d\n", nl_err(avf_load(&p)));
	say("status=%d\n", nl_err(avf_get_status(&st)));
	say("mode=%u\n", st.mode);
	return 0;
}

/* sysctl PATH VALUE: write it. */
AGENT(sysctl)
{
	say("write=%d\n", write_proc(argv[1], argv[2]));
	return 0;
}

/* tracefs: open the trace buffer and the kprobe event list (lockdown checks). */
AGENT(tracefs)
{
	int fd;

	fd = result("trace", open(TRACEFS "/trace", O_RDONLY | O_CLOEXEC));
	if (fd >= 0)
		close(fd);
	fd = result("kprobe_events", open(TRACEFS "/kprobe_events",
					  O_RDONLY | O_CLOEXEC));
	if (fd >= 0)
		close(fd);
	return 0;
}

/* debugfs: open a writable debugfs file for writing (writes nothing). */
AGENT(debugfs)
{
	int fd = result("open", open(DEBUGFS_FILE, O_WRONLY | O_CLOEXEC));

	if (fd >= 0)
		close(fd);
	return 0;
}

/* lock: AVFENCE_CMD_LOCK. */
AGENT(lock)
{
	say("lock=%d\n", nl_err(avf_nl_do(AVFENCE_CMD_LOCK, NULL, NULL, NULL,
					   NULL)));
	return 0;
}

/*
 * caps: system calls whose only privilege check is one capability, so
 * that the capability route is seen alone: FIBMAP of a tmpfs file
 * (CAP_SYS_RAWIO, then EINVAL: tmpfs maps no blocks) and delete_module()
 * of a module that does not exist (CAP_SYS_MODULE, then ENOENT).
 */
AGENT(caps)
{
	int fd = open(TMP "/plain", O_RDONLY | O_CLOEXEC);
	int block = 0;

	if (fd < 0)
		return SETUP_FAILED;
	result("fibmap", ioctl(fd, FIBMAP, &block));
	close(fd);
	result("delete_module", syscall(SYS_delete_module, "avf_no_such_module",
					O_NONBLOCK));
	return 0;
}

/*
 * power: does /sys/power/state offer "disk"?  Only while hibernation is
 * available, which the kernel asks lockdown (LOCKDOWN_HIBERNATION) in the
 * reader's context: a way to see that lockdown answer without hibernating.
 */
AGENT(power)
{
	char buf[256];

	if (read_small("/sys/power/state", buf, sizeof(buf)))
		return SETUP_FAILED;
	say("disk=%d\n", strstr(buf, "disk") != NULL);
	return 0;
}

/*
 * pci: write one byte of a PCI device's config space back unchanged (the
 * interrupt line register of the host bridge).  The kernel asks lockdown
 * (LOCKDOWN_PCI_ACCESS) in the writer's context before any config write.
 */
AGENT(pci)
{
	int fd = open(PCI_CONFIG, O_RDWR | O_CLOEXEC);
	unsigned char b;

	if (fd < 0 || pread(fd, &b, 1, 0x3c) != 1)
		return SETUP_FAILED;
	result("write", pwrite(fd, &b, 1, 0x3c));
	close(fd);
	return 0;
}

/*
 * The audit trail and the kernel log, what an auditor reads.
 * audit ENABLED: AUDIT_SET audit's "enabled" to the value it has (no
 * change whoever succeeds; turning audit off takes the same
 * CAP_AUDIT_CONTROL).
 */
static int audit_request(int type, const void *data, size_t len)
{
	struct {
		struct nlmsghdr h;
		char data[64];
	} req = { 0 };
	struct {
		struct nlmsghdr h;
		struct nlmsgerr e;
		char more[512];
	} ack;
	int fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_AUDIT);
	ssize_t n;

	if (fd < 0)
		return -errno;
	req.h.nlmsg_len = NLMSG_LENGTH(len);
	req.h.nlmsg_type = type;
	req.h.nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK;
	memcpy(req.data, data, len);
	if (send(fd, &req, req.h.nlmsg_len, 0) < 0) {
		n = -errno;
		close(fd);
		return n;
	}
	for (;;) {
		n = recv(fd, &ack, sizeof(ack), 0);
		if (n < 0) {
			n = -errno;
			break;
		}
		if (ack.h.nlmsg_type == NLMSG_ERROR) {
			n = ack.e.error;
			break;
		}
	}
	close(fd);
	return n;
}

AGENT(audit)
{
	struct audit_status st = { .mask = AUDIT_STATUS_ENABLED };
	int err;

	st.enabled = atoi(argv[1]);
	err = audit_request(AUDIT_SET, &st, sizeof(st));
	say("audit_set=%d\n", -err);
	return 0;
}

/* syslog LEVEL: set the console log level to LEVEL; then try a clear if "clear". */
AGENT(syslog)
{
	result("console_level", klogctl(8 /* SYSLOG_ACTION_CONSOLE_LEVEL */,
					NULL, atoi(argv[1])));
	if (argv[2] && !strcmp(argv[2], "clear"))
		result("clear", klogctl(5 /* SYSLOG_ACTION_CLEAR */, NULL, 0));
	return 0;
}

/* kmsg: open /dev/kmsg for writing and write a line. */
AGENT(kmsg)
{
	int fd = open("/dev/kmsg", O_WRONLY | O_CLOEXEC);

	result("open", fd);
	if (fd >= 0) {
		result("write", write(fd, "avftest: forged line\n", 21));
		close(fd);
	}
	return 0;
}

/* The test side */

FIXTURE(kernel) {
	char modprobe[256];
};

FIXTURE_TAGGED_VARIANTS(kernel);

static const struct tree_entry kernel_tree[] = {
	TREE_FILE("secret", CANARY_LINE, "SECRET"),
	TREE_FILE("mine", CANARY_LINE, "SECRET"),
	TREE_FILE("plain", "plain\n", NULL),
	{ NULL }
};

FIXTURE_SETUP(kernel)
{
	ASSERT_EQ(0, insmod_avfence());
	read_small(MODPROBE, self->modprobe, sizeof(self->modprobe));
	ASSERT_EQ(0, build_tree(TMP, kernel_tree));
	ASSERT_EQ(0, chown(TMP "/mine", 1000, 1000));
	ASSERT_EQ(0, agent_policy("OFFICIAL", NULL));
}

FIXTURE_TEARDOWN(kernel)
{
	if (self->modprobe[0])
		write_proc(MODPROBE, self->modprobe);
	write_proc(FTRACE_ENABLED, "1");
	if (!module_is_loaded("brd"))
		load_extra_module("brd", "");
	insmod_avfence();
	teardown_tree();
}

/* brd out of the way, so that loading it can succeed (the control). */
static int brd_unloaded(void)
{
	if (access(BRD_KO, F_OK))
		return -1;
	if (module_is_loaded("brd"))
		unload_module("brd");
	return module_is_loaded("brd") ? -1 : 0;
}

static void load_module(struct __test_metadata *_metadata, int tagged,
			const char *op)
{
	struct agent a;
	struct watch w;

	watch_start(&w);
	ASSERT_EQ(0, agent_run(&a, tagged, "module", op, BRD_KO));
	if (tagged) {
		EXPECT_VAL(EPERM, &a, "ret");
		EXPECT_FALSE(module_is_loaded("brd"));
		/* capable(CAP_SYS_MODULE) is asked first. */
		EXPECT_EQ(0, watch_denied2(&w, AVFENCE_ROUTE_KERNEL_MODULE,
					   AVFENCE_ROUTE_CAPABILITY));
	} else {
		EXPECT_VAL(0, &a, "ret");
		EXPECT_TRUE(module_is_loaded("brd"));
	}
}

TEST_F(kernel, init_module)
{
	if (brd_unloaded())
		SKIP(return, "brd.ko is not in the VM image, or cannot be unloaded");
	load_module(_metadata, variant->tagged, "init");
}

TEST_F(kernel, finit_module)
{
	if (brd_unloaded())
		SKIP(return, "brd.ko is not in the VM image, or cannot be unloaded");
	load_module(_metadata, variant->tagged, "finit");
}

TEST_F(kernel, delete_module_brd)
{
	struct agent a;
	struct watch w;

	if (!module_is_loaded("brd") && load_extra_module("brd", ""))
		SKIP(return, "brd.ko is not in the VM image");
	watch_start(&w);
	ASSERT_EQ(0, agent_run(&a, variant->tagged, "module", "delete", "brd"));
	if (variant->tagged) {
		EXPECT_VAL(EPERM, &a, "ret");
		EXPECT_TRUE(module_is_loaded("brd"));
		EXPECT_EQ(0, watch_denied2(&w, AVFENCE_ROUTE_KERNEL_MODULE,
					   AVFENCE_ROUTE_CAPABILITY));
	} else {
		EXPECT_VAL(0, &a, "ret");
		EXPECT_FALSE(module_is_loaded("brd"));
	}
}

/* The control unloads avfence itself (teardown loads it again). */
TEST_F(kernel, delete_module_avfence)
{
	struct agent a;
	struct watch w;

	watch_start(&w);
	ASSERT_EQ(0, agent_run(&a, variant->tagged, "module", "delete", "avfence"));
	if (variant->tagged) {
		EXPECT_VAL(EPERM, &a, "ret");
		EXPECT_TRUE(module_loaded());
		EXPECT_EQ(0, watch_denied2(&w, AVFENCE_ROUTE_KERNEL_MODULE,
					   AVFENCE_ROUTE_CAPABILITY));
	} else {
		EXPECT_VAL(0, &a, "ret");
		EXPECT_FALSE(module_loaded());
	}
}

/* The capabilities a tagged task loses, each asked alone. */
TEST_F(kernel, capabilities_alone)
{
	struct denials before, now;
	struct agent a;
	struct watch w;

	watch_start(&w);
	ASSERT_EQ(0, denials_read(&before));
	ASSERT_EQ(0, agent_run(&a, variant->tagged, "caps"));
	ASSERT_EQ(0, denials_read(&now));
	if (variant->tagged) {
		EXPECT_VAL(EPERM, &a, "fibmap");
		EXPECT_VAL(EPERM, &a, "delete_module");
		EXPECT_EQ(0, watch_denied(&w, AVFENCE_ROUTE_CAPABILITY));
		/* Both refusals, and no other route's. */
		EXPECT_EQ(before.denied[AVFENCE_ROUTE_CAPABILITY] + 2,
			  now.denied[AVFENCE_ROUTE_CAPABILITY]);
		EXPECT_EQ(before.denied[AVFENCE_ROUTE_KERNEL_MODULE],
			  now.denied[AVFENCE_ROUTE_KERNEL_MODULE]);
	} else {
		EXPECT_VAL(EINVAL, &a, "fibmap");
		EXPECT_VAL(ENOENT, &a, "delete_module");
		EXPECT_EQ(before.denied[AVFENCE_ROUTE_CAPABILITY],
			  now.denied[AVFENCE_ROUTE_CAPABILITY]);
	}
}

/*
 * Hibernation: a fenced agent must not write memory to swap on its own
 * terms.  The kernel offers it only while lockdown allows
 * (LOCKDOWN_HIBERNATION), which avfence refuses to a fenced task; seen in
 * /sys/power/state without hibernating the VM.
 */
TEST_F(kernel, hibernation_lockdown)
{
	struct agent a;
	struct watch w;
	char state[256];

	if (read_small("/sys/power/state", state, sizeof(state)) ||
	    !strstr(state, "disk"))
		SKIP(return, "this kernel offers no hibernation (/sys/power/state: %s)",
		     state);
	watch_start(&w);
	ASSERT_EQ(0, agent_run(&a, variant->tagged, "power"));
	if (variant->tagged) {
		EXPECT_VAL(0, &a, "disk");
		EXPECT_EQ(0, watch_denied(&w, AVFENCE_ROUTE_LOCKDOWN));
	} else {
		EXPECT_VAL(1, &a, "disk");
	}
}

/* PCI config space writes: lockdown (LOCKDOWN_PCI_ACCESS). */
TEST_F(kernel, pci_config_lockdown)
{
	struct agent a;
	struct watch w;

	if (access(PCI_CONFIG, F_OK))
		SKIP(return, "no %s in this VM", PCI_CONFIG);
	/* Past write= (no subject writes /sys without it): lockdown's turn. */
	ASSERT_EQ(0, agent_policy_write("OFFICIAL", "/sys,/tmp," TMP, NULL));
	watch_start(&w);
	ASSERT_EQ(0, agent_run(&a, variant->tagged, "pci"));
	if (variant->tagged) {
		EXPECT_VAL(EPERM, &a, "write");
		EXPECT_EQ(0, watch_denied(&w, AVFENCE_ROUTE_LOCKDOWN));
	} else {
		EXPECT_VAL(0, &a, "write");
	}
}

/* AUDIT_GET as the (untagged) test: audit's "enabled", or -errno. */
static int audit_enabled_now(void)
{
	struct {
		struct nlmsghdr h;
		struct audit_status st;
	} rep;
	struct nlmsghdr req = {
		.nlmsg_len = NLMSG_LENGTH(0),
		.nlmsg_type = AUDIT_GET,
		.nlmsg_flags = NLM_F_REQUEST,
	};
	int fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_AUDIT);
	ssize_t n;

	if (fd < 0)
		return -errno;
	if (send(fd, &req, req.nlmsg_len, 0) < 0) {
		close(fd);
		return -errno;
	}
	do
		n = recv(fd, &rep, sizeof(rep), 0);
	while (n > 0 && rep.h.nlmsg_type != AUDIT_GET &&
	       rep.h.nlmsg_type != NLMSG_ERROR);
	close(fd);
	if (n < (ssize_t)sizeof(rep) || rep.h.nlmsg_type != AUDIT_GET)
		return -EIO;
	return rep.st.enabled;
}

/*
 * Audit off, rules changed, or the agent as the audit daemon: all take
 * CAP_AUDIT_CONTROL, which a fenced task does not have.
 */
TEST_F(kernel, audit_control)
{
	int enabled = audit_enabled_now();
	struct agent a;
	struct watch w;
	char arg[16];

	if (enabled < 0)
		SKIP(return, "AUDIT_GET failed: %s", strerror(-enabled));
	if (enabled == 2)
		SKIP(return, "audit is locked (enabled=2)");
	snprintf(arg, sizeof(arg), "%d", enabled);
	watch_start(&w);
	ASSERT_EQ(0, agent_run(&a, variant->tagged, "audit", arg));
	if (variant->tagged) {
		EXPECT_VAL(EPERM, &a, "audit_set");
		EXPECT_EQ(0, watch_denied(&w, AVFENCE_ROUTE_CAPABILITY));
	} else {
		EXPECT_VAL(0, &a, "audit_set");
	}
	EXPECT_EQ(enabled, audit_enabled_now());
}

/*
 * The kernel log: the agent may not clear it (dmesg -c) or change the
 * console level (dmesg -n); the control sets the level it has.
 */
TEST_F(kernel, syslog_clear)
{
	char printk[64];
	struct agent a;
	struct watch w;
	char level[16];

	ASSERT_EQ(0, read_small("/proc/sys/kernel/printk", printk,
				sizeof(printk)));
	snprintf(level, sizeof(level), "%d", atoi(printk));
	watch_start(&w);
	/* Only the agent tries a clear: the control must not empty the log. */
	ASSERT_EQ(0, agent_run(&a, variant->tagged, "syslog", level,
			       variant->tagged ? "clear" : "no"));
	if (variant->tagged) {
		EXPECT_VAL(EPERM, &a, "console_level");
		EXPECT_VAL(EPERM, &a, "clear");
		EXPECT_EQ(0, watch_denied(&w, AVFENCE_ROUTE_KERNEL_CONFIG));
		/* What was logged before the attempt is still there. */
		EXPECT_EQ(1, kmsg_has(&w.mark, ""));
	} else {
		EXPECT_VAL(0, &a, "console_level");
	}
}

/* /dev/kmsg for writing: a forged "avfence: ..." line for the auditor. */
TEST_F(kernel, kmsg_write)
{
	struct agent a;
	struct watch w;

	watch_start(&w);
	ASSERT_EQ(0, agent_run(&a, variant->tagged, "kmsg"));
	if (variant->tagged) {
		EXPECT_VAL(EPERM, &a, "open");
		EXPECT_EQ(0, watch_denied(&w, AVFENCE_ROUTE_KERNEL_CONFIG));
		EXPECT_EQ(0, kmsg_has(&w.mark, "avftest: forged line"));
	} else {
		EXPECT_VAL(0, &a, "open");
		EXPECT_VAL(0, &a, "write");
		EXPECT_EQ(1, kmsg_has(&w.mark, "avftest: forged line"));
	}
}

TEST_F(kernel, bpf)
{
	struct agent a;
	struct watch w;

	watch_start(&w);
	ASSERT_EQ(0, agent_run(&a, variant->tagged, "bpf"));
	if (variant->tagged) {
		EXPECT_VAL(EPERM, &a, "map_create");
		EXPECT_VAL(EPERM, &a, "prog_load");
		EXPECT_EQ(0, watch_denied(&w, AVFENCE_ROUTE_BPF));
	} else {
		EXPECT_VAL(0, &a, "map_create");
		EXPECT_VAL(0, &a, "prog_load");
	}
}

TEST_F(kernel, kexec)
{
	struct agent a;
	struct watch w;

	watch_start(&w);
	ASSERT_EQ(0, agent_run(&a, variant->tagged, "kexec"));
	if (variant->tagged) {
		EXPECT_VAL(EPERM, &a, "kexec_load");
		EXPECT_VAL(EPERM, &a, "kexec_file_load");
		EXPECT_EQ(0, watch_denied(&w, AVFENCE_ROUTE_KEXEC));
	} else {
		EXPECT_VAL(0, &a, "kexec_load");
		/* Read and parsed: busybox is no kernel image. */
		EXPECT_VAL(ENOEXEC, &a, "kexec_file_load");
	}
}

TEST_F(kernel, iopl_ioperm)
{
	struct agent a;
	struct watch w;

	watch_start(&w);
	ASSERT_EQ(0, agent_run(&a, variant->tagged, "ioport"));
	if (variant->tagged) {
		EXPECT_VAL(EPERM, &a, "iopl");
		EXPECT_VAL(EPERM, &a, "ioperm");
		/* capable(CAP_SYS_RAWIO) is asked before lockdown. */
		EXPECT_EQ(0, watch_denied2(&w, AVFENCE_ROUTE_LOCKDOWN,
					   AVFENCE_ROUTE_CAPABILITY));
	} else {
		EXPECT_VAL(0, &a, "iopl");
		EXPECT_VAL(0, &a, "ioperm");
	}
}

TEST_F(kernel, perf_event_open_system_wide)
{
	struct agent a;
	struct watch w;

	watch_start(&w);
	ASSERT_EQ(0, agent_run(&a, variant->tagged, "perf"));
	if (variant->tagged) {
		EXPECT_VAL(EPERM, &a, "perf");
		EXPECT_EQ(0, watch_denied(&w, AVFENCE_ROUTE_PERF));
	} else {
		EXPECT_VAL(0, &a, "perf");
	}
}

static int label_of(const char *path, char *buf, size_t size)
{
	ssize_t n = getxattr(path, AVFENCE_XATTR_NAME, buf, size - 1);

	buf[n > 0 ? n : 0] = '\0';
	return n < 0 ? errno : 0;
}

/* Root: the tagged agent may not, the untagged administrator may. */
TEST_F(kernel, label_change_by_root)
{
	struct agent a;
	struct watch w;
	char label[64];

	watch_start(&w);
	ASSERT_EQ(0, agent_run(&a, variant->tagged, "xattr", TMP "/secret"));
	if (variant->tagged) {
		EXPECT_VAL(EPERM, &a, "set");
		EXPECT_VAL(EPERM, &a, "remove");
		EXPECT_EQ(0, label_of(TMP "/secret", label, sizeof(label)));
		EXPECT_STREQ("SECRET", label);
		EXPECT_EQ(0, watch_denied(&w, AVFENCE_ROUTE_LABEL));
	} else {
		EXPECT_VAL(0, &a, "set");
		EXPECT_VAL(0, &a, "remove");
		EXPECT_EQ(ENODATA, label_of(TMP "/secret", label, sizeof(label)));
	}
}

/* The owner of a file, uid 1000 with no capabilities: never (both variants). */
TEST_F(kernel, label_change_by_owner_without_caps)
{
	struct agent a;
	char label[64];

	ASSERT_EQ(0, agent_run(&a, variant->tagged, "xattr", TMP "/mine", "1000"));
	EXPECT_VAL(EPERM, &a, "set");
	EXPECT_VAL(EPERM, &a, "remove");
	EXPECT_EQ(0, label_of(TMP "/mine", label, sizeof(label)));
	EXPECT_STREQ("SECRET", label);
}

TEST_F(kernel, netlink_control)
{
	struct avf_status st;
	struct agent a;

	ASSERT_EQ(0, agent_run(&a, variant->tagged, "netlink"));
	EXPECT_VAL(0, &a, "status");
	ASSERT_EQ(0, avf_get_status(&st));
	if (variant->tagged) {
		EXPECT_VAL(EPERM, &a, "set_mode");
		EXPECT_VAL(EPERM, &a, "load");
		EXPECT_EQ(AVFENCE_MODE_ENFORCE, st.mode);
		EXPECT_EQ(1, st.subject_count);
	} else {
		EXPECT_VAL(0, &a, "set_mode");
		EXPECT_VAL(0, &a, "load");
		EXPECT_EQ(0, st.subject_count);
	}
}

/*
 * kernel.ftrace_enabled=0 would detach every ftrace hook, avfence's too:
 * refused for everyone while avfence is loaded (EBUSY: the hooks are
 * FTRACE_OPS_FL_PERMANENT); a tagged agent does not even get to write
 * a sysctl (EPERM, route kernel-config).
 */
TEST_F(kernel, ftrace_enabled_sysctl)
{
	struct agent a;
	char val[16];

	ASSERT_EQ(0, agent_run(&a, variant->tagged, "sysctl", FTRACE_ENABLED, "0"));
	EXPECT_VAL(variant->tagged ? EPERM : EBUSY, &a, "write");
	ASSERT_EQ(0, read_small(FTRACE_ENABLED, val, sizeof(val)));
	EXPECT_STREQ("1\n", val);
}

/*
 * kernel.modprobe: the program the kernel runs, as untagged root, for
 * request_module().  A fenced agent may not choose it (attack_escape_test
 * shows what it could do with it).
 */
TEST_F(kernel, modprobe_sysctl)
{
	struct agent a;
	char val[256];

	ASSERT_EQ(0, agent_run(&a, variant->tagged, "sysctl", MODPROBE,
			       TMP "/evil"));
	ASSERT_EQ(0, read_small(MODPROBE, val, sizeof(val)));
	if (variant->tagged) {
		EXPECT_NE(0, agent_val(&a, "write")) {
			TH_LOG("the fenced agent set kernel.modprobe: %s", val);
		}
		EXPECT_STREQ(self->modprobe, val);
	} else {
		EXPECT_VAL(0, &a, "write");
		EXPECT_STREQ(TMP "/evil\n", val);
	}
}

/*
 * tracefs (trace buffers, kprobe events): the kernel asks lockdown
 * (LOCKDOWN_TRACEFS) in the opener's context, and avfence refuses every
 * lockdown question of a fenced task.
 */
TEST_F(kernel, tracefs_lockdown)
{
	struct agent a;
	struct watch w;

	if (access(TRACEFS "/trace", F_OK)) {
		mkdirs(TRACEFS);
		mount("nodev", TRACEFS, "tracefs", 0, NULL);
	}
	if (access(TRACEFS "/kprobe_events", F_OK))
		SKIP(return, "no tracefs with kprobe events in this kernel");
	watch_start(&w);
	ASSERT_EQ(0, agent_run(&a, variant->tagged, "tracefs"));
	if (variant->tagged) {
		EXPECT_VAL(EPERM, &a, "trace");
		EXPECT_VAL(EPERM, &a, "kprobe_events");
		EXPECT_EQ(0, watch_denied(&w, AVFENCE_ROUTE_LOCKDOWN));
	} else {
		EXPECT_VAL(0, &a, "trace");
		EXPECT_VAL(0, &a, "kprobe_events");
	}
}

/*
 * debugfs: opening a file that can be written (or mmapped, or has an
 * ioctl) asks lockdown (LOCKDOWN_DEBUGFS) in the opener's context.
 * Read-only debugfs files do not ask; they hold kernel state, not files.
 * Opening one for writing is refused before that, whatever write= says
 * (debugfs is among the filesystems no fenced task changes): route write.
 */
TEST_F(kernel, debugfs_lockdown)
{
	struct agent a;
	struct watch w;

	if (access(DEBUGFS_FILE, F_OK)) {
		mkdirs(DEBUGFS);
		mount("nodev", DEBUGFS, "debugfs", 0, NULL);
	}
	if (access(DEBUGFS_FILE, F_OK))
		SKIP(return, "no debugfs, or no %s in this kernel", DEBUGFS_FILE);
	watch_start(&w);
	ASSERT_EQ(0, agent_run(&a, variant->tagged, "debugfs"));
	if (variant->tagged) {
		EXPECT_VAL(EACCES, &a, "open");
		EXPECT_EQ(0, watch_denied(&w, AVFENCE_ROUTE_WRITE));
	} else {
		EXPECT_VAL(0, &a, "open");
	}
}

/*
 * LOCK from a fenced agent is refused like a policy load; the fence stays
 * unlocked (a mode change still works).  The control, an untagged LOCK,
 * is zz_lock_test: locking lasts until reboot, so it runs last.
 */
FIXTURE(lock) {
};

FIXTURE_SETUP(lock)
{
	ASSERT_EQ(0, insmod_avfence());
	ASSERT_EQ(0, agent_policy("OFFICIAL", NULL));
}

FIXTURE_TEARDOWN(lock)
{
	load_no_subject();
}

TEST_F(lock, refused_to_tagged_agent)
{
	struct agent a;

	ASSERT_EQ(0, agent_run(&a, 1, "lock"));
	EXPECT_VAL(EPERM, &a, "lock");
	EXPECT_EQ(0, avf_set_mode(AVFENCE_MODE_AUDIT));
	EXPECT_EQ(0, avf_set_mode(AVFENCE_MODE_ENFORCE));
}

TEST_HARNESS_MAIN

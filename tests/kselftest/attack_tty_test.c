// SPDX-License-Identifier: GPL-2.0
/*
 * avfence side doors, terminals and input (issue 12, item 4): a fenced
 * root agent types into a root shell's terminal (TIOCSTI; on 6.12 even
 * with dev.tty.legacy_tiocsti=0, because it keeps CAP_SYS_ADMIN),
 * drives the console (TIOCLINUX), injects key presses through uinput or
 * an input event device, logs keys from one, or reads the text console's
 * screen (/dev/vcs, vcsa, vcsu), rebinds a virtual console's keys
 * (KDSKBSENT: the operator's next F-key types the agent's command), or
 * opens another terminal to read what the operator types there.  All fail
 * with EPERM for it, route "terminal"; an untagged root task does each of
 * them (the control).  The ioctls are tried on a terminal the agent
 * inherits, which it may use: the refusal is the ioctl's.
 *
 * TMP (tmpfs)
 * ├── pts/          devpts, a pty pair the test holds
 * ├── tty1          c 4 1, the first virtual console
 * ├── uinput        c 10 223
 * ├── event         c 13 N, the event device of a uinput keyboard the
 * │                 test made
 * └── vcs vcsa vcsu c 7 0, 7 128, 7 64
 *
 * Device nodes are made here with mknod (the agent could make its own):
 * avfence tells devices by major and minor, not by path.  The VM image
 * loads uinput and evdev (tests/vm/modules.list).  AGENT_BIN has
 * clearance SECRET.
 */
#include <linux/kd.h>
#include <linux/uinput.h>
#include <linux/tiocl.h>
#include <linux/vt.h>
#include <dirent.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/sysmacros.h>
#include <termios.h>

#include "doors.h"

#define PTS TMP "/pts"
#define TTY1 TMP "/tty1"
#define UINPUT TMP "/uinput"
#define EVENT TMP "/event"

/* Agents */

/*
 * sti TTY TEXT: open the terminal (or use the inherited fd TTY if it is a
 * number), push TEXT into its input with TIOCSTI.
 */
AGENT(sti)
{
	const char *p;
	int fd = argv[1][0] == '/' ?
		 open(argv[1], O_RDWR | O_NOCTTY | O_CLOEXEC) : atoi(argv[1]);
	long ret = 0;

	if (fd < 0)
		return SETUP_FAILED;
	for (p = argv[2]; *p && ret == 0; p++)
		ret = ioctl(fd, TIOCSTI, p);
	result("sti", ret);
	close(fd);
	return 0;
}

/* linux FD: TIOCLINUX TIOCL_GETFGCONSOLE on the inherited terminal FD. */
AGENT(linux)
{
	char sub = TIOCL_GETFGCONSOLE;

	result("tioclinux", ioctl(atoi(argv[1]), TIOCLINUX, &sub));
	return 0;
}

/* The function key string KDSKBSENT sets (a key no keymap binds). */
#define KEYMAP_FUNC 200
#define KEYMAP_TEXT "id\n"

/* keymap FD: set function key string KEYMAP_FUNC of the console FD. */
AGENT(keymap)
{
	struct kbsentry e = { .kb_func = KEYMAP_FUNC };

	strcpy((char *)e.kb_string, KEYMAP_TEXT);
	result("keymap", ioctl(atoi(argv[1]), KDSKBSENT, &e));
	return 0;
}

/*
 * read_tty PATH: open another terminal read-only and read what is typed
 * there; then open it write-only (output, allowed) and write.
 */
AGENT(read_tty)
{
	char buf[256];
	int fd = open(argv[1], O_RDONLY | O_NOCTTY | O_NONBLOCK |
		      O_CLOEXEC);
	long n;

	if (result("open", fd) >= 0) {
		struct pollfd p = { .fd = fd, .events = POLLIN };

		poll(&p, 1, 5000);	/* the line is there: the test saw it */
		n = read(fd, buf, sizeof(buf));
		emit("typed", buf, n);
		close(fd);
	}
	fd = open(argv[1], O_WRONLY | O_NOCTTY | O_CLOEXEC);
	if (result("open_write", fd) >= 0) {
		result("write", write(fd, "out\n", 4));
		close(fd);
	}
	return 0;
}

/* open_dev PATH r|w: open it; read (emit) or write one key press. */
AGENT(open_dev)
{
	struct input_event ev[3];
	int fd = open(argv[1], (argv[2][0] == 'w' ? O_WRONLY : O_RDONLY) |
			       O_NONBLOCK | O_CLOEXEC);

	if (fd < 0) {
		say("open=%d\n", errno);
		return 0;
	}
	say("open=0\n");
	if (argv[2][0] == 'w') {
		memset(ev, 0, sizeof(ev));
		ev[0].type = EV_KEY;
		ev[0].code = KEY_A;
		ev[0].value = 1;
		ev[1].type = EV_KEY;
		ev[1].code = KEY_A;
		ev[2].type = EV_SYN;
		result("write", write(fd, ev, sizeof(ev)));
	} else {
		char buf[4096];
		long n = read(fd, buf, sizeof(buf));

		say("read=%d\n", n < 0 && errno != EAGAIN ? errno : 0);
	}
	close(fd);
	return 0;
}

/* The test side */

FIXTURE(tty) {
	int ptm, pts;		/* the pty pair */
	char pts_path[64];
	int uinput;		/* the test's uinput keyboard, or -1 */
	int event_ok;		/* EVENT is its event device */
};

FIXTURE_VARIANT(tty) {
	int tagged;
};

FIXTURE_VARIANT_ADD(tty, tagged) { .tagged = 1 };
FIXTURE_VARIANT_ADD(tty, untagged) { .tagged = 0 };

static void load_module_once(const char *name)
{
	if (!module_is_loaded(name))
		load_extra_module(name, "");
}

/* /sys/devices/virtual/input/NAME/eventN/dev of the uinput device: 0 or -1. */
static int find_event(int ufd, unsigned int *maj, unsigned int *min)
{
	char name[64], dir[256], path[1024], buf[32];
	struct dirent *e;
	DIR *d;
	int err = -1;

	if (ioctl(ufd, UI_GET_SYSNAME(sizeof(name)), name) < 0)
		return -1;
	snprintf(dir, sizeof(dir), "/sys/devices/virtual/input/%s", name);
	d = opendir(dir);
	if (!d)
		return -1;
	while ((e = readdir(d))) {
		if (strncmp(e->d_name, "event", 5))
			continue;
		snprintf(path, sizeof(path), "%s/%s/dev", dir, e->d_name);
		if (!read_small(path, buf, sizeof(buf)) &&
		    sscanf(buf, "%u:%u", maj, min) == 2)
			err = 0;
		break;
	}
	closedir(d);
	return err;
}

/* A uinput keyboard with KEY_A, and its event device at EVENT. */
static int make_keyboard(FIXTURE_DATA(tty) *self)
{
	struct uinput_setup setup;
	unsigned int maj, min;
	int i;

	self->uinput = open(UINPUT, O_WRONLY | O_NONBLOCK | O_CLOEXEC);
	if (self->uinput < 0)
		return -1;
	memset(&setup, 0, sizeof(setup));
	setup.id.bustype = BUS_VIRTUAL;
	strcpy(setup.name, "avfence test keyboard");
	if (ioctl(self->uinput, UI_SET_EVBIT, EV_KEY) ||
	    ioctl(self->uinput, UI_SET_KEYBIT, KEY_A) ||
	    ioctl(self->uinput, UI_DEV_SETUP, &setup) ||
	    ioctl(self->uinput, UI_DEV_CREATE))
		return -1;
	/* evdev binds to it asynchronously. */
	for (i = 0; i < 50; i++) {
		if (!find_event(self->uinput, &maj, &min))
			break;
		usleep(20000);
	}
	if (i == 50 || mknod(EVENT, S_IFCHR | 0600, makedev(maj, min)))
		return -1;
	self->event_ok = 1;
	return 0;
}

FIXTURE_SETUP(tty)
{
	unsigned int n;

	self->ptm = self->pts = self->uinput = -1;
	ASSERT_EQ(0, insmod_avfence());
	ASSERT_EQ(0, mount_tmpfs(TMP));
	ASSERT_EQ(0, mkdirs(PTS));
	ASSERT_EQ(0, mount("devpts", PTS, "devpts", 0, "newinstance,ptmxmode=0666"));
	self->ptm = open(PTS "/ptmx", O_RDWR | O_NOCTTY | O_CLOEXEC);
	ASSERT_LE(0, self->ptm);
	ASSERT_EQ(0, unlockpt(self->ptm));
	ASSERT_EQ(0, ioctl(self->ptm, TIOCGPTN, &n));
	snprintf(self->pts_path, sizeof(self->pts_path), PTS "/%u", n);
	self->pts = open(self->pts_path, O_RDWR | O_NOCTTY | O_NONBLOCK | O_CLOEXEC);
	ASSERT_LE(0, self->pts);
	ASSERT_EQ(0, mknod(TTY1, S_IFCHR | 0600, makedev(4, 1)));
	ASSERT_EQ(0, mknod(UINPUT, S_IFCHR | 0600, makedev(10, 223)));
	ASSERT_EQ(0, mknod(TMP "/vcs", S_IFCHR | 0600, makedev(7, 0)));
	ASSERT_EQ(0, mknod(TMP "/vcsa", S_IFCHR | 0600, makedev(7, 128)));
	ASSERT_EQ(0, mknod(TMP "/vcsu", S_IFCHR | 0600, makedev(7, 64)));
	load_module_once("uinput");
	load_module_once("evdev");
	make_keyboard(self);
	ASSERT_EQ(0, agent_policy("SECRET", NULL));
}

FIXTURE_TEARDOWN(tty)
{
	if (self->uinput >= 0) {
		ioctl(self->uinput, UI_DEV_DESTROY);
		close(self->uinput);
	}
	if (self->pts >= 0)
		close(self->pts);
	if (self->ptm >= 0)
		close(self->ptm);
	insmod_avfence();
	load_no_subject();
	umount2(PTS, MNT_DETACH);
	umount_tmpfs(TMP);
}

/* What arrived on the terminal's input, read from the slave side. */
static int tty_input(int fd, char *buf, size_t size)
{
	struct pollfd p = { .fd = fd, .events = POLLIN };
	ssize_t n;

	buf[0] = '\0';
	if (poll(&p, 1, 500) <= 0)
		return 0;
	n = read(fd, buf, size - 1);
	if (n < 0)
		return 0;
	buf[n] = '\0';
	return n;
}

/*
 * The agent inherits @fd (an end of the pty) as fd 10 and pushes @text
 * into its input with TIOCSTI; what arrives is read back from @fd.
 */
static void sti_case(struct __test_metadata *_metadata, int tagged, int fd,
		     const char *text)
{
	char input[64];
	struct agent a;
	struct watch w;

	ASSERT_EQ(10, dup2(fd, 10));
	watch_start(&w);
	ASSERT_EQ(0, agent_run(&a, tagged, "sti", "10", text));
	close(10);
	tty_input(fd, input, sizeof(input));
	expect_fenced(_metadata, &a, &w, tagged, "sti", EPERM,
		      AVFENCE_ROUTE_TERMINAL, false);
	EXPECT_STREQ(tagged ? "" : text, input);
}

/* A terminal in canonical mode: a line pushed with TIOCSTI is read back. */
TEST_F(tty, tiocsti)
{
	sti_case(_metadata, variant->tagged, self->pts, "id\n");
}

/*
 * The master side of a pty is a terminal too: TIOCSTI on the master is
 * input of the master's side.
 */
TEST_F(tty, tiocsti_master)
{
	sti_case(_metadata, variant->tagged, self->ptm, "x\n");
}

/*
 * TIOCLINUX on the first virtual console (the VM has one); on a pty the
 * control would get EINVAL from the tty layer, the agent EPERM.
 */
TEST_F(tty, tioclinux)
{
	struct agent a;
	struct watch w;
	int fd = open(TTY1, O_RDWR | O_NOCTTY | O_CLOEXEC);

	if (fd < 0)
		TH_LOG("no virtual console (%s); TIOCLINUX on a pty", strerror(errno));
	ASSERT_EQ(10, dup2(fd >= 0 ? fd : self->pts, 10));
	watch_start(&w);
	ASSERT_EQ(0, agent_run(&a, variant->tagged, "linux", "10"));
	close(10);
	if (fd >= 0)
		close(fd);
	if (variant->tagged) {
		EXPECT_VAL(EPERM, &a, "tioclinux");
		EXPECT_EQ(0, watch_denied(&w, AVFENCE_ROUTE_TERMINAL));
	} else if (fd >= 0) {
		EXPECT_VAL(0, &a, "tioclinux");
	} else {
		SKIP(return, "no virtual console for the control");
	}
}

/*
 * A function key string of the virtual console: the control's string is
 * read back (and cleared), the agent's refused.
 */
TEST_F(tty, keymap)
{
	struct kbsentry e = { .kb_func = KEYMAP_FUNC };
	struct agent a;
	struct watch w;
	int fd = open(TTY1, O_RDWR | O_NOCTTY | O_CLOEXEC);

	if (fd < 0)
		SKIP(return, "no virtual console (%s)", strerror(errno));
	ASSERT_EQ(0, ioctl(fd, KDSKBSENT, &e));
	ASSERT_EQ(10, dup2(fd, 10));
	watch_start(&w);
	ASSERT_EQ(0, agent_run(&a, variant->tagged, "keymap", "10"));
	close(10);
	ASSERT_EQ(0, ioctl(fd, KDGKBSENT, &e));
	if (variant->tagged) {
		EXPECT_VAL(EPERM, &a, "keymap");
		EXPECT_STREQ("", (char *)e.kb_string);
		EXPECT_EQ(0, watch_denied(&w, AVFENCE_ROUTE_TERMINAL));
	} else {
		EXPECT_VAL(0, &a, "keymap");
		EXPECT_STREQ(KEYMAP_TEXT, (char *)e.kb_string);
	}
	e.kb_string[0] = '\0';
	ioctl(fd, KDSKBSENT, &e);
	close(fd);
}

/*
 * Another terminal, opened to read: the agent would get what the
 * operator types into the shell there.  Writing to it (output) stays
 * allowed.
 */
TEST_F(tty, read_other_terminal)
{
	struct pollfd p = { .fd = self->pts, .events = POLLIN };
	char out[256] = "";
	size_t len = 0;
	struct agent a;
	struct watch w;
	int i;

	/*
	 * The operator types a line; the slave's readers get it once the
	 * line discipline has it (a worker moves it there: wait for it).
	 */
	ASSERT_EQ(10, write(self->ptm, "password1\n", 10));
	ASSERT_EQ(1, poll(&p, 1, 5000));
	watch_start(&w);
	ASSERT_EQ(0, agent_run(&a, variant->tagged, "read_tty",
			       self->pts_path));
	if (variant->tagged) {
		EXPECT_VAL(EPERM, &a, "open");
		EXPECT_EQ(NULL, strstr(agent_output(&a), "password1"));
		EXPECT_EQ(0, watch_denied(&w, AVFENCE_ROUTE_TERMINAL));
	} else {
		EXPECT_VAL(0, &a, "open");
		EXPECT_NE(NULL, strstr(agent_output(&a), "typed<password1"));
	}
	EXPECT_VAL(0, &a, "open_write");
	EXPECT_VAL(0, &a, "write");
	/*
	 * What the agent wrote is output: it appears on the master side,
	 * after the echo of the typed line.
	 */
	for (i = 0; i < 10 && !strstr(out, "out"); i++)
		len += tty_input(self->ptm, out + len, sizeof(out) - len);
	EXPECT_NE(NULL, strstr(out, "out"));
}

TEST_F(tty, uinput)
{
	struct agent a;
	struct watch w;

	if (!module_is_loaded("uinput"))
		SKIP(return, "uinput.ko is not in the VM image");
	watch_start(&w);
	ASSERT_EQ(0, agent_run(&a, variant->tagged, "open_dev", UINPUT, "w"));
	if (variant->tagged) {
		EXPECT_VAL(EPERM, &a, "open");
		EXPECT_EQ(0, watch_denied(&w, AVFENCE_ROUTE_TERMINAL));
	} else {
		EXPECT_VAL(0, &a, "open");
	}
}

/* A key press written to the event device reaches its readers. */
TEST_F(tty, input_inject)
{
	struct input_event ev;
	struct agent a;
	struct watch w;
	int fd, got = 0;

	if (!self->event_ok)
		SKIP(return, "no uinput keyboard (uinput or evdev missing)");
	fd = open(EVENT, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	ASSERT_LE(0, fd);
	watch_start(&w);
	ASSERT_EQ(0, agent_run(&a, variant->tagged, "open_dev", EVENT, "w"));
	while (read(fd, &ev, sizeof(ev)) == sizeof(ev))
		got |= ev.type == EV_KEY && ev.code == KEY_A;
	close(fd);
	if (variant->tagged) {
		EXPECT_VAL(EPERM, &a, "open");
		EXPECT_EQ(0, got);
		EXPECT_EQ(0, watch_denied(&w, AVFENCE_ROUTE_TERMINAL));
	} else {
		EXPECT_VAL(0, &a, "write");
		EXPECT_EQ(1, got);
	}
}

/* Reading an event device logs what the operator types. */
TEST_F(tty, input_read)
{
	struct agent a;
	struct watch w;

	if (!self->event_ok)
		SKIP(return, "no uinput keyboard (uinput or evdev missing)");
	watch_start(&w);
	ASSERT_EQ(0, agent_run(&a, variant->tagged, "open_dev", EVENT, "r"));
	if (variant->tagged) {
		EXPECT_VAL(EPERM, &a, "open");
		EXPECT_EQ(0, watch_denied(&w, AVFENCE_ROUTE_TERMINAL));
	} else {
		EXPECT_VAL(0, &a, "open");
		EXPECT_VAL(0, &a, "read");
	}
}

/* The text console's screen: vcs (text), vcsa (with attributes), vcsu. */
TEST_F(tty, vcs)
{
	static const char *const node[] = { "vcs", "vcsa", "vcsu" };
	char path[64];
	struct agent a;
	struct watch w;
	unsigned int i;
	int fd;

	for (i = 0; i < ARRAY_SIZE(node); i++) {
		snprintf(path, sizeof(path), TMP "/%s", node[i]);
		watch_start(&w);
		ASSERT_EQ(0, agent_run(&a, variant->tagged, "open_dev", path, "r"));
		if (variant->tagged) {
			EXPECT_VAL(EPERM, &a, "open");
			EXPECT_EQ(0, watch_denied(&w, AVFENCE_ROUTE_TERMINAL));
			continue;
		}
		fd = open(path, O_RDONLY | O_CLOEXEC);
		if (fd < 0) {
			TH_LOG("%s: %s: no text console for the control", node[i],
			       strerror(errno));
			continue;
		}
		close(fd);
		EXPECT_VAL(0, &a, "open");
		EXPECT_VAL(0, &a, "read");
	}
}

/* Audit mode lets it through and says so. */
TEST_F(tty, audit_mode)
{
	char input[64];
	struct agent a;
	struct watch w;

	if (!variant->tagged)
		SKIP(return, "audit mode concerns tagged tasks");
	ASSERT_EQ(0, audit_watch_start(&w));
	ASSERT_EQ(0, agent_run(&a, 1, "sti", self->pts_path, "id\n"));
	EXPECT_EQ(0, watch_counted(&w, AVFENCE_ROUTE_TERMINAL));
	tty_input(self->pts, input, sizeof(input));
	EXPECT_VAL(0, &a, "sti");
	EXPECT_STREQ("id\n", input);
	EXPECT_EQ(1, watch_audited(&w, AVFENCE_ROUTE_TERMINAL, ""));
}

TEST_HARNESS_MAIN

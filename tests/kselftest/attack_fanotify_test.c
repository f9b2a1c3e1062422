// SPDX-License-Identifier: GPL-2.0
/*
 * avfence side doors, fanotify: an AV agent is typically a fanotify
 * permission listener.  When an untagged process opens a SECRET file, the
 * kernel opens the file for the fenced listener and hands it the fd with
 * the event.  The workload's open must go through (it is not fenced), the
 * listener gets its event and answers it, but it must not read the
 * contents through the event's fd, nor by re-opening it.
 *
 * TMP (tmpfs, marked FAN_MARK_MOUNT with FAN_OPEN_PERM)
 * ├── secret        SECRET, holds CANARY
 * └── public        UNCLASSIFIED
 *
 * The listener (AGENT_BIN, clearance OFFICIAL, outside TMP so that its own
 * exec raises no event) runs in variants "tagged*"; in "untagged*" the same
 * listener is not fenced and reads the contents (the control).  Variants
 * "*_notif" listen as FAN_CLASS_NOTIF for FAN_OPEN (a notification: the
 * workload does not wait), the others as FAN_CLASS_CONTENT for
 * FAN_OPEN_PERM.  Through the event's fd: read, pread, mmap, sendfile,
 * splice, and a re-open through /proc/self/fd.
 */
#include <sys/fanotify.h>
#include <sys/sendfile.h>

#include "doors.h"

/* Copy @fd's first bytes into a pipe with sendfile() and splice(). */
static void pipe_emit(int fd)
{
	char data[256];
	int p[2];
	loff_t off;
	off_t soff;
	ssize_t n;

	if (pipe(p))
		return;
	soff = 0;
	n = result("sendfile", sendfile(p[1], fd, &soff, sizeof(data)));
	if (n > 0)
		emit("sendfile", data, read(p[0], data, n));
	off = 0;
	n = result("splice", splice(fd, &off, p[1], NULL, sizeof(data), 0));
	if (n > 0)
		emit("splice", data, read(p[0], data, n));
	close(p[0]);
	close(p[1]);
}

/*
 * listen MNT PATH CLASS: listener on the mount of MNT, CLASS "content"
 * (FAN_OPEN_PERM) or "notif" (FAN_OPEN); for the event on PATH, try to
 * read the file through the event's fd, and have a child re-open it
 * through /proc (that open raises an event of its own, which this loop
 * answers: the listener never waits on itself).  Every permission event
 * is allowed.
 */
AGENT(listen)
{
	char buf[8192] __attribute__((aligned(8)));
	int notif = argc > 3 && !strcmp(argv[3], "notif");
	struct fanotify_event_metadata *m;
	int fd, handled = 0, rounds = 0, st;
	pid_t reopener = 0;
	ssize_t len;

	fd = result("init", fanotify_init((notif ? FAN_CLASS_NOTIF :
					   FAN_CLASS_CONTENT) | FAN_CLOEXEC,
					  O_RDONLY | O_LARGEFILE | O_CLOEXEC));
	if (fd < 0)
		return 0;
	if (result("mark", fanotify_mark(fd, FAN_MARK_ADD | FAN_MARK_MOUNT,
					 notif ? FAN_OPEN : FAN_OPEN_PERM,
					 AT_FDCWD, argv[1])))
		return 0;
	say("ready\n");
	while ((!handled || reopener > 0) && rounds++ < 60) {
		struct pollfd p = { .fd = fd, .events = POLLIN };

		if (reopener > 0 && waitpid(reopener, &st, WNOHANG) == reopener)
			reopener = 0;
		if (poll(&p, 1, 500) <= 0)
			continue;
		len = read(fd, buf, sizeof(buf));
		for (m = (void *)buf; FAN_EVENT_OK(m, len); m = FAN_EVENT_NEXT(m, len)) {
			struct fanotify_response r = { .fd = m->fd, .response = FAN_ALLOW };
			char proc[64], path[PATH_MAX] = "";
			ssize_t n;

			if (m->fd < 0)
				continue;
			snprintf(proc, sizeof(proc), "/proc/self/fd/%d", m->fd);
			n = readlink(proc, path, sizeof(path) - 1);
			path[n > 0 ? n : 0] = '\0';
			if (!handled && !strcmp(path, argv[2])) {
				char data[256];
				void *map;

				handled = 1;
				say("event=0\n");
				read_emit("read", m->fd);
				n = result("pread", pread(m->fd, data, sizeof(data), 0));
				emit("pread", data, n);
				map = mmap(NULL, 4096, PROT_READ, MAP_PRIVATE, m->fd, 0);
				say("mmap=%d\n", map == MAP_FAILED ? errno : 0);
				if (map != MAP_FAILED)
					emit("mmap", map, strnlen(map, 4096));
				pipe_emit(m->fd);
				reopener = fork();
				if (reopener == 0) {
					open_read_emit("reopen", proc);
					_exit(0);
				}
			}
			if (!notif)
				result("response", write(fd, &r, sizeof(r)));
			close(m->fd);
		}
	}
	say("handled=%d\n", handled);
	return 0;
}

FIXTURE(fanotify) {
};

FIXTURE_VARIANT(fanotify) {
	int tagged;
	const char *class;
};

FIXTURE_VARIANT_ADD(fanotify, tagged) { .tagged = 1, .class = "content" };
FIXTURE_VARIANT_ADD(fanotify, untagged) { .tagged = 0, .class = "content" };
FIXTURE_VARIANT_ADD(fanotify, tagged_notif) { .tagged = 1, .class = "notif" };
FIXTURE_VARIANT_ADD(fanotify, untagged_notif) { .tagged = 0, .class = "notif" };

FIXTURE_SETUP(fanotify)
{
	setup_secret_public(_metadata);
}

FIXTURE_TEARDOWN(fanotify)
{
	teardown_tree();
}

/* The workload (this untagged test) opens and reads @path under the listener. */
static void workload_open(struct __test_metadata *_metadata, const char *path,
			  char *buf, size_t size)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	ssize_t n;

	ASSERT_LE(0, fd) {
		TH_LOG("the workload's open failed: %s", strerror(errno));
	}
	n = read(fd, buf, size - 1);
	close(fd);
	ASSERT_LT(0, n);
	buf[n] = '\0';
}

/* The agent @a of @variant listens for the opening of @path, in TMP. */
static void start_listener(struct __test_metadata *_metadata,
			   const FIXTURE_VARIANT(fanotify) *variant,
			   struct agent *a, const char *path)
{
	ASSERT_EQ(0, agent_start(a, variant->tagged, "listen", TMP, path,
				 variant->class));
	ASSERT_EQ(0, agent_wait_for(a, "ready", 20)) {
		TH_LOG("listener: %s", agent_output(a));
	}
}

TEST_F(fanotify, listener_reads_event_fd)
{
	char data[256];
	struct agent a;
	struct watch w;

	start_listener(_metadata, variant, &a, TMP "/secret");
	watch_start(&w);
	workload_open(_metadata, TMP "/secret", data, sizeof(data));
	EXPECT_STREQ(CANARY_LINE, data);
	agent_finish(&a);
	EXPECT_VAL(0, &a, "event");
	EXPECT_VAL(1, &a, "handled");
	if (strcmp(variant->class, "notif"))
		EXPECT_VAL(0, &a, "response");
	if (variant->tagged) {
		EXPECT_NO_SECRET(&a);
		EXPECT_VALS(EACCES, &a, "read", "pread", "mmap", "sendfile",
			    "splice", "reopen");
		EXPECT_EQ(0, watch_denied(&w, AVFENCE_ROUTE_FD_USE));
	} else {
		EXPECT_VALS(0, &a, "read", "pread", "mmap", "sendfile",
			    "splice");
		EXPECT_SECRET(&a);
		EXPECT_NE(NULL, memmem(a.buf, a.len, "sendfile<" CANARY, 9 + strlen(CANARY))) {
			TH_LOG("listener said: %s", agent_output(&a));
		}
		EXPECT_NE(NULL, memmem(a.buf, a.len, "splice<" CANARY, 7 + strlen(CANARY))) {
			TH_LOG("listener said: %s", agent_output(&a));
		}
	}
}

/* A file within its clearance: the fenced listener reads it as usual. */
TEST_F(fanotify, listener_reads_public_event_fd)
{
	char data[256];
	struct agent a;

	start_listener(_metadata, variant, &a, TMP "/public");
	workload_open(_metadata, TMP "/public", data, sizeof(data));
	EXPECT_STREQ("public\n", data);
	agent_finish(&a);
	EXPECT_VAL(0, &a, "event");
	EXPECT_VAL(0, &a, "read");
	EXPECT_NE(NULL, memmem(a.buf, a.len, "read<public\n>", 13)) {
		TH_LOG("listener said: %s", agent_output(&a));
	}
}

TEST_HARNESS_MAIN

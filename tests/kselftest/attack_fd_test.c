// SPDX-License-Identifier: GPL-2.0
/*
 * avfence side doors, file descriptors a fenced agent did not open: sent
 * over a unix socket (SCM_RIGHTS), taken from another process with
 * pidfd_getfd(), inherited across fork and exec of the subject.  Receiving
 * one above the clearance fails, and so does every read, write and mmap.
 *
 * TMP (tmpfs)
 * ├── secret        SECRET, holds CANARY
 * └── public        UNCLASSIFIED
 *
 * AGENT_BIN has clearance OFFICIAL.  Each test runs as variant "tagged"
 * (the attack, must not get CANARY) and "untagged" (the control, must).
 */
#include <sys/sendfile.h>

#include "doors.h"

#ifndef SYS_pidfd_open
#define SYS_pidfd_open 434
#endif
#ifndef SYS_pidfd_getfd
#define SYS_pidfd_getfd 438
#endif

#define HELD_FD 42

/* Agents */

/* recv_fd SOCK: one recvmsg() with room for 4 fds; read each fd received. */
AGENT(recv_fd)
{
	char data[16], cbuf[CMSG_SPACE(4 * sizeof(int))];
	struct iovec iov = { data, sizeof(data) };
	struct msghdr msg = {
		.msg_iov = &iov, .msg_iovlen = 1,
		.msg_control = cbuf, .msg_controllen = sizeof(cbuf),
	};
	struct cmsghdr *c;
	int i, n = 0;

	if (result("recv", recvmsg(atoi(argv[1]), &msg, MSG_CMSG_CLOEXEC)) < 0)
		return 0;
	say("ctrunc=%d\n", !!(msg.msg_flags & MSG_CTRUNC));
	for (c = CMSG_FIRSTHDR(&msg); c; c = CMSG_NXTHDR(&msg, c)) {
		if (c->cmsg_level != SOL_SOCKET || c->cmsg_type != SCM_RIGHTS)
			continue;
		for (i = 0; i < (int)((c->cmsg_len - CMSG_LEN(0)) / sizeof(int)); i++) {
			int fd;

			memcpy(&fd, CMSG_DATA(c) + i * sizeof(int), sizeof(int));
			n++;
			read_emit("read", fd);
		}
	}
	say("nfds=%d\n", n);
	return 0;
}

/* hold FD [PATH]: hold PATH (or the inherited FD) open until told. */
AGENT(hold)
{
	int fd = atoi(argv[1]);

	if (argc > 2 && dup2(open(argv[2], O_RDONLY), fd) != fd)
		return SETUP_FAILED;
	if (fcntl(fd, F_GETFD) < 0)
		return SETUP_FAILED;
	say("ready\n");
	wait_go();
	return 0;
}

/* getfd PID FD: pidfd_open(PID) then pidfd_getfd(FD), read what it gives. */
AGENT(getfd)
{
	int pidfd, fd;

	pidfd = result("pidfd_open", syscall(SYS_pidfd_open, atoi(argv[1]), 0));
	if (pidfd < 0)
		return 0;
	fd = result("getfd", syscall(SYS_pidfd_getfd, pidfd, atoi(argv[2]), 0));
	if (fd >= 0)
		read_emit("read", fd);
	return 0;
}

/* use_fd FD: every way of reading (and writing) an inherited fd. */
AGENT(use_fd)
{
	int fd = atoi(argv[1]), p[2];
	char buf[4096], path[64];
	ssize_t n;
	void *m;

	read_emit("read", fd);
	n = result("pread", pread(fd, buf, sizeof(buf), 0));
	emit("pread", buf, n);
	m = mmap(NULL, 4096, PROT_READ, MAP_PRIVATE, fd, 0);
	say("mmap_private=%d\n", m == MAP_FAILED ? errno : 0);
	if (m != MAP_FAILED)
		emit("mmap_private", m, strnlen(m, 4096));
	m = mmap(NULL, 4096, PROT_READ, MAP_SHARED, fd, 0);
	say("mmap_shared=%d\n", m == MAP_FAILED ? errno : 0);
	if (m != MAP_FAILED)
		emit("mmap_shared", m, strnlen(m, 4096));
	if (!pipe(p)) {
		off_t off = 0;

		n = result("sendfile", sendfile(p[1], fd, &off, sizeof(buf)));
		if (n > 0)
			emit("sendfile", buf, read(p[0], buf, sizeof(buf)));
		off = 0;
		n = result("splice", splice(fd, &off, p[1], NULL, sizeof(buf), 0));
		if (n > 0)
			emit("splice", buf, read(p[0], buf, sizeof(buf)));
	}
	snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	open_read_emit("reopen", path);
	result("write", pwrite(fd, "x", 1, 0));
	return 0;
}

/*
 * hold_use FD PATH: open PATH as FD, say "ready", wait to be told, then use
 * it as use_fd does.
 */
AGENT(hold_use)
{
	int fd = atoi(argv[1]);
	char *use_argv[] = { argv[0], argv[1], NULL };

	if (dup2(open(argv[2], O_RDONLY), fd) != fd)
		return SETUP_FAILED;
	say("ready\n");
	wait_go();
	return agent_fn_use_fd(2, use_argv);
}

/* The test side */

FIXTURE(fd) {
};

FIXTURE_VARIANT(fd) {
	int tagged;
};

FIXTURE_VARIANT_ADD(fd, tagged) { .tagged = 1 };
FIXTURE_VARIANT_ADD(fd, untagged) { .tagged = 0 };

FIXTURE_SETUP(fd)
{
	setup_secret_public(_metadata);
}

FIXTURE_TEARDOWN(fd)
{
	teardown_tree();
}

/* Send an fd of @path over a new socket pair; the agent gets the other end. */
static int send_fd(const char *path, int *peer)
{
	char cbuf[CMSG_SPACE(sizeof(int))];
	struct iovec iov = { "x", 1 };
	struct msghdr msg = {
		.msg_iov = &iov, .msg_iovlen = 1,
		.msg_control = cbuf, .msg_controllen = sizeof(cbuf),
	};
	struct cmsghdr *c = CMSG_FIRSTHDR(&msg);
	int sv[2], fd;

	if (socketpair(AF_UNIX, SOCK_STREAM, 0, sv))
		return -errno;
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	c->cmsg_level = SOL_SOCKET;
	c->cmsg_type = SCM_RIGHTS;
	c->cmsg_len = CMSG_LEN(sizeof(int));
	memcpy(CMSG_DATA(c), &fd, sizeof(int));
	if (sendmsg(sv[0], &msg, 0) != 1)
		return -errno;
	close(fd);
	close(sv[0]);
	*peer = sv[1];
	return 0;
}

/* An fd of a SECRET file sent by an untagged process is not received. */
TEST_F(fd, scm_rights_secret)
{
	struct agent a;
	struct watch w;
	char sock[16];
	int peer;

	ASSERT_EQ(0, send_fd(TMP "/secret", &peer));
	snprintf(sock, sizeof(sock), "%d", peer);
	watch_start(&w);
	ASSERT_EQ(0, agent_run(&a, variant->tagged, "recv_fd", sock));
	close(peer);
	EXPECT_VAL(0, &a, "recv");
	if (variant->tagged) {
		EXPECT_NO_SECRET(&a);
		/* recvmsg() drops the fd and says so. */
		EXPECT_VAL(0, &a, "nfds");
		EXPECT_VAL(1, &a, "ctrunc");
		EXPECT_EQ(0, watch_denied(&w, AVFENCE_ROUTE_FD_RECEIVE));
	} else {
		EXPECT_VAL(1, &a, "nfds");
		EXPECT_SECRET(&a);
	}
}

/* An fd of a file at or below the clearance is received and read. */
TEST_F(fd, scm_rights_public)
{
	struct agent a;
	char sock[16];
	int peer;

	ASSERT_EQ(0, send_fd(TMP "/public", &peer));
	snprintf(sock, sizeof(sock), "%d", peer);
	ASSERT_EQ(0, agent_run(&a, variant->tagged, "recv_fd", sock));
	close(peer);
	EXPECT_VAL(1, &a, "nfds");
	EXPECT_VAL(0, &a, "ctrunc");
	EXPECT_VAL(0, &a, "read");
	EXPECT_NE(NULL, memmem(a.buf, a.len, "read<public\n>", 13)) {
		TH_LOG("agent said: %s", agent_output(&a));
	}
}

/*
 * Once @holder (a "hold" agent) holds its fd HELD_FD, the agent @a,
 * watched by @w, takes it with pidfd_getfd(); then the holder ends.
 */
static void getfd_from(struct __test_metadata *_metadata,
		       struct agent *holder, struct agent *a,
		       struct watch *w, int tagged)
{
	char pid[16], fdno[16];

	ASSERT_EQ(0, agent_wait_for(holder, "ready", 20)) {
		TH_LOG("holder: %s", agent_output(holder));
	}
	snprintf(pid, sizeof(pid), "%d", holder->pid);
	snprintf(fdno, sizeof(fdno), "%d", HELD_FD);
	watch_start(w);
	ASSERT_EQ(0, agent_run(a, tagged, "getfd", pid, fdno));
	agent_go(holder);
	EXPECT_EQ(0, agent_finish(holder));
}

/* pidfd_getfd() of an untagged process holding the SECRET file open. */
TEST_F(fd, pidfd_getfd_from_untagged)
{
	struct agent holder, a;
	struct watch w;

	ASSERT_EQ(0, agent_start(&holder, 0, "hold", "42", TMP "/secret"));
	getfd_from(_metadata, &holder, &a, &w, variant->tagged);
	EXPECT_VAL(0, &a, "pidfd_open");
	/* The ptrace check refuses first. */
	expect_fenced(_metadata, &a, &w, variant->tagged, "getfd", EPERM,
		      AVFENCE_ROUTE_PTRACE, true);
}

/*
 * pidfd_getfd() of a process fenced at the same clearance (so ptrace is
 * allowed) that holds the SECRET file open, inherited from its untagged
 * parent: the receipt itself is refused.  In the untagged variant both are
 * untagged.
 */
TEST_F(fd, pidfd_getfd_from_tagged_peer)
{
	struct agent holder, a;
	struct watch w;
	char fdno[16];

	ASSERT_EQ(0, hold_fd(TMP "/secret", O_RDONLY, HELD_FD, fdno));
	ASSERT_EQ(0, agent_start(&holder, variant->tagged, "hold", fdno));
	close(HELD_FD);
	getfd_from(_metadata, &holder, &a, &w, variant->tagged);
	expect_fenced(_metadata, &a, &w, variant->tagged, "getfd", EACCES,
		      AVFENCE_ROUTE_FD_RECEIVE, true);
}

/*
 * The untagged parent opens the SECRET file (read-write) and forks; the
 * child execs the subject and so is fenced with the fd open.
 */
TEST_F(fd, inherited_across_exec)
{
	struct agent a;
	struct watch w;
	char fdno[16];
	struct stat st;

	ASSERT_EQ(0, hold_fd(TMP "/secret", O_RDWR, HELD_FD, fdno));
	watch_start(&w);
	ASSERT_EQ(0, agent_run(&a, variant->tagged, "use_fd", fdno));
	close(HELD_FD);
	if (variant->tagged) {
		EXPECT_NO_SECRET(&a);
		EXPECT_VALS(EACCES, &a, "read", "pread", "mmap_private",
			    "mmap_shared", "sendfile", "splice", "reopen",
			    "write");
		EXPECT_EQ(0, watch_denied(&w, AVFENCE_ROUTE_FD_USE));
		/* The write was refused: the contents are intact. */
		ASSERT_EQ(0, stat(TMP "/secret", &st));
		EXPECT_EQ(strlen(CANARY_LINE), st.st_size);
	} else {
		EXPECT_VALS(0, &a, "read", "mmap_private", "reopen");
		EXPECT_SECRET(&a);
	}
}

/* An inherited fd of a file the agent may read works as usual. */
TEST_F(fd, inherited_public)
{
	struct agent a;
	char fdno[16];

	ASSERT_EQ(0, hold_fd(TMP "/public", O_RDONLY, HELD_FD, fdno));
	ASSERT_EQ(0, agent_run(&a, variant->tagged, "use_fd", fdno));
	close(HELD_FD);
	EXPECT_VALS(0, &a, "read", "mmap_private", "reopen");
}

/*
 * The agent opened the SECRET file before any policy named it; loading the
 * policy tags it retroactively (its executable is the subject).  Every
 * later read, mmap, sendfile and splice of the fd it holds is refused.
 * The untagged variant runs the untagged twin, which the load leaves alone.
 */
TEST_F(fd, held_before_policy_load)
{
	struct agent a;
	struct watch w;
	char fdno[16];

	ASSERT_EQ(0, load_no_subject());
	snprintf(fdno, sizeof(fdno), "%d", HELD_FD);
	ASSERT_EQ(0, agent_start(&a, variant->tagged, "hold_use", fdno,
				 TMP "/secret"));
	ASSERT_EQ(0, agent_wait_for(&a, "ready", 20)) {
		TH_LOG("agent: %s", agent_output(&a));
	}
	/* The same policy as the setup's, without copying AGENT_BIN anew. */
	ASSERT_EQ(0, load_policy(LEVELS "default UNCLASSIFIED\nmode enforce\n"
				 "subject " AGENT_BIN " %s\n",
				 with_test_write("OFFICIAL")));
	watch_start(&w);
	agent_go(&a);
	EXPECT_EQ(0, agent_finish(&a));
	if (variant->tagged) {
		EXPECT_NO_SECRET(&a);
		EXPECT_VAL(EACCES, &a, "read");
		EXPECT_VAL(EACCES, &a, "mmap_private");
		EXPECT_EQ(0, watch_denied(&w, AVFENCE_ROUTE_FD_USE));
	} else {
		EXPECT_VAL(0, &a, "read");
		EXPECT_SECRET(&a);
	}
}

TEST_HARNESS_MAIN

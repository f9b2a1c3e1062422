// SPDX-License-Identifier: GPL-2.0
/*
 * security_capable() is about the credential it is passed, not about
 * whoever runs: capable() passes current's, has_capability() another
 * task's, file_ns_capable() a file opener's.  avfence takes capabilities
 * from a fenced task (CAP_SYS_RAWIO here): when the fenced agent makes the
 * kernel ask about an untagged root task, or about the opener of a file an
 * untagged root opened, the answer is that task's, not the agent's.
 *
 * The kernel's helper: avf_captest.ko (tests/vm/captest/), loaded by the
 * VM, asks has_capability_noaudit() or file_ns_capable() on request
 * through /proc/avf_captest.
 */
#include <linux/capability.h>

#include "doors.h"

#define CAPTEST "/proc/avf_captest"

/* Ask @req on @fd (or on a new open of CAPTEST if @fd < 0): 1, 0 or -errno. */
static int ask(int fd, const char *req)
{
	char buf[8] = "";
	int own = fd < 0, ret;

	if (own)
		fd = open(CAPTEST, O_RDWR);
	if (fd < 0)
		return -errno;
	ret = write(fd, req, strlen(req)) < 0 ? -errno : 0;
	if (!ret)
		ret = pread(fd, buf, sizeof(buf) - 1, 0) < 0 ? -errno :
		      buf[0] == '1';
	if (own)
		close(fd);
	return ret;
}

/* cap_task PID: has_capability_noaudit(PID, CAP_SYS_RAWIO) */
AGENT(cap_task)
{
	char req[64];

	snprintf(req, sizeof(req), "task %s %d", argv[1], CAP_SYS_RAWIO);
	say("has=%d\n", ask(-1, req));
	return 0;
}

/* cap_self: has_capability_noaudit(itself, CAP_SYS_RAWIO) */
AGENT(cap_self)
{
	char req[64];

	snprintf(req, sizeof(req), "task %d %d", getpid(), CAP_SYS_RAWIO);
	say("has=%d\n", ask(-1, req));
	return 0;
}

/* cap_file FD: file_ns_capable(FD's file, CAP_SYS_RAWIO) */
AGENT(cap_file)
{
	char req[64];

	snprintf(req, sizeof(req), "file %d", CAP_SYS_RAWIO);
	say("has=%d\n", ask(atoi(argv[1]), req));
	return 0;
}

FIXTURE(capable) {
};

FIXTURE_SETUP(capable)
{
	if (access(CAPTEST, F_OK))
		SKIP(return, "no " CAPTEST " (avf_captest.ko not loaded)");
	/* The agents open CAPTEST read-write: write= must cover it. */
	ASSERT_EQ(0, agent_policy_write("OFFICIAL", "/proc,/tmp", NULL));
}

FIXTURE_TEARDOWN(capable)
{
	load_no_subject();
}

/* The fenced agent asks about untagged init: init's answer. */
TEST_F(capable, other_task_judged_on_its_own_cred)
{
	struct agent a;

	ASSERT_EQ(0, agent_run(&a, 1, "cap_task", "1"));
	EXPECT_VAL(1, &a, "has");
}

/* ... and about itself: its own credential, fenced: no CAP_SYS_RAWIO. */
TEST_F(capable, own_cred_judged)
{
	struct agent a;

	ASSERT_EQ(0, agent_run(&a, 1, "cap_self"));
	EXPECT_VAL(0, &a, "has");
	ASSERT_EQ(0, agent_run(&a, 0, "cap_self"));
	EXPECT_VAL(1, &a, "has");
}

/* A file an untagged root opened: its opener's answer. */
TEST_F(capable, file_opener_judged)
{
	struct agent a;
	char fd_s[16];
	int fd;

	fd = open(CAPTEST, O_RDWR);	/* inherited: no O_CLOEXEC */
	ASSERT_LE(0, fd);
	snprintf(fd_s, sizeof(fd_s), "%d", fd);
	ASSERT_EQ(0, agent_run(&a, 1, "cap_file", fd_s));
	EXPECT_VAL(1, &a, "has");
	/* The untagged twin, for comparison. */
	ASSERT_EQ(0, agent_run(&a, 0, "cap_file", fd_s));
	EXPECT_VAL(1, &a, "has");
	close(fd);
}

TEST_HARNESS_MAIN

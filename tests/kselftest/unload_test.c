// SPDX-License-Identifier: GPL-2.0
/*
 * avfence unload tests: rmmod works while tagged tasks live, detaches the
 * fence, and a fresh insmod starts with no policy.  Runs last in the VM;
 * the module is loaded again at the end of each test.
 *
 * TMP (tmpfs)
 * └── secret        SECRET
 */
#include <stdlib.h>
#include "common.h"

FIXTURE(unload) {
};

FIXTURE_SETUP(unload)
{
	ASSERT_EQ(0, insmod_avfence());
	ASSERT_EQ(0, mount_tmpfs(TMP));
	ASSERT_EQ(0, write_file(TMP "/secret", "secret\n"));
	ASSERT_EQ(0, set_label(TMP "/secret", "SECRET"));
	ASSERT_EQ(0, load_scanner("enforce", "OFFICIAL"));
}

FIXTURE_TEARDOWN(unload)
{
	insmod_avfence();
	umount_tmpfs(TMP);
}

TEST_F(unload, rmmod_with_tagged_task_sleeping)
{
	struct child c;

	ASSERT_EQ(0, spawn(&c, SCANNER, "open", TMP "/secret", "r", "--", "wait",
			   "--", "open", TMP "/secret", "r", "--", "fork", "--",
			   "open", TMP "/secret", "r", NULL));
	EXPECT_EQ(EACCES, child_result(&c));
	child_settle(c.pid);
	ASSERT_EQ(0, run("/bin/rmmod", "avfence", NULL));
	EXPECT_FALSE(module_loaded());
	child_go(&c);
	EXPECT_EQ(0, child_result(&c));
	EXPECT_EQ(0, child_result(&c));
	EXPECT_EQ(0, child_wait(&c));
}

TEST_F(unload, reinsert_starts_clean)
{
	struct avf_status st;

	ASSERT_EQ(0, run("/bin/rmmod", "avfence", NULL));
	ASSERT_EQ(0, insmod_avfence());
	ASSERT_EQ(0, avf_get_status(&st));
	EXPECT_EQ(0, st.policy_loaded);
	EXPECT_EQ(0, st.tagged);
	EXPECT_EQ(0, st.denied);
	EXPECT_EQ(0, run(SCANNER, "open", TMP "/secret", "r", NULL));
	EXPECT_EQ(-ENOENT, avf_set_mode(AVFENCE_MODE_AUDIT));
	/* And it fences again once told to. */
	ASSERT_EQ(0, load_scanner("enforce", "OFFICIAL"));
	EXPECT_EQ(EACCES, run(SCANNER, "open", TMP "/secret", "r", NULL));
}

/*
 * Unload while tagged tasks keep opening, forking and exiting.  Each
 * insmod and rmmod patches every hooked function (stop_machine under TCG),
 * and rmmod waits for tasks-RCU: allow minutes, not the default 30 s.
 */
TEST_F_TIMEOUT(unload, rmmod_under_load, 300)
{
	char script[512];
	pid_t pid;
	int i, status;
	char *argv[] = { SCANNER, "exec", "/bin/sh", "-c", script, NULL };

	/*
	 * Every insmod and rmmod rewrites the first instruction of each
	 * hooked function (text_poke with int3) while other CPUs run it.
	 * Under qemu's multi-threaded TCG (7.2) a vCPU can go on executing
	 * a stale translation of the int3 after the patch is complete and
	 * spin at the function's entry for ever (soft lockup at
	 * security_file_open+0 or security_task_alloc+0 with a NOP there);
	 * the kernel's own function tracer, switched on and off on the same
	 * functions without avfence loaded, locks up the same way
	 * (tests/vm/ftrace-toggle.sh, Documentation/testing.rst).  So this
	 * runs where code modification is coherent: the single-threaded TCG
	 * pass of make check, which sets AVF_UNLOAD_STRESS=1, or KVM.
	 */
	if (!getenv("AVF_UNLOAD_STRESS"))
		SKIP(return, "AVF_UNLOAD_STRESS unset: runs in the single-threaded TCG pass (see comment)");

	snprintf(script, sizeof(script),
		 "while :; do cat %s/secret 2>/dev/null; (cat %s/secret) 2>/dev/null; done",
		 TMP, TMP);
	pid = spawn_argv(argv, -1, -1);
	ASSERT_LT(0, pid);
	for (i = 0; i < 3; i++) {
		usleep(200000);
		ASSERT_EQ(0, run("/bin/rmmod", "avfence", NULL));
		usleep(100000);
		ASSERT_EQ(0, insmod_avfence());
		ASSERT_EQ(0, load_scanner("enforce", "OFFICIAL"));
	}
	kill(pid, SIGKILL);
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
}

TEST_HARNESS_MAIN

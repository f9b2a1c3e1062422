// SPDX-License-Identifier: GPL-2.0
/*
 * avfence open tests: every way of opening a file's contents and every open
 * mode meets the fence; O_PATH, which opens no contents, does not.
 *
 * TMP (tmpfs)
 * ├── public           UNCLASSIFIED
 * ├── secret           SECRET
 * ├── dir_public/      UNCLASSIFIED
 * ├── dir_secret/      SECRET
 * ├── prog_public      UNCLASSIFIED, a copy of the probe
 * └── prog_secret      SECRET, a copy of the probe
 *
 * SCANNER has clearance OFFICIAL; PLAIN (untagged) is never denied.
 */
#include "common.h"

static const struct tree_entry tree[] = {
	TREE_FILE("public", "public\n", "UNCLASSIFIED"),
	TREE_FILE("secret", "secret\n", "SECRET"),
	TREE_DIR("dir_public", "UNCLASSIFIED"),
	TREE_DIR("dir_secret", "SECRET"),
	TREE_COPY("prog_public", PLAIN, "UNCLASSIFIED"),
	TREE_COPY("prog_secret", PLAIN, "SECRET"),
	{ NULL }
};

/* The open paths: the probe's step names. */
FIXTURE(paths) {
	int unavailable;	/* io_uring_setup()'s errno, if it failed */
};

FIXTURE_VARIANT(paths) {
	const char *step;
};

FIXTURE_VARIANT_ADD(paths, open) { .step = "open" };
FIXTURE_VARIANT_ADD(paths, openat) { .step = "openat" };
FIXTURE_VARIANT_ADD(paths, openat2) { .step = "openat2" };
FIXTURE_VARIANT_ADD(paths, open_by_handle_at) { .step = "handle" };
FIXTURE_VARIANT_ADD(paths, io_uring_openat) { .step = "uring" };
FIXTURE_VARIANT_ADD(paths, io_uring_openat_async) { .step = "uring-async" };
FIXTURE_VARIANT_ADD(paths, reopen_proc_self_fd) { .step = "procfd" };
FIXTURE_VARIANT_ADD(paths, open_in_thread) { .step = "thread" };

FIXTURE_SETUP(paths)
{
	setup_tree(_metadata, tree, "OFFICIAL");
	if (!strncmp(variant->step, "uring", 5)) {
		int err = run(PLAIN, variant->step, TMP "/public", "r", NULL);

		if (err == ENOSYS || err == EPERM)
			self->unavailable = err;
	}
}

FIXTURE_TEARDOWN(paths)
{
	teardown_tree();
}

static int probe(const char *bin, const char *step, const char *path)
{
	/* "handle" takes the mount to open the handle through. */
	return run(bin, step, path, "r", TMP, NULL);
}

/* SKIP() in a fixture setup does not stop the test with this harness. */
#define SKIP_UNAVAILABLE() do { if (self->unavailable) \
	SKIP(return, "io_uring unavailable (errno %d)", self->unavailable); } while (0)

TEST_F(paths, secret_denied)
{
	SKIP_UNAVAILABLE();
	EXPECT_EQ(EACCES, probe(SCANNER, variant->step, TMP "/secret"));
}

TEST_F(paths, public_allowed)
{
	SKIP_UNAVAILABLE();
	EXPECT_EQ(0, probe(SCANNER, variant->step, TMP "/public"));
}

TEST_F(paths, untagged_allowed)
{
	SKIP_UNAVAILABLE();
	EXPECT_EQ(0, probe(PLAIN, variant->step, TMP "/secret"));
}

/* The open modes. */
FIXTURE(modes) {
};

FIXTURE_VARIANT(modes) {
	const char *flags;
	int dir;
};

FIXTURE_VARIANT_ADD(modes, rdonly) { .flags = "r" };
FIXTURE_VARIANT_ADD(modes, wronly) { .flags = "w" };
FIXTURE_VARIANT_ADD(modes, rdwr) { .flags = "rw" };
FIXTURE_VARIANT_ADD(modes, append) { .flags = "w+a" };
FIXTURE_VARIANT_ADD(modes, creat_existing) { .flags = "rw+c" };
FIXTURE_VARIANT_ADD(modes, trunc) { .flags = "w+t" };
FIXTURE_VARIANT_ADD(modes, directory) { .flags = "r+d", .dir = 1 };

FIXTURE_SETUP(modes)
{
	setup_tree(_metadata, tree, "OFFICIAL");
}

FIXTURE_TEARDOWN(modes)
{
	teardown_tree();
}

TEST_F(modes, secret_denied)
{
	const char *path = variant->dir ? TMP "/dir_secret" : TMP "/secret";
	struct stat st;

	EXPECT_EQ(EACCES, run(SCANNER, "open", path, variant->flags, NULL));
	/* O_TRUNC refused: the contents are still there. */
	ASSERT_EQ(0, stat(TMP "/secret", &st));
	EXPECT_EQ(7, st.st_size);
}

TEST_F(modes, public_allowed)
{
	const char *path = variant->dir ? TMP "/dir_public" : TMP "/public";

	EXPECT_EQ(0, run(SCANNER, "open", path, variant->flags, NULL));
}

TEST_F(modes, untagged_allowed)
{
	const char *path = variant->dir ? TMP "/dir_secret" : TMP "/secret";

	EXPECT_EQ(0, run(PLAIN, "open", path, variant->flags, NULL));
}

/* Other ways in. */
FIXTURE(open) {
};

FIXTURE_SETUP(open)
{
	setup_tree(_metadata, tree, "OFFICIAL");
}

FIXTURE_TEARDOWN(open)
{
	teardown_tree();
}

/* O_PATH opens no contents and does not reach security_file_open(). */
TEST_F(open, o_path_not_fenced)
{
	EXPECT_EQ(0, run(SCANNER, "open", TMP "/secret", "p", NULL));
}

/* Re-opening a secret file through an O_PATH descriptor is an open. */
TEST_F(open, o_path_then_reopen_denied)
{
	EXPECT_EQ(EACCES, run(SCANNER, "procfd", TMP "/secret", "r", NULL));
}

TEST_F(open, exec_of_classified_file_denied)
{
	EXPECT_EQ(EACCES, run(SCANNER, "exec", TMP "/prog_secret", "noop", NULL));
	EXPECT_EQ(0, run(SCANNER, "exec", TMP "/prog_public", "noop", NULL));
	EXPECT_EQ(0, run(PLAIN, "exec", TMP "/prog_secret", "noop", NULL));
}

/* An untagged process holds the file open; the scanner re-opens its fd. */
TEST_F(open, reopen_other_process_fd_denied)
{
	struct child holder;
	char path[64];

	ASSERT_EQ(0, spawn(&holder, PLAIN, "hold", TMP "/secret", "--", "wait", NULL));
	child_settle(holder.pid);
	snprintf(path, sizeof(path), "/proc/%d/fd/9", holder.pid);
	EXPECT_EQ(EACCES, run(SCANNER, "open", path, "r", NULL));
	EXPECT_EQ(0, run(PLAIN, "open", path, "r", NULL));
	child_go(&holder);
	EXPECT_EQ(0, child_wait(&holder));
}

/* Unlabelled file created in a public dir by the scanner: allowed. */
TEST_F(open, create_in_public_dir_allowed)
{
	EXPECT_EQ(0, run(SCANNER, "open", TMP "/dir_public/new", "w+c", NULL));
}

/* The scanner reads what it may; the file's contents come through. */
TEST_F(open, read_contents_allowed_file)
{
	int out[2];
	char buf[64] = "";
	char *argv[] = { SCANNER, "cat", TMP "/public", NULL };
	pid_t pid;
	int status;

	ASSERT_EQ(0, pipe(out));
	pid = spawn_argv(argv, -1, out[1]);
	close(out[1]);
	ASSERT_LT(0, read(out[0], buf, sizeof(buf) - 1));
	close(out[0]);
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	EXPECT_EQ(0, exit_code(status));
	EXPECT_STREQ("public\n", buf);
}

TEST_HARNESS_MAIN

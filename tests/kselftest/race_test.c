// SPDX-License-Identifier: GPL-2.0
/*
 * avfence race test (issue 17 defect 7): other tasks read a tag while its
 * own task writes it.  A tag's clearance name (struct avf_tag in
 * kmod/subject.c) is written only by the tagged task, when it recomputes
 * its clearance on its first hook after a policy load, and read by any
 * task that judges it meanwhile: a fenced task signalling it, ptrace
 * checks, GET_TAGGED.  The name is read only while the cached clearance
 * is stale and the floor counts (here: the writer's binary is dropped
 * from the new policy).
 *
 * On the stock kernels this checks the functional result under the load;
 * on the KCSAN kernel (tests/debug-kernel/race.sh) KCSAN watches the
 * reads: a plain read of the name racing its write is a report there.
 *
 * RT (tmpfs)
 * ├── bin/writer, bin/reader   copies of this program, the subjects
 * ├── c_file                   labelled C (a level of P1)
 * └── y_file                   labelled Y (a level of P2)
 *
 * Level names are 60 letters long (A..., C..., X..., Y..., Z...), so
 * that a reader spends its time reading the name and every byte of it
 * changes when it is rewritten.
 *   P1: levels A C,   default A, subject writer C, reader C
 *   P2: levels X Y Z, default X, subject reader Z (writer dropped: its
 *       floor is the level named "C..."; P2 has none: the lowest, X)
 *
 * NWRITERS writers wait on their stdin.  The controller loads P2 and
 * wakes each writer, which opens y_file (EACCES: it is at X now, and that
 * open's hook rewrites its clearance name) and acknowledges; then it
 * loads P1 and wakes them again (c_file opens: back at C, from the subject
 * it ran).  Meanwhile NREADERS readers, fenced at C or Z (never below a
 * writer), send SIGQUIT to every writer in a loop: the writers ignore it,
 * and the task_kill hook judges each writer's clearance.  Every kill must
 * succeed and every open give the expected answer.
 *
 * Environment: AVF_RACE_SECONDS (default 5); AVF_KCSAN_SKIP_WATCH,
 * AVF_KCSAN_UDELAY: values written to /sys/module/kcsan/parameters/
 * skip_watch and udelay_task for the duration of the race, if that
 * directory exists (the KCSAN kernel), restored after.
 */
#include <poll.h>
#include <time.h>

#include "common.h"

#define RT		TMP
#define WRITER		RT "/bin/writer"
#define READER		RT "/bin/reader"
#define C_FILE		RT "/c_file"
#define Y_FILE		RT "/y_file"
#define NWRITERS	8
#define NREADERS	2
#define NAME_LEN	60
#define KCSAN_PARAMS	"/sys/module/kcsan/parameters/"

enum { LV_A, LV_C, LV_X, LV_Y, LV_Z, NLV };
static char level[NLV][NAME_LEN + 1];

static void make_levels(void)
{
	static const char letter[NLV] = { 'A', 'C', 'X', 'Y', 'Z' };
	int i;

	for (i = 0; i < NLV; i++) {
		memset(level[i], letter[i], NAME_LEN);
		level[i][NAME_LEN] = '\0';
	}
}

static int load_p(int p)
{
	const char *l1[] = { level[LV_A], level[LV_C], NULL };
	const char *l2[] = { level[LV_X], level[LV_Y], level[LV_Z], NULL };
	const char *s1[] = { WRITER, READER, NULL };
	const char *c1[] = { level[LV_C], level[LV_C], NULL };
	const char *s2[] = { READER, NULL };
	const char *c2[] = { level[LV_Z], NULL };
	struct avf_policy_desc d = {
		.mode = AVFENCE_MODE_ENFORCE,
		.levels = p == 1 ? l1 : l2,
		.default_level = p == 1 ? level[LV_A] : level[LV_X],
		.subject_paths = p == 1 ? s1 : s2,
		.subject_clearances = p == 1 ? c1 : c2,
	};

	return avf_load(&d);
}

/*
 * Writer: for each command byte on stdin, one open; its result ('0' as
 * expected, '1' not) on stdout.  'b': P2 is in force, y_file is above it;
 * 'a': P1, c_file is at its level.  EOF or 'q': exit.
 */
static int writer_main(void)
{
	char cmd, ok;
	int fd;

	if (write(1, "r", 1) != 1)
		return 1;
	while (read(0, &cmd, 1) == 1 && cmd != 'q') {
		fd = open(cmd == 'b' ? Y_FILE : C_FILE, O_RDONLY);
		if (cmd == 'b')
			ok = fd < 0 && errno == EACCES ? '0' : '1';
		else
			ok = fd >= 0 ? '0' : '1';
		if (fd >= 0)
			close(fd);
		if (write(1, &ok, 1) != 1)
			return 1;
	}
	return 0;
}

/*
 * Reader: SIGQUIT (a core-dumping signal: avfence judges the target) to
 * each writer pid of argv in turn until stdin has a byte or EOF; then
 * "KILLS FAILED" on stdout.  Exit status 0.
 */
static int reader_main(int argc, char **argv)
{
	unsigned long kills = 0, failed = 0;
	struct pollfd pfd = { .fd = 0, .events = POLLIN };
	pid_t pids[NWRITERS];
	int i, n = 0;

	for (i = 2; i < argc && n < NWRITERS; i++)
		pids[n++] = atoi(argv[i]);
	if (!n)
		return 1;
	for (;;) {
		for (i = 0; i < n; i++, kills++)
			if (kill(pids[i], SIGQUIT))
				failed++;
		if ((kills & 63) < (unsigned long)n && poll(&pfd, 1, 0) > 0)
			break;
	}
	printf("%lu %lu\n", kills, failed);
	fflush(stdout);
	return 0;
}

/* One KCSAN knob: the old value into @old (empty if none), then @env's. */
static void kcsan_set(const char *param, const char *env, char *old,
		      size_t size)
{
	char path[128];
	const char *v = getenv(env);
	ssize_t n;
	int fd;

	old[0] = '\0';
	if (!v)
		return;
	snprintf(path, sizeof(path), KCSAN_PARAMS "%s", param);
	fd = open(path, O_RDWR);
	if (fd < 0)
		return;
	n = read(fd, old, size - 1);
	old[n > 0 ? n : 0] = '\0';
	if (pwrite(fd, v, strlen(v), 0) < 0)
		old[0] = '\0';
	close(fd);
}

static void kcsan_restore(const char *param, const char *old)
{
	char path[128];

	if (!old[0])
		return;
	snprintf(path, sizeof(path), KCSAN_PARAMS "%s", param);
	write_file(path, old);
}

static int make_tree(void)
{
	char self[PATH_MAX];
	ssize_t n;
	int err;

	n = readlink("/proc/self/exe", self, sizeof(self) - 1);
	if (n < 0)
		return -errno;
	self[n] = '\0';
	err = mount_tmpfs(RT);
	if (!err)
		err = mkdirs(RT "/bin");
	if (!err)
		err = copy_file(self, WRITER, 0755);
	if (!err)
		err = copy_file(self, READER, 0755);
	if (!err)
		err = write_file(C_FILE, "c\n");
	if (!err)
		err = write_file(Y_FILE, "y\n");
	if (!err)
		err = set_label(C_FILE, level[LV_C]);
	if (!err)
		err = set_label(Y_FILE, level[LV_Y]);
	return err;
}

/* fork + exec @argv with pipes to its stdin (*@in) and stdout (*@out). */
static pid_t start(char *const argv[], int *in, int *out)
{
	int i[2], o[2];
	pid_t pid;

	if (pipe2(i, O_CLOEXEC) || pipe2(o, O_CLOEXEC))
		return -1;
	pid = fork();
	if (!pid) {
		dup2(i[0], 0);
		dup2(o[1], 1);
		/* Survives exec: the readers' SIGQUIT is dropped. */
		signal(SIGQUIT, SIG_IGN);
		execv(argv[0], argv);
		_exit(127);
	}
	close(i[0]);
	close(o[1]);
	*in = i[1];
	*out = o[0];
	return pid;
}

FIXTURE(race) {
};

FIXTURE_SETUP(race)
{
	make_levels();
	ASSERT_EQ(0, make_tree());
	ASSERT_EQ(0, load_p(1));
}

FIXTURE_TEARDOWN(race)
{
	load_no_subject();
	umount_tmpfs(RT);
}

TEST_F_TIMEOUT(race, tag_read_while_written, 600)
{
	int seconds = env_seconds("AVF_RACE_SECONDS", 5);
	int win[NWRITERS], wout[NWRITERS], rin[NREADERS], rout[NREADERS];
	pid_t wpid[NWRITERS], rpid[NREADERS];
	char pidarg[NWRITERS][16], old_skip[32], old_delay[32];
	char *wargv[] = { WRITER, "--writer", NULL };
	char *rargv[NWRITERS + 3] = { READER, "--reader" };
	unsigned long kills = 0, failed = 0, k, f;
	int i, p, status, cycles = 0, loads = 0, load_err = 0, wrong = 0;
	time_t end;
	char c, buf[64];
	ssize_t n;

	for (i = 0; i < NWRITERS; i++) {
		wpid[i] = start(wargv, &win[i], &wout[i]);
		ASSERT_LT(0, wpid[i]);
		/* tagged at C by its exec, under P1 */
		ASSERT_EQ(1, read(wout[i], &c, 1));
		ASSERT_EQ('r', c);
		snprintf(pidarg[i], sizeof(pidarg[i]), "%d", wpid[i]);
		rargv[2 + i] = pidarg[i];
	}
	rargv[2 + NWRITERS] = NULL;
	for (i = 0; i < NREADERS; i++) {
		rpid[i] = start(rargv, &rin[i], &rout[i]);
		ASSERT_LT(0, rpid[i]);
	}

	kcsan_set("skip_watch", "AVF_KCSAN_SKIP_WATCH", old_skip, sizeof(old_skip));
	kcsan_set("udelay_task", "AVF_KCSAN_UDELAY", old_delay, sizeof(old_delay));
	if (old_skip[0] || old_delay[0])
		TH_LOG("kcsan: skip_watch %.*s -> %s, udelay_task %.*s -> %s",
		       (int)strcspn(old_skip, "\n"), old_skip,
		       getenv("AVF_KCSAN_SKIP_WATCH") ?: "-",
		       (int)strcspn(old_delay, "\n"), old_delay,
		       getenv("AVF_KCSAN_UDELAY") ?: "-");
	end = time(NULL) + seconds;
	while (time(NULL) < end) {
		/* P2, then P1: each writer rewrites its name at its open. */
		for (p = 2; p >= 1; p--) {
			loads++;
			if (load_p(p))
				load_err++;
			for (i = 0; i < NWRITERS; i++)
				if (write(win[i], p == 2 ? "b" : "a", 1) != 1)
					wrong++;
			for (i = 0; i < NWRITERS; i++)
				if (read(wout[i], &c, 1) != 1 || c != '0')
					wrong++;
		}
		cycles++;
	}
	kcsan_restore("skip_watch", old_skip);
	kcsan_restore("udelay_task", old_delay);

	for (i = 0; i < NREADERS; i++) {
		EXPECT_EQ(1, write(rin[i], "q", 1));
		n = read(rout[i], buf, sizeof(buf) - 1);
		buf[n > 0 ? n : 0] = '\0';
		EXPECT_EQ(2, sscanf(buf, "%lu %lu", &k, &f));
		kills += k;
		failed += f;
		EXPECT_EQ(rpid[i], waitpid(rpid[i], &status, 0));
		EXPECT_EQ(0, exit_code(status));
		close(rin[i]);
		close(rout[i]);
	}
	for (i = 0; i < NWRITERS; i++) {
		EXPECT_EQ(1, write(win[i], "q", 1));
		EXPECT_EQ(wpid[i], waitpid(wpid[i], &status, 0));
		EXPECT_EQ(0, exit_code(status));
		close(win[i]);
		close(wout[i]);
	}
	TH_LOG("%d cycles (%d loads), %lu kills, %lu failed, %d wrong opens",
	       cycles, loads, kills, failed, wrong);
	EXPECT_EQ(0, load_err);
	EXPECT_EQ(0, wrong);
	EXPECT_EQ(0, failed);
	/* It did race something (the KCSAN kernel is slow: low bars). */
	EXPECT_LE(2, cycles);
	EXPECT_LT((unsigned long)cycles, kills);
}

/* The kselftest main, or a writer or reader exec'd by the test above. */
static void __attribute__((constructor)) __constructor_order_last(void)
{
	if (!__constructor_order)
		__constructor_order = _CONSTRUCTOR_ORDER_BACKWARD;
}

int main(int argc, char **argv)
{
	if (argc > 1 && !strcmp(argv[1], "--writer"))
		return writer_main();
	if (argc > 1 && !strcmp(argv[1], "--reader"))
		return reader_main(argc, argv);
	return test_harness_run(argc, argv);
}

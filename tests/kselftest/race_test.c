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
 * file_cache_flip (issue 15): the cache of files' effective labels is
 * one table for all CPUs, each entry with its own sequence count (struct
 * avf_file_slot in kmod/label.c).  Two readers, tagged at C and pinned
 * one to each CPU, open in turn NFILES files (more than a per-CPU table
 * of 128 held, of colliding files too) and, every FLIP_EVERY of them,
 * the two flipped files, while this (untagged) task flips the labels of
 * flip and of flip_dir between C and Y (above C):
 *
 * RT/f/NNNN       labelled A or C (opens must succeed) or, every eighth,
 *                 Y (EACCES), never changed
 * RT/flip         C and Y in turn: its own label (avf_own_gen[])
 * RT/flip_dir/    C and Y in turn: a directory's label (the epoch, so
 * └── file        every entry goes: both CPUs refill the NFILES entries)
 * RT/shm          unlabelled (A): one page, mapped by all, of struct shared
 *
 * The flipper sets flip to Y, flip_dir to Y, flip to C, flip_dir to C,
 * and so on, each held HOLD_NS: one at a time, so that a change of the
 * epoch does not hide a missed change of a file's own label.  struct
 * shared's @seq[0] (flip) and @seq[1] (flip_dir) say where it is: 4k+1
 * before it sets Y, 4k+2 once that setxattr() returned, 4k+3 before it
 * sets C, 4k+4 once that returned.  A reader reads the file's @seq before
 * and after each open of a flipped file; if it read 4k+2 twice, the open
 * started after Y was set and ended before C was: it must fail (EACCES),
 * and one between two reads of 4k+4 must succeed.  A stale entry served
 * after the label changed (the own-label generation or the epoch not
 * compared, a memo of the level kept across a new entry) lets a Y open
 * through, whatever the timing.
 *
 * Environment: AVF_RACE_SECONDS (default 5; file_cache_flip runs half
 * that, at least one second); AVF_KCSAN_SKIP_WATCH,
 * AVF_KCSAN_UDELAY: values written to /sys/module/kcsan/parameters/
 * skip_watch and udelay_task for the duration of each race, if that
 * directory exists (the KCSAN kernel), restored after.
 */
#include <poll.h>
#include <sched.h>
#include <stdint.h>
#include <sys/mman.h>
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
#define FLIP_FILE	RT "/flip"
#define FLIP_DIR	RT "/flip_dir"
#define FLIP_DIR_FILE	FLIP_DIR "/file"
#define SHM_FILE	RT "/shm"
#define NFILES		512
#define FLIP_EVERY	8
#define HOLD_NS		2000000	/* each label of the flipped, once set */

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

/*
 * RT as a fresh tmpfs with RT/bin, and this program's path in @self
 * (PATH_MAX bytes), which the agents in RT/bin are copies of.
 */
static int start_tree(char *self)
{
	ssize_t n = readlink("/proc/self/exe", self, PATH_MAX - 1);
	int err;

	if (n < 0)
		return -errno;
	self[n] = '\0';
	err = mount_tmpfs(RT);
	return err ? err : mkdirs(RT "/bin");
}

static int make_tree(void)
{
	char self[PATH_MAX];
	int err = start_tree(self);

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

/* file_cache_flip: the flipper's position (see the top of this file). */
struct shared {
	uint64_t seq[2];
	uint32_t stop;
};

/*
 * What a file reader counts, printed on its stdout at the end.  [0]: of
 * flip (its own label), [1]: of flip_dir/file (its directory's).
 */
struct flip_counts {
	unsigned long opens;		/* of the files that never change */
	unsigned long wrong;		/* of those: not as labelled */
	unsigned long high[2];		/* opens with Y throughout */
	unsigned long leaked[2];	/* of those: succeeded */
	unsigned long low[2];		/* opens with C throughout */
	unsigned long denied[2];	/* of those: failed */
	unsigned long other;		/* an errno other than EACCES */
};

/* struct flip_counts as a reader prints it, and back: 11 numbers. */
#define COUNTS_FMT "%lu %lu %lu %lu %lu %lu %lu %lu %lu %lu %lu"

static void print_counts(const struct flip_counts *n)
{
	printf(COUNTS_FMT "\n", n->opens, n->wrong, n->high[0], n->leaked[0],
	       n->low[0], n->denied[0], n->high[1], n->leaked[1], n->low[1],
	       n->denied[1], n->other);
	fflush(stdout);
}

static int scan_counts(const char *buf, struct flip_counts *n)
{
	return sscanf(buf, COUNTS_FMT, &n->opens, &n->wrong, &n->high[0],
		      &n->leaked[0], &n->low[0], &n->denied[0], &n->high[1],
		      &n->leaked[1], &n->low[1], &n->denied[1], &n->other);
}

static int load_p3(void)
{
	const char *l3[] = { level[LV_A], level[LV_C], level[LV_Y], NULL };
	const char *s3[] = { READER, NULL };
	const char *c3[] = { level[LV_C], NULL };
	struct avf_policy_desc d = {
		.mode = AVFENCE_MODE_ENFORCE,
		.levels = l3,
		.default_level = level[LV_A],
		.subject_paths = s3,
		.subject_clearances = c3,
	};

	return avf_load(&d);
}

static void file_name(char *buf, size_t size, int i)
{
	snprintf(buf, size, RT "/f/%04d", i);
}

/* File @i's label: Y every eighth (never readable at C), else A or C. */
static int file_level(int i)
{
	return i % 8 == 7 ? LV_Y : i % 2 ? LV_C : LV_A;
}

static int make_file_tree(void)
{
	char self[PATH_MAX], name[64];
	int err, i;

	err = start_tree(self);
	if (!err)
		err = mkdirs(RT "/f");
	if (!err)
		err = copy_file(self, READER, 0755);
	for (i = 0; !err && i < NFILES; i++) {
		file_name(name, sizeof(name), i);
		err = write_file(name, "f\n");
		if (!err)
			err = set_label(name, level[file_level(i)]);
	}
	if (!err)
		err = write_file(FLIP_FILE, "flip\n");
	if (!err)
		err = set_label(FLIP_FILE, level[LV_C]);
	if (!err)
		err = mkdirs(FLIP_DIR);
	if (!err)
		err = write_file(FLIP_DIR_FILE, "flip\n");
	if (!err)
		err = set_label(FLIP_DIR, level[LV_C]);
	if (!err)
		err = write_file(SHM_FILE, "");
	if (!err && truncate(SHM_FILE, 4096))
		err = -errno;
	return err;
}

/* One open of flipped file @f between two reads of its @seq. */
static void open_flip(struct shared *sh, struct flip_counts *n, int f)
{
	static const char *const path[2] = { FLIP_FILE, FLIP_DIR_FILE };
	uint64_t before, after;
	int fd, err;

	before = __atomic_load_n(&sh->seq[f], __ATOMIC_SEQ_CST);
	fd = open(path[f], O_RDONLY);
	err = errno;
	after = __atomic_load_n(&sh->seq[f], __ATOMIC_SEQ_CST);
	if (fd >= 0)
		close(fd);
	else if (err != EACCES)
		n->other++;
	if (before != after)
		return;
	if (before % 4 == 2) {
		n->high[f]++;
		n->leaked[f] += fd >= 0;
	} else if (before % 4 == 0) {
		n->low[f]++;
		n->denied[f] += fd < 0;
	}
}

/*
 * File reader, on CPU argv[2]: the files in turn, the flipped ones
 * every FLIP_EVERY of them, until struct shared's @stop (or stdin's EOF:
 * the test is gone); "r" on stdout
 * after the first pass, its counts at the end.  Exit status 0, or 1 if
 * the set-up failed.
 */
static int file_reader_main(int argc, char **argv)
{
	struct pollfd pfd = { .fd = 0, .events = POLLIN };
	struct flip_counts n = { 0 };
	struct shared *sh;
	char name[NFILES][16];
	cpu_set_t cpus;
	int i, fd;

	if (argc < 3)
		return 1;
	CPU_ZERO(&cpus);
	CPU_SET(atoi(argv[2]), &cpus);
	/* A machine of one CPU: the race is between time slices. */
	sched_setaffinity(0, sizeof(cpus), &cpus);
	fd = open(SHM_FILE, O_RDONLY);
	if (fd < 0)
		return 1;
	sh = mmap(NULL, sizeof(*sh), PROT_READ, MAP_SHARED, fd, 0);
	close(fd);
	if (sh == MAP_FAILED)
		return 1;
	for (i = 0; i < NFILES; i++)
		snprintf(name[i], sizeof(name[i]), "f/%04d", i);
	fd = open(RT, O_RDONLY | O_DIRECTORY);
	if (fd < 0)
		return 1;
	while (!__atomic_load_n(&sh->stop, __ATOMIC_SEQ_CST)) {
		for (i = 0; i < NFILES; i++) {
			int f = openat(fd, name[i], O_RDONLY);

			n.opens++;
			if (f >= 0)
				close(f);
			if (file_level(i) == LV_Y ? f >= 0 || errno != EACCES :
			    f < 0)
				n.wrong++;
			if (i % FLIP_EVERY == 0)
				open_flip(sh, &n, i / FLIP_EVERY % 2);
		}
		if (n.opens == NFILES && write(1, "r", 1) != 1)
			return 1;
		if (poll(&pfd, 1, 0) > 0)
			break;
	}
	print_counts(&n);
	return 0;
}

FIXTURE(file_cache) {
};

FIXTURE_SETUP(file_cache)
{
	make_levels();
	ASSERT_EQ(0, make_file_tree());
	ASSERT_EQ(0, load_p3());
}

FIXTURE_TEARDOWN(file_cache)
{
	load_no_subject();
	umount_tmpfs(RT);
}

TEST_F_TIMEOUT(file_cache, file_cache_flip, 600)
{
	int seconds = env_seconds("AVF_RACE_SECONDS", 5);
	const struct timespec hold = { .tv_nsec = HOLD_NS };
	struct flip_counts n[NREADERS] = { { 0 } }, sum = { 0 };
	char cpu[NREADERS][8], buf[256], old_skip[32], old_delay[32];
	char *argv[] = { READER, "--file-reader", NULL, NULL };
	int in[NREADERS], out[NREADERS], i, f, step, status, set_err = 0;
	unsigned long flips = 0;
	struct shared *sh;
	pid_t pid[NREADERS];
	struct timespec t;
	time_t end;
	ssize_t len;
	int fd;

	fd = open(SHM_FILE, O_RDWR);
	ASSERT_LE(0, fd);
	sh = mmap(NULL, sizeof(*sh), PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	close(fd);
	ASSERT_NE(MAP_FAILED, sh);
	for (i = 0; i < NREADERS; i++) {
		snprintf(cpu[i], sizeof(cpu[i]), "%d", i);
		argv[2] = cpu[i];
		pid[i] = start(argv, &in[i], &out[i]);
		ASSERT_LT(0, pid[i]);
	}
	/*
	 * Both running, their entries filled (and the level memos of the
	 * flipped files' at C: one kept across a new entry is seen at Y).
	 */
	for (i = 0; i < NREADERS; i++) {
		ASSERT_EQ(1, read(out[i], buf, 1));
		ASSERT_EQ('r', buf[0]);
	}

	kcsan_set("skip_watch", "AVF_KCSAN_SKIP_WATCH", old_skip, sizeof(old_skip));
	kcsan_set("udelay_task", "AVF_KCSAN_UDELAY", old_delay, sizeof(old_delay));
	clock_gettime(CLOCK_MONOTONIC, &t);
	end = t.tv_sec + (seconds > 1 ? seconds / 2 : 1);
	do {
		/* Y, then C, each held HOLD_NS once its setxattr() returned. */
		for (step = 0; step < 4; step++) {
			f = step % 2;
			__atomic_add_fetch(&sh->seq[f], 1, __ATOMIC_SEQ_CST);
			set_err += !!set_label(f ? FLIP_DIR : FLIP_FILE,
					       level[step < 2 ? LV_Y : LV_C]);
			__atomic_add_fetch(&sh->seq[f], 1, __ATOMIC_SEQ_CST);
			nanosleep(&hold, NULL);
		}
		flips++;
		clock_gettime(CLOCK_MONOTONIC, &t);
	} while (t.tv_sec < end);
	__atomic_store_n(&sh->stop, 1, __ATOMIC_SEQ_CST);
	kcsan_restore("skip_watch", old_skip);
	kcsan_restore("udelay_task", old_delay);

	for (i = 0; i < NREADERS; i++) {
		len = read(out[i], buf, sizeof(buf) - 1);
		buf[len > 0 ? len : 0] = '\0';
		EXPECT_EQ(11, scan_counts(buf, &n[i]));
		EXPECT_EQ(pid[i], waitpid(pid[i], &status, 0));
		EXPECT_EQ(0, exit_code(status));
		close(in[i]);
		close(out[i]);
		TH_LOG("reader %d: %lu opens, %lu wrong; flip at Y %lu (%lu open), C %lu (%lu not)",
		       i, n[i].opens, n[i].wrong, n[i].high[0], n[i].leaked[0],
		       n[i].low[0], n[i].denied[0]);
		TH_LOG("reader %d: flip_dir/file at Y %lu (%lu open), C %lu (%lu not)",
		       i, n[i].high[1], n[i].leaked[1], n[i].low[1],
		       n[i].denied[1]);
		sum.wrong += n[i].wrong;
		sum.other += n[i].other;
		for (f = 0; f < 2; f++) {
			sum.leaked[f] += n[i].leaked[f];
			sum.denied[f] += n[i].denied[f];
			/* It did race (the KCSAN kernel is slow: low bars). */
			EXPECT_LT(0, n[i].high[f]);
			EXPECT_LT(0, n[i].low[f]);
		}
		EXPECT_LT((unsigned long)NFILES, n[i].opens);
	}
	munmap(sh, sizeof(*sh));
	TH_LOG("%lu flips, %d setxattr errors, %lu other errnos", flips,
	       set_err, sum.other);
	EXPECT_EQ(0, set_err);
	EXPECT_LE(2, flips);
	EXPECT_EQ(0, sum.leaked[0]);
	EXPECT_EQ(0, sum.leaked[1]);
	EXPECT_EQ(0, sum.denied[0]);
	EXPECT_EQ(0, sum.denied[1]);
	EXPECT_EQ(0, sum.wrong);
	EXPECT_EQ(0, sum.other);
}

/* The kselftest main, or a writer or reader exec'd by a test above. */
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
	if (argc > 1 && !strcmp(argv[1], "--file-reader"))
		return file_reader_main(argc, argv);
	return test_harness_run(argc, argv);
}

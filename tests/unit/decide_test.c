// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests of kmod/decide.c: the very code the module runs.
 */
#include <string.h>

#include "decide.h"
#include "unit.h"

static void fill(struct avf_levels *l, int n)
{
	char name[16];
	int i;

	memset(l, 0, sizeof(*l));
	for (i = 0; i < n; i++) {
		snprintf(name, sizeof(name), "L%d", i);
		avf_levels_add(l, name, strlen(name));
	}
}

static void ladder4(struct avf_levels *l)
{
	static const char *const names[] = {
		"UNCLASSIFIED", "OFFICIAL", "SECRET", "TOP-SECRET",
	};
	int i;

	memset(l, 0, sizeof(*l));
	for (i = 0; i < 4; i++)
		avf_levels_add(l, names[i], strlen(names[i]));
}

static bool valid(const char *s)
{
	return avf_level_name_valid(s, strlen(s));
}

TEST(level_name_rules)
{
	char name[AVFENCE_LEVEL_NAME_MAX + 1];

	EXPECT_TRUE(valid("SECRET"));
	EXPECT_TRUE(valid("TOP-SECRET"));
	EXPECT_TRUE(valid("top_secret"));
	EXPECT_TRUE(valid("0"));
	EXPECT_TRUE(valid("3rd-level"));
	EXPECT_TRUE(!valid(""));
	EXPECT_TRUE(!valid("-SECRET"));
	EXPECT_TRUE(!valid("_SECRET"));
	EXPECT_TRUE(!valid("TOP SECRET"));
	EXPECT_TRUE(!valid("SECRET."));
	EXPECT_TRUE(!valid("SÉCRET"));
	EXPECT_TRUE(!avf_level_name_valid("SEC\0RET", 7));
	EXPECT_TRUE(avf_level_name_valid("SECRET#x", 6));

	memset(name, 'A', sizeof(name));
	EXPECT_TRUE(avf_level_name_valid(name, AVFENCE_LEVEL_NAME_MAX - 1));
	EXPECT_TRUE(!avf_level_name_valid(name, AVFENCE_LEVEL_NAME_MAX));
}

TEST(ladder_add_and_find)
{
	struct avf_levels l;

	memset(&l, 0, sizeof(l));
	EXPECT_EQ(AVF_LEVEL_OK, avf_levels_add(&l, "LOW", 3));
	EXPECT_EQ(AVF_LEVEL_OK, avf_levels_add(&l, "HIGH", 4));
	EXPECT_EQ(2, l.count);
	EXPECT_STREQ("LOW", l.name[0]);
	EXPECT_STREQ("HIGH", l.name[1]);
	EXPECT_EQ(AVF_LEVEL_DUPLICATE, avf_levels_add(&l, "LOW", 3));
	EXPECT_EQ(AVF_LEVEL_BAD_NAME, avf_levels_add(&l, "a b", 3));
	EXPECT_EQ(2, l.count);

	EXPECT_EQ(0, avf_levels_find(&l, "LOW", 3));
	EXPECT_EQ(1, avf_levels_find(&l, "HIGH", 4));
	/* Prefixes, extensions and case differences are other names. */
	EXPECT_EQ(-1, avf_levels_find(&l, "HIG", 3));
	EXPECT_EQ(-1, avf_levels_find(&l, "HIGHER", 6));
	EXPECT_EQ(-1, avf_levels_find(&l, "high", 4));
	EXPECT_EQ(-1, avf_levels_find(&l, "", 0));
	/* Not NUL-terminated input: only @len bytes count. */
	EXPECT_EQ(1, avf_levels_find(&l, "HIGHxyz", 4));
}

TEST(ladder_limit)
{
	struct avf_levels l;

	fill(&l, AVFENCE_LEVELS_MAX);
	EXPECT_EQ(AVFENCE_LEVELS_MAX, l.count);
	EXPECT_EQ(AVF_LEVEL_TOO_MANY, avf_levels_add(&l, "ONE-MORE", 8));
	EXPECT_EQ(AVFENCE_LEVELS_MAX, l.count);
	/* A duplicate is reported as such even when full. */
	EXPECT_EQ(AVF_LEVEL_DUPLICATE, avf_levels_add(&l, "L0", 2));
	EXPECT_EQ(AVFENCE_LEVELS_MAX - 1,
		  avf_levels_find(&l, "L31", 3));
	EXPECT_TRUE(strcmp(avf_level_err_str(AVF_LEVEL_TOO_MANY), "ok"));
}

TEST(label_trimming)
{
	EXPECT_EQ(6, avf_label_trim("SECRET", 6));
	EXPECT_EQ(6, avf_label_trim("SECRET\0", 7));
	EXPECT_EQ(6, avf_label_trim("SECRET\n", 7));
	EXPECT_EQ(6, avf_label_trim("SECRET\n\0\0", 9));
	EXPECT_EQ(6, avf_label_trim("SECRET\0\n", 8));
	EXPECT_EQ(7, avf_label_trim("SECRET ", 7));	/* blanks are kept */
	EXPECT_EQ(0, avf_label_trim("", 0));
	EXPECT_EQ(0, avf_label_trim("\n\0", 2));
}

TEST(label_to_level)
{
	struct avf_levels l;
	bool unknown;

	ladder4(&l);
	EXPECT_EQ(0, avf_label_level(&l, "UNCLASSIFIED", 12, &unknown));
	EXPECT_TRUE(!unknown);
	EXPECT_EQ(2, avf_label_level(&l, "SECRET", 6, &unknown));
	EXPECT_TRUE(!unknown);
	EXPECT_EQ(2, avf_label_level(&l, "SECRET\n", 7, &unknown));
	EXPECT_TRUE(!unknown);
	EXPECT_EQ(3, avf_label_level(&l, "TOP-SECRET\0", 11, &unknown));
	EXPECT_TRUE(!unknown);
}

TEST(unknown_label_is_highest)
{
	struct avf_levels l, empty;
	bool unknown;

	ladder4(&l);
	EXPECT_EQ(3, avf_label_level(&l, "secret", 6, &unknown));
	EXPECT_TRUE(unknown);
	EXPECT_EQ(3, avf_label_level(&l, "SECRETS", 7, &unknown));
	EXPECT_TRUE(unknown);
	EXPECT_EQ(3, avf_label_level(&l, "SECRE", 5, &unknown));
	EXPECT_TRUE(unknown);
	EXPECT_EQ(3, avf_label_level(&l, "", 0, &unknown));
	EXPECT_TRUE(unknown);
	EXPECT_EQ(3, avf_label_level(&l, " SECRET", 7, &unknown));
	EXPECT_TRUE(unknown);
	EXPECT_EQ(3, avf_label_level(&l, "SEC\0RET", 7, &unknown));
	EXPECT_TRUE(unknown);
	memset(&empty, 0, sizeof(empty));
	EXPECT_EQ(0, avf_label_level(&empty, "X", 1, &unknown));
	EXPECT_TRUE(unknown);
}

TEST(verdict_every_boundary)
{
	static const u32 modes[] = {
		AVFENCE_MODE_UNSPEC, AVFENCE_MODE_AUDIT, AVFENCE_MODE_ENFORCE,
		__AVFENCE_MODE_MAX, 0xffffffff,
	};
	u32 c, lvl, m;

	for (m = 0; m < sizeof(modes) / sizeof(modes[0]); m++) {
		for (c = 0; c < AVFENCE_LEVELS_MAX; c++) {
			for (lvl = 0; lvl < AVFENCE_LEVELS_MAX; lvl++) {
				enum avf_verdict want, got;

				if (lvl <= c)
					want = AVF_ALLOW;
				else if (modes[m] == AVFENCE_MODE_AUDIT)
					want = AVF_AUDIT;
				else
					want = AVF_DENY; /* fail closed */
				got = avf_decide(c, lvl, modes[m]);
				EXPECT_EQ(want, got)
					TH_LOG("mode %u clearance %u level %u",
					       modes[m], c, lvl);
			}
		}
	}
	/* The boundary itself, spelled out. */
	EXPECT_EQ(AVF_ALLOW, avf_decide(1, 1, AVFENCE_MODE_ENFORCE));
	EXPECT_EQ(AVF_DENY, avf_decide(1, 2, AVFENCE_MODE_ENFORCE));
	EXPECT_EQ(AVF_AUDIT, avf_decide(1, 2, AVFENCE_MODE_AUDIT));
	EXPECT_EQ(AVF_ALLOW, avf_decide(0, 0, AVFENCE_MODE_AUDIT));
}

TEST(mode_validity)
{
	EXPECT_TRUE(!avf_mode_valid(AVFENCE_MODE_UNSPEC));
	EXPECT_TRUE(avf_mode_valid(AVFENCE_MODE_AUDIT));
	EXPECT_TRUE(avf_mode_valid(AVFENCE_MODE_ENFORCE));
	EXPECT_TRUE(!avf_mode_valid(__AVFENCE_MODE_MAX));
	EXPECT_TRUE(!avf_mode_valid(0xffffffff));
}

/* connect=: untagged peers only if listed; tagged peers by clearance. */
TEST(ipc_rule)
{
	struct avf_ipc_peer untagged = { .tagged = false };
	struct avf_ipc_peer peer = { .tagged = true };
	const u32 E = AVFENCE_MODE_ENFORCE, A = AVFENCE_MODE_AUDIT;
	u32 c, lvl;

	EXPECT_EQ(AVF_DENY, avf_ipc_decide(2, &untagged, true, false, E));
	EXPECT_EQ(AVF_DENY, avf_ipc_decide(2, &untagged, false, false, E));
	EXPECT_EQ(AVF_AUDIT, avf_ipc_decide(2, &untagged, true, false, A));
	EXPECT_EQ(AVF_ALLOW, avf_ipc_decide(2, &untagged, true, true, E));
	EXPECT_EQ(AVF_ALLOW, avf_ipc_decide(0, &untagged, false, true, E));
	/* An unknown mode fails closed. */
	EXPECT_EQ(AVF_DENY, avf_ipc_decide(2, &untagged, true, false, 0));
	for (c = 0; c < AVFENCE_LEVELS_MAX; c++) {
		for (lvl = 0; lvl < AVFENCE_LEVELS_MAX; lvl++) {
			peer.level = lvl;
			/* a connection: equal clearances only, listed or not */
			EXPECT_EQ(lvl == c ? AVF_ALLOW : AVF_DENY,
				  avf_ipc_decide(c, &peer, true, true, E))
				TH_LOG("stream clearance %u peer %u", c, lvl);
			/* a datagram: never down */
			EXPECT_EQ(lvl >= c ? AVF_ALLOW : AVF_DENY,
				  avf_ipc_decide(c, &peer, false, true, E))
				TH_LOG("dgram clearance %u peer %u", c, lvl);
			EXPECT_EQ(lvl >= c ? AVF_ALLOW : AVF_AUDIT,
				  avf_ipc_decide(c, &peer, false, false, A));
		}
	}
}

/* The words of the ASCII measurement log (kmod/measure.c). */
TEST(measure_event_names)
{
	EXPECT_STREQ("module-load",
		     avf_measure_event_name(AVFENCE_MEASURE_MODULE_LOAD));
	EXPECT_STREQ("policy-load",
		     avf_measure_event_name(AVFENCE_MEASURE_POLICY_LOAD));
	EXPECT_STREQ("mode", avf_measure_event_name(AVFENCE_MEASURE_MODE));
	EXPECT_STREQ("lock", avf_measure_event_name(AVFENCE_MEASURE_LOCK));
	EXPECT_STREQ("unknown", avf_measure_event_name(0xffff));
}

TEST(write_needs_every_subject)
{
	/* No subject: granted nothing, in either mode's way. */
	EXPECT_EQ(AVF_DENY, avf_decide_write(0, 0, AVFENCE_MODE_ENFORCE));
	EXPECT_EQ(AVF_DENY, avf_decide_write(0, ~0u, AVFENCE_MODE_ENFORCE));
	EXPECT_EQ(AVF_AUDIT, avf_decide_write(0, 0, AVFENCE_MODE_AUDIT));
	EXPECT_EQ(AVF_ALLOW, avf_decide_write(1, 1, AVFENCE_MODE_ENFORCE));
	EXPECT_EQ(AVF_DENY, avf_decide_write(1, 0, AVFENCE_MODE_ENFORCE));
	EXPECT_EQ(AVF_AUDIT, avf_decide_write(1, 0, AVFENCE_MODE_AUDIT));
	EXPECT_EQ(AVF_ALLOW, avf_decide_write(1, 1, AVFENCE_MODE_AUDIT));
	/* Two subjects: one that grants is not enough. */
	EXPECT_EQ(AVF_DENY, avf_decide_write(2, 1, AVFENCE_MODE_ENFORCE));
	EXPECT_EQ(AVF_DENY, avf_decide_write(2, 2, AVFENCE_MODE_ENFORCE));
	EXPECT_EQ(AVF_ALLOW, avf_decide_write(2, 3, AVFENCE_MODE_ENFORCE));
	EXPECT_EQ(AVF_ALLOW, avf_decide_write(8, 0xff, AVFENCE_MODE_ENFORCE));
	EXPECT_EQ(AVF_DENY, avf_decide_write(8, 0x7f, AVFENCE_MODE_ENFORCE));
	/* An unknown mode enforces. */
	EXPECT_EQ(AVF_DENY, avf_decide_write(1, 0, 77));
}

TEST(proc_pid_names)
{
	EXPECT_TRUE(avf_proc_pid_is("1", 1));
	EXPECT_TRUE(avf_proc_pid_is("4242", 4242));
	EXPECT_TRUE(avf_proc_pid_is("4294967295", 4294967295u));
	EXPECT_FALSE(avf_proc_pid_is("4242", 424));
	EXPECT_FALSE(avf_proc_pid_is("04242", 4242));
	EXPECT_FALSE(avf_proc_pid_is("0", 0));
	EXPECT_FALSE(avf_proc_pid_is("", 0));
	EXPECT_FALSE(avf_proc_pid_is("self", 1));
	EXPECT_FALSE(avf_proc_pid_is("sys", 1));
	EXPECT_FALSE(avf_proc_pid_is("+1", 1));
	EXPECT_FALSE(avf_proc_pid_is("1a", 1));
	EXPECT_FALSE(avf_proc_pid_is("4294967296", 0));
	EXPECT_FALSE(avf_proc_pid_is("18446744073709551617", 1));
	EXPECT_EQ(1u, avf_proc_pid_of("1"));
	EXPECT_EQ(4294967295u, avf_proc_pid_of("4294967295"));
	EXPECT_EQ(0u, avf_proc_pid_of("4294967296"));
	EXPECT_EQ(0u, avf_proc_pid_of("self"));
	EXPECT_EQ(0u, avf_proc_pid_of("01"));
	EXPECT_EQ(0u, avf_proc_pid_of(""));
}

/* /proc/PID/root of a process rooted where the fenced task is. */
TEST(proc_root_link)
{
	const u32 read_fs = AVF_PTRACE_MODE_READ | AVF_PTRACE_MODE_FSCREDS;

	EXPECT_TRUE(avf_proc_root_link_ok(read_fs, true, true));
	/* another root: the ptrace rule */
	EXPECT_FALSE(avf_proc_root_link_ok(read_fs, true, false));
	/* not the check of a noted link (environ, maps, fd/N, cwd) */
	EXPECT_FALSE(avf_proc_root_link_ok(read_fs, false, true));
	/* attach, real credentials, noaudit: never */
	EXPECT_FALSE(avf_proc_root_link_ok(0x02 | AVF_PTRACE_MODE_FSCREDS, true, true));
	EXPECT_FALSE(avf_proc_root_link_ok(AVF_PTRACE_MODE_READ | 0x10, true, true));
	EXPECT_FALSE(avf_proc_root_link_ok(read_fs | 0x04, true, true));
	EXPECT_FALSE(avf_proc_root_link_ok(AVF_PTRACE_MODE_READ, true, true));
}

/* A check made with PTRACE_MODE_NOAUDIT is a probe: refused unreported. */
TEST(ptrace_probe)
{
	const u32 read_fs = AVF_PTRACE_MODE_READ | AVF_PTRACE_MODE_FSCREDS;

	/* /proc/PID/stat's wchan and stack pointers */
	EXPECT_TRUE(avf_ptrace_probe(read_fs | AVF_PTRACE_MODE_NOAUDIT));
	EXPECT_TRUE(avf_ptrace_probe(0x02 | AVF_PTRACE_MODE_NOAUDIT));
	/* environ, maps, mem, process_vm_readv, attach: reported */
	EXPECT_FALSE(avf_ptrace_probe(read_fs));
	EXPECT_FALSE(avf_ptrace_probe(0x02 | 0x10));
	EXPECT_FALSE(avf_ptrace_probe(0));
}

/* A writer mark names a level; an unknown name counts as the lowest. */
TEST(written_mark_level)
{
	struct avf_levels l;

	ladder4(&l);
	EXPECT_EQ(1, avf_written_level(&l, "OFFICIAL", 8));
	EXPECT_EQ(2, avf_written_level(&l, "SECRET\n", 7));
	EXPECT_EQ(2, avf_written_level(&l, "SECRET\0", 7));
	EXPECT_EQ(3, avf_written_level(&l, "TOP-SECRET", 10));
	EXPECT_EQ(0, avf_written_level(&l, "GONE", 4));
	EXPECT_EQ(0, avf_written_level(&l, "", 0));
	/* not the highest, as an unknown label is */
	EXPECT_EQ(0, avf_written_level(&l, "SECRETX", 7));
}

/* Only untagged tasks are stopped at a marked symlink. */
TEST(written_follow_verdict)
{
	EXPECT_EQ(AVF_ALLOW, avf_decide_follow(true, true, true,
					       AVFENCE_MODE_ENFORCE));
	EXPECT_EQ(AVF_ALLOW, avf_decide_follow(true, true, false, 0));
	EXPECT_EQ(AVF_ALLOW, avf_decide_follow(false, false, true,
					       AVFENCE_MODE_ENFORCE));
	EXPECT_EQ(AVF_DENY, avf_decide_follow(false, true, true,
					      AVFENCE_MODE_ENFORCE));
	EXPECT_EQ(AVF_AUDIT, avf_decide_follow(false, true, true,
					       AVFENCE_MODE_AUDIT));
	EXPECT_EQ(AVF_DENY, avf_decide_follow(false, true, false, 0));
}

TEST_HARNESS_MAIN

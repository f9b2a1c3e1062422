// SPDX-License-Identifier: GPL-2.0
/*
 * avfencectl's operator commands against the real module: status (text,
 * JSON and securityfs agree; the digest is the one check computes and the
 * SHA-256 of /sys/kernel/security/avfence/policy), ps, load --dry-run,
 * bad input that must change nothing, and the size limits: 16384 subjects
 * load (split over several netlink attributes), 16385 are refused.
 *
 * TMP (tmpfs)
 * ├── policies/     the policy files of the tests
 * ├── secret        SECRET
 * ├── bin/agent     a second subject (a copy of the probe)
 * └── many/s0...    16384 empty files, subjects of the large policies
 */
#include <sys/sysmacros.h>

#include "ctl.h"

#define POLICY_DIR	TMP "/policies"

static struct output o;

static int write_policy(const char *name, const char *text, char *path,
			size_t size)
{
	snprintf(path, size, POLICY_DIR "/%s", name);
	return write_file(path, text);
}

/* The digest `avfencectl check FILE` prints, into @hex (65 bytes). */
static int check_digest(const char *file, char *hex)
{
	char *p;

	if (ctl(&o, "check", file, NULL))
		return -EINVAL;
	p = strstr(o.out, "\ndigest: ");
	if (!p || sscanf(p, "\ndigest: %64[0-9a-f]", hex) != 1)
		return -EINVAL;
	return 0;
}

/* The digest in `avfencectl status --json`. */
static int status_digest(char *hex)
{
	char v[128];

	if (ctl(&o, "status", "--json", NULL) || json_valid(o.out) ||
	    !json_get(o.out, "digest", v, sizeof(v)) || strlen(v) != 64)
		return -EINVAL;
	strcpy(hex, v);
	return 0;
}

FIXTURE(ctl) {
	char policy[PATH_MAX];
};

FIXTURE_SETUP(ctl)
{
	static const struct tree_entry tree[] = {
		TREE_DIR("policies", NULL),
		TREE_DIR("bin", NULL),
		TREE_COPY("bin/agent", PLAIN, NULL),
		TREE_FILE("secret", "secret\n", "SECRET"),
		{ NULL }
	};

	ASSERT_EQ(0, build_tree(TMP, tree));
	ASSERT_EQ(0, mount_securityfs());
	ASSERT_EQ(0, write_policy("example.conf",
				  LEVELS "default UNCLASSIFIED\nmode enforce\n"
				  "subject " SCANNER " OFFICIAL\n",
				  self->policy, sizeof(self->policy)));
}

FIXTURE_TEARDOWN(ctl)
{
	teardown_tree();
}

/* The digest the kernel reports is the one check computed, everywhere. */
TEST_F(ctl, digest_matches_kernel)
{
	char want[80], got[80], line[256], sum[80], gen[32];
	unsigned long long loaded;
	const char *g;
	static char canon[OUT_MAX], secfs[OUT_MAX];

	ASSERT_EQ(0, check_digest("/etc/avfence/example.conf", want));
	TH_LOG("policy/example.conf digest %s", want);
	ASSERT_EQ(0, ctl(&o, "load", "/etc/avfence/example.conf", NULL)) {
		TH_LOG("%s", o.err);
	}
	/*
	 * load prints the digest the kernel replied with, of what it parsed:
	 * check's, computed here from the file.  And the generation it
	 * became, which status reports next.
	 */
	snprintf(line, sizeof(line), "\ndigest: %s\n", want);
	EXPECT_NE(NULL, strstr(o.out, line)) {
		TH_LOG("%s", o.out);
	}
	EXPECT_EQ(NULL, strstr(o.err, "warning"));
	g = strstr(o.out, "\ngeneration: ");
	ASSERT_NE(NULL, g);
	loaded = strtoull(g + strlen("\ngeneration: "), NULL, 10);
	EXPECT_LT(0, loaded);
	ASSERT_EQ(0, ctl(&o, "status", "--json", NULL));
	ASSERT_NE(NULL, json_get(o.out, "generation", gen, sizeof(gen)));
	EXPECT_EQ(strtoull(gen, NULL, 10), loaded);

	ASSERT_EQ(0, status_digest(got));
	EXPECT_STREQ(want, got);
	ASSERT_EQ(0, ctl(&o, "status", NULL));
	snprintf(line, sizeof(line), "\ndigest:         %s\n", want);
	EXPECT_NE(NULL, strstr(o.out, line));

	ASSERT_EQ(0, read_text(SECFS_STATUS, secfs, sizeof(secfs)));
	snprintf(line, sizeof(line), "\ndigest: %s\n", want);
	EXPECT_NE(NULL, strstr(secfs, line)) {
		TH_LOG("%s", secfs);
	}
	/* securityfs shows the canonical form: check's, byte for byte... */
	ASSERT_EQ(0, ctl(&o, "check", "--canonical", "/etc/avfence/example.conf", NULL));
	strcpy(canon, o.out);
	ASSERT_EQ(0, read_text(SECFS_POLICY, secfs, sizeof(secfs)));
	EXPECT_STREQ(canon, secfs);
	/* ...and its SHA-256 by another implementation is the digest. */
	ASSERT_EQ(0, capture(&o, "/bin/sha256sum", SECFS_POLICY, NULL));
	ASSERT_EQ(1, sscanf(o.out, "%64s", sum));
	EXPECT_STREQ(want, sum);
}

/* Order, comments, flags: the kernel and avfencectl still agree. */
TEST_F(ctl, digest_matches_kernel_any_policy)
{
	char want[80], got[80];
	static char secfs[OUT_MAX];

	ASSERT_EQ(0, write_policy("p.conf",
				  "# unsorted, with flags and comments\n"
				  "subject " TMP "/bin/agent SECRET allow=ptrace,raw-devices\n"
				  "mode audit\n"
				  "levels  L0 L1\tSECRET   L3 # four\n"
				  "subject " SCANNER " L1\n"
				  "default L1\n",
				  self->policy, sizeof(self->policy)));
	ASSERT_EQ(0, check_digest(self->policy, want));
	ASSERT_EQ(0, ctl(&o, "load", self->policy, NULL));
	ASSERT_EQ(0, status_digest(got));
	EXPECT_STREQ(want, got);
	ASSERT_EQ(0, ctl(&o, "check", "--canonical", self->policy, NULL));
	ASSERT_EQ(0, read_text(SECFS_POLICY, secfs, sizeof(secfs)));
	EXPECT_STREQ(o.out, secfs);
	/* The mode is not part of the digest. */
	ASSERT_EQ(0, avfencectl("mode", "enforce", NULL));
	ASSERT_EQ(0, status_digest(got));
	EXPECT_STREQ(want, got);
}

/*
 * avfencectl sends subjects sorted; a request from another client need
 * not be, and the kernel must sort it: the same digest either way.
 */
TEST_F(ctl, digest_of_unsorted_request)
{
	static const char *const levels[] = { "UNCLASSIFIED", "OFFICIAL",
					      "SECRET", "TOP-SECRET", NULL };
	static const char *const paths[] = { TMP "/bin/agent", SCANNER, NULL };
	static const char *const clearances[] = { "OFFICIAL", "SECRET", NULL };
	struct avf_policy_desc desc = {
		.mode = AVFENCE_MODE_ENFORCE, .levels = levels,
		.default_level = "UNCLASSIFIED", .subject_paths = paths,
		.subject_clearances = clearances,
	};
	char want[80], got[80];

	/* TMP sorts after /opt: the request is out of canonical order. */
	ASSERT_GT(0, strcmp(paths[1], paths[0]));
	ASSERT_EQ(0, write_policy("u.conf",
				  LEVELS "default UNCLASSIFIED\nmode enforce\n"
				  "subject " SCANNER " SECRET\n"
				  "subject " TMP "/bin/agent OFFICIAL\n",
				  self->policy, sizeof(self->policy)));
	ASSERT_EQ(0, check_digest(self->policy, want));
	ASSERT_EQ(0, avf_load(&desc));
	ASSERT_EQ(0, status_digest(got));
	EXPECT_STREQ(want, got);
}

TEST_F(ctl, status_fields)
{
	char v[256], secfs[16384];
	struct utsname u;

	ASSERT_EQ(0, uname(&u));
	ASSERT_EQ(0, ctl(&o, "status", "--json", NULL));
	ASSERT_EQ(0, json_valid(o.out)) {
		TH_LOG("%s", o.out);
	}
	EXPECT_STREQ("false", json_get(o.out, "locked", v, sizeof(v)));
	EXPECT_STREQ(u.release, json_get(o.out, "kernel", v, sizeof(v)));

	ASSERT_EQ(0, ctl(&o, "load", self->policy, NULL));
	ASSERT_EQ(0, ctl(&o, "status", "--json", NULL));
	ASSERT_EQ(0, json_valid(o.out));
	EXPECT_STREQ("false", json_get(o.out, "locked", v, sizeof(v)));
	EXPECT_STREQ("1", json_get(o.out, "subjects", v, sizeof(v)));
	EXPECT_STREQ("enforce", json_get(o.out, "mode", v, sizeof(v)));
	EXPECT_STREQ("UNCLASSIFIED", json_get(o.out, "default", v, sizeof(v)));
	EXPECT_NE(NULL, json_get(o.out, "events_lost", v, sizeof(v)));
	EXPECT_NE(NULL, strstr(o.out, "\"routes\":[{\"route\":\"open\","));

	/* Per-route counters move with a denial. */
	EXPECT_EQ(EACCES, run(SCANNER, "open", TMP "/secret", "r", NULL));
	ASSERT_EQ(0, ctl(&o, "status", NULL));
	EXPECT_NE(NULL, strstr(o.out, "\nlocked:         no\n"));
	EXPECT_NE(NULL, strstr(o.out, "  open           denied 1, audited 0\n")) {
		TH_LOG("%s", o.out);
	}
	snprintf(v, sizeof(v), "kernel:         %s\n", u.release);
	EXPECT_EQ(0, strncmp(o.out, v, strlen(v)));

	ASSERT_EQ(0, read_text(SECFS_STATUS, secfs, sizeof(secfs)));
	EXPECT_NE(NULL, strstr(secfs, "\nlocked: no\n"));
	EXPECT_NE(NULL, strstr(secfs, "\nsubjects: 1\n"));
	EXPECT_NE(NULL, strstr(secfs, "\nroute open: denied 1 audited 0\n"));
	snprintf(v, sizeof(v), "\nkernel: %s\n", u.release);
	EXPECT_NE(NULL, strstr(secfs, v));
}

/* Format "MAJOR:MINOR ino N" of a file, as the kernel resolves it. */
static int file_id(const char *path, char *buf, size_t size)
{
	struct stat sb;

	if (stat(path, &sb))
		return -errno;
	snprintf(buf, size, "%u:%u ino %llu", major(sb.st_dev),
		 minor(sb.st_dev), (unsigned long long)sb.st_ino);
	return 0;
}

/*
 * The subject list with what each path was resolved to, and refusals
 * counted by the level of the file, agree in JSON, text and securityfs.
 */
TEST_F(ctl, status_subjects_and_levels)
{
	char id_scanner[64], id_agent[64], want[512], *p;
	char secfs[16384];

	ASSERT_EQ(0, write_file(TMP "/top", "top\n"));
	ASSERT_EQ(0, set_label(TMP "/top", "TOP-SECRET"));
	ASSERT_EQ(0, write_policy("two.conf",
				  LEVELS "default UNCLASSIFIED\nmode enforce\n"
				  "subject " SCANNER " OFFICIAL\n"
				  "subject " TMP "/bin/agent SECRET allow=ptrace\n",
				  self->policy, sizeof(self->policy)));
	ASSERT_EQ(0, ctl(&o, "load", self->policy, NULL));
	ASSERT_EQ(0, file_id(SCANNER, id_scanner, sizeof(id_scanner)));
	ASSERT_EQ(0, file_id(TMP "/bin/agent", id_agent, sizeof(id_agent)));

	/* One denial at SECRET, one at TOP-SECRET, one audited TOP-SECRET. */
	EXPECT_EQ(EACCES, run(SCANNER, "open", TMP "/secret", "r", NULL));
	EXPECT_EQ(EACCES, run(SCANNER, "open", TMP "/top", "r", NULL));
	ASSERT_EQ(0, ctl(&o, "mode", "audit", NULL));
	EXPECT_EQ(0, run(SCANNER, "open", TMP "/top", "r", NULL));

	ASSERT_EQ(0, ctl(&o, "status", "--json", NULL));
	ASSERT_EQ(0, json_valid(o.out)) {
		TH_LOG("%s", o.out);
	}
	EXPECT_NE(NULL, strstr(o.out, "\"level_stats\":["
			       "{\"level\":\"UNCLASSIFIED\",\"denied\":0,\"audited\":0},"
			       "{\"level\":\"OFFICIAL\",\"denied\":0,\"audited\":0},"
			       "{\"level\":\"SECRET\",\"denied\":1,\"audited\":0},"
			       "{\"level\":\"TOP-SECRET\",\"denied\":1,\"audited\":1}]")) {
		TH_LOG("%s", o.out);
	}
	p = strchr(id_scanner, ' ');
	*p = '\0';
	snprintf(want, sizeof(want),
		 "{\"path\":\"" SCANNER "\",\"clearance\":\"OFFICIAL\","
		 "\"allow\":\"\",\"dev\":\"%s\",\"ino\":%s,"
		 "\"write\":[],\"connect\":[]}",
		 id_scanner, p + 5);
	EXPECT_NE(NULL, strstr(o.out, want)) {
		TH_LOG("want %s in %s", want, o.out);
	}
	*p = ' ';
	EXPECT_NE(NULL, strstr(o.out, "\"subject_list_complete\":true"));

	ASSERT_EQ(0, ctl(&o, "status", NULL));
	snprintf(want, sizeof(want), "\n  " SCANNER " OFFICIAL dev %s\n"
		 "  " TMP "/bin/agent SECRET dev %s allow=ptrace\n",
		 id_scanner, id_agent);
	EXPECT_NE(NULL, strstr(o.out, want)) {
		TH_LOG("want %s in %s", want, o.out);
	}
	EXPECT_NE(NULL, strstr(o.out, "\n  TOP-SECRET     denied 1, audited 1\n")) {
		TH_LOG("%s", o.out);
	}

	ASSERT_EQ(0, read_text(SECFS_STATUS, secfs, sizeof(secfs)));
	EXPECT_NE(NULL, strstr(secfs, "\nlevel SECRET: denied 1 audited 0\n"));
	EXPECT_NE(NULL, strstr(secfs, "\nlevel TOP-SECRET: denied 1 audited 1\n"));
	snprintf(want, sizeof(want),
		 "\nsubject " SCANNER ": clearance OFFICIAL dev %s allow none"
		 " write none connect none\n"
		 "subject " TMP "/bin/agent: clearance SECRET dev %s allow ptrace"
		 " write none connect none\n",
		 id_scanner, id_agent);
	EXPECT_NE(NULL, strstr(secfs, want)) {
		TH_LOG("want %s in %s", want, secfs);
	}

	/* The counters belong to the policy: a new load starts at zero. */
	ASSERT_EQ(0, ctl(&o, "load", self->policy, NULL));
	ASSERT_EQ(0, read_text(SECFS_STATUS, secfs, sizeof(secfs)));
	EXPECT_NE(NULL, strstr(secfs, "\nlevel TOP-SECRET: denied 0 audited 0\n")) {
		TH_LOG("%s", secfs);
	}
}

static void fill_want(struct nlmsghdr *n, const void *arg)
{
	avf_nl_put_u32(n, AVFENCE_A_STATUS_WANT, *(const uint32_t *)arg);
}

/* The subject list only when asked for; unknown wishes are refused
 * (NLA_POLICY_MASK).
 */
TEST_F(ctl, status_want_flags)
{
	static char reply[AVF_NL_BUF];
	uint32_t want;
	int len = 0;

	ASSERT_EQ(0, ctl(&o, "load", self->policy, NULL));
	ASSERT_EQ(0, avf_nl_do(AVFENCE_CMD_GET_STATUS, NULL, NULL, reply, &len));
	EXPECT_EQ(NULL, memmem(reply, len, SCANNER, strlen(SCANNER)));
	want = AVFENCE_STATUS_WANT_SUBJECTS;
	ASSERT_EQ(0, avf_nl_do(AVFENCE_CMD_GET_STATUS, fill_want, &want,
			       reply, &len));
	EXPECT_NE(NULL, memmem(reply, len, SCANNER, strlen(SCANNER)));
	want = __AVFENCE_STATUS_WANT_ALL + 1;	/* the first unknown flag */
	EXPECT_EQ(-EINVAL, avf_nl_do(AVFENCE_CMD_GET_STATUS, fill_want,
				     &want, reply, &len));
}

/* A load with a subject resolved by hand: the identity only comes back. */
static void fill_load_with_ino(struct nlmsghdr *n, const void *arg)
{
	static const char *const levels[] = { "LOW", NULL };
	struct nlattr *nests[2];
	uint64_t ino = 1;

	avf_nl_one_subject(n, levels, SCANNER, "LOW", nests);
	avf_nl_put(n, *(const int *)arg, &ino, sizeof(ino));
	avf_nl_one_subject_end(n, nests);
}

/* Attributes only sent in status replies are refused in requests. */
TEST_F(ctl, status_only_attributes_refused_in_load)
{
	uint64_t gen;
	int type;

	ASSERT_EQ(0, ctl(&o, "load", self->policy, NULL));
	gen = generation();
	type = AVFENCE_SUBJECT_A_INO;
	EXPECT_EQ(-EINVAL, avf_nl_do(AVFENCE_CMD_LOAD_POLICY,
				     fill_load_with_ino, &type, NULL, NULL));
	type = AVFENCE_SUBJECT_A_DEV;
	EXPECT_EQ(-EINVAL, avf_nl_do(AVFENCE_CMD_LOAD_POLICY,
				     fill_load_with_ino, &type, NULL, NULL));
	EXPECT_EQ(gen, generation());
}

TEST_F(ctl, ps_lists_tagged_only)
{
	struct child tagged, plain;
	char v[PATH_MAX], pat[64], *p;
	uint64_t since, now;

	ASSERT_EQ(0, ctl(&o, "load", self->policy, NULL));
	ASSERT_EQ(0, spawn(&tagged, SCANNER, "wait", NULL));
	ASSERT_EQ(0, spawn(&plain, PLAIN, "wait", NULL));
	child_settle(tagged.pid);
	child_settle(plain.pid);

	ASSERT_EQ(0, ctl(&o, "ps", "--json", NULL));
	ASSERT_EQ(0, json_valid(o.out)) {
		TH_LOG("%s", o.out);
	}
	snprintf(pat, sizeof(pat), "{\"pid\":%d,", tagged.pid);
	p = strstr(o.out, pat);
	ASSERT_NE(NULL, p) {
		TH_LOG("%s", o.out);
	}
	EXPECT_STREQ("OFFICIAL", json_get(p, "clearance", v, sizeof(v)));
	EXPECT_STREQ(SCANNER, json_get(p, "exe", v, sizeof(v)));
	EXPECT_STREQ("scanner", json_get(p, "comm", v, sizeof(v)));
	snprintf(pat, sizeof(pat), "%d", tagged.pid);
	EXPECT_STREQ(pat, json_get(p, "tgid", v, sizeof(v)));
	since = parse_iso(json_get(p, "since", v, sizeof(v)));
	now = realtime_ns();
	EXPECT_TRUE(since && since <= now && now - since < 600ull * 1000000000) {
		TH_LOG("since %s", v);
	}
	snprintf(pat, sizeof(pat), "{\"pid\":%d,", plain.pid);
	EXPECT_EQ(NULL, strstr(o.out, pat));

	ASSERT_EQ(0, ctl(&o, "ps", NULL));
	EXPECT_EQ(0, strncmp(o.out, "    PID    TGID CLEARANCE", 25));
	snprintf(pat, sizeof(pat), "\n%7d %7d OFFICIAL ", tagged.pid, tagged.pid);
	EXPECT_NE(NULL, strstr(o.out, pat)) {
		TH_LOG("%s", o.out);
	}
	EXPECT_NE(NULL, strstr(o.out, " scanner " SCANNER "\n"));

	child_go(&tagged);
	child_go(&plain);
	child_wait(&tagged);
	child_wait(&plain);
	ASSERT_EQ(0, ctl(&o, "ps", "--json", NULL));
	EXPECT_STREQ("[]\n", o.out);
}

TEST_F(ctl, dry_run_sends_nothing)
{
	uint64_t gen;

	ASSERT_EQ(0, ctl(&o, "load", self->policy, NULL));
	gen = generation();
	ASSERT_EQ(0, ctl(&o, "load", "--dry-run", self->policy, NULL));
	EXPECT_NE(NULL, strstr(o.out, "dry run, nothing sent"));
	EXPECT_EQ(gen, generation());
	/* A subject that does not resolve fails the dry run too. */
	ASSERT_EQ(0, write_policy("ghost.conf", LEVELS "default UNCLASSIFIED\n"
				  "mode enforce\nsubject /opt/av/bin/ghost OFFICIAL\n",
				  self->policy, sizeof(self->policy)));
	EXPECT_EQ(1, ctl(&o, "load", "--dry-run", self->policy, NULL));
	EXPECT_NE(NULL, strstr(o.err, "ghost.conf:4:9: subject path '/opt/av/bin/ghost': No such file or directory"));
	EXPECT_EQ(gen, generation());
}

/* Each of these is refused with exit status 1 and leaves the policy alone. */
TEST_F(ctl, bad_input_changes_nothing)
{
	static const struct {
		const char *name, *text, *msg;
	} bad[] = {
		{ "dup-level.conf", "levels A B A\ndefault A\nmode enforce\n",
		  ":1:12: duplicate level 'A'" },
		{ "unknown-level.conf", "levels A B\ndefault C\nmode enforce\n",
		  ":2:9: unknown level 'C'" },
		{ "unknown-clearance.conf", "levels A B\ndefault A\nmode enforce\n"
		  "subject " SCANNER " SECRET\n", ":4:29: unknown level 'SECRET'" },
		{ "dir-subject.conf", "levels A B\ndefault A\nmode enforce\n"
		  "subject /tmp B\n", ":4:9: subject path '/tmp' is not a regular file" },
		{ "missing-subject.conf", "levels A B\ndefault A\nmode enforce\n"
		  "subject /opt/av/bin/none B\n", "No such file or directory" },
		{ "same-file.conf", "levels A B\ndefault A\nmode enforce\n"
		  "subject " SCANNER " B\nsubject /opt/av/../av/bin/scanner B\n",
		  "is the same file as" },
		{ "empty.conf", "", "missing 'levels' directive" },
	};
	char hex[80], after[80];
	uint64_t gen;
	size_t i;

	ASSERT_EQ(0, ctl(&o, "load", self->policy, NULL));
	gen = generation();
	ASSERT_EQ(0, status_digest(hex));
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		ASSERT_EQ(0, write_policy(bad[i].name, bad[i].text,
					  self->policy, sizeof(self->policy)));
		EXPECT_EQ(1, ctl(&o, "load", self->policy, NULL));
		EXPECT_NE(NULL, strstr(o.err, bad[i].msg)) {
			TH_LOG("%s: %s", bad[i].name, o.err);
		}
		EXPECT_NE(NULL, strstr(o.err, "nothing loaded"));
	}
	EXPECT_EQ(1, ctl(&o, "load", POLICY_DIR "/does-not-exist.conf", NULL));
	EXPECT_NE(NULL, strstr(o.err, "No such file or directory"));
	EXPECT_EQ(1, ctl(&o, "load", POLICY_DIR, NULL));
	EXPECT_EQ(1, ctl(&o, "frobnicate", NULL));
	EXPECT_EQ(1, ctl(&o, "load", "--force", self->policy, NULL));
	EXPECT_EQ(1, ctl(&o, "mode", "permissive", NULL));
	EXPECT_EQ(1, ctl(&o, "lock", "--now", NULL));
	EXPECT_EQ(gen, generation());
	ASSERT_EQ(0, status_digest(after));
	EXPECT_STREQ(hex, after);
	ASSERT_EQ(0, ctl(&o, "status", "--json", NULL));
	EXPECT_NE(NULL, strstr(o.out, "\"mode\":\"enforce\""));
	EXPECT_NE(NULL, strstr(o.out, "\"locked\":false"));
	/* The fence held throughout. */
	EXPECT_EQ(EACCES, run(SCANNER, "open", TMP "/secret", "r", NULL));
}

/* A path of exactly @len bytes under TMP "/deep"; with @create, a file. */
static int deep_path(char *path, size_t len, bool create)
{
	size_t n = strlen(TMP "/deep");
	char *slash;
	int fd;

	strcpy(path, TMP "/deep");
	/* components of 255 bytes, the most a name may have */
	while (len - n > 256) {
		path[n++] = '/';
		memset(path + n, 'd', 255);
		n += 255;
	}
	path[n++] = '/';
	memset(path + n, 'f', len - n);
	path[len] = '\0';
	if (!create)
		return 0;
	slash = strrchr(path, '/');
	*slash = '\0';
	if (mkdirs(path))
		return -errno;
	*slash = '/';
	fd = open(path, O_WRONLY | O_CREAT | O_CLOEXEC, 0755);
	if (fd < 0)
		return -errno;
	close(fd);
	return 0;
}

/*
 * Every limit of Documentation/policy.rst at once, as the kernel sees it:
 * 32 levels of 63-byte names and a 4095-byte subject path load, and the
 * kernel's digest is check's; one past any of them is refused and changes
 * nothing.
 */
TEST_F(ctl, limits_at_the_edge)
{
	static char text[16384], more[16384], path[PATH_MAX + 1];
	char want[80], got[80], name[80], *nl;
	size_t n = 0;
	uint64_t gen;
	int i;

	ASSERT_EQ(0, deep_path(path, AVFENCE_PATH_MAX - 1, true));
	n += sprintf(text + n, "levels");
	for (i = 0; i < AVFENCE_LEVELS_MAX; i++) {
		/* 63 bytes: "L", two digits, dashes */
		snprintf(name, sizeof(name), "L%02d", i);
		memset(name + 3, '-', AVFENCE_LEVEL_NAME_MAX - 1 - 3);
		name[AVFENCE_LEVEL_NAME_MAX - 1] = '\0';
		n += sprintf(text + n, " %s", name);
	}
	n += sprintf(text + n, "\ndefault %s\nmode enforce\nsubject %s %s\n",
		     name, path, name);
	ASSERT_EQ(0, write_policy("edge.conf", text, self->policy,
				  sizeof(self->policy)));
	ASSERT_EQ(0, check_digest(self->policy, want));
	ASSERT_EQ(0, ctl(&o, "load", self->policy, NULL)) {
		TH_LOG("%s", o.err);
	}
	ASSERT_EQ(0, status_digest(got));
	EXPECT_STREQ(want, got);
	gen = generation();

	/* A 33rd level. */
	nl = strchr(text, '\n');
	snprintf(more, sizeof(more), "%.*s X%s", (int)(nl - text), text, nl);
	ASSERT_EQ(0, write_policy("33.conf", more, self->policy,
				  sizeof(self->policy)));
	EXPECT_EQ(1, ctl(&o, "load", self->policy, NULL));
	EXPECT_NE(NULL, strstr(o.err, "too many levels (limit 32)"));
	/* A 64-byte level name. */
	memset(name, 'N', AVFENCE_LEVEL_NAME_MAX);
	name[AVFENCE_LEVEL_NAME_MAX] = '\0';
	snprintf(more, sizeof(more), "levels A %s\ndefault A\nmode enforce\n",
		 name);
	ASSERT_EQ(0, write_policy("64.conf", more, self->policy,
				  sizeof(self->policy)));
	EXPECT_EQ(1, ctl(&o, "load", self->policy, NULL));
	EXPECT_NE(NULL, strstr(o.err, "invalid level name"));
	/* A 4096-byte path (no such file can exist: PATH_MAX counts the NUL). */
	ASSERT_EQ(0, deep_path(path, AVFENCE_PATH_MAX, false));
	snprintf(more, sizeof(more), LEVELS "default UNCLASSIFIED\n"
		 "mode enforce\nsubject %s OFFICIAL\n", path);
	ASSERT_EQ(0, write_policy("4096.conf", more, self->policy,
				  sizeof(self->policy)));
	EXPECT_EQ(1, ctl(&o, "load", self->policy, NULL));
	EXPECT_NE(NULL, strstr(o.err, "subject path too long (4096 bytes, limit 4095)"));
	EXPECT_EQ(gen, generation());
	ASSERT_EQ(0, status_digest(got));
	EXPECT_STREQ(want, got);
}

static int make_many(int n)
{
	char path[64];
	int i, fd;

	if (mkdirs(TMP "/many"))
		return -errno;
	for (i = 0; i < n; i++) {
		snprintf(path, sizeof(path), TMP "/many/s%d", i);
		fd = open(path, O_WRONLY | O_CREAT | O_CLOEXEC, 0755);
		if (fd < 0)
			return -errno;
		close(fd);
	}
	return 0;
}

static int write_many(const char *path, int n)
{
	FILE *f = fopen(path, "w");
	int i;

	if (!f)
		return -errno;
	fprintf(f, LEVELS "default UNCLASSIFIED\nmode enforce\n");
	for (i = 0; i < n; i++)
		fprintf(f, "subject " TMP "/many/s%d %s\n", i,
			i % 2 ? "OFFICIAL" : "SECRET");
	return fclose(f) ? -errno : 0;
}

/*
 * AVFENCE_SUBJECTS_MAX subjects need about 800 KiB of request, split over
 * a dozen AVFENCE_A_SUBJECTS attributes; one more is refused before
 * anything is sent.
 */
TEST_F_TIMEOUT(ctl, limit_16384_subjects, 900)
{
	char want[80], got[80];
	struct avf_status st;
	uint64_t gen, t0;

	t0 = realtime_ns();
	ASSERT_EQ(0, make_many(AVFENCE_SUBJECTS_MAX + 1));
	ASSERT_EQ(0, write_many(POLICY_DIR "/max.conf", AVFENCE_SUBJECTS_MAX));
	ASSERT_EQ(0, check_digest(POLICY_DIR "/max.conf", want));
	TH_LOG("files and check: %llu ms",
	       (unsigned long long)(realtime_ns() - t0) / 1000000);
	t0 = realtime_ns();
	ASSERT_EQ(0, ctl(&o, "load", POLICY_DIR "/max.conf", NULL)) {
		TH_LOG("%s", o.err);
	}
	TH_LOG("load of 16384 subjects: %llu ms",
	       (unsigned long long)(realtime_ns() - t0) / 1000000);
	EXPECT_NE(NULL, strstr(o.out, "16384 subjects"));
	ASSERT_EQ(0, avf_get_status(&st));
	EXPECT_EQ(AVFENCE_SUBJECTS_MAX, st.subject_count);
	ASSERT_EQ(0, status_digest(got));
	EXPECT_STREQ(want, got);
	/* The subject list of GET_STATUS stops at its size cap, and says so. */
	EXPECT_NE(NULL, strstr(o.out, "\"subject_list_complete\":false"));
	EXPECT_NE(NULL, strstr(o.out, "\"subject_list\":[{\"path\":\"" TMP "/many/s"));
	ASSERT_EQ(0, ctl(&o, "status", NULL));
	EXPECT_NE(NULL, strstr(o.out, " more not listed: the reply is limited to 64 KiB;\n")) {
		TH_LOG("%s", o.out);
	}
	gen = generation();

	ASSERT_EQ(0, write_many(POLICY_DIR "/over.conf", AVFENCE_SUBJECTS_MAX + 1));
	EXPECT_EQ(1, ctl(&o, "load", POLICY_DIR "/over.conf", NULL));
	EXPECT_NE(NULL, strstr(o.err, "over.conf:16388:1: too many subjects (limit 16384)")) {
		TH_LOG("%s", o.err);
	}
	EXPECT_EQ(gen, generation());
	ASSERT_EQ(0, avf_get_status(&st));
	EXPECT_EQ(AVFENCE_SUBJECTS_MAX, st.subject_count);
	ASSERT_EQ(0, status_digest(got));
	EXPECT_STREQ(want, got);
}

TEST_HARNESS_MAIN

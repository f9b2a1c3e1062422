// SPDX-License-Identifier: GPL-2.0
/*
 * avfence control tests: who may change the fence (an untagged task with
 * CAP_MAC_ADMIN or CAP_SYS_ADMIN), who may read it (anyone), and the
 * denial log line.
 *
 * TMP (tmpfs)
 * ├── public        UNCLASSIFIED
 * ├── secret        SECRET
 * ├── dir_secret/   SECRET
 * │   └── inner     (inherits SECRET)
 * └── plain         (no label: the default)
 */
#include "common.h"

#define NOBODY "65534"

static const struct tree_entry tree[] = {
	TREE_FILE("public", "public\n", "UNCLASSIFIED"),
	TREE_FILE("secret", "secret\n", "SECRET"),
	TREE_DIR("dir_secret", "SECRET"),
	TREE_FILE("dir_secret/inner", "inner\n", NULL),
	TREE_FILE("plain", "plain\n", NULL),
	{ NULL }
};

FIXTURE(control) {
	uint64_t generation;
};

FIXTURE_SETUP(control)
{
	setup_tree(_metadata, tree, "OFFICIAL");
	self->generation = generation();
}

FIXTURE_TEARDOWN(control)
{
	teardown_tree();
}

TEST_F(control, unprivileged_refused)
{
	EXPECT_EQ(EPERM, run(PLAIN, "setuid", NOBODY, "--", "nl-load", NULL));
	EXPECT_EQ(EPERM, run(PLAIN, "setuid", NOBODY, "--", "nl-mode", "audit", NULL));
	EXPECT_EQ(self->generation, generation());
	EXPECT_EQ(EACCES, run(SCANNER, "open", TMP "/secret", "r", NULL));
}

TEST_F(control, no_capability_refused)
{
	EXPECT_EQ(EPERM, run(PLAIN, "caps", "none", "--", "nl-load", NULL));
	EXPECT_EQ(EPERM, run(PLAIN, "caps", "none", "--", "nl-mode", "audit", NULL));
	EXPECT_EQ(self->generation, generation());
	EXPECT_EQ(EACCES, run(SCANNER, "open", TMP "/secret", "r", NULL));
}

TEST_F(control, cap_mac_admin_enough)
{
	EXPECT_EQ(0, run(PLAIN, "caps", "mac", "--", "nl-mode", "enforce", NULL));
	EXPECT_EQ(0, run(PLAIN, "caps", "mac", "--", "nl-load", NULL));
	EXPECT_EQ(self->generation + 1, generation());
}

TEST_F(control, cap_sys_admin_enough)
{
	EXPECT_EQ(0, run(PLAIN, "caps", "sys", "--", "nl-mode", "enforce", NULL));
	EXPECT_EQ(0, run(PLAIN, "caps", "sys", "--", "nl-load", NULL));
	EXPECT_EQ(self->generation + 1, generation());
}

/* A fenced task may not lower the fence, even as root with every capability. */
TEST_F(control, tagged_root_refused)
{
	EXPECT_EQ(EPERM, run(SCANNER, "nl-load", NULL));
	EXPECT_EQ(EPERM, run(SCANNER, "nl-mode", "audit", NULL));
	EXPECT_EQ(EPERM, run(SCANNER, "fork", "--", "nl-mode", "audit", NULL));
	/* Nor through avfencectl. */
	ASSERT_EQ(0, write_file(TMP "/open.conf", LEVELS "default UNCLASSIFIED\n"
				"mode audit\n"));
	EXPECT_NE(0, run(SCANNER, "exec", AVFENCECTL, "load", TMP "/open.conf", NULL));
	EXPECT_NE(0, run(SCANNER, "exec", AVFENCECTL, "mode", "audit", NULL));
	EXPECT_EQ(self->generation, generation());
	EXPECT_EQ(EACCES, run(SCANNER, "open", TMP "/secret", "r", NULL));
}

TEST_F(control, status_for_anyone)
{
	EXPECT_EQ(0, run(PLAIN, "setuid", NOBODY, "--", "nl-status", NULL));
	EXPECT_EQ(0, run(SCANNER, "nl-status", NULL));
	EXPECT_EQ(0, run(PLAIN, "setuid", NOBODY, "--", "exec", AVFENCECTL, "status", NULL));
}

TEST_F(control, get_label)
{
	struct avf_label_info li;

	ASSERT_EQ(0, avf_get_label(TMP "/secret", &li));
	EXPECT_TRUE(li.has_label);
	EXPECT_STREQ("SECRET", li.label);
	EXPECT_EQ(AVFENCE_LABEL_OWN, li.source);
	EXPECT_STREQ("SECRET", li.effective);

	ASSERT_EQ(0, avf_get_label(TMP "/dir_secret/inner", &li));
	EXPECT_FALSE(li.has_label);
	EXPECT_EQ(AVFENCE_LABEL_INHERITED, li.source);
	EXPECT_STREQ("SECRET", li.effective);

	ASSERT_EQ(0, avf_get_label(TMP "/plain", &li));
	EXPECT_FALSE(li.has_label);
	EXPECT_EQ(AVFENCE_LABEL_DEFAULT, li.source);
	EXPECT_STREQ("UNCLASSIFIED", li.effective);

	EXPECT_EQ(-ENOENT, avf_get_label(TMP "/no-such-file", &li));
	EXPECT_EQ(0, avfencectl("show", TMP "/secret", NULL));
}

/* avfencectl label/unlabel set the xattr the kernel reads. */
TEST_F(control, avfencectl_label)
{
	struct avf_label_info li;

	EXPECT_EQ(0, run(SCANNER, "open", TMP "/plain", "r", NULL));
	ASSERT_EQ(0, avfencectl("label", "SECRET", TMP "/plain", NULL));
	ASSERT_EQ(0, avf_get_label(TMP "/plain", &li));
	EXPECT_STREQ("SECRET", li.effective);
	EXPECT_EQ(EACCES, run(SCANNER, "open", TMP "/plain", "r", NULL));
	ASSERT_EQ(0, avfencectl("unlabel", TMP "/plain", NULL));
	EXPECT_EQ(0, run(SCANNER, "open", TMP "/plain", "r", NULL));
	/* Not a level of the policy: refused. */
	EXPECT_NE(0, avfencectl("label", "COSMIC", TMP "/plain", NULL));
}

/* Search the kernel log records after @fd's position for all of @needles. */
static int kmsg_has(int fd, const char *const *needles)
{
	char rec[2048];
	ssize_t n;
	int i;

	while ((n = read(fd, rec, sizeof(rec) - 1)) > 0 || (n < 0 && errno == EPIPE)) {
		if (n <= 0)
			continue;
		rec[n] = '\0';
		for (i = 0; needles[i] && strstr(rec, needles[i]); i++)
			;
		if (!needles[i])
			return 1;
	}
	return 0;
}

TEST_F(control, denial_logged)
{
	const char *const deny[] = { "avfence: denied open", "comm=scanner",
				     "clearance=OFFICIAL", "label=SECRET",
				     "path=" TMP "/secret", NULL };
	const char *const audit[] = { "avfence: audit open", "comm=scanner",
				      "clearance=OFFICIAL", "label=SECRET",
				      "path=" TMP "/secret", NULL };
	int fd;

	/* Denials are rate-limited (20 per 5 s): start a fresh interval. */
	sleep(6);
	fd = open("/dev/kmsg", O_RDONLY | O_NONBLOCK);
	ASSERT_LE(0, fd);
	ASSERT_LE(0, lseek(fd, 0, SEEK_END));
	EXPECT_EQ(EACCES, run(SCANNER, "open", TMP "/secret", "r", NULL));
	EXPECT_TRUE(kmsg_has(fd, deny));
	ASSERT_EQ(0, avf_set_mode(AVFENCE_MODE_AUDIT));
	EXPECT_EQ(0, run(SCANNER, "open", TMP "/secret", "r", NULL));
	EXPECT_TRUE(kmsg_has(fd, audit));
	close(fd);
}

TEST_HARNESS_MAIN

// SPDX-License-Identifier: GPL-2.0
/*
 * AVFENCE_CMD_GET_TAGGED, the dump behind `avfencectl ps`, never ends
 * early without saying so.  A tagged task whose executable path is nearly
 * PATH_MAX long does not fit the 4 KiB skb of a dump read with a 4 KiB
 * buffer: when it comes first in a later part of the dump, the dump must
 * end with an error, not with NLMSG_DONE as if every task had been listed.
 *
 * TMP (tmpfs)
 * └── d...d/d...d/.../probe   (4,034 bytes of path)
 */
#include "common.h"

#define COMPONENT	200	/* bytes of one directory name */
#define DEPTH		20	/* 4,020 bytes of directories */

FIXTURE(dump) {
	struct child shortexe, longexe;
};

FIXTURE_SETUP(dump)
{
	char name[COMPONENT + 1];
	int i, dirfd;

	ASSERT_EQ(0, mount_tmpfs(TMP));
	ASSERT_EQ(0, load_scanner("enforce", "OFFICIAL"));
	memset(name, 'd', COMPONENT);
	name[COMPONENT] = '\0';
	dirfd = open(TMP, O_PATH | O_DIRECTORY);
	ASSERT_LE(0, dirfd);
	for (i = 0; i < DEPTH; i++) {
		int next;

		ASSERT_EQ(0, mkdirat(dirfd, name, 0755));
		next = openat(dirfd, name, O_PATH | O_DIRECTORY);
		ASSERT_LE(0, next);
		close(dirfd);
		dirfd = next;
	}
	ASSERT_EQ(0, fchdir(dirfd) ? -errno : 0);
	close(dirfd);
	ASSERT_EQ(0, copy_file(PLAIN, "probe", 0755));
	/* First in the task list: fits; then the long one, which does not. */
	ASSERT_EQ(0, spawn(&self->shortexe, SCANNER, "wait", NULL));
	ASSERT_EQ(0, spawn(&self->longexe, SCANNER, "exec", "./probe", "wait",
			   NULL));
	ASSERT_EQ(0, chdir("/"));
	child_settle(self->shortexe.pid);
	child_settle(self->longexe.pid);
}

FIXTURE_TEARDOWN(dump)
{
	child_go(&self->shortexe);
	child_go(&self->longexe);
	child_wait(&self->shortexe);
	child_wait(&self->longexe);
	load_no_subject();
	umount_tmpfs(TMP);
}

/*
 * Dump GET_TAGGED on a fresh socket, every read with a @bufsize buffer (the
 * kernel sizes the dump's later skbs to the reads).  Return the error the
 * dump ended with (0 for a clean NLMSG_DONE; -E2BIG if a read was cut);
 * *@tasks counts the tasks listed and *@saw_long whether
 * one had an executable over 3,000 bytes.
 */
static int dump_tagged(size_t bufsize, int *tasks, int *saw_long)
{
	static struct avf_nl_req req;
	static char buf[65536];
	struct sockaddr_nl sa = { .nl_family = AF_NETLINK };
	uint16_t family = 0;
	int fd, err = -EIO;

	*tasks = 0;
	*saw_long = 0;
	/* The family's id from another socket: its 32 KiB reads would
	 * size this one's skbs.
	 */
	fd = avf_nl_open(&family);
	if (fd < 0)
		return fd;
	close(fd);
	fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_GENERIC);
	if (fd < 0)
		return -errno;
	avf_nl_init(&req, family, AVFENCE_CMD_GET_TAGGED, AVFENCE_GENL_VERSION);
	req.n.nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP;
	req.n.nlmsg_seq = 4242;
	if (sendto(fd, &req, req.n.nlmsg_len, 0, (struct sockaddr *)&sa,
		   sizeof(sa)) < 0)
		goto out;
	for (;;) {
		struct iovec iov = { .iov_base = buf, .iov_len = bufsize };
		struct msghdr mh = { .msg_iov = &iov, .msg_iovlen = 1 };
		ssize_t len = recvmsg(fd, &mh, 0);
		struct nlmsghdr *h;

		if (len < 0) {
			err = -errno;
			goto out;
		}
		if (mh.msg_flags & MSG_TRUNC) {
			err = -E2BIG;	/* the test's mistake, not the dump's */
			goto out;
		}
		for (h = (struct nlmsghdr *)buf; NLMSG_OK(h, len);
		     h = NLMSG_NEXT(h, len)) {
			struct nlattr *tb[AVFENCE_A_MAX + 1];
			struct nlattr *tt[AVFENCE_TASK_A_MAX + 1];

			if (h->nlmsg_type == NLMSG_DONE ||
			    h->nlmsg_type == NLMSG_ERROR) {
				err = *(int *)NLMSG_DATA(h);
				goto out;
			}
			avf_nl_parse(tb, AVFENCE_A_MAX,
				     (struct nlattr *)((char *)NLMSG_DATA(h) +
						       GENL_HDRLEN),
				     h->nlmsg_len - NLMSG_LENGTH(GENL_HDRLEN));
			if (!tb[AVFENCE_A_TASK])
				continue;
			(*tasks)++;
			avf_nl_parse(tt, AVFENCE_TASK_A_MAX,
				     avf_nla_data(tb[AVFENCE_A_TASK]),
				     avf_nla_len(tb[AVFENCE_A_TASK]));
			if (tt[AVFENCE_TASK_A_EXE] &&
			    avf_nla_len(tt[AVFENCE_TASK_A_EXE]) > 3000)
				*saw_long = 1;
		}
	}
out:
	close(fd);
	return err;
}

TEST_F(dump, task_too_big_for_a_dump_skb_is_an_error)
{
	int tasks, saw_long, err;

	err = dump_tagged(4096, &tasks, &saw_long);
	TH_LOG("4 KiB reads: %d tasks, long exe %s, ended with %d", tasks,
	       saw_long ? "listed" : "not listed", err);
	/* The short one first; the long one never fits: the dump says so. */
	EXPECT_EQ(-EMSGSIZE, err);
	EXPECT_EQ(1, tasks);
	EXPECT_FALSE(saw_long);
	/* With room for it, the same dump lists both, cleanly. */
	err = dump_tagged(32768, &tasks, &saw_long);
	EXPECT_EQ(0, err);
	EXPECT_EQ(2, tasks);
	EXPECT_TRUE(saw_long);
}

TEST_HARNESS_MAIN

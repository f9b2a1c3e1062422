// SPDX-License-Identifier: GPL-2.0
/*
 * Netlink permissions are the family's, not each handler's: every command
 * the module registers that is not one of the read-only ones below is
 * refused with EPERM to a caller without CAP_MAC_ADMIN/CAP_SYS_ADMIN,
 * before any attribute is looked at.  The commands are listed from the
 * kernel (CTRL_CMD_GETFAMILY), so a command added later is checked too.
 */
#include <sys/wait.h>

#include "common.h"
#include "genl.h"

/* Anyone may ask these. */
static int read_only(uint32_t cmd)
{
	return cmd == AVFENCE_CMD_GET_STATUS || cmd == AVFENCE_CMD_GET_LABEL ||
	       cmd == AVFENCE_CMD_GET_TAGGED;
}

/* The commands of the family that have a doit handler; their count. */
static int family_cmds(uint32_t *cmds, int max)
{
	static char reply[AVF_NL_BUF];
	struct nlattr *tb[CTRL_ATTR_MAX + 1], *op, *ot[CTRL_ATTR_OP_MAX + 1];
	int fd, err, len = 0, l, n = 0;

	fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_GENERIC);
	if (fd < 0)
		return -errno;
	err = avf_nl_get_family(fd, reply, &len);
	close(fd);
	if (err)
		return err;
	avf_nl_parse(tb, CTRL_ATTR_MAX, (struct nlattr *)reply, len);
	if (!tb[CTRL_ATTR_OPS])
		return -ENOENT;
	op = avf_nla_data(tb[CTRL_ATTR_OPS]);
	l = avf_nla_len(tb[CTRL_ATTR_OPS]);
	while (l >= NLA_HDRLEN && op->nla_len >= NLA_HDRLEN && op->nla_len <= l) {
		avf_nl_parse(ot, CTRL_ATTR_OP_MAX, avf_nla_data(op),
			     avf_nla_len(op));
		if (ot[CTRL_ATTR_OP_ID] && n < max &&
		    (!ot[CTRL_ATTR_OP_FLAGS] ||
		     (*(uint32_t *)avf_nla_data(ot[CTRL_ATTR_OP_FLAGS]) &
		      GENL_CMD_CAP_DO)))
			cmds[n++] = *(uint32_t *)avf_nla_data(ot[CTRL_ATTR_OP_ID]);
		l -= NLA_ALIGN(op->nla_len);
		op = (struct nlattr *)((char *)op + NLA_ALIGN(op->nla_len));
	}
	return n;
}

/* Send @cmd with no attributes as uid 65534 without capabilities. */
static int as_nobody(uint32_t cmd)
{
	int st, fds[2], err = -EIO;
	pid_t pid;

	if (pipe(fds))
		return -errno;
	pid = fork();
	if (pid == 0) {
		err = -EIO;
		if (!setresgid(65534, 65534, 65534) &&
		    !setresuid(65534, 65534, 65534))
			err = avf_nl_do(cmd, NULL, NULL, NULL, NULL);
		if (write(fds[1], &err, sizeof(err)) != sizeof(err))
			_exit(1);
		_exit(0);
	}
	close(fds[1]);
	if (pid < 0 || read(fds[0], &err, sizeof(err)) != sizeof(err))
		err = -EIO;
	close(fds[0]);
	waitpid(pid, &st, 0);
	return err;
}

TEST(mutating_commands_need_admin)
{
	uint32_t cmds[64];
	int n, i, checked = 0;

	ASSERT_EQ(0, load_no_subject());
	n = family_cmds(cmds, 64);
	ASSERT_LT(0, n);
	for (i = 0; i < n; i++) {
		if (read_only(cmds[i]))
			continue;
		checked++;
		EXPECT_EQ(-EPERM, as_nobody(cmds[i])) {
			TH_LOG("command %u answered an unprivileged caller",
			       cmds[i]);
		}
	}
	/* At least LOAD_POLICY, SET_MODE and LOCK. */
	EXPECT_LE(3, checked);
	/* The read-only ones answer (GET_LABEL needs a path: EINVAL). */
	EXPECT_EQ(0, as_nobody(AVFENCE_CMD_GET_STATUS));
	EXPECT_EQ(-EINVAL, as_nobody(AVFENCE_CMD_GET_LABEL));
	/* Nothing changed: the policy is still loaded, unlocked. */
	EXPECT_EQ(0, load_no_subject());
}

TEST_HARNESS_MAIN

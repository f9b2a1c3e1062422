// SPDX-License-Identifier: GPL-2.0
/*
 * avfencectl monitor [--json] [--rcvbuf BYTES]
 *
 * Subscribe to the avfence multicast group and print every event as it
 * arrives: denials, audited accesses, policy loads, mode changes, locks.
 * The kernel never waits for a listener, so a slow one loses events; that
 * shows as a gap in the sequence numbers, or as ENOBUFS from recv() when
 * the socket buffer overflowed, and is reported as a "lost" record.
 *
 * The socket is read directly rather than through nl_recvmsgs(): libnl
 * retries on EINTR and reports ENOBUFS as NLE_NOMEM, and both matter here.
 * SIGINT and SIGTERM arrive through a signalfd, so the loop ends cleanly
 * wherever the signal lands.  The module may be unloaded and loaded again
 * while we listen: generic netlink's own notifications (nlctrl "notify")
 * say so, and the group is joined again.
 */
#include <errno.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <linux/genetlink.h>
#include <linux/netlink.h>
#include <netlink/genl/ctrl.h>
#include <netlink/genl/genl.h>
#include <netlink/netlink.h>
#include <netlink/socket.h>

#include "avfencectl.h"
#include "events.h"

#ifndef SOL_NETLINK
#define SOL_NETLINK 270
#endif

#define RCVBUF_DEFAULT	(4 << 20)
#define RECV_BUF	(256 << 10)	/* events are a few KiB at most */

struct monitor {
	struct nl_sock *sk;
	int fd;
	int family;		/* avfence family id, -1 while unloaded */
	int ctrl_group;		/* nlctrl "notify", or -1 */
	bool json;
	struct avf_event_seq seq;
	unsigned long long events, lost;
};

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + ts.tv_nsec;
}

static void report_loss(struct monitor *m, uint64_t count, uint64_t first,
			bool overrun)
{
	struct avf_event_loss loss = {
		.time = now_ns(), .count = count, .first_seq = first,
		.overrun = overrun,
	};

	m->lost += count;
	if (m->json)
		event_loss_json(stdout, &loss);
	else
		event_loss_text(stdout, &loss);
}

/* Look up the avfence family and its event group on a fresh socket. */
static int resolve(int *family, int *group)
{
	struct nl_sock *sk = nl_socket_alloc();
	int ret;

	if (!sk)
		return -ENOMEM;
	ret = genl_connect(sk);
	if (!ret) {
		ret = *family = genl_ctrl_resolve(sk, AVFENCE_GENL_NAME);
		if (ret >= 0)
			ret = *group = genl_ctrl_resolve_grp(sk,
							     AVFENCE_GENL_NAME,
							     AVFENCE_MCGRP_EVENTS);
	}
	nl_socket_free(sk);
	return ret < 0 ? ret : 0;
}

static int subscribe(struct monitor *m)
{
	int family = -1, group = -1, ret;

	ret = resolve(&family, &group);
	if (ret)
		return ret;
	ret = nl_socket_add_membership(m->sk, group);
	if (ret)
		return ret;
	m->family = family;
	return 0;
}

static struct nla_policy top_policy[AVFENCE_A_MAX + 1] = {
	[AVFENCE_A_EVENT] = { .type = NLA_NESTED },
};

static void handle_event(struct monitor *m, struct nlmsghdr *nlh)
{
	struct nlattr *tb[AVFENCE_A_MAX + 1];
	struct avf_event_rec ev;
	struct genlmsghdr *g = nlmsg_data(nlh);
	uint64_t first = 0, lost;

	if (!genlmsg_valid_hdr(nlh, 0) || g->cmd != AVFENCE_CMD_EVENT)
		return;
	if (genlmsg_parse(nlh, 0, tb, AVFENCE_A_MAX, top_policy) ||
	    !tb[AVFENCE_A_EVENT] || event_parse(tb[AVFENCE_A_EVENT], &ev)) {
		fprintf(stderr, "%s: monitor: malformed event skipped\n", prog);
		return;
	}
	if (ev.has_seq) {
		lost = event_seq_check(&m->seq, ev.seq, &first);
		if (lost)
			report_loss(m, lost, first, false);
	}
	m->events++;
	if (m->json)
		event_print_json(stdout, &ev);
	else
		event_print_text(stdout, &ev);
}

/* nlctrl notifications: follow the module being unloaded and reloaded. */
static void handle_ctrl(struct monitor *m, struct nlmsghdr *nlh)
{
	struct nlattr *tb[CTRL_ATTR_MAX + 1];
	struct genlmsghdr *g = nlmsg_data(nlh);
	const char *name;

	if (!genlmsg_valid_hdr(nlh, 0) ||
	    genlmsg_parse(nlh, 0, tb, CTRL_ATTR_MAX, NULL) ||
	    !tb[CTRL_ATTR_FAMILY_NAME])
		return;
	name = nla_data(tb[CTRL_ATTR_FAMILY_NAME]);
	if (strncmp(name, AVFENCE_GENL_NAME, nla_len(tb[CTRL_ATTR_FAMILY_NAME])))
		return;
	if (g->cmd == CTRL_CMD_DELFAMILY && m->family >= 0) {
		fprintf(stderr, "%s: monitor: avfence module unloaded; waiting for it\n",
			prog);
		m->family = -1;
	} else if (g->cmd == CTRL_CMD_NEWMCAST_GRP && m->family < 0) {
		if (subscribe(m))
			return;
		/* A new module counts from 1 again. */
		memset(&m->seq, 0, sizeof(m->seq));
		fprintf(stderr, "%s: monitor: avfence module loaded; listening again\n",
			prog);
	}
}

/* Read and print what one recv() brings.  Return 0 or a negative errno. */
static int receive(struct monitor *m, char *buf)
{
	struct sockaddr_nl from;
	struct iovec iov = { buf, RECV_BUF };
	struct msghdr mh = {
		.msg_name = &from, .msg_namelen = sizeof(from),
		.msg_iov = &iov, .msg_iovlen = 1,
	};
	struct nlmsghdr *nlh;
	ssize_t n;

	n = recvmsg(m->fd, &mh, MSG_DONTWAIT);
	if (n < 0) {
		if (errno == EAGAIN || errno == EINTR)
			return 0;
		if (errno == ENOBUFS) {
			/* The count shows in the next event's sequence gap. */
			report_loss(m, 0, 0, true);
			return 0;
		}
		return -errno;
	}
	if (from.nl_pid != 0)
		return 0;		/* only the kernel speaks here */
	if (mh.msg_flags & MSG_TRUNC) {
		fprintf(stderr, "%s: monitor: oversized message skipped\n",
			prog);
		return 0;
	}
	for (nlh = (struct nlmsghdr *)buf; NLMSG_OK(nlh, n);
	     nlh = NLMSG_NEXT(nlh, n)) {
		if (m->family >= 0 && nlh->nlmsg_type == m->family)
			handle_event(m, nlh);
		else if (nlh->nlmsg_type == GENL_ID_CTRL)
			handle_ctrl(m, nlh);
	}
	return 0;
}

static int set_rcvbuf(int fd, int bytes)
{
	if (setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &bytes, sizeof(bytes)) &&
	    setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &bytes, sizeof(bytes)))
		return -errno;
	return 0;
}

static int parse_size(const char *s, int *out)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(s, &end, 10);
	if (errno || end == s || v <= 0 || v > INT_MAX / 2)
		return -EINVAL;
	if (*end == 'K' || *end == 'k')
		v <<= 10, end++;
	else if (*end == 'M' || *end == 'm')
		v <<= 20, end++;
	if (*end || v > INT_MAX / 2)
		return -EINVAL;
	*out = (int)v;
	return 0;
}

static int open_monitor(struct monitor *m, int rcvbuf)
{
	int one = 1, group, ret;

	m->sk = nl_socket_alloc();
	if (!m->sk)
		return -NLE_NOMEM;
	/* Multicast carries no sequence numbers and wants no acks. */
	nl_socket_disable_seq_check(m->sk);
	nl_socket_disable_auto_ack(m->sk);
	ret = genl_connect(m->sk);
	if (ret)
		return ret;
	m->fd = nl_socket_get_fd(m->sk);
	/* Before any event can arrive: the lookup is a request on this socket. */
	group = genl_ctrl_resolve_grp(m->sk, "nlctrl", "notify");
	m->ctrl_group = group >= 0 && !nl_socket_add_membership(m->sk, group) ?
			group : -1;
	ret = subscribe(m);
	if (ret)
		return ret;
	if (set_rcvbuf(m->fd, rcvbuf))
		fprintf(stderr, "%s: monitor: cannot set the receive buffer: %s\n",
			prog, strerror(errno));
	/* Broadcasts to a full socket fail loudly (ENOBUFS), not quietly. */
	setsockopt(m->fd, SOL_NETLINK, NETLINK_BROADCAST_ERROR, &one,
		   sizeof(one));
	return 0;
}

enum { OPT_JSON = OPT_LONG, OPT_RCVBUF };

static const struct option monitor_options[] = {
	{ "json", no_argument, NULL, OPT_JSON },
	{ "rcvbuf", required_argument, NULL, OPT_RCVBUF },
	OPT_END
};

int monitor_main(int argc, char **argv)
{
	struct monitor m = { .fd = -1, .family = -1, .ctrl_group = -1 };
	int rcvbuf = RCVBUF_DEFAULT, sfd, c, ret, status = 0;
	struct pollfd pfd[2];
	sigset_t mask;
	char *buf;

	while ((c = command_getopt(argc, argv, "", monitor_options)) != -1) {
		if (c == OPT_JSON)
			m.json = true;
		else if (c == OPT_RCVBUF && parse_size(optarg, &rcvbuf))
			return command_usage_error("monitor",
						   "bad size '%s' (bytes, or with K or M)",
						   optarg);
	}
	if (optind < argc)
		return command_usage_error("monitor",
					   "unexpected argument '%s'",
					   argv[optind]);

	/* Block the signals first: one arriving early waits in the signalfd. */
	sigemptyset(&mask);
	sigaddset(&mask, SIGINT);
	sigaddset(&mask, SIGTERM);
	sigprocmask(SIG_BLOCK, &mask, NULL);
	sfd = signalfd(-1, &mask, SFD_CLOEXEC);
	buf = malloc(RECV_BUF);
	if (sfd < 0 || !buf) {
		fprintf(stderr, "%s: monitor: %s\n", prog, strerror(errno));
		free(buf);
		return 1;
	}
	ret = open_monitor(&m, rcvbuf);
	if (ret) {
		if (ret == -NLE_OBJ_NOTFOUND && m.family < 0)
			fprintf(stderr,
				"%s: monitor: avfence module not loaded, or it has no '%s' event group\n",
				prog, AVFENCE_MCGRP_EVENTS);
		else
			fprintf(stderr, "%s: monitor: cannot subscribe: %s\n",
				prog, nl_geterror(ret));
		status = 1;
		goto out;
	}
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (isatty(STDERR_FILENO))
		fprintf(stderr, "%s: monitor: listening (Ctrl-C to stop)\n",
			prog);

	pfd[0] = (struct pollfd){ .fd = m.fd, .events = POLLIN };
	pfd[1] = (struct pollfd){ .fd = sfd, .events = POLLIN };
	for (;;) {
		if (poll(pfd, 2, -1) < 0) {
			if (errno == EINTR)
				continue;
			fprintf(stderr, "%s: monitor: poll: %s\n", prog,
				strerror(errno));
			status = 1;
			break;
		}
		if (pfd[1].revents)
			break;		/* SIGINT or SIGTERM: a clean end */
		if (pfd[0].revents) {
			ret = receive(&m, buf);
			if (ret) {
				fprintf(stderr, "%s: monitor: recv: %s\n",
					prog, strerror(-ret));
				status = 1;
				break;
			}
		}
		if (ferror(stdout)) {
			status = 1;	/* e.g. the disk is full */
			break;
		}
	}
out:
	if (fflush(stdout) == EOF)
		status = 1;
	if (m.sk)
		nl_socket_free(m.sk);
	close(sfd);
	free(buf);
	return status;
}

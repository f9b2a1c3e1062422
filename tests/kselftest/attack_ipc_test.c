// SPDX-License-Identifier: GPL-2.0
/*
 * avfence deputies on unix sockets (issue 12, item 3): a fenced root agent
 * that may not read TMP/secret asks an untagged root service to read it,
 * as `systemd-run --pipe cat FILE` asks PID 1 over D-Bus.  The deputy here
 * is a process the test forks (untagged): it listens on a path socket, an
 * abstract one and a datagram socket, and answers each request (a file
 * name) with the file's contents.
 *
 * A tagged agent may not connect or send to it (EACCES, route "connect")
 * unless its subject lists the socket in connect=; the same agent run
 * untagged (the control) gets the secret.  The name is the deputy's own
 * binding: a hard link or a symlink to its socket is the same socket.
 * Between tagged tasks: a connection joins equal clearances only, a
 * datagram goes up or level, never down.  Loopback TCP is not fenced
 * (Documentation/threat-model.rst): the control of that decision.
 *
 * TMP (tmpfs)
 * ├── secret        SECRET, CANARY_LINE
 * ├── deputy.sock   stream, the deputy's
 * ├── deputy.dgram  datagram, the deputy's
 * ├── link.sock     a hard link to deputy.sock
 * ├── sym.sock      a symlink to deputy.sock
 * └── agent.sock    an agent's own listener
 * @avf-deputy       abstract stream, the deputy's
 * 127.0.0.1:PORT    TCP, the deputy's
 *
 * AGENT_BIN has clearance OFFICIAL; AGENT_BIN2 is a second subject whose
 * clearance each tagged-to-tagged test chooses.
 */
#include <arpa/inet.h>
#include <net/if.h>
#include <netinet/in.h>
#include <sys/ioctl.h>
#include <sys/un.h>

#include "doors.h"

#define SECRET_FILE	TMP "/secret"
#define DEPUTY_PATH	TMP "/deputy.sock"
#define DEPUTY_DGRAM	TMP "/deputy.dgram"
#define DEPUTY_ABSTRACT	"@avf-deputy"
#define LINK_PATH	TMP "/link.sock"
#define SYM_PATH	TMP "/sym.sock"
#define AGENT_SOCK	TMP "/agent.sock"
#define TCP_PORT	47013

/* "/path" or "@abstract" into @sa: its length. */
static socklen_t unix_addr(const char *name, struct sockaddr_un *sa)
{
	size_t len = strlen(name);

	memset(sa, 0, sizeof(*sa));
	sa->sun_family = AF_UNIX;
	if (len >= sizeof(sa->sun_path))
		len = sizeof(sa->sun_path) - 1;
	memcpy(sa->sun_path, name, len);
	if (name[0] == '@')
		sa->sun_path[0] = '\0';
	return offsetof(struct sockaddr_un, sun_path) + len +
	       (name[0] == '@' ? 0 : 1);
}

static int sock_type(const char *type)
{
	if (!strcmp(type, "dgram"))
		return SOCK_DGRAM;
	if (!strcmp(type, "seqpacket"))
		return SOCK_SEQPACKET;
	return SOCK_STREAM;
}

/* Wait up to @ms for @fd to be readable: 1, or 0 on timeout. */
static int readable(int fd, int ms)
{
	struct pollfd p = { .fd = fd, .events = POLLIN };

	return poll(&p, 1, ms) > 0;
}

/* Agents */

/*
 * ask TYPE ADDR FILE: TYPE stream, seqpacket, dgram or tcp; ADDR a unix
 * name or, for tcp, a port on 127.0.0.1.  Connect (or send), ask for
 * FILE, emit the answer.
 */
AGENT(ask)
{
	int type = sock_type(argv[1]), fd, tcp = !strcmp(argv[1], "tcp");
	struct sockaddr_in in = { .sin_family = AF_INET };
	struct sockaddr_un sa;
	sa_family_t autobind = AF_UNIX;
	char buf[4096];
	socklen_t len;
	long n;

	fd = socket(tcp ? AF_INET : AF_UNIX, (tcp ? SOCK_STREAM : type) |
		    SOCK_CLOEXEC, 0);
	if (fd < 0)
		return SETUP_FAILED;
	if (tcp) {
		in.sin_port = htons(atoi(argv[2]));
		in.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
		if (result("connect", connect(fd, (struct sockaddr *)&in,
					      sizeof(in))) < 0)
			return 0;
	} else if (type == SOCK_DGRAM) {
		/* An address to answer to (autobind, abstract). */
		if (bind(fd, (struct sockaddr *)&autobind, sizeof(autobind)))
			return SETUP_FAILED;
		len = unix_addr(argv[2], &sa);
		if (result("send", sendto(fd, argv[3], strlen(argv[3]), 0,
					  (struct sockaddr *)&sa, len)) < 0)
			return 0;
		if (readable(fd, 3000)) {
			n = recv(fd, buf, sizeof(buf), 0);
			emit("reply", buf, n);
		}
		say("reply=0\n");
		return 0;
	} else {
		len = unix_addr(argv[2], &sa);
		if (result("connect", connect(fd, (struct sockaddr *)&sa,
					      len)) < 0)
			return 0;
	}
	if (result("send", send(fd, argv[3], strlen(argv[3]), MSG_NOSIGNAL)) < 0)
		return 0;
	shutdown(fd, SHUT_WR);
	read_emit("reply", fd);
	close(fd);
	return 0;
}

/*
 * serve TYPE ADDR: a tagged listener (or receiver) on ADDR: one request,
 * answered with "pong".  Prints "listening=0" when ready, "got<...>" for
 * what it received.
 */
AGENT(serve)
{
	int type = sock_type(argv[1]), fd, c;
	struct sockaddr_un sa, from;
	socklen_t len = unix_addr(argv[2], &sa), flen = sizeof(from);
	char buf[512];
	long n;

	if (argv[2][0] == '/')
		unlink(argv[2]);
	fd = socket(AF_UNIX, type | SOCK_CLOEXEC, 0);
	if (fd < 0 || bind(fd, (struct sockaddr *)&sa, len))
		return SETUP_FAILED;
	if (type != SOCK_DGRAM && listen(fd, 4))
		return SETUP_FAILED;
	say("listening=0\n");
	if (!readable(fd, 10000))
		return 0;
	if (type == SOCK_DGRAM) {
		n = recvfrom(fd, buf, sizeof(buf), 0, (struct sockaddr *)&from,
			     &flen);
		emit("got", buf, n);
		if (n >= 0 && flen > sizeof(sa_family_t))
			result("answer", sendto(fd, "pong", 4, 0,
						(struct sockaddr *)&from, flen));
		return 0;
	}
	c = accept4(fd, NULL, NULL, SOCK_CLOEXEC);
	if (c < 0)
		return 0;
	if (readable(c, 5000)) {
		n = read(c, buf, sizeof(buf));
		emit("got", buf, n);
		result("answer", write(c, "pong", 4));
	}
	close(c);
	close(fd);
	return 0;
}

/* pair: a datagram socketpair of its own, a message across it. */
AGENT(pair)
{
	char buf[16];
	int sv[2];

	if (socketpair(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0, sv))
		return SETUP_FAILED;
	result("send", send(sv[0], "x", 1, 0));
	result("recv", recv(sv[1], buf, sizeof(buf), MSG_DONTWAIT));
	return 0;
}

/* send_fd N: send a message on the inherited datagram socket N. */
AGENT(send_fd)
{
	result("send", send(atoi(argv[1]), "x", 1, 0));
	return 0;
}

/* The deputy: an untagged root service that reads files on request. */

/* The contents of the file named by @req (NUL-terminated): length. */
static long deputy_read(const char *req, char *out, size_t size)
{
	int fd = open(req, O_RDONLY | O_CLOEXEC);
	long n;

	if (fd < 0)
		return snprintf(out, size, "error %d\n", errno);
	n = read(fd, out, size);
	close(fd);
	return n < 0 ? 0 : n;
}

static int listen_on(int family, int type, const void *addr, socklen_t len)
{
	int fd = socket(family, type | SOCK_CLOEXEC, 0), one = 1;

	if (fd < 0)
		return -1;
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (bind(fd, addr, len) || (type != SOCK_DGRAM && listen(fd, 16))) {
		close(fd);
		return -1;
	}
	return fd;
}

static void __attribute__((noreturn)) deputy_serve(int *fds, int nfds)
{
	struct pollfd p[8];
	struct sockaddr_un from;
	char req[512], out[4096];
	socklen_t flen;
	long n;
	int i, c;

	for (i = 0; i < nfds; i++)
		p[i] = (struct pollfd){ .fd = fds[i], .events = POLLIN };
	for (;;) {
		if (poll(p, nfds, -1) < 0)
			_exit(1);
		for (i = 0; i < nfds; i++) {
			if (!(p[i].revents & POLLIN))
				continue;
			flen = sizeof(from);
			n = recvfrom(fds[i], req, sizeof(req) - 1, MSG_DONTWAIT,
				     (struct sockaddr *)&from, &flen);
			if (n >= 0) {
				/* a datagram: answer to its sender */
				req[n] = '\0';
				n = deputy_read(req, out, sizeof(out));
				if (flen > sizeof(sa_family_t))
					sendto(fds[i], out, n, MSG_DONTWAIT,
					       (struct sockaddr *)&from, flen);
				continue;
			}
			c = accept4(fds[i], NULL, NULL, SOCK_CLOEXEC);
			if (c < 0)
				continue;
			if (readable(c, 3000)) {
				n = read(c, req, sizeof(req) - 1);
				req[n > 0 ? n : 0] = '\0';
				n = deputy_read(req, out, sizeof(out));
				if (write(c, out, n) < 0)
					n = 0;
			}
			close(c);
		}
	}
}

/* lo is down in the VM's fresh network namespace: bring it up. */
static void loopback_up(void)
{
	struct ifreq ifr = { 0 };
	int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);

	if (fd < 0)
		return;
	strcpy(ifr.ifr_name, "lo");
	if (!ioctl(fd, SIOCGIFFLAGS, &ifr)) {
		ifr.ifr_flags |= IFF_UP;
		ioctl(fd, SIOCSIFFLAGS, &ifr);
	}
	close(fd);
}

FIXTURE(ipc) {
	pid_t deputy;
};

FIXTURE_VARIANT(ipc) {
	int tagged;
};

FIXTURE_VARIANT_ADD(ipc, tagged) { .tagged = 1 };
FIXTURE_VARIANT_ADD(ipc, untagged) { .tagged = 0 };

/*
 * The deputy makes its sockets itself (it is the one that listens, as
 * SO_PEERCRED and the log say), then writes '0' to @ready, or the index
 * of the socket it could not make.
 */
static void __attribute__((noreturn)) deputy_main(int ready)
{
	struct sockaddr_in in = { .sin_family = AF_INET };
	struct sockaddr_un sa;
	int fds[4], i;
	char c = '0';

	fds[0] = listen_on(AF_UNIX, SOCK_STREAM, &sa, unix_addr(DEPUTY_PATH, &sa));
	fds[1] = listen_on(AF_UNIX, SOCK_STREAM, &sa,
			   unix_addr(DEPUTY_ABSTRACT, &sa));
	fds[2] = listen_on(AF_UNIX, SOCK_DGRAM, &sa, unix_addr(DEPUTY_DGRAM, &sa));
	in.sin_port = htons(TCP_PORT);
	in.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	fds[3] = listen_on(AF_INET, SOCK_STREAM, &in, sizeof(in));
	for (i = 0; i < 4; i++)
		if (fds[i] < 0 && c == '0')
			c = '1' + i;
	if (write(ready, &c, 1) != 1 || c != '0')
		_exit(1);
	close(ready);
	deputy_serve(fds, 4);
}

FIXTURE_SETUP(ipc)
{
	int ready[2];
	char c = 0;

	self->deputy = -1;
	ASSERT_EQ(0, insmod_avfence());
	ASSERT_EQ(0, mount_tmpfs(TMP));
	ASSERT_EQ(0, make_secret(SECRET_FILE, "SECRET"));
	loopback_up();
	ASSERT_EQ(0, pipe2(ready, O_CLOEXEC));
	fflush(stdout);
	fflush(stderr);
	self->deputy = fork();
	ASSERT_LE(0, self->deputy);
	if (self->deputy == 0) {
		close(ready[0]);
		deputy_main(ready[1]);
	}
	close(ready[1]);
	ASSERT_EQ(1, read(ready[0], &c, 1));
	close(ready[0]);
	ASSERT_EQ('0', c) TH_LOG("the deputy could not make socket %c", c);
	ASSERT_EQ(0, link(DEPUTY_PATH, LINK_PATH));
	ASSERT_EQ(0, symlink(DEPUTY_PATH, SYM_PATH));
	ASSERT_EQ(0, agent_policy("OFFICIAL", NULL));
}

FIXTURE_TEARDOWN(ipc)
{
	if (self->deputy > 0) {
		kill(self->deputy, SIGKILL);
		waitpid(self->deputy, NULL, 0);
	}
	insmod_avfence();
	load_no_subject();
	umount_tmpfs(TMP);
}

/* Ask the deputy at @addr over @type for the secret; check the outcome. */
static void ask_deputy(struct __test_metadata *_metadata, int tagged,
		       const char *type, const char *addr, const char *key)
{
	struct agent a;

	FENCED_RUN(&a, tagged, key, EACCES, AVFENCE_ROUTE_CONNECT, true,
		   "ask", type, addr, SECRET_FILE);
}

TEST_F(ipc, path_stream)
{
	ask_deputy(_metadata, variant->tagged, "stream", DEPUTY_PATH, "connect");
}

TEST_F(ipc, abstract_stream)
{
	ask_deputy(_metadata, variant->tagged, "stream", DEPUTY_ABSTRACT,
		   "connect");
}

/* An unconnected sendto(): the datagram would reach the deputy. */
TEST_F(ipc, dgram_send)
{
	ask_deputy(_metadata, variant->tagged, "dgram", DEPUTY_DGRAM, "send");
}

/* Another name for the same socket file is the same socket. */
TEST_F(ipc, hard_link)
{
	/* A policy that lists the link: it is not the deputy's name. */
	ASSERT_EQ(0, load_policy(LEVELS "default UNCLASSIFIED\nmode enforce\n"
				 "subject " AGENT_BIN " OFFICIAL connect=%s,%s\n",
				 LINK_PATH, SYM_PATH));
	ask_deputy(_metadata, variant->tagged, "stream", LINK_PATH, "connect");
}

TEST_F(ipc, symlink)
{
	ASSERT_EQ(0, load_policy(LEVELS "default UNCLASSIFIED\nmode enforce\n"
				 "subject " AGENT_BIN " OFFICIAL connect=%s,%s\n",
				 LINK_PATH, SYM_PATH));
	ask_deputy(_metadata, variant->tagged, "stream", SYM_PATH, "connect");
}

/* Listed in connect=: the administrator trusts that service. */
TEST_F(ipc, listed)
{
	static const char *const how[][2] = {
		{ "stream", DEPUTY_PATH },
		{ "stream", DEPUTY_ABSTRACT },
		{ "dgram", DEPUTY_DGRAM },
	};
	struct denials before, now;
	struct agent a;
	unsigned int i;

	ASSERT_EQ(0, load_policy(LEVELS "default UNCLASSIFIED\nmode enforce\n"
				 "subject " AGENT_BIN " OFFICIAL connect=%s,%s,%s\n",
				 DEPUTY_ABSTRACT, DEPUTY_DGRAM, DEPUTY_PATH));
	for (i = 0; i < ARRAY_SIZE(how); i++) {
		ASSERT_EQ(0, denials_read(&before));
		ASSERT_EQ(0, agent_run(&a, variant->tagged, "ask", how[i][0],
				       how[i][1], SECRET_FILE));
		ASSERT_EQ(0, denials_read(&now));
		EXPECT_VAL(0, &a, !strcmp(how[i][0], "dgram") ? "send" :
							       "connect");
		EXPECT_SECRET(&a);
		EXPECT_EQ(before.denied[AVFENCE_ROUTE_CONNECT],
			  now.denied[AVFENCE_ROUTE_CONNECT]);
	}
}

/* One subject lists it, the other not: a task that ran both may not. */
TEST_F(ipc, listed_by_every_subject)
{
	struct agent a;

	if (!variant->tagged)
		SKIP(return, "connect= concerns tagged tasks");
	ASSERT_EQ(0, load_policy(LEVELS "default UNCLASSIFIED\nmode enforce\n"
				 "subject " AGENT_BIN " OFFICIAL connect=%s\n"
				 "subject " AGENT_BIN2 " OFFICIAL\n",
				 DEPUTY_PATH));
	/* AGENT_BIN2 runs, then execs AGENT_BIN (its "ask"): both ran. */
	ASSERT_EQ(0, agent_startv(&a, 1, AGENT_BIN2, "exec_agent",
				  (const char *const[]){ AGENT_BIN, "ask",
							 "stream", DEPUTY_PATH,
							 SECRET_FILE, NULL }));
	agent_finish(&a);
	EXPECT_VAL(EACCES, &a, "connect");
	EXPECT_NO_SECRET(&a);
}

/* exec_agent BIN NAME ARGS...: exec BIN as agent NAME. */
AGENT(exec_agent)
{
	setenv("AVF_AGENT", argv[2], 1);
	execv(argv[1], argv + 2);
	return SETUP_FAILED;
}

/*
 * Tagged to tagged: AGENT_BIN2 (@server) serves on @addr over @type,
 * AGENT_BIN (OFFICIAL) connects or sends; @allowed: expected outcome.
 */
static void tagged_pair(struct __test_metadata *_metadata, const char *server,
			const char *type, const char *addr, int allowed)
{
	const char *key = !strcmp(type, "dgram") ? "send" : "connect";
	struct agent s, a;
	struct watch w;

	/* The server binds in TMP: it needs the tests' write= too. */
	ASSERT_EQ(0, agent_policy("OFFICIAL", "subject " AGENT_BIN2
				  " %s write=%s\n", server, test_write()));
	ASSERT_EQ(0, agent_startv(&s, 1, AGENT_BIN2, "serve",
				  (const char *const[]){ type, addr, NULL }));
	ASSERT_EQ(0, agent_wait_for(&s, "listening=0", 20));
	watch_start(&w);
	ASSERT_EQ(0, agent_run(&a, 1, "ask", type, addr, "ping"));
	kill(s.pid, SIGKILL);
	agent_finish(&s);
	if (allowed) {
		EXPECT_VAL(0, &a, key);
		EXPECT_TRUE(memmem(s.buf, s.len, "got<ping>", 9) != NULL)
			TH_LOG("server said: %s", agent_output(&s));
	} else {
		EXPECT_VAL(EACCES, &a, key);
		EXPECT_TRUE(memmem(s.buf, s.len, "got<", 4) == NULL)
			TH_LOG("server said: %s", agent_output(&s));
		EXPECT_EQ(0, watch_denied(&w, AVFENCE_ROUTE_CONNECT));
	}
}

/* tagged_pair() over every socket type and address the agents use. */
static void tagged_pair_every_way(struct __test_metadata *_metadata,
				  const char *server, int allowed)
{
	static const char *const way[][2] = {
		{ "stream", AGENT_SOCK },
		{ "stream", "@avf-agent" },
		{ "seqpacket", AGENT_SOCK },
		{ "dgram", AGENT_SOCK },
	};
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(way); i++)
		tagged_pair(_metadata, server, way[i][0], way[i][1], allowed);
}

TEST_F(ipc, tagged_same_clearance)
{
	if (!variant->tagged)
		SKIP(return, "between tagged tasks");
	tagged_pair_every_way(_metadata, "OFFICIAL", 1);
}

/* A connection carries data both ways: not between clearances. */
TEST_F(ipc, tagged_stream_other_clearance)
{
	if (!variant->tagged)
		SKIP(return, "between tagged tasks");
	/* the server higher: it would write down to the client */
	tagged_pair(_metadata, "SECRET", "stream", AGENT_SOCK, 0);
	/* the server lower: the client would write down to it */
	tagged_pair(_metadata, "UNCLASSIFIED", "stream", "@avf-agent", 0);
	tagged_pair(_metadata, "UNCLASSIFIED", "seqpacket", AGENT_SOCK, 0);
}

/* A datagram goes up, never down. */
TEST_F(ipc, tagged_dgram_up_not_down)
{
	if (!variant->tagged)
		SKIP(return, "between tagged tasks");
	tagged_pair(_metadata, "SECRET", "dgram", AGENT_SOCK, 1);
	tagged_pair(_metadata, "UNCLASSIFIED", "dgram", AGENT_SOCK, 0);
}

/* A socketpair the agent made itself is its own. */
TEST_F(ipc, own_socketpair)
{
	struct agent a;

	ASSERT_EQ(0, agent_run(&a, variant->tagged, "pair"));
	EXPECT_VAL(0, &a, "send");
	EXPECT_VAL(0, &a, "recv");
}

/* A datagram socket an untagged task made, inherited: its peer is untagged. */
TEST_F(ipc, inherited_untagged_socket)
{
	char buf[8];
	struct agent a;
	int sv[2];

	ASSERT_EQ(0, socketpair(AF_UNIX, SOCK_DGRAM, 0, sv));
	ASSERT_EQ(10, dup2(sv[0], 10));
	ASSERT_EQ(0, agent_run(&a, variant->tagged, "send_fd", "10"));
	close(10);
	close(sv[0]);
	if (variant->tagged) {
		EXPECT_VAL(EACCES, &a, "send");
		EXPECT_EQ(-1, recv(sv[1], buf, sizeof(buf), MSG_DONTWAIT));
	} else {
		EXPECT_VAL(0, &a, "send");
		EXPECT_EQ(1, recv(sv[1], buf, sizeof(buf), MSG_DONTWAIT));
	}
	close(sv[1]);
}

/* Audit mode lets it through, counts it as audited and logs it. */
TEST_F(ipc, audit_mode)
{
	char want[128];
	struct agent a;
	struct watch w;

	if (!variant->tagged)
		SKIP(return, "audit mode concerns tagged tasks");
	ASSERT_EQ(0, audit_watch_start(&w));
	ASSERT_EQ(0, agent_run(&a, 1, "ask", "stream", DEPUTY_PATH,
			       SECRET_FILE));
	EXPECT_EQ(0, watch_counted(&w, AVFENCE_ROUTE_CONNECT));
	EXPECT_VAL(0, &a, "connect");
	EXPECT_SECRET(&a);
	/* the socket's name and the deputy's pid (it called listen()) */
	snprintf(want, sizeof(want), "socket=" DEPUTY_PATH
		 " peer=untagged peer_pid=%d", self->deputy);
	EXPECT_EQ(1, watch_audited(&w, AVFENCE_ROUTE_CONNECT, want))
		TH_LOG("no \"avfence: audit connect ... %s\"", want);
}

/*
 * Loopback TCP to an untagged listener is not fenced: avfence judges unix
 * sockets, whose far end is a local process, not IP (threat-model.rst,
 * "Loopback TCP/UDP services").  This is the control of that decision:
 * the agent, tagged or not, connects and the listener answers.
 */
TEST_F(ipc, loopback_tcp_not_fenced)
{
	char port[16];
	struct agent a;

	snprintf(port, sizeof(port), "%d", TCP_PORT);
	ASSERT_EQ(0, agent_run(&a, variant->tagged, "ask", "tcp", port,
			       SECRET_FILE));
	EXPECT_VAL(0, &a, "connect");
	EXPECT_SECRET(&a);
}

TEST_HARNESS_MAIN

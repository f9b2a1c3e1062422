// SPDX-License-Identifier: GPL-2.0
/*
 * avfence hostile netlink test (issue 6): a fuzzer that sends malformed
 * generic netlink messages straight to the avfence family, built by hand
 * on raw sockets (nlmsghdr + genlmsghdr + nlattrs), for a bounded time
 * (AVF_FUZZ_SECONDS, default 15) with a fixed seed (AVF_SEED).
 *
 * Several processes fuzz at once, each on its own sockets:
 *   - root fuzzers send LOAD_POLICY messages that are random in every way
 *     (levels, names, default, mode, subjects as nests and as tables,
 *     types, lengths, nesting, flags, genl version, byte mutations,
 *     truncation, huge level and subject counts, invalid UTF-8 and
 *     embedded NULs) but always carry a
 *     "poison": their first attribute is a subjects nest naming a file that
 *     does not exist.  Whatever the rest holds, no such message can be a
 *     valid policy, so each must be refused, and the policy in force must
 *     never change.  They also send SET_MODE with invalid modes, unknown
 *     commands (never LOCK), GET_STATUS/GET_LABEL/GET_TAGGED with junk, bad
 *     netlink headers and batches.
 *   - an unprivileged fuzzer (uid nobody, no capabilities) and a tagged
 *     one (a subject binary) send the same without the poison, and valid
 *     policies and mode changes too: every change must be refused.
 * Each reply is checked: LOAD_POLICY, SET_MODE and unknown commands must
 * get an error; GET_* an error or a well-formed reply; every message an
 * answer (a GET_STATUS "ping" follows each one on the same socket, so a
 * lost answer or a hang is seen).  Afterwards GET_STATUS must show the
 * same generation, digest, mode, levels and subject count, and the fence
 * must still hold.  Then several processes load one same valid policy
 * concurrently: all succeed, the generation grows by exactly their number
 * and the digest stays.  The VM harness fails the run on any Oops, BUG,
 * WARNING, KASAN or lockdep report in the kernel log.
 */
#include <stdatomic.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <linux/capability.h>
#include <time.h>

#include "common.h"

#define FZ		"/tmp/avf-fuzz"
#define FZ_AGENT	FZ "/agent"
#define FZ_SECRET	FZ "/secret"
#define POISON_PATH	"/nonexistent-avf-fuzz/\xff\xfe-poison"
#define NROOT		3
#define MAXMSG		(2 << 20)

enum cat {
	C_LOAD, C_LOAD_LEVELS, C_LOAD_SUBJECTS, C_SET_MODE, C_UNKNOWN_CMD,
	C_STATUS, C_LABEL, C_DUMP, C_BAD_HDR, C_BATCH, NCATS
};
static const char *const cat_name[NCATS] = {
	"load-random", "load-huge-levels", "load-huge-subjects", "set-mode-bad",
	"unknown-cmd", "get-status-junk", "get-label", "get-tagged-dump",
	"bad-header", "batch",
};
/*
 * The mix, in percent: R(100) below cat_below[c] and not below the one
 * before draws category c; C_BATCH takes the rest.
 */
static const uint32_t cat_below[C_BATCH] = {
	40, 42, 44, 54, 62, 70, 82, 86, 93,
};

struct shared {
	_Atomic int stop;
	_Atomic uint64_t sent[NCATS], errors[NCATS], replies[NCATS];
	_Atomic uint64_t unpriv_sent, tagged_sent, violations, hangs;
	_Atomic uint64_t err_by_errno[160];
	struct note_log log;
};

static struct shared *sh;
static uint16_t family;

#define note(...) note_to(&sh->log, __VA_ARGS__)

#define R(n) ((uint32_t)(rnd(seed) % (n)))

/* Message builder */

struct mb {
	char *buf;
	size_t len;
};

static void mb_raw(struct mb *m, const void *p, size_t len)
{
	if (m->len + len > MAXMSG)
		return;
	memcpy(m->buf + m->len, p, len);
	m->len += len;
}

static void mb_pad(struct mb *m)
{
	static const char zero[4];

	mb_raw(m, zero, NLA_ALIGN(m->len) - m->len);
}

/* An attribute with @len bytes of @data; nla_len says @len + 4. */
static size_t mb_attr(struct mb *m, uint16_t type, const void *data, size_t len)
{
	struct nlattr a = { .nla_type = type, .nla_len = NLA_HDRLEN + len };
	size_t at;

	mb_pad(m);
	at = m->len;
	if (m->len + NLA_HDRLEN + len > MAXMSG)
		return at;
	mb_raw(m, &a, sizeof(a));
	if (len)
		mb_raw(m, data, len);
	return at;
}

static void mb_str(struct mb *m, uint16_t type, const char *s)
{
	mb_attr(m, type, s, strlen(s) + 1);
}

static void mb_u32(struct mb *m, uint16_t type, uint32_t v)
{
	mb_attr(m, type, &v, 4);
}

static size_t mb_nest(struct mb *m, uint16_t type)
{
	return mb_attr(m, type, NULL, 0);
}

static void mb_end(struct mb *m, size_t at)
{
	struct nlattr *a = (struct nlattr *)(m->buf + at);

	mb_pad(m);
	a->nla_len = (uint16_t)(m->len - at);	/* wraps over 64 KiB: malformed */
}

static void mb_start(struct mb *m, uint16_t type, uint16_t flags, uint8_t cmd,
		     uint8_t version)
{
	struct nlmsghdr *n = (struct nlmsghdr *)m->buf;
	struct genlmsghdr *g = (struct genlmsghdr *)(m->buf + NLMSG_HDRLEN);

	m->len = NLMSG_LENGTH(GENL_HDRLEN);
	memset(m->buf, 0, m->len);
	n->nlmsg_type = type;
	n->nlmsg_flags = flags;
	g->cmd = cmd;
	g->version = version;
}

static void mb_finish(struct mb *m)
{
	mb_pad(m);
	((struct nlmsghdr *)m->buf)->nlmsg_len = m->len;
}

/* Random ingredients */

static const char *const good_levels[] = {
	"UNCLASSIFIED", "OFFICIAL", "SECRET", "TOP-SECRET",
};

/* A level name: valid, too long, bad characters, bad UTF-8, NULs... */
static size_t rand_name(uint64_t *seed, char *buf, size_t cap)
{
	static const char chars[] = "ABCXYZabc019-_ ./\t\n\"'\\%\x7f\x80\xc3\xa9\xff";
	size_t len, i;

	switch (R(10)) {
	case 0: case 1: case 2: case 3:
		return snprintf(buf, cap, "%s", good_levels[R(4)]);
	case 4:
		return snprintf(buf, cap, "L%u", R(100000));
	case 5:		/* over AVFENCE_LEVEL_NAME_MAX */
		len = AVFENCE_LEVEL_NAME_MAX - 2 + R(8);
		if (R(4) == 0)
			len = R(cap - 1);
		memset(buf, 'A', len);
		buf[len] = '\0';
		return len;
	case 6:		/* invalid UTF-8 */
		return snprintf(buf, cap, "\xc3\x28%s\xa0\xa1\xf0\x28\x8c\xbc", good_levels[R(4)]);
	case 7:		/* empty */
		buf[0] = '\0';
		return 0;
	default:
		len = 1 + R(20);
		for (i = 0; i < len; i++)
			buf[i] = chars[R(sizeof(chars) - 1)];
		buf[len] = '\0';
		return len;
	}
}

/* A string attribute: with or without NUL, with an embedded NUL, empty. */
static void rand_str_attr(uint64_t *seed, struct mb *m, uint16_t type,
			  const char *s, size_t len)
{
	char tmp[8192];

	if (len > sizeof(tmp) - 8)
		len = sizeof(tmp) - 8;
	memcpy(tmp, s, len);
	switch (R(12)) {
	case 0:		/* no NUL */
		mb_attr(m, type, tmp, len);
		break;
	case 1:		/* embedded NUL */
		tmp[len] = '\0';
		memcpy(tmp + len + 1, "X\0", 2);
		mb_attr(m, type, tmp, len + 3);
		break;
	case 2:		/* zero length */
		mb_attr(m, type, NULL, 0);
		break;
	case 3:		/* nested flag on a string */
		tmp[len] = '\0';
		mb_attr(m, type | NLA_F_NESTED, tmp, len + 1);
		break;
	default:
		tmp[len] = '\0';
		mb_attr(m, type, tmp, len + 1);
	}
}

static const char *rand_path(uint64_t *seed, char *buf, size_t cap)
{
	static const char *const paths[] = {
		SCANNER, PLAIN, FZ_AGENT, FZ_SECRET, FZ, "/", "/proc/self/exe",
		"/proc/self/fd/0", "/dev/null", "/dev/mem", "/sys/kernel/security",
		"/tmp", "relative/path", "", ".", "..", "/nonexistent",
		"/bin/../bin/busybox", "/lib/modules/avfence.ko",
		"//opt//av//bin//scanner", "/opt/av/bin/scanner/", "/proc/1/root",
	};
	size_t len, i;

	switch (R(6)) {
	case 0:		/* long */
		len = AVFENCE_PATH_MAX - 4 + R(8);
		if (len > cap - 1)
			len = cap - 1;
		buf[0] = '/';
		for (i = 1; i < len; i++)
			buf[i] = i % 200 ? 'a' : '/';
		buf[len] = '\0';
		return buf;
	case 1:		/* invalid UTF-8, control characters */
		snprintf(buf, cap, "/tmp/\xff\xfe\x01\x1b[31m%u\xc0\xaf", R(1000));
		return buf;
	default:
		return paths[R(sizeof(paths) / sizeof(paths[0]))];
	}
}

/* @n u32 attributes of random, kernel-only or unknown, types. */
static void put_junk(uint64_t *seed, struct mb *m, uint32_t n)
{
	for (; n; n--)
		mb_u32(m, R(AVFENCE_A_MAX + 10), (uint32_t)rnd(seed));
}

static void put_mode(uint64_t *seed, struct mb *m, int may_be_valid)
{
	static const uint32_t modes[] = { 0, 3, 4, 255, 0x80000001u, 0xffffffffu };
	uint64_t v64 = AVFENCE_MODE_ENFORCE;
	uint8_t v8 = AVFENCE_MODE_ENFORCE;

	switch (R(may_be_valid ? 8 : 6)) {
	case 0:
		mb_u32(m, AVFENCE_A_MODE, modes[R(6)]);
		break;
	case 1:
		mb_attr(m, AVFENCE_A_MODE, &v8, 1);
		break;
	case 2:
		mb_attr(m, AVFENCE_A_MODE, &v64, 8);
		break;
	case 3:
		mb_str(m, AVFENCE_A_MODE, "enforce");
		break;
	case 4:
		mb_end(m, mb_nest(m, AVFENCE_A_MODE));
		break;
	case 5:
		break;		/* missing */
	default:
		mb_u32(m, AVFENCE_A_MODE, 1 + R(2));
	}
}

static void put_levels(uint64_t *seed, struct mb *m, uint32_t n)
{
	char name[256];
	size_t nest, len;
	uint32_t i;
	uint16_t type = AVFENCE_A_LEVELS | (R(8) ? NLA_F_NESTED : 0);

	nest = mb_nest(m, type);
	for (i = 0; i < n; i++) {
		len = rand_name(seed, name, sizeof(name));
		switch (R(20)) {
		case 0:		/* wrong inner type */
			rand_str_attr(seed, m, R(4), name, len);
			break;
		case 1:		/* a nest inside */
			mb_end(m, mb_nest(m, AVFENCE_LEVEL_A_NAME | NLA_F_NESTED));
			break;
		case 2:
			mb_u32(m, AVFENCE_LEVEL_A_NAME, R(100));
			break;
		default:
			rand_str_attr(seed, m, AVFENCE_LEVEL_A_NAME, name, len);
		}
	}
	mb_end(m, nest);
}

static void put_subject(uint64_t *seed, struct mb *m, const char *path,
			const char *clearance)
{
	size_t sub = mb_nest(m, (R(10) ? AVFENCE_A_SUBJECT : R(5)) |
			     (R(10) ? NLA_F_NESTED : 0));
	char name[256];

	if (path)
		mb_str(m, AVFENCE_SUBJECT_A_PATH, path);
	if (clearance)
		mb_str(m, AVFENCE_SUBJECT_A_CLEARANCE, clearance);
	switch (R(8)) {
	case 0:
		mb_u32(m, AVFENCE_SUBJECT_A_ALLOW, (uint32_t)rnd(seed));
		break;
	case 1:
		mb_u32(m, 4 + R(100), 0);	/* unknown attribute */
		break;
	case 2:
		rand_str_attr(seed, m, AVFENCE_SUBJECT_A_CLEARANCE, name,
			      rand_name(seed, name, sizeof(name)));
		break;
	case 3:		/* nested subject inside a subject */
		put_subject(seed, m, POISON_PATH, "SECRET");
		break;
	}
	mb_end(m, sub);
}

/*
 * An AVFENCE_A_SUBJECT_TABLE of 0-5 struct avfence_subject_rec records,
 * each well-formed or broken in one of the ways validate_subject_table()
 * must refuse (a length zero, short, long, odd or random, the spare byte set,
 * no NUL, a relative path, junk in the padding), maybe junk after the
 * last one; clearances mostly levels, some far past them.
 */
static void put_subject_table(uint64_t *seed, struct mb *m)
{
	static const size_t hdr = sizeof(struct avfence_subject_rec);
	unsigned char buf[6 * (AVFENCE_PATH_MAX + 16)];
	char pbuf[AVFENCE_PATH_MAX + 16];
	uint32_t i, n = R(6);
	size_t len = 0, rl, plen;

	for (i = 0; i < n; i++) {
		struct avfence_subject_rec *rec = (void *)(buf + len);
		const char *path = rand_path(seed, pbuf, sizeof(pbuf));

		plen = strlen(path);
		rl = (hdr + plen + 1 + 3) & ~(size_t)3;
		memset(rec, 0, rl);
		rec->len = (uint16_t)rl;
		rec->clearance = R(8) ? R(4) : R(256);
		memcpy(rec->path, path, plen);
		switch (R(12)) {
		case 0:
			rec->len = (uint16_t)(R(2) ? rl - 4 : rl + 4);
			break;
		case 1:		/* a record that would never advance */
			rec->len = 0;
			break;
		case 6:
			rec->len = (uint16_t)(R(2) ? rnd(seed) : rl - 1 - R(3));
			break;
		case 2:
			rec->pad = 1 + R(255);
			break;
		case 3:		/* no NUL in the record */
			memset(rec->path + plen, 'x', rl - hdr - plen);
			break;
		case 4:
			rec->path[0] = R(2) ? 'r' : '\0';
			break;
		case 5:		/* junk in the padding, if there is any */
			if (rl > hdr + plen + 1)
				rec->path[rl - hdr - 1] = 1 + R(255);
			break;
		}
		len += rl;
	}
	for (i = R(8) ? 0 : 1 + R(7); i; i--)
		buf[len++] = (unsigned char)rnd(seed);
	mb_attr(m, AVFENCE_A_SUBJECT_TABLE | (R(10) ? 0 : NLA_F_NESTED), buf,
		len);
}

/*
 * The poison: a first attribute no valid policy can hold, a subject whose
 * file does not exist.  Nothing after it can hide it: it is parsed first
 * and its own length is intact.
 */
static void put_poison(struct mb *m)
{
	size_t nest = mb_nest(m, AVFENCE_A_SUBJECTS | NLA_F_NESTED);
	size_t sub = mb_nest(m, AVFENCE_A_SUBJECT | NLA_F_NESTED);

	mb_str(m, AVFENCE_SUBJECT_A_PATH, POISON_PATH);
	mb_str(m, AVFENCE_SUBJECT_A_CLEARANCE, "UNCLASSIFIED");
	mb_end(m, sub);
	mb_end(m, nest);
}

static void mutate(uint64_t *seed, struct mb *m, size_t from)
{
	uint32_t i, n = R(4);
	size_t at, len;

	for (i = 0; i < n && m->len > from; i++) {
		at = from + R(m->len - from);
		switch (R(6)) {
		case 0:
			m->buf[at] ^= 1 << R(8);
			break;
		case 1:
			m->buf[at] = (char)rnd(seed);
			break;
		case 2:		/* an nla_len or type field, maybe */
			at &= ~(size_t)3;
			if (at + 4 <= m->len && at >= from)
				*(uint16_t *)(m->buf + at + R(2) * 2) = (uint16_t)rnd(seed);
			break;
		case 3:		/* truncate */
			m->len = at;
			break;
		case 4:		/* append garbage */
			len = R(64);
			while (len-- && m->len < MAXMSG)
				m->buf[m->len++] = (char)rnd(seed);
			break;
		case 5:		/* duplicate a chunk */
			len = R(64);
			if (at + len <= m->len && m->len + len <= MAXMSG) {
				memcpy(m->buf + m->len, m->buf + at, len);
				m->len += len;
			}
			break;
		}
	}
}

/* A random LOAD_POLICY body; @poison first if asked. */
static void build_load(uint64_t *seed, struct mb *m, int poison)
{
	uint32_t i, nattr, nsub;
	char name[256];
	size_t from, nest;

	if (poison)
		put_poison(m);
	from = m->len;
	nattr = 1 + R(6);
	for (i = 0; i < nattr; i++) {
		switch (R(9)) {
		case 0:
			put_mode(seed, m, 1);
			break;
		case 1: case 2:
			put_levels(seed, m, R(5) ? 1 + R(6) : R(40));
			break;
		case 3:
			rand_str_attr(seed, m, AVFENCE_A_DEFAULT_LEVEL, name,
				      rand_name(seed, name, sizeof(name)));
			break;
		case 4: case 5:
			nest = mb_nest(m, AVFENCE_A_SUBJECTS |
					   (R(8) ? NLA_F_NESTED : 0));
			nsub = R(6);
			while (nsub--) {
				char pbuf[AVFENCE_PATH_MAX + 16];

				put_subject(seed, m, R(8) ? rand_path(seed, pbuf, sizeof(pbuf)) : NULL,
					    R(8) ? good_levels[R(4)] : NULL);
			}
			mb_end(m, nest);
			break;
		case 6:		/* a kernel-only or unknown attribute */
			put_junk(seed, m, 1);
			break;
		case 7:
			put_subject_table(seed, m);
			break;
		default:	/* the well-formed ones, so the parser gets deep */
			mb_u32(m, AVFENCE_A_MODE, AVFENCE_MODE_ENFORCE);
			nest = mb_nest(m, AVFENCE_A_LEVELS | NLA_F_NESTED);
			for (nsub = 0; nsub < 4; nsub++)
				mb_str(m, AVFENCE_LEVEL_A_NAME, good_levels[nsub]);
			mb_end(m, nest);
			mb_str(m, AVFENCE_A_DEFAULT_LEVEL, good_levels[R(4)]);
		}
	}
	if (R(3) == 0)
		mutate(seed, m, from);
}

/* Sending and judging */

enum expect { MUST_FAIL, MAY_REPLY, NO_ANSWER_OK };

struct answer {
	int got_error, error, got_reply, bad_reply;
};

static int sock_open(int ext_ack)
{
	struct timeval tv = { .tv_sec = 5 };
	int fd, sz = 8 << 20, one = 1;

	fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_GENERIC);
	if (fd < 0)
		return -errno;
	setsockopt(fd, SOL_SOCKET, SO_SNDBUFFORCE, &sz, sizeof(sz));
	setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &sz, sizeof(sz));
	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	/* Errors must not echo 2 MiB requests; extended acks on some sockets. */
	setsockopt(fd, SOL_NETLINK, NETLINK_CAP_ACK, &one, sizeof(one));
	if (ext_ack)
		setsockopt(fd, SOL_NETLINK, NETLINK_EXT_ACK, &one, sizeof(one));
	return fd;
}

/* A reply of the family must be a well-formed attribute stream. */
static int reply_ok(const struct nlmsghdr *h)
{
	const struct nlattr *a;
	int len;

	if (h->nlmsg_type != family || h->nlmsg_len < NLMSG_LENGTH(GENL_HDRLEN))
		return 0;
	a = (const struct nlattr *)((const char *)NLMSG_DATA(h) + GENL_HDRLEN);
	len = h->nlmsg_len - NLMSG_LENGTH(GENL_HDRLEN);
	while (len >= NLA_HDRLEN) {
		if (a->nla_len < NLA_HDRLEN || a->nla_len > len)
			return 0;
		len -= NLA_ALIGN(a->nla_len);
		a = (const struct nlattr *)((const char *)a + NLA_ALIGN(a->nla_len));
	}
	return len == 0 || len < NLA_HDRLEN;
}

/*
 * Send @m (its seq set to @seq), then a GET_STATUS ping with seq + 1; read
 * until the ping is answered.  Return 0, or -ETIMEDOUT if it never is.
 */
static int xfer(int fd, struct mb *m, uint32_t seq, struct answer *ans)
{
	static char rbuf[1 << 20];
	struct {
		struct nlmsghdr n;
		struct genlmsghdr g;
	} ping = {
		.n = { .nlmsg_len = NLMSG_LENGTH(GENL_HDRLEN), .nlmsg_type = family,
		       .nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK, .nlmsg_seq = seq + 1 },
		.g = { .cmd = AVFENCE_CMD_GET_STATUS, .version = AVFENCE_GENL_VERSION },
	};
	struct sockaddr_nl sa = { .nl_family = AF_NETLINK };
	ssize_t len;

	memset(ans, 0, sizeof(*ans));
	if (m->len >= NLMSG_HDRLEN)
		((struct nlmsghdr *)m->buf)->nlmsg_seq = seq;
	if (sendto(fd, m->buf, m->len, 0, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
		ans->got_error = 1;
		ans->error = -errno;	/* refused at the socket: an error too */
	}
	if (sendto(fd, &ping, ping.n.nlmsg_len, 0, (struct sockaddr *)&sa,
		   sizeof(sa)) < 0)
		return -errno;
	for (;;) {
		struct nlmsghdr *h;

		len = recv(fd, rbuf, sizeof(rbuf), 0);
		if (len < 0) {
			if (errno == ENOBUFS)
				continue;
			return -ETIMEDOUT;
		}
		for (h = (struct nlmsghdr *)rbuf; NLMSG_OK(h, len);
		     h = NLMSG_NEXT(h, len)) {
			if (h->nlmsg_seq == seq + 1 && h->nlmsg_type == NLMSG_ERROR)
				return 0;
			if (h->nlmsg_seq != seq)
				continue;
			if (h->nlmsg_type == NLMSG_ERROR) {
				ans->got_error = 1;
				ans->error = ((struct nlmsgerr *)NLMSG_DATA(h))->error;
			} else if (h->nlmsg_type == NLMSG_DONE) {
				ans->got_reply = 1;
			} else {
				ans->got_reply = 1;
				if (!reply_ok(h))
					ans->bad_reply = 1;
			}
		}
	}
}

static void judge(enum cat c, enum expect e, const struct answer *a,
		  const char *who)
{
	atomic_fetch_add(&sh->sent[c], 1);
	if (a->got_error && a->error < 0) {
		atomic_fetch_add(&sh->errors[c], 1);
		if (-a->error < 160)
			atomic_fetch_add(&sh->err_by_errno[-a->error], 1);
	}
	if (a->got_reply)
		atomic_fetch_add(&sh->replies[c], 1);
	if (a->bad_reply) {
		atomic_fetch_add(&sh->violations, 1);
		note("%s %s: malformed reply", who, cat_name[c]);
	}
	switch (e) {
	case MUST_FAIL:
		if (!(a->got_error && a->error < 0)) {
			atomic_fetch_add(&sh->violations, 1);
			note("%s %s: accepted (error %d, reply %d)", who,
			     cat_name[c], a->got_error ? a->error : 1, a->got_reply);
		}
		break;
	case MAY_REPLY:
		if (!a->got_error && !a->got_reply) {
			atomic_fetch_add(&sh->violations, 1);
			note("%s %s: no answer", who, cat_name[c]);
		}
		break;
	case NO_ANSWER_OK:
		break;
	}
}

static uint16_t rand_flags(uint64_t *seed)
{
	static const uint16_t extra[] = {
		NLM_F_ECHO, NLM_F_ROOT, NLM_F_MATCH, NLM_F_ATOMIC, NLM_F_REPLACE,
		NLM_F_EXCL, NLM_F_CREATE, NLM_F_APPEND, NLM_F_MULTI, 0x4000,
	};
	uint16_t f = NLM_F_REQUEST | NLM_F_ACK;

	if (R(8) == 0)
		f |= extra[R(10)];
	return f;
}

static uint8_t rand_version(uint64_t *seed)
{
	return R(8) ? AVFENCE_GENL_VERSION : (uint8_t)rnd(seed);
}

/* A LOAD_POLICY of the right version, with random flags. */
static void start_load(uint64_t *seed, struct mb *m)
{
	mb_start(m, family, rand_flags(seed), AVFENCE_CMD_LOAD_POLICY,
		 AVFENCE_GENL_VERSION);
}

/* The start of a load of huge lists: the poison if @privileged, enforce. */
static void start_huge_load(uint64_t *seed, struct mb *m, int privileged)
{
	start_load(seed, m);
	if (privileged)
		put_poison(m);
	mb_u32(m, AVFENCE_A_MODE, AVFENCE_MODE_ENFORCE);
}

/*
 * @n subjects "/" as well-formed AVFENCE_A_SUBJECT_TABLE records, 8,000 to
 * a table: counted with the nests against AVFENCE_SUBJECTS_MAX before any
 * is resolved (and "/" is not a regular file).
 */
static void put_huge_table(struct mb *m, uint32_t n)
{
	static unsigned char recs[8000 * 8];
	uint32_t i, k;

	for (i = 0; i < 8000; i++) {
		struct avfence_subject_rec *rec = (void *)(recs + 8 * i);

		rec->len = 8;
		memcpy(rec->path, "/", 2);
	}
	for (; n; n -= k) {
		k = n < 8000 ? n : 8000;
		mb_attr(m, AVFENCE_A_SUBJECT_TABLE, recs, 8 * k);
	}
}

/* A whole random load with the poison, finished. */
static void poisoned_load(uint64_t *seed, struct mb *m)
{
	start_load(seed, m);
	build_load(seed, m, 1);
	mb_finish(m);
}

/*
 * One fuzz message of a random category.  @privileged: root with every
 * capability and untagged, so loads carry the poison.
 */
static int fuzz_one(uint64_t *seed, int fd, struct mb *m, uint32_t *seq,
		    int privileged, const char *who)
{
	static const uint8_t unknown_cmds[] = {
		AVFENCE_CMD_UNSPEC, AVFENCE_CMD_EVENT, __AVFENCE_CMD_MAX,
		__AVFENCE_CMD_MAX + 1, 100, 200, 255,
	};
	struct answer a;
	enum expect e = MUST_FAIL;
	enum cat c;
	uint32_t i, r = R(100);
	size_t nest;
	int err;

	for (c = 0; c < C_BATCH && r >= cat_below[c]; c++)
		;

	switch (c) {
	case C_LOAD:
		mb_start(m, family, rand_flags(seed), AVFENCE_CMD_LOAD_POLICY,
			 rand_version(seed));
		build_load(seed, m, privileged);
		break;
	case C_LOAD_LEVELS:	/* thousands of levels (a nest holds 64 KiB) */
		start_huge_load(seed, m, privileged);
		nest = mb_nest(m, AVFENCE_A_LEVELS | NLA_F_NESTED);
		for (i = 0; i < 33 + R(5000); i++) {
			char name[16];

			snprintf(name, sizeof(name), "L%u", i);
			mb_str(m, AVFENCE_LEVEL_A_NAME, name);
		}
		mb_end(m, nest);
		mb_str(m, AVFENCE_A_DEFAULT_LEVEL, "L0");
		break;
	case C_LOAD_SUBJECTS:	/* more than AVFENCE_SUBJECTS_MAX, or about */
		start_huge_load(seed, m, privileged);
		nest = mb_nest(m, AVFENCE_A_LEVELS | NLA_F_NESTED);
		mb_str(m, AVFENCE_LEVEL_A_NAME, "UNCLASSIFIED");
		mb_end(m, nest);
		mb_str(m, AVFENCE_A_DEFAULT_LEVEL, "UNCLASSIFIED");
		{
			uint32_t n = AVFENCE_SUBJECTS_MAX - 2 + R(6), per = 0;

			if (R(2))
				n = AVFENCE_SUBJECTS_MAX + 1 + R(50000);
			if (R(2)) {
				put_huge_table(m, n);
				break;
			}
			nest = mb_nest(m, AVFENCE_A_SUBJECTS | NLA_F_NESTED);
			for (i = 0; i < n; i++) {
				/* Empty subjects: counted before parsed. */
				if (++per == 8000) {
					mb_end(m, nest);
					nest = mb_nest(m, AVFENCE_A_SUBJECTS | NLA_F_NESTED);
					per = 0;
				}
				mb_end(m, mb_nest(m, AVFENCE_A_SUBJECT | NLA_F_NESTED));
			}
			mb_end(m, nest);
		}
		break;
	case C_SET_MODE:
		mb_start(m, family, rand_flags(seed), AVFENCE_CMD_SET_MODE,
			 rand_version(seed));
		put_mode(seed, m, !privileged);
		put_junk(seed, m, R(4) == 0);
		break;
	case C_UNKNOWN_CMD:
		mb_start(m, family, rand_flags(seed), unknown_cmds[R(sizeof(unknown_cmds))],
			 rand_version(seed));
		if (R(2))
			build_load(seed, m, 1);
		break;
	case C_STATUS:
		e = MAY_REPLY;
		mb_start(m, family, rand_flags(seed), AVFENCE_CMD_GET_STATUS,
			 rand_version(seed));
		put_junk(seed, m, R(3));
		break;
	case C_LABEL: {
		char pbuf[AVFENCE_PATH_MAX + 16];
		const char *p = rand_path(seed, pbuf, sizeof(pbuf));

		e = MAY_REPLY;
		mb_start(m, family, rand_flags(seed), AVFENCE_CMD_GET_LABEL,
			 rand_version(seed));
		if (R(8))
			rand_str_attr(seed, m, AVFENCE_A_PATH, p, strlen(p));
		if (R(6) == 0)
			mutate(seed, m, NLMSG_LENGTH(GENL_HDRLEN));
		break;
	}
	case C_DUMP:
		e = MAY_REPLY;
		mb_start(m, family, NLM_F_REQUEST | NLM_F_ACK | (R(4) ? NLM_F_DUMP : 0),
			 AVFENCE_CMD_GET_TAGGED, rand_version(seed));
		put_junk(seed, m, R(3));
		break;
	case C_BAD_HDR:
		e = NO_ANSWER_OK;
		poisoned_load(seed, m);
		switch (R(4)) {
		case 0:	/* shorter than the genl header */
			((struct nlmsghdr *)m->buf)->nlmsg_len = NLMSG_HDRLEN + R(GENL_HDRLEN);
			break;
		case 1:	/* longer than what is sent */
			((struct nlmsghdr *)m->buf)->nlmsg_len = m->len + 1 + R(4096);
			break;
		case 2:	/* cut in the middle of the header */
			m->len = R(NLMSG_HDRLEN + GENL_HDRLEN);
			break;
		default: /* shorter than the attributes */
			((struct nlmsghdr *)m->buf)->nlmsg_len =
				NLMSG_LENGTH(GENL_HDRLEN) + R(m->len - NLMSG_LENGTH(GENL_HDRLEN) + 1);
		}
		goto send;
	case C_BATCH: {
		/* A poisoned load and junk in one datagram. */
		size_t first;

		poisoned_load(seed, m);
		((struct nlmsghdr *)m->buf)->nlmsg_seq = *seq + 1;
		first = m->len;
		{
			struct mb m2 = { .buf = m->buf + first };

			/* Never another family: only ours or control types. */
			static const uint16_t types[] = { NLMSG_NOOP, NLMSG_DONE, 0, 0xf };

			mb_start(&m2, R(4) ? family : types[R(4)],
				 rand_flags(seed), AVFENCE_CMD_SET_MODE, 1);
			put_mode(seed, &m2, 0);
			mb_finish(&m2);
			m->len += m2.len;
		}
		e = MUST_FAIL;	/* the poisoned first part has the seq */
		break;
	}
	default:
		break;
	}
	if (c != C_BATCH)
		mb_finish(m);
send:
	*seq += 3;
	err = xfer(fd, m, *seq, &a);
	if (err) {
		atomic_fetch_add(&sh->hangs, 1);
		atomic_fetch_add(&sh->violations, 1);
		note("%s %s: no answer to the ping (%d)", who, cat_name[c], err);
		return err;
	}
	judge(c, e, &a, who);
	return 0;
}

static void fuzz_loop(uint64_t seed, int privileged, const char *who,
		      _Atomic uint64_t *counter)
{
	struct mb m = { .buf = malloc(MAXMSG + 65536) };
	uint32_t seq = 1;
	int fd[2], i;

	if (!m.buf)
		return;
	for (i = 0; i < 2; i++)
		fd[i] = sock_open(i);
	while (!atomic_load(&sh->stop)) {
		i = rnd(&seed) & 1;
		if (fd[i] < 0)
			break;
		if (fuzz_one(&seed, fd[i], &m, &seq, privileged, who)) {
			/* a socket that hung: start afresh */
			close(fd[i]);
			fd[i] = sock_open(i);
		}
		if (counter)
			atomic_fetch_add(counter, 1);
		/* A fresh socket now and then: their teardown races too. */
		if ((rnd(&seed) & 255) == 0) {
			close(fd[i]);
			fd[i] = sock_open(i);
		}
	}
	for (i = 0; i < 2; i++)
		if (fd[i] >= 0)
			close(fd[i]);
	free(m.buf);
}

/*
 * Unprivileged and tagged fuzzers: no poison, and valid policies and mode
 * changes mixed in; every change must still be refused.
 */
static void fuzz_unpriv_loop(uint64_t seed, const char *who,
			     _Atomic uint64_t *counter)
{
	fuzz_loop(seed, 0, who, counter);
}

/* Status with the digest */

struct fz_status {
	uint64_t generation;
	uint32_t mode, nlevels, nsubjects;
	uint8_t digest[AVFENCE_DIGEST_LEN];
	int has_digest;
};

static int fz_status(struct fz_status *st)
{
	static char reply[AVF_NL_BUF];
	struct nlattr *tb[AVFENCE_A_MAX + 1];
	struct avf_status s;
	int err, len = 0;

	memset(st, 0, sizeof(*st));
	err = avf_get_status(&s);
	if (err)
		return err;
	st->generation = s.generation;
	st->mode = s.mode;
	st->nlevels = s.levels;
	st->nsubjects = s.subject_count;
	err = avf_nl_do(AVFENCE_CMD_GET_STATUS, NULL, NULL, reply, &len);
	if (err)
		return err;
	avf_nl_parse(tb, AVFENCE_A_MAX, (struct nlattr *)reply, len);
	if (tb[AVFENCE_A_DIGEST] &&
	    avf_nla_len(tb[AVFENCE_A_DIGEST]) == AVFENCE_DIGEST_LEN) {
		memcpy(st->digest, avf_nla_data(tb[AVFENCE_A_DIGEST]),
		       AVFENCE_DIGEST_LEN);
		st->has_digest = 1;
	}
	return 0;
}

static const char *const p0_levels[] = {
	"UNCLASSIFIED", "OFFICIAL", "SECRET", "TOP-SECRET", NULL,
};
static const char *const p0_paths[] = { SCANNER, FZ_AGENT, NULL };
static const char *const p0_clear[] = { "OFFICIAL", "OFFICIAL", NULL };
static const struct avf_policy_desc p0 = {
	.mode = AVFENCE_MODE_ENFORCE,
	.levels = p0_levels,
	.default_level = "UNCLASSIFIED",
	.subject_paths = p0_paths,
	.subject_clearances = p0_clear,
};

static int resolve_family(void)
{
	int fd = avf_nl_open(&family);

	if (fd < 0)
		return fd;
	close(fd);
	return 0;
}

/* The tagged fuzzer: this program exec'd as FZ_AGENT (a subject). */
static int agent_main(int argc, char **argv)
{
	uint64_t seed = strtoull(argv[2], NULL, 0) | 1;
	int shmfd = atoi(argv[3]);

	sh = mmap(NULL, sizeof(*sh), PROT_READ | PROT_WRITE, MAP_SHARED, shmfd, 0);
	if (sh == MAP_FAILED || resolve_family())
		return 3;
	fuzz_unpriv_loop(seed, "tagged", &sh->tagged_sent);
	return 0;
}

static int drop_to_nobody(void)
{
	struct __user_cap_header_struct h = { .version = _LINUX_CAPABILITY_VERSION_3 };
	struct __user_cap_data_struct d[2] = { { 0 } };

	if (setresgid(65534, 65534, 65534) || setresuid(65534, 65534, 65534))
		return -errno;
	return syscall(SYS_capset, &h, d) ? -errno : 0;
}

static int fuzz_seconds(void)
{
	return env_seconds("AVF_FUZZ_SECONDS", 15);
}

static uint64_t fuzz_seed(void)
{
	return env_seed(0xf0220a7f2024ULL);
}

FIXTURE(fuzz) {
	int shmfd;
};

FIXTURE_SETUP(fuzz)
{
	char exe[PATH_MAX];
	ssize_t n;

	self->shmfd = memfd_create("avf-fuzz", 0);
	ASSERT_LE(0, self->shmfd);
	ASSERT_EQ(0, ftruncate(self->shmfd, sizeof(struct shared)));
	sh = mmap(NULL, sizeof(*sh), PROT_READ | PROT_WRITE, MAP_SHARED,
		  self->shmfd, 0);
	ASSERT_NE(MAP_FAILED, sh);
	ASSERT_EQ(0, mount_tmpfs(FZ));
	ASSERT_EQ(0, chmod(FZ, 0755));
	n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	ASSERT_LT(0, n);
	exe[n] = '\0';
	ASSERT_EQ(0, copy_file(exe, FZ_AGENT, 0755));
	ASSERT_EQ(0, write_file(FZ_SECRET, "secret\n"));
	ASSERT_EQ(0, set_label(FZ_SECRET, "SECRET"));
	ASSERT_EQ(0, resolve_family());
	ASSERT_EQ(0, avf_load(&p0));
}

FIXTURE_TEARDOWN(fuzz)
{
	load_no_subject();
	umount_tmpfs(FZ);
}

static void print_stats(double dt)
{
	uint64_t total = 0;
	int c, e;

	for (c = 0; c < NCATS; c++)
		total += sh->sent[c];
	printf("# fuzz: %llu messages in %.1f s (%.0f/s) from %d root, 1 unprivileged, 1 tagged process; %llu unprivileged, %llu tagged\n",
	       (unsigned long long)total, dt, total / dt, NROOT,
	       (unsigned long long)sh->unpriv_sent,
	       (unsigned long long)sh->tagged_sent);
	for (c = 0; c < NCATS; c++)
		printf("# fuzz:   %-20s sent %6llu errors %6llu replies %6llu\n",
		       cat_name[c], (unsigned long long)sh->sent[c],
		       (unsigned long long)sh->errors[c],
		       (unsigned long long)sh->replies[c]);
	printf("# fuzz: errors by errno:");
	for (e = 0; e < 160; e++)
		if (sh->err_by_errno[e])
			printf(" %s=%llu", strerrorname_np(e) ?: "?",
			       (unsigned long long)sh->err_by_errno[e]);
	printf("\n");
}

TEST_F_TIMEOUT(fuzz, hostile_messages, 600)
{
	uint64_t seed = fuzz_seed(), t0, violations;
	struct fz_status before, after;
	int secs = fuzz_seconds(), i, status, n = 0;
	char a_seed[32], a_fd[16];
	pid_t pids[NROOT + 2];

	printf("# fuzz: seed %#llx, %d s\n", (unsigned long long)seed, secs);
	ASSERT_EQ(0, fz_status(&before));
	ASSERT_TRUE(before.has_digest);
	ASSERT_EQ(4, before.nlevels);
	ASSERT_EQ(2, before.nsubjects);

	t0 = monotonic_ns();
	for (i = 0; i < NROOT; i++) {
		uint64_t s = rnd(&seed);

		pids[n] = fork();
		if (pids[n] == 0) {
			char who[16];

			snprintf(who, sizeof(who), "root%d", i);
			fuzz_loop(s, 1, who, NULL);
			_exit(0);
		}
		n++;
	}
	{
		uint64_t s = rnd(&seed);

		pids[n] = fork();
		if (pids[n] == 0) {
			if (drop_to_nobody()) {
				note("cannot drop to nobody");
				atomic_fetch_add(&sh->violations, 1);
				_exit(1);
			}
			fuzz_unpriv_loop(s, "nobody", &sh->unpriv_sent);
			_exit(0);
		}
		n++;
	}
	snprintf(a_seed, sizeof(a_seed), "%llu", (unsigned long long)rnd(&seed));
	snprintf(a_fd, sizeof(a_fd), "%d", self->shmfd);
	pids[n] = fork();
	if (pids[n] == 0) {
		execl(FZ_AGENT, "agent", "--agent", a_seed, a_fd, (char *)NULL);
		_exit(127);
	}
	n++;
	while (monotonic_ns() - t0 < (uint64_t)secs * 1000000000ULL)
		usleep(100000);
	atomic_store(&sh->stop, 1);
	for (i = 0; i < n; i++) {
		ASSERT_EQ(pids[i], waitpid(pids[i], &status, 0));
		EXPECT_EQ(0, exit_code(status));
	}
	print_stats((monotonic_ns() - t0) / 1e9);
	note_print(_metadata, &sh->log);
	violations = sh->violations;
	EXPECT_EQ(0, violations);
	EXPECT_EQ(0, (uint64_t)sh->hangs);
	EXPECT_LT(20, (uint64_t)sh->unpriv_sent);
	EXPECT_LT(20, (uint64_t)sh->tagged_sent);

	/* The old policy is still in force, untouched. */
	ASSERT_EQ(0, fz_status(&after));
	EXPECT_EQ(before.generation, after.generation);
	EXPECT_EQ(before.mode, after.mode);
	EXPECT_EQ(before.nlevels, after.nlevels);
	EXPECT_EQ(before.nsubjects, after.nsubjects);
	EXPECT_EQ(0, memcmp(before.digest, after.digest, AVFENCE_DIGEST_LEN));
	EXPECT_EQ(EACCES, run(SCANNER, "open", FZ_SECRET, "r", NULL));
	EXPECT_EQ(0, run(PLAIN, "open", FZ_SECRET, "r", NULL));
}

/* Many sockets load one same valid policy at once: all succeed. */
TEST_F_TIMEOUT(fuzz, concurrent_valid_loads, 300)
{
	const int procs = 4, loads = 25;
	struct fz_status before, after;
	int i, status;
	pid_t pids[4];

	ASSERT_EQ(0, fz_status(&before));
	for (i = 0; i < procs; i++) {
		pids[i] = fork();
		if (pids[i] == 0) {
			int j, bad = 0;

			for (j = 0; j < loads; j++)
				bad += avf_load(&p0) != 0;
			_exit(bad);
		}
	}
	for (i = 0; i < procs; i++) {
		ASSERT_EQ(pids[i], waitpid(pids[i], &status, 0));
		EXPECT_EQ(0, exit_code(status));
	}
	ASSERT_EQ(0, fz_status(&after));
	EXPECT_EQ(before.generation + procs * loads, after.generation);
	EXPECT_EQ(0, memcmp(before.digest, after.digest, AVFENCE_DIGEST_LEN));
	EXPECT_EQ(EACCES, run(SCANNER, "open", FZ_SECRET, "r", NULL));
}

static void __attribute__((constructor)) __constructor_order_last(void)
{
	if (!__constructor_order)
		__constructor_order = _CONSTRUCTOR_ORDER_BACKWARD;
}

int main(int argc, char **argv)
{
	if (argc == 4 && !strcmp(argv[1], "--agent"))
		return agent_main(argc, argv);
	return test_harness_run(argc, argv);
}

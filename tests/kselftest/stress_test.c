// SPDX-License-Identifier: GPL-2.0
/*
 * avfence stress test (issue 6): for a bounded time (AVF_STRESS_SECONDS,
 * default 20), worker processes open labelled and unlabelled files in a
 * loop, tagged and untagged, while
 *   - a policy controller reloads the policy over and over (A and B below,
 *     each in enforce or audit mode) and flips the mode with SET_MODE,
 *   - a labeller (untagged root) changes the labels of a file and of a
 *     directory with setxattr/removexattr,
 *   - workers exec subject binaries (and, tagged, a non-subject one), fork
 *     and exit all the time (a spawner replaces each one that exits),
 *   - a reader dumps GET_STATUS and GET_TAGGED, and a listener drains the
 *     event multicast group.
 * Every open (and a read of every opened file) is checked against the
 * answer the state of that moment dictates; a single wrong decision fails.
 *
 * Unambiguous answers: the controller and the labeller each publish their
 * state changes with a sequence count (odd while a change is under way)
 * and a history of states by epoch.  A worker samples both counts before
 * and after a system call; every state the kernel may have been in during
 * the call lies between those samples.  The decision is checked when all
 * of those states dictate the same answer (nearly always), and otherwise
 * counted as "ambiguous" (reported).
 *
 * Policies (levels UNCLASSIFIED OFFICIAL SECRET TOP-SECRET in both):
 *   A: default UNCLASSIFIED, subject w1 OFFICIAL, w2 SECRET, 8 dummies
 *   B: default OFFICIAL,     subject w1 SECRET,   w2 OFFICIAL, 40 dummies
 * (a default above a subject's clearance would fence it off its own pipes
 * and memory, so both defaults stay at or below every clearance).
 *
 * ST (tmpfs)
 * ├── bin/w1, bin/w2   copies of this program, the subjects
 * ├── bin/plain        a copy that is never a subject
 * ├── sub/dummyNN      other subjects (empty files), to make loads heavier
 * └── lab/
 *     ├── u o s t      UNCLASSIFIED OFFICIAL SECRET TOP-SECRET
 *     ├── n            no label: the policy default
 *     ├── m            label changed by the labeller (none U S TS)
 *     ├── d/           label changed by the labeller (none U S TS)
 *     │   ├── f        no label: d's, else the default
 *     │   └── g        OFFICIAL
 *     ├── hi/          TOP-SECRET
 *     ├── lo/          no label
 *     └── (hi or lo)/mv/mf  a directory and a file without labels that the
 *                      labeller moves between hi/ and lo/ (rename): their
 *                      label follows, whatever the module cached
 */
#include <poll.h>
#include <stdatomic.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <time.h>

#include "common.h"

#define ST		"/tmp/avf-stress"
#define W1		ST "/bin/w1"
#define W2		ST "/bin/w2"
#define WPLAIN		ST "/bin/plain"
#define NDUMMY		40
#define HIST		65536	/* states remembered, by epoch */
#define MAX_SPAN	64	/* more epochs in one call: not judged */
#define NSLOTS		8

enum kind { K_W1, K_W2, K_CHAIN, K_FORK, K_UNTAGGED, NKINDS };
static const char *const kind_name[NKINDS] = {
	"w1", "w2", "w1-then-exec-plain", "w2-then-fork", "untagged",
};
/* Which worker runs in which slot: 6 tagged, 2 untagged. */
static const enum kind slot_kind[NSLOTS] = {
	K_W1, K_W2, K_CHAIN, K_FORK, K_W1, K_W2, K_UNTAGGED, K_UNTAGGED,
};

enum { LV_U, LV_O, LV_S, LV_TS, LV_NONE = -1 };
static const char *const level_name[] = {
	"UNCLASSIFIED", "OFFICIAL", "SECRET", "TOP-SECRET",
};

/* Policy state: bit 0 policy (A/B), bit 1 mode (0 enforce, 1 audit). */
#define P_B(p)		((p) & 1)
#define P_AUDIT(p)	(((p) >> 1) & 1)
/*
 * Label state: whether mv/ is in hi/ (* 25), m's label (* 5) and d's
 * label, each LV_NONE..LV_TS shifted by 1.
 */
#define L_M(l)		((int)((l) % 25 / 5) - 1)
#define L_D(l)		((int)((l) % 5) - 1)
#define L_HI(l)		((l) / 25)
#define L_MAKE(m, d, hi) ((uint8_t)((hi) * 25 + ((m) + 1) * 5 + (d) + 1))

/* F_MV_HI/LO: under hi/ or lo/; ENOENT when mv/ is in the other one. */
enum file_kind { F_OWN, F_DEFAULT, F_M, F_D, F_OPATH, F_MV_HI, F_MV_LO };
static const struct st_file {
	const char *path;
	int flags;
	enum file_kind kind;
	int level;		/* F_OWN */
} files[] = {
	{ ST "/lab/u", O_RDONLY, F_OWN, LV_U },
	{ ST "/lab/o", O_RDONLY, F_OWN, LV_O },
	{ ST "/lab/s", O_RDONLY, F_OWN, LV_S },
	{ ST "/lab/t", O_RDONLY, F_OWN, LV_TS },
	{ ST "/lab/n", O_RDONLY, F_DEFAULT, 0 },
	{ ST "/lab/m", O_RDONLY, F_M, 0 },
	{ ST "/lab/m", O_RDWR, F_M, 0 },
	{ ST "/lab/d", O_RDONLY | O_DIRECTORY, F_D, 0 },
	{ ST "/lab/d/f", O_RDONLY, F_D, 0 },
	{ ST "/lab/d/g", O_RDONLY, F_OWN, LV_O },
	{ ST "/lab/t", O_PATH, F_OPATH, 0 },
	{ ST "/lab/s", O_WRONLY | O_APPEND, F_OWN, LV_S },
	{ ST "/lab/hi/mv/mf", O_RDONLY, F_MV_HI, 0 },
	{ ST "/lab/lo/mv/mf", O_RDONLY, F_MV_LO, 0 },
	{ ST "/lab/hi/mv", O_RDONLY | O_DIRECTORY, F_MV_HI, 0 },
	{ ST "/lab/lo/mv", O_RDONLY | O_DIRECTORY, F_MV_LO, 0 },
};
#define NFILES (sizeof(files) / sizeof(files[0]))

struct shared {
	_Atomic uint64_t pseq, lseq;
	_Atomic int stop;
	uint8_t phist[HIST], lhist[HIST];
	/* decisions */
	_Atomic uint64_t opens, reads, checked, checked_denied, ambiguous;
	_Atomic uint64_t wrong, per_kind[NKINDS];
	_Atomic uint64_t worker_errors, execs;
	/* changes */
	_Atomic uint64_t reloads, mode_flips, label_changes, ctl_errors;
	_Atomic uint64_t status_calls, dumps, tagged_seen, events;
	struct note_log log;
};

static struct shared *sh;

#define note(...) note_to(&sh->log, __VA_ARGS__)

/* Expected answer */

static int clearance(uint8_t p, enum kind k)
{
	switch (k) {
	case K_W1:
	case K_CHAIN:
		return P_B(p) ? LV_S : LV_O;
	case K_W2:
	case K_FORK:
		return P_B(p) ? LV_O : LV_S;
	default:
		return -1;	/* untagged */
	}
}

static int file_level(uint8_t p, uint8_t l, const struct st_file *f)
{
	int dflt = P_B(p) ? LV_O : LV_U, v;

	switch (f->kind) {
	case F_OWN:
		return f->level;
	case F_M:
		v = L_M(l);
		return v == LV_NONE ? dflt : v;
	case F_D:
		v = L_D(l);
		return v == LV_NONE ? dflt : v;
	case F_MV_HI:
	case F_MV_LO:
		return L_HI(l) ? LV_TS : dflt;
	default:
		return dflt;
	}
}

/*
 * The answer to an open (@read 0) of @f's path, or to a read of an fd
 * opened there (@read 1: the file is wherever it was moved since).
 */
static int expected(uint8_t p, uint8_t l, enum kind k, const struct st_file *f,
		    int read)
{
	int c = clearance(p, k);

	if (!read && ((f->kind == F_MV_HI && !L_HI(l)) ||
		      (f->kind == F_MV_LO && L_HI(l))))
		return ENOENT;
	if (c < 0 || P_AUDIT(p) || f->kind == F_OPATH)
		return 0;
	return file_level(p, l, f) <= c ? 0 : EACCES;
}

struct window {
	uint64_t p1, l1, p2, l2;
};

static void window_open(struct window *w)
{
	w->p1 = atomic_load(&sh->pseq);
	w->l1 = atomic_load(&sh->lseq);
}

static void window_close(struct window *w)
{
	w->p2 = atomic_load(&sh->pseq);
	w->l2 = atomic_load(&sh->lseq);
}

/*
 * Check @got against every state the window may have seen.  Return 0 if
 * judged right or ambiguous, 1 if wrong.
 */
static int judge(const struct window *w, enum kind k, const struct st_file *f,
		 int read, int got)
{
	uint64_t plo = w->p1 >> 1, phi = (w->p2 + 1) >> 1;
	uint64_t llo = w->l1 >> 1, lhi = (w->l2 + 1) >> 1, pe, le;
	int want = -1, e;

	if (phi - plo > MAX_SPAN || lhi - llo > MAX_SPAN) {
		atomic_fetch_add(&sh->ambiguous, 1);
		return 0;
	}
	for (pe = plo; pe <= phi; pe++) {
		for (le = llo; le <= lhi; le++) {
			e = expected(sh->phist[pe % HIST], sh->lhist[le % HIST],
				     k, f, read);
			if (want >= 0 && e != want) {
				atomic_fetch_add(&sh->ambiguous, 1);
				return 0;
			}
			want = e;
		}
	}
	if (got == want) {
		atomic_fetch_add(&sh->checked, 1);
		atomic_fetch_add(&sh->per_kind[k], 1);
		if (want)
			atomic_fetch_add(&sh->checked_denied, 1);
		return 0;
	}
	atomic_fetch_add(&sh->wrong, 1);
	note("WRONG %s %s flags=%#x by %s (pid %d): got %d want %d; "
	     "policy %s/%s label m=%d d=%d mv-in-hi=%d (epochs p %llu..%llu l %llu..%llu)",
	     read ? "read" : "open", f->path, f->flags, kind_name[k], getpid(),
	     got, want,
	     P_B(sh->phist[plo % HIST]) ? "B" : "A",
	     P_AUDIT(sh->phist[plo % HIST]) ? "audit" : "enforce",
	     L_M(sh->lhist[llo % HIST]), L_D(sh->lhist[llo % HIST]),
	     L_HI(sh->lhist[llo % HIST]),
	     (unsigned long long)plo, (unsigned long long)phi,
	     (unsigned long long)llo, (unsigned long long)lhi);
	return 1;
}

/* Workers */

static int worker_loop(enum kind k, uint64_t seed, uint64_t life_ns)
{
	uint64_t end = monotonic_ns() + life_ns;
	struct window w;
	char c;
	int fd, err;

	while (!atomic_load(&sh->stop) && monotonic_ns() < end) {
		const struct st_file *f = &files[rnd(&seed) % NFILES];

		window_open(&w);
		fd = open(f->path, f->flags | O_CLOEXEC);
		err = fd < 0 ? errno : 0;
		window_close(&w);
		atomic_fetch_add(&sh->opens, 1);
		if (err && err != EACCES && err != ENOENT) {
			atomic_fetch_add(&sh->worker_errors, 1);
			note("open %s: %s", f->path, strerror(err));
		} else {
			judge(&w, k, f, 0, err);
		}
		if (fd < 0)
			continue;
		/* A read (or write) of the open file passes the fence too. */
		if (f->kind != F_OPATH && !(f->flags & O_DIRECTORY)) {
			window_open(&w);
			if ((f->flags & O_ACCMODE) == O_WRONLY)
				err = write(fd, "x", 1) < 0 ? errno : 0;
			else
				err = read(fd, &c, 1) < 0 ? errno : 0;
			window_close(&w);
			atomic_fetch_add(&sh->reads, 1);
			if (err && err != EACCES) {
				atomic_fetch_add(&sh->worker_errors, 1);
				note("read %s: %s", f->path, strerror(err));
			} else {
				judge(&w, k, f, 1, err);
			}
		}
		close(fd);
	}
	return 0;
}

/* argv: "--worker" KIND STAGE SEED SHMFD LIFE_MS */
static int worker_main(int argc, char **argv)
{
	enum kind k;
	uint64_t seed, life;
	int shmfd, stage, status;
	char buf[4][24];
	pid_t pid;

	if (argc != 7)
		return 2;
	k = atoi(argv[2]);
	stage = atoi(argv[3]);
	seed = strtoull(argv[4], NULL, 0) | 1;
	shmfd = atoi(argv[5]);
	life = strtoull(argv[6], NULL, 0) * 1000000ULL;
	sh = mmap(NULL, sizeof(*sh), PROT_READ | PROT_WRITE, MAP_SHARED, shmfd, 0);
	if (sh == MAP_FAILED)
		return 3;
	if (k == K_CHAIN && stage == 0) {
		/* Tagged by w1: exec a binary that is no subject; the tag stays. */
		snprintf(buf[0], sizeof(buf[0]), "%d", k);
		snprintf(buf[1], sizeof(buf[1]), "%llu", (unsigned long long)seed);
		snprintf(buf[2], sizeof(buf[2]), "%d", shmfd);
		snprintf(buf[3], sizeof(buf[3]), "%s", argv[6]);
		atomic_fetch_add(&sh->execs, 1);
		execl(WPLAIN, "plain", "--worker", buf[0], "1", buf[1], buf[2],
		      buf[3], (char *)NULL);
		atomic_fetch_add(&sh->worker_errors, 1);
		note("exec %s: %s", WPLAIN, strerror(errno));
		return 4;
	}
	if (k == K_FORK) {
		/* The child inherits the tag. */
		pid = fork();
		if (pid < 0)
			return 5;
		if (pid > 0) {
			waitpid(pid, &status, 0);
			return exit_code(status);
		}
	}
	return worker_loop(k, seed, life);
}

/* Policies, sent straight over netlink (avfencectl would be the bottleneck). */

static const char *const levels4[] = {
	"UNCLASSIFIED", "OFFICIAL", "SECRET", "TOP-SECRET", NULL,
};
static const char *subj_paths[2][NDUMMY + 3];
static const char *subj_clear[2][NDUMMY + 3];
static char dummy_path[NDUMMY][64];

static void build_policies(void)
{
	int b, i, n;

	for (b = 0; b < 2; b++) {
		n = 0;
		subj_paths[b][n] = W1;
		subj_clear[b][n++] = b ? "SECRET" : "OFFICIAL";
		subj_paths[b][n] = W2;
		subj_clear[b][n++] = b ? "OFFICIAL" : "SECRET";
		for (i = 0; i < (b ? NDUMMY : 8); i++) {
			subj_paths[b][n] = dummy_path[i];
			subj_clear[b][n++] = level_name[i % 4];
		}
		subj_paths[b][n] = NULL;
		subj_clear[b][n] = NULL;
	}
}

static int load_state(uint8_t p)
{
	/* The workers write in ST (a tmpfs of its own). */
	static const char *const write[] = { "/tmp", ST, NULL };
	struct avf_policy_desc d = {
		.subject_write = write,
		.mode = P_AUDIT(p) ? AVFENCE_MODE_AUDIT : AVFENCE_MODE_ENFORCE,
		.levels = levels4,
		.default_level = P_B(p) ? "OFFICIAL" : "UNCLASSIFIED",
		.subject_paths = subj_paths[P_B(p)],
		.subject_clearances = subj_clear[P_B(p)],
	};

	return avf_load(&d);
}

/* Publish a change: the new state, odd count, change, even count. */
#define CHANGE(seq, hist, state, action) ({				\
	uint64_t _s = atomic_load(&sh->seq);				\
	int _err;							\
	sh->hist[((_s >> 1) + 1) % HIST] = (state);			\
	atomic_store(&sh->seq, _s + 1);					\
	_err = (action);						\
	atomic_store(&sh->seq, _s + 2);					\
	_err;								\
})

static uint8_t cur_p(void)
{
	return sh->phist[(atomic_load(&sh->pseq) >> 1) % HIST];
}

static uint8_t cur_l(void)
{
	return sh->lhist[(atomic_load(&sh->lseq) >> 1) % HIST];
}

static int controller(uint64_t seed)
{
	uint8_t p, next;
	int err;

	while (!atomic_load(&sh->stop)) {
		p = cur_p();
		if (rnd(&seed) % 4 == 0) {
			next = p ^ 2;
			err = CHANGE(pseq, phist, next,
				     avf_set_mode(P_AUDIT(next) ? AVFENCE_MODE_AUDIT :
						  AVFENCE_MODE_ENFORCE));
			atomic_fetch_add(&sh->mode_flips, 1);
		} else {
			/* Mostly enforce: denials are the interesting answers. */
			next = (p ^ 1) & 1;
			if (rnd(&seed) % 4 == 0)
				next |= 2;
			err = CHANGE(pseq, phist, next, load_state(next));
			atomic_fetch_add(&sh->reloads, 1);
		}
		if (err) {
			atomic_fetch_add(&sh->ctl_errors, 1);
			note("policy change to %d: %s", next, strerror(-err));
		}
	}
	return 0;
}

static int apply_label(const char *path, int level)
{
	if (level == LV_NONE)
		return removexattr(path, "security.avfence") ? -errno : 0;
	return set_label(path, level_name[level]);
}

static int labeller(uint64_t seed)
{
	uint8_t l, next;
	int m, d, hi, v, err, what;

	while (!atomic_load(&sh->stop)) {
		l = cur_l();
		m = L_M(l);
		d = L_D(l);
		hi = L_HI(l);
		what = rnd(&seed) % 3;
		do
			v = (int)(rnd(&seed) % 5) - 1;
		while (v == (what == 0 ? m : d));
		if (what == 0) {
			next = L_MAKE(v, d, hi);
			err = CHANGE(lseq, lhist, next, apply_label(ST "/lab/m", v));
		} else if (what == 1) {
			next = L_MAKE(m, v, hi);
			err = CHANGE(lseq, lhist, next, apply_label(ST "/lab/d", v));
		} else {
			next = L_MAKE(m, d, !hi);
			err = CHANGE(lseq, lhist, next,
				     rename(hi ? ST "/lab/hi/mv" : ST "/lab/lo/mv",
					    hi ? ST "/lab/lo/mv" : ST "/lab/hi/mv") ? -errno : 0);
		}
		atomic_fetch_add(&sh->label_changes, 1);
		if (err) {
			atomic_fetch_add(&sh->ctl_errors, 1);
			note("label change to %d: %s", next, strerror(-err));
		}
		usleep(rnd(&seed) % 2000);
	}
	return 0;
}

/* GET_TAGGED dump: the number of tasks listed, or -errno. */
static int dump_tagged(void)
{
	static char buf[32768];
	struct avf_nl_req req;
	struct sockaddr_nl sa = { .nl_family = AF_NETLINK };
	uint16_t family = 0;
	int fd, n = 0, done = 0;
	ssize_t len;

	fd = avf_nl_open(&family);
	if (fd < 0)
		return fd;
	avf_nl_init(&req, family, AVFENCE_CMD_GET_TAGGED, AVFENCE_GENL_VERSION);
	req.n.nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP;
	req.n.nlmsg_seq = 1;
	if (sendto(fd, &req, req.n.nlmsg_len, 0, (struct sockaddr *)&sa,
		   sizeof(sa)) < 0) {
		n = -errno;
		done = 1;
	}
	while (!done) {
		struct nlmsghdr *h;

		len = recv(fd, buf, sizeof(buf), 0);
		if (len < 0) {
			n = -errno;
			break;
		}
		for (h = (struct nlmsghdr *)buf; NLMSG_OK(h, len);
		     h = NLMSG_NEXT(h, len)) {
			if (h->nlmsg_type == NLMSG_DONE) {
				done = 1;
				break;
			}
			if (h->nlmsg_type == NLMSG_ERROR) {
				n = ((struct nlmsgerr *)NLMSG_DATA(h))->error;
				done = 1;
				break;
			}
			n++;
		}
	}
	close(fd);
	return n;
}

static int reader(void)
{
	struct avf_status st;
	int err, n;

	while (!atomic_load(&sh->stop)) {
		err = avf_get_status(&st);
		atomic_fetch_add(&sh->status_calls, 1);
		if (err) {
			atomic_fetch_add(&sh->ctl_errors, 1);
			note("GET_STATUS: %s", strerror(-err));
		}
		n = dump_tagged();
		atomic_fetch_add(&sh->dumps, 1);
		if (n < 0) {
			atomic_fetch_add(&sh->ctl_errors, 1);
			note("GET_TAGGED: %s", strerror(-n));
		} else {
			atomic_fetch_add(&sh->tagged_seen, n);
		}
		usleep(20000);
	}
	return 0;
}

/* The multicast group id of avfence's "events", or -errno. */
static int events_group(int fd, uint16_t *family)
{
	static char reply[AVF_NL_BUF];
	struct nlattr *tb[CTRL_ATTR_MAX + 1], *g, *a;
	int err, len = 0, l, gl;

	err = avf_nl_get_family(fd, reply, &len);
	if (err)
		return err;
	avf_nl_parse(tb, CTRL_ATTR_MAX, (struct nlattr *)reply, len);
	if (!tb[CTRL_ATTR_FAMILY_ID] || !tb[CTRL_ATTR_MCAST_GROUPS])
		return -ENOENT;
	*family = *(uint16_t *)avf_nla_data(tb[CTRL_ATTR_FAMILY_ID]);
	g = avf_nla_data(tb[CTRL_ATTR_MCAST_GROUPS]);
	l = avf_nla_len(tb[CTRL_ATTR_MCAST_GROUPS]);
	while (l >= NLA_HDRLEN && g->nla_len >= NLA_HDRLEN && g->nla_len <= l) {
		struct nlattr *gt[CTRL_ATTR_MCAST_GRP_MAX + 1];

		a = avf_nla_data(g);
		gl = avf_nla_len(g);
		avf_nl_parse(gt, CTRL_ATTR_MCAST_GRP_MAX, a, gl);
		if (gt[CTRL_ATTR_MCAST_GRP_ID] && gt[CTRL_ATTR_MCAST_GRP_NAME] &&
		    !strcmp(avf_nla_data(gt[CTRL_ATTR_MCAST_GRP_NAME]),
			    AVFENCE_MCGRP_EVENTS))
			return *(uint32_t *)avf_nla_data(gt[CTRL_ATTR_MCAST_GRP_ID]);
		l -= NLA_ALIGN(g->nla_len);
		g = (struct nlattr *)((char *)g + NLA_ALIGN(g->nla_len));
	}
	return -ENOENT;
}

static int listener(void)
{
	static char buf[65536];
	struct timeval tv = { .tv_usec = 100000 };
	uint16_t family;
	int fd, grp;
	ssize_t len;

	fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_GENERIC);
	if (fd < 0)
		return 1;
	grp = events_group(fd, &family);
	if (grp < 0 || setsockopt(fd, SOL_NETLINK, NETLINK_ADD_MEMBERSHIP,
				  &grp, sizeof(grp))) {
		note("event listener: no group (%d)", grp);
		atomic_fetch_add(&sh->ctl_errors, 1);
		return 1;
	}
	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	while (!atomic_load(&sh->stop)) {
		struct nlmsghdr *h;

		len = recv(fd, buf, sizeof(buf), 0);
		if (len < 0)
			continue;	/* timeout, or ENOBUFS: events lost */
		for (h = (struct nlmsghdr *)buf; NLMSG_OK(h, len);
		     h = NLMSG_NEXT(h, len))
			atomic_fetch_add(&sh->events, 1);
	}
	close(fd);
	return 0;
}

static pid_t spawn_worker(int slot, int shmfd, uint64_t *seed)
{
	enum kind k = slot_kind[slot];
	char a_kind[16], a_seed[32], a_fd[16], a_life[16];
	const char *bin = k == K_W2 || k == K_FORK ? W2 :
			  k == K_UNTAGGED ? WPLAIN : W1;
	pid_t pid;

	snprintf(a_kind, sizeof(a_kind), "%d", k);
	snprintf(a_seed, sizeof(a_seed), "%llu", (unsigned long long)rnd(seed));
	snprintf(a_fd, sizeof(a_fd), "%d", shmfd);
	snprintf(a_life, sizeof(a_life), "%llu",
		 (unsigned long long)(50 + rnd(seed) % 400));
	pid = fork();
	if (pid == 0) {
		execl(bin, kind_name[k], "--worker", a_kind, "0", a_seed, a_fd,
		      a_life, (char *)NULL);
		_exit(127);
	}
	if (pid > 0)
		atomic_fetch_add(&sh->execs, 1);
	return pid;
}

static pid_t fork_fn(int (*fn)(uint64_t), uint64_t seed)
{
	pid_t pid = fork();

	if (pid == 0)
		_exit(fn(seed));
	return pid;
}

static int reader_fn(uint64_t seed)
{
	return reader();
}

static int listener_fn(uint64_t seed)
{
	return listener();
}

/* Test setup */

static int make_tree(void)
{
	char self[PATH_MAX];
	ssize_t n;
	int i, err;

	n = readlink("/proc/self/exe", self, sizeof(self) - 1);
	if (n < 0)
		return -errno;
	self[n] = '\0';
	err = mount_tmpfs(ST);
	if (!err)
		err = mkdirs(ST "/bin");
	if (!err)
		err = mkdirs(ST "/sub");
	if (!err)
		err = mkdirs(ST "/lab/d");
	if (!err)
		err = mkdirs(ST "/lab/hi");
	if (!err)
		err = mkdirs(ST "/lab/lo/mv");
	if (!err)
		err = write_file(ST "/lab/lo/mv/mf", "x\n");
	if (!err)
		err = copy_file(self, W1, 0755);
	if (!err)
		err = copy_file(self, W2, 0755);
	if (!err)
		err = copy_file(self, WPLAIN, 0755);
	for (i = 0; !err && i < NDUMMY; i++) {
		snprintf(dummy_path[i], sizeof(dummy_path[i]), ST "/sub/dummy%02d", i);
		err = write_file(dummy_path[i], "");
	}
	for (i = 0; !err && i < (int)NFILES; i++) {
		if (!(files[i].flags & O_DIRECTORY) && files[i].kind != F_MV_HI &&
		    files[i].kind != F_MV_LO)
			err = write_file(files[i].path, "x\n");
	}
	if (!err)
		err = set_label(ST "/lab/u", "UNCLASSIFIED");
	if (!err)
		err = set_label(ST "/lab/o", "OFFICIAL");
	if (!err)
		err = set_label(ST "/lab/s", "SECRET");
	if (!err)
		err = set_label(ST "/lab/t", "TOP-SECRET");
	if (!err)
		err = set_label(ST "/lab/d/g", "OFFICIAL");
	if (!err)
		err = set_label(ST "/lab/hi", "TOP-SECRET");
	return err;
}

static int stress_seconds(void)
{
	return env_seconds("AVF_STRESS_SECONDS", 20);
}

static uint64_t stress_seed(void)
{
	return env_seed(0x5eed0a7f2024ULL);
}

/* Keep the console to warnings and worse: thousands of "policy loaded". */
static char saved_printk[64];

static void quiet_console(void)
{
	FILE *f = fopen("/proc/sys/kernel/printk", "r");

	if (f) {
		if (!fgets(saved_printk, sizeof(saved_printk), f))
			saved_printk[0] = '\0';
		fclose(f);
	}
	write_file("/proc/sys/kernel/printk", "5");
}

static void restore_console(void)
{
	if (saved_printk[0])
		write_file("/proc/sys/kernel/printk", saved_printk);
}

FIXTURE(stress) {
	int shmfd;
};

FIXTURE_SETUP(stress)
{
	self->shmfd = memfd_create("avf-stress", 0);
	ASSERT_LE(0, self->shmfd);
	ASSERT_EQ(0, ftruncate(self->shmfd, sizeof(struct shared)));
	sh = mmap(NULL, sizeof(*sh), PROT_READ | PROT_WRITE, MAP_SHARED,
		  self->shmfd, 0);
	ASSERT_NE(MAP_FAILED, sh);
	ASSERT_EQ(0, make_tree());
	build_policies();
}

FIXTURE_TEARDOWN(stress)
{
	restore_console();
	load_no_subject();
	umount_tmpfs(ST);
}

TEST_F_TIMEOUT(stress, decisions_under_churn, 600)
{
	pid_t slots[NSLOTS], helpers[4];
	uint64_t seed = stress_seed(), t0, t1, gen0, gen1;
	uint64_t opens, checked, denied, reloads, flips, labels, wrong, werr, cerr;
	int secs = stress_seconds(), i, status, nh = 0;
	struct avf_status st;
	double dt;
	uint32_t k;
	pid_t pid;

	TH_LOG("seed %#llx, %d s", (unsigned long long)seed, secs);
	/* Epoch 0: policy A enforce, no mutable labels. */
	sh->phist[0] = 0;
	sh->lhist[0] = L_MAKE(LV_NONE, LV_NONE, 0);
	ASSERT_EQ(0, load_state(0));
	gen0 = generation();
	quiet_console();

	t0 = monotonic_ns();
	helpers[nh++] = fork_fn(controller, rnd(&seed));
	helpers[nh++] = fork_fn(labeller, rnd(&seed));
	helpers[nh++] = fork_fn(reader_fn, 0);
	helpers[nh++] = fork_fn(listener_fn, 0);
	for (i = 0; i < NSLOTS; i++)
		slots[i] = spawn_worker(i, self->shmfd, &seed);
	/* Replace every worker that exits until the time is up. */
	while (monotonic_ns() - t0 < (uint64_t)secs * 1000000000ULL) {
		pid = waitpid(-1, &status, WNOHANG);
		if (pid <= 0) {
			usleep(2000);
			continue;
		}
		for (i = 0; i < NSLOTS; i++) {
			if (slots[i] != pid)
				continue;
			if (exit_code(status) != 0) {
				atomic_fetch_add(&sh->worker_errors, 1);
				note("worker %s exited with %d", kind_name[slot_kind[i]],
				     exit_code(status));
			}
			slots[i] = spawn_worker(i, self->shmfd, &seed);
		}
	}
	atomic_store(&sh->stop, 1);
	t1 = monotonic_ns();
	for (i = 0; i < NSLOTS; i++)
		if (slots[i] > 0)
			waitpid(slots[i], &status, 0);
	for (i = 0; i < nh; i++)
		if (helpers[i] > 0)
			waitpid(helpers[i], &status, 0);
	restore_console();
	gen1 = generation();
	dt = (t1 - t0) / 1e9;
	opens = sh->opens;
	checked = sh->checked;
	denied = sh->checked_denied;
	reloads = sh->reloads;
	flips = sh->mode_flips;
	labels = sh->label_changes;
	wrong = sh->wrong;
	werr = sh->worker_errors;
	cerr = sh->ctl_errors;

	printf("# stress: %.1f s, seed %#llx, 8 workers (6 tagged, 2 untagged)\n",
	       dt, (unsigned long long)stress_seed());
	printf("# stress: %llu opens (%.0f opens/s), %llu reads/writes, %llu execs (%.0f/s)\n",
	       (unsigned long long)opens, opens / dt,
	       (unsigned long long)sh->reads, (unsigned long long)sh->execs,
	       sh->execs / dt);
	printf("# stress: %llu policy reloads (%.1f reloads/s), %llu mode flips, %llu label changes and moves (%.0f/s)\n",
	       (unsigned long long)reloads, reloads / dt,
	       (unsigned long long)flips, (unsigned long long)labels, labels / dt);
	printf("# stress: decisions checked %llu (%llu denials), ambiguous (not judged) %llu, wrong %llu\n",
	       (unsigned long long)checked, (unsigned long long)denied,
	       (unsigned long long)sh->ambiguous, (unsigned long long)wrong);
	for (k = 0; k < NKINDS; k++)
		printf("# stress:   %-20s %llu checked\n", kind_name[k],
		       (unsigned long long)sh->per_kind[k]);
	printf("# stress: %llu GET_STATUS, %llu GET_TAGGED dumps (%llu tasks listed), %llu events received\n",
	       (unsigned long long)sh->status_calls, (unsigned long long)sh->dumps,
	       (unsigned long long)sh->tagged_seen, (unsigned long long)sh->events);
	note_print(_metadata, &sh->log);

	EXPECT_EQ(0, wrong);
	EXPECT_EQ(0, werr);
	EXPECT_EQ(0, cerr);
	EXPECT_EQ(gen0 + reloads, gen1);
	/* It did stress something (the debug kernel is slow: low bars). */
	EXPECT_LT(200, checked);
	EXPECT_LT(20, denied);
	EXPECT_LT(10, reloads);
	EXPECT_LT(2, flips);
	EXPECT_LT(10, labels);
	for (k = 0; k < NKINDS; k++)
		EXPECT_LT(0, (uint64_t)sh->per_kind[k]);

	/* Every worker is gone: their tags must be too (freed after RCU). */
	for (i = 0; i < 300; i++) {
		ASSERT_EQ(0, avf_get_status(&st));
		if (!st.tagged)
			break;
		usleep(10000);
	}
	EXPECT_EQ(0, st.tagged);
}

/* The kselftest main, or a worker exec'd by the test above. */
static void __attribute__((constructor)) __constructor_order_last(void)
{
	if (!__constructor_order)
		__constructor_order = _CONSTRUCTOR_ORDER_BACKWARD;
}

int main(int argc, char **argv)
{
	if (argc > 1 && !strcmp(argv[1], "--worker"))
		return worker_main(argc, argv);
	return test_harness_run(argc, argv);
}

/* SPDX-License-Identifier: GPL-2.0 */
/*
 * One IORING_OP_OPENAT on a fresh io_uring, with raw syscalls (no
 * liburing), for probe.c and attack_escape_test.c:
 *
 *	struct uring u;
 *
 *	if (uring_setup(&u, 0) < 0)	ring fd, or -1 and errno
 *		...;
 *	if (uring_map(&u))		-1 and errno
 *		...;
 *	uring_openat(&u, path, O_RDONLY | O_CLOEXEC, IOSQE_ASYNC);
 *	if (uring_run(&u, &res))	-1 and errno; else res is the cqe's
 *		...;
 */
#ifndef AVF_TEST_URING_H
#define AVF_TEST_URING_H

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>
#include <linux/io_uring.h>

struct uring {
	struct io_uring_params p;
	int fd;
	char *sq, *cq;
	struct io_uring_sqe *sqes;
};

/* A ring of 4 entries; @flags IORING_SETUP_SQPOLL or 0. */
static inline int uring_setup(struct uring *u, unsigned int flags)
{
	memset(u, 0, sizeof(*u));
	u->p.flags = flags;
	if (flags & IORING_SETUP_SQPOLL)
		u->p.sq_thread_idle = 2000;
	u->fd = syscall(__NR_io_uring_setup, 4, &u->p);
	return u->fd;
}

static inline int uring_map(struct uring *u)
{
	const struct io_uring_params *p = &u->p;
	size_t sq_len, cq_len;

	sq_len = p->sq_off.array + p->sq_entries * sizeof(unsigned int);
	cq_len = p->cq_off.cqes + p->cq_entries * sizeof(struct io_uring_cqe);
	if (p->features & IORING_FEAT_SINGLE_MMAP)
		sq_len = cq_len = sq_len > cq_len ? sq_len : cq_len;
	u->sq = mmap(NULL, sq_len, PROT_READ | PROT_WRITE,
		     MAP_SHARED | MAP_POPULATE, u->fd, IORING_OFF_SQ_RING);
	if (u->sq == MAP_FAILED)
		return -1;
	u->cq = (p->features & IORING_FEAT_SINGLE_MMAP) ? u->sq :
		mmap(NULL, cq_len, PROT_READ | PROT_WRITE,
		     MAP_SHARED | MAP_POPULATE, u->fd, IORING_OFF_CQ_RING);
	if (u->cq == MAP_FAILED)
		return -1;
	u->sqes = mmap(NULL, p->sq_entries * sizeof(*u->sqes),
		       PROT_READ | PROT_WRITE, MAP_SHARED | MAP_POPULATE,
		       u->fd, IORING_OFF_SQES);
	return u->sqes == MAP_FAILED ? -1 : 0;
}

/* The first entry: an openat of @path, @flags (mode 0600 if O_CREAT). */
static inline void uring_openat(struct uring *u, const char *path, int flags,
				unsigned int sqe_flags)
{
	struct io_uring_sqe *sqe = &u->sqes[0];

	memset(sqe, 0, sizeof(*sqe));
	sqe->opcode = IORING_OP_OPENAT;
	sqe->fd = AT_FDCWD;
	sqe->addr = (unsigned long)path;
	sqe->len = (flags & O_CREAT) ? 0600 : 0;
	sqe->open_flags = flags;
	sqe->flags = sqe_flags;
	sqe->user_data = 42;
}

/*
 * Submit the first entry and wait (5 s at most) for its completion: 0 and
 * its result in @res, or -1 and errno (EIO: no completion came).
 */
static inline int uring_run(struct uring *u, int *res)
{
	const struct io_uring_params *p = &u->p;
	unsigned int *tail, *head, mask;
	int i;

	tail = (unsigned int *)(u->sq + p->sq_off.tail);
	mask = *(unsigned int *)(u->sq + p->sq_off.ring_mask);
	((unsigned int *)(u->sq + p->sq_off.array))[*tail & mask] = 0;
	__atomic_store_n(tail, *tail + 1, __ATOMIC_RELEASE);
	if (syscall(__NR_io_uring_enter, u->fd, 1, 1,
		    IORING_ENTER_GETEVENTS | (p->flags & IORING_SETUP_SQPOLL ?
					      IORING_ENTER_SQ_WAKEUP : 0),
		    NULL, 0) < 0)
		return -1;
	head = (unsigned int *)(u->cq + p->cq_off.head);
	tail = (unsigned int *)(u->cq + p->cq_off.tail);
	for (i = 0; i < 500 &&
	     *head == __atomic_load_n(tail, __ATOMIC_ACQUIRE); i++)
		usleep(10000);
	if (*head == *tail) {
		errno = EIO;
		return -1;
	}
	mask = *(unsigned int *)(u->cq + p->cq_off.ring_mask);
	*res = ((struct io_uring_cqe *)(u->cq + p->cq_off.cqes))[*head & mask].res;
	__atomic_store_n(head, *head + 1, __ATOMIC_RELEASE);
	return 0;
}

#endif /* AVF_TEST_URING_H */

/* SPDX-License-Identifier: GPL-2.0 */
/*
 * avfencectl monitor: one AVFENCE_CMD_EVENT message, parsed and printed
 * as a text line or a JSON object, and loss detection from the sequence
 * numbers.  No I/O besides the FILE given, so unit tests call it directly.
 */
#ifndef _AVFENCECTL_EVENTS_H
#define _AVFENCECTL_EVENTS_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <netlink/attr.h>

#include "uapi/avfence.h"

/*
 * An event; the strings point into the message and are NULL when the
 * kernel did not send them.
 */
struct avf_event_rec {
	bool has_type, has_seq, has_time, has_pid, has_route, has_mode;
	bool has_generation;
	uint32_t type;		/* enum avfence_event_type */
	uint64_t seq;
	uint64_t time;		/* CLOCK_REALTIME ns */
	uint32_t pid;
	uint32_t route;		/* enum avfence_route */
	uint32_t mode;		/* enum avfence_mode */
	uint64_t generation;
	const char *comm, *exe, *clearance, *label, *path, *what;
};

/* A run of events that never arrived. */
struct avf_event_loss {
	uint64_t time;		/* when the loss was noticed, ns */
	uint64_t count;		/* 0: unknown (socket overrun) */
	uint64_t first_seq;	/* of the first lost event, 0 if unknown */
	bool overrun;		/* ENOBUFS: the socket buffer overflowed */
};

/* Sequence tracking: a gap in AVFENCE_EVENT_A_SEQ is loss. */
struct avf_event_seq {
	bool started;
	uint64_t last;
};

int event_parse(struct nlattr *nest, struct avf_event_rec *ev);
const char *event_type_name(const struct avf_event_rec *ev, char *buf,
			    size_t size);
void event_print_text(FILE *f, const struct avf_event_rec *ev);
void event_print_json(FILE *f, const struct avf_event_rec *ev);
void event_loss_text(FILE *f, const struct avf_event_loss *loss);
void event_loss_json(FILE *f, const struct avf_event_loss *loss);
uint64_t event_seq_check(struct avf_event_seq *s, uint64_t seq,
			 uint64_t *first_lost);

#endif /* _AVFENCECTL_EVENTS_H */

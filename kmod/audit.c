// SPDX-License-Identifier: GPL-2.0
/*
 * avfence: what a refusal leaves behind besides the counters: a record
 * for the kernel audit subsystem and an event for `avfencectl monitor`.
 *
 * Audit record (type AUDIT_KERNEL_OTHER, 1316), fields in this order:
 *	avfence=denied|audit route=ROUTE pid=N comm="..." exe="..."
 *	clearance=LEVEL [label="LEVEL"] [what="OP"] path="..."|what="..."|socket="..."
 * (what="OP" before path= names the change of a write or mount refusal)
 * Strings that could hold spaces, quotes or control characters are
 * written in hex, as the audit subsystem itself does (ausearch -i decodes
 * them).  The format is stable: Documentation/admin-guide.rst documents
 * it and tests/kselftest/audit_test.c checks it with ausearch.
 */
#include <linux/audit.h>
#include <linux/slab.h>

#include "audit.h"
#include "event.h"

static void log_string(struct audit_buffer *ab, const char *key,
		       const char *s)
{
	const unsigned char *p;

	for (p = (const unsigned char *)s; *p; p++) {
		if (*p <= 0x20 || *p >= 0x7f || *p == '"')
			break;
	}
	if (!*p) {
		audit_log_format(ab, " %s=\"%s\"", key, s);
		return;
	}
	audit_log_format(ab, " %s=", key);
	for (p = (const unsigned char *)s; *p; p++)
		audit_log_format(ab, "%02X", *p);
}

/**
 * avf_audit_wanted - will a refusal become an audit record or an event?
 *
 * Reads only: refusals that nothing records cost no formatting.
 *
 * Return: true if auditing is enabled or anyone listens to events.
 */
bool avf_audit_wanted(void)
{
	return audit_enabled || avf_event_wanted();
}

/**
 * struct record - what one audit record and one event carry
 * @kind: the record's avfence= field: "denied", "audit" or "tagged"
 * @type: the event's AVFENCE_EVENT_*
 * @route: enum avfence_route
 * @clearance: the task's clearance
 * @label: the file's level or the writer's mark; NULL: no label= field
 *	   (the event's label is then "")
 * @op: the change refused ("unlink", ...), or NULL
 * @key: "path", "what" or "socket"
 * @value: the file's path, what was attempted or the socket's name
 */
struct record {
	const char *kind;
	u32 type;
	u32 route;
	const char *clearance;
	const char *label;
	const char *op;
	const char *key;
	const char *value;
};

/* Write @r's audit record, if auditing, and queue its event, if wanted. */
static void record(const struct record *r, gfp_t gfp)
{
	bool wanted = avf_event_wanted();
	struct audit_buffer *ab = NULL;
	struct avf_event *event;
	char *exe;

	if (audit_enabled)
		ab = audit_log_start(audit_context(), gfp, AUDIT_KERNEL_OTHER);
	if (!ab && !wanted)
		return;
	exe = avf_current_exe(gfp);
	if (ab) {
		audit_log_format(ab, "avfence=%s route=%s pid=%d", r->kind,
				 avf_route_name(r->route),
				 task_tgid_nr(current));
		log_string(ab, "comm", current->comm);
		log_string(ab, "exe", exe ? exe : "?");
		audit_log_format(ab, " clearance=%s", r->clearance);
		if (r->label)
			log_string(ab, "label", r->label);
		if (r->op)
			log_string(ab, "what", r->op);
		log_string(ab, r->key, r->value);
		audit_log_end(ab);
	}
	event = wanted ? avf_event_new(r->type, gfp) : NULL;
	if (!event) {
		kfree(exe);
		return;
	}
	event->route = r->route;
	strscpy(event->clearance, r->clearance, sizeof(event->clearance));
	strscpy(event->label, r->label ? r->label : "", sizeof(event->label));
	event->exe = exe;
	event->object = kstrdup(r->value, gfp);
	/* A socket's name is a path, or "@" and an abstract name. */
	event->object_is_path = !strcmp(r->key, "path") ||
				!strcmp(r->key, "socket");
	avf_event_queue(event);
}

/**
 * avf_audit_refusal - record a refusal in the audit log and the stream
 * @denied: denied (true) or let through by audit mode (false)
 * @route: enum avfence_route
 * @clearance: the task's clearance
 * @label: the file's level, or "" for side doors
 * @op: the change refused ("unlink", ...), or NULL
 * @key: "path" or "what"
 * @value: the file's path or what was attempted
 *
 * Context: any; never sleeps.
 */
void avf_audit_refusal(bool denied, u32 route, const char *clearance,
		       const char *label, const char *op, const char *key,
		       const char *value)
{
	const struct record r = {
		.kind = denied ? "denied" : "audit",
		.type = denied ? AVFENCE_EVENT_DENIED : AVFENCE_EVENT_AUDITED,
		.route = route,
		.clearance = clearance,
		.label = label[0] ? label : NULL,
		.op = op,
		.key = key,
		.value = value,
	};

	record(&r, GFP_ATOMIC);
}

/**
 * avf_audit_refusal_held - avf_audit_refusal() of a file, its paths left
 * to the event's work item
 * @denied: denied (true) or let through by audit mode (false)
 * @route: enum avfence_route
 * @clearance: the task's clearance
 * @label: the file's level
 * @path: the file
 *
 * The denying task only stamps the event and takes references: the work
 * item formats the file's and the executable's paths (event.c).  Only
 * for an event alone: an audit record is written by the task itself, so
 * with auditing enabled, or for a task whose root is not the work item's,
 * nothing is done here.
 *
 * Context: process context.
 * Return: true if done (the event queued, or lost and counted); false if
 * the caller must call avf_audit_refusal().
 */
bool avf_audit_refusal_held(bool denied, u32 route, const char *clearance,
			    const char *label, const struct path *path)
{
	struct avf_event *event;

	if (audit_enabled || !avf_event_wanted() || !avf_event_can_hold())
		return false;
	event = avf_event_new(denied ? AVFENCE_EVENT_DENIED :
				       AVFENCE_EVENT_AUDITED, GFP_KERNEL);
	if (!event)
		return true;
	event->route = route;
	strscpy(event->clearance, clearance, sizeof(event->clearance));
	strscpy(event->label, label, sizeof(event->label));
	avf_event_hold(event, path);
	avf_event_queue(event);
	return true;
}

/**
 * avf_audit_tagged - record that current was fenced for running code a
 * fenced task wrote, in the audit log and the stream
 * @clearance: current's clearance now
 * @mark: the writer's clearance
 * @path: the file it runs
 *
 * Context: process context.
 */
void avf_audit_tagged(const char *clearance, const char *mark,
		      const char *path)
{
	const struct record r = {
		.kind = "tagged",
		.type = AVFENCE_EVENT_TAGGED,
		.route = AVFENCE_ROUTE_WRITTEN,
		.clearance = clearance,
		.label = mark,
		.key = "path",
		.value = path,
	};

	record(&r, GFP_KERNEL);
}

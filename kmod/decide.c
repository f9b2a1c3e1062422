// SPDX-License-Identifier: GPL-2.0
/*
 * avfence policy decision logic, shared by the module and the userspace
 * unit tests: level names, the level ladder, label resolution and the
 * verdict.  Nothing here allocates, sleeps or takes locks.
 */
#ifdef __KERNEL__
#include <linux/string.h>
#else
#include <string.h>
#endif

#include "decide.h"

/**
 * avf_level_name_valid - check a level name's syntax
 * @name: the name, not necessarily NUL-terminated
 * @len: its length in bytes
 *
 * A level name is 1..AVFENCE_LEVEL_NAME_MAX-1 characters from [A-Za-z0-9_-]
 * and starts with a letter or digit.  Return: true if valid.
 */
bool avf_level_name_valid(const char *name, size_t len)
{
	size_t i;

	if (len == 0 || len >= AVFENCE_LEVEL_NAME_MAX)
		return false;
	for (i = 0; i < len; i++) {
		char c = name[i];
		bool alnum = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
			     (c >= '0' && c <= '9');

		if (!alnum && (i == 0 || (c != '-' && c != '_')))
			return false;
	}
	return true;
}

/**
 * avf_levels_find - look a level name up in the ladder
 * @levels: the ladder
 * @name: the name, not necessarily NUL-terminated
 * @len: its length in bytes
 *
 * Return: the level's index (0 is the lowest), or -1 if not in the ladder.
 */
int avf_levels_find(const struct avf_levels *levels, const char *name,
		    size_t len)
{
	u32 i;

	if (len == 0 || len >= AVFENCE_LEVEL_NAME_MAX)
		return -1;
	for (i = 0; i < levels->count; i++) {
		if (strncmp(levels->name[i], name, len) == 0 &&
		    levels->name[i][len] == '\0')
			return (int)i;
	}
	return -1;
}

/**
 * avf_levels_add - append a level above the existing ones
 * @levels: the ladder
 * @name: the name, not necessarily NUL-terminated
 * @len: its length in bytes
 *
 * Return: AVF_LEVEL_OK, or the reason the name was refused; the ladder is
 * unchanged on error.
 */
enum avf_level_err avf_levels_add(struct avf_levels *levels,
				  const char *name, size_t len)
{
	if (!avf_level_name_valid(name, len))
		return AVF_LEVEL_BAD_NAME;
	if (avf_levels_find(levels, name, len) >= 0)
		return AVF_LEVEL_DUPLICATE;
	if (levels->count >= AVFENCE_LEVELS_MAX)
		return AVF_LEVEL_TOO_MANY;
	memcpy(levels->name[levels->count], name, len);
	levels->name[levels->count][len] = '\0';
	levels->count++;
	return AVF_LEVEL_OK;
}

/**
 * avf_level_err_str - describe an avf_levels_add() error
 * @err: the error
 *
 * Return: a static, human-readable string.
 */
const char *avf_level_err_str(enum avf_level_err err)
{
	switch (err) {
	case AVF_LEVEL_OK:
		return "ok";
	case AVF_LEVEL_BAD_NAME:
		return "invalid level name (1-63 characters of A-Z a-z 0-9 _ -, starting with a letter or digit)";
	case AVF_LEVEL_DUPLICATE:
		return "duplicate level name";
	case AVF_LEVEL_TOO_MANY:
		return "too many levels";
	}
	return "unknown error";
}

/**
 * avf_label_trim - length of an xattr label without trailing NULs/newlines
 * @buf: the raw xattr value
 * @len: its length
 *
 * Tools such as setfattr may store a trailing NUL or newline; both are
 * ignored.  Return: the length of the label proper.
 */
size_t avf_label_trim(const char *buf, size_t len)
{
	while (len > 0 && (buf[len - 1] == '\0' || buf[len - 1] == '\n'))
		len--;
	return len;
}

/**
 * avf_label_level - the level a raw label stands for
 * @levels: the ladder of the policy in force
 * @label: the raw xattr value
 * @len: its length
 * @unknown: set to true if the label names no level of the ladder
 *
 * An unknown or malformed label is treated as the highest level, so that a
 * typo in a label can only ever deny, never allow (fail closed).
 *
 * Return: the level index.
 */
u32 avf_label_level(const struct avf_levels *levels, const char *label,
		    size_t len, bool *unknown)
{
	int idx = avf_levels_find(levels, label, avf_label_trim(label, len));

	*unknown = idx < 0;
	if (idx < 0)
		return levels->count ? levels->count - 1 : 0;
	return (u32)idx;
}

/**
 * avf_decide - the verdict for a tagged subject touching a file
 * @clearance: the subject's clearance (level index)
 * @level: the file's effective classification (level index)
 * @mode: enum avfence_mode in force
 *
 * Any mode other than audit enforces: an unknown mode fails closed.
 *
 * Return: AVF_ALLOW, AVF_DENY or AVF_AUDIT.
 */
enum avf_verdict avf_decide(u32 clearance, u32 level, u32 mode)
{
	if (level <= clearance)
		return AVF_ALLOW;
	return mode == AVFENCE_MODE_AUDIT ? AVF_AUDIT : AVF_DENY;
}

/**
 * avf_decide_write - the verdict on a change to the file system
 * @nsubjects: subject binaries the task ran (AVF_TASK_SUBJECTS_MAX at
 *	most); 0 if it is granted nothing (untracked, or one of them is no
 *	subject any more)
 * @granted: bit i set if a write= directory of subject i holds the place
 * @mode: enum avfence_mode in force
 *
 * A task may change a place only if every subject it ran grants it: a
 * subject without write= grants nothing, so neither does the task.
 *
 * Return: AVF_ALLOW, AVF_DENY or AVF_AUDIT.
 */
enum avf_verdict avf_decide_write(u32 nsubjects, u32 granted, u32 mode)
{
	u32 all = nsubjects >= 32 ? ~0u : (1u << nsubjects) - 1;

	if (nsubjects && (granted & all) == all)
		return AVF_ALLOW;
	return mode == AVFENCE_MODE_AUDIT ? AVF_AUDIT : AVF_DENY;
}

/**
 * avf_proc_pid_of - the process a top-level /proc entry name stands for
 * @name: the entry's name, NUL-terminated
 *
 * /proc spells a pid in decimal without sign or leading zero; anything
 * else ("self", "sys", "01") is not a process directory.
 *
 * Return: the process id, or 0 if @name is none.
 */
u32 avf_proc_pid_of(const char *name)
{
	unsigned long long v = 0;
	const char *p = name;

	if (*p < '1' || *p > '9')
		return 0;
	for (; *p; p++) {
		if (*p < '0' || *p > '9')
			return 0;
		v = v * 10 + (unsigned long long)(*p - '0');
		if (v > 0xffffffffULL)
			return 0;
	}
	return (u32)v;
}

/**
 * avf_proc_pid_is - does a top-level /proc entry name process @tgid?
 * @name: the entry's name, NUL-terminated
 * @tgid: the process id, in the pid namespace of that procfs
 *
 * Return: true if @name is @tgid (see avf_proc_pid_of()).
 */
bool avf_proc_pid_is(const char *name, u32 tgid)
{
	u32 pid = avf_proc_pid_of(name);

	return pid && pid == tgid;
}

/**
 * avf_proc_root_link_ok - may a fenced task follow /proc/PID/root?
 * @mode: the PTRACE_MODE_* of the ptrace access check procfs made
 * @noted: the check is the one of the /proc/PID/root link just followed
 *         (the link named PID's process and the check is about it)
 * @same_root: PID's root directory is the fenced task's own (same mount
 *             and dentry)
 *
 * Following the link of a process whose root is the task's own reaches
 * "/" again, nothing the task cannot open by its own path, and every
 * file below is fenced by its label at open: no route, so no refusal
 * (systemd's tools stat /proc/1/root on every call to detect a chroot).
 * Any other root, and every other reader of another process (environ,
 * maps, fd/N, cwd, mem, attach), stays with the ptrace rule.
 *
 * Return: true if the check is allowed without the ptrace rule.
 */
bool avf_proc_root_link_ok(u32 mode, bool noted, bool same_root)
{
	return noted && same_root &&
	       mode == (AVF_PTRACE_MODE_READ | AVF_PTRACE_MODE_FSCREDS);
}

/**
 * avf_ptrace_probe - is a ptrace access check only a probe?
 * @mode: the PTRACE_MODE_* of the check
 *
 * With PTRACE_MODE_NOAUDIT the kernel asks whether it may show something
 * of another process, not for access the caller asked for: /proc/PID/stat
 * shows the wchan, stack and instruction pointers only if it may, and
 * reads as well without them (every `ps`, every systemctl).  The refusal
 * stands, but is neither logged, audited, streamed nor counted, as the
 * kernel audits nothing of the CAP_SYS_PTRACE check it makes for such a
 * probe (ns_capable_noaudit()).  SELinux's and AppArmor's ptrace hooks
 * ignore the flag; their policies silence such reads with dontaudit.
 *
 * Return: true if a refusal of the check is not to be reported.
 */
bool avf_ptrace_probe(u32 mode)
{
	return mode & AVF_PTRACE_MODE_NOAUDIT;
}

/**
 * avf_mode_valid - is @mode a mode a policy may set?
 * @mode: the value received
 *
 * Return: true for AVFENCE_MODE_AUDIT and AVFENCE_MODE_ENFORCE.
 */
bool avf_mode_valid(u32 mode)
{
	return mode == AVFENCE_MODE_AUDIT || mode == AVFENCE_MODE_ENFORCE;
}

/* A byte a write= or connect= entry may hold: no control, no ','. */
static bool list_byte_ok(unsigned char c)
{
	return c >= 0x20 && c != 0x7f && c != ',';
}

/**
 * avf_list_path_valid - may @s be a write= directory or connect= path?
 * @s: the path, need not be NUL-terminated
 * @len: its length in bytes
 *
 * Absolute, shorter than AVFENCE_PATH_MAX, and spelled one way only, so
 * that two entries naming the same place compare equal: no empty, "." or
 * ".." component and no trailing '/' (but "/" itself), no ',' (the list
 * separator) and no control character.
 *
 * Return: true if valid.
 */
bool avf_list_path_valid(const char *s, size_t len)
{
	size_t i, start;

	if (!len || len >= AVFENCE_PATH_MAX || s[0] != '/')
		return false;
	if (len == 1)
		return true;
	for (i = 1, start = 1; i <= len; i++) {
		if (i < len && s[i] != '/') {
			if (!list_byte_ok(s[i]))
				return false;
			continue;
		}
		/* s[start, i) is one component */
		if (i == start || (i - start == 1 && s[start] == '.') ||
		    (i - start == 2 && s[start] == '.' && s[start + 1] == '.'))
			return false;
		start = i + 1;
	}
	return true;
}

/**
 * avf_connect_name_valid - may @s be a connect= entry?
 * @s: the entry, need not be NUL-terminated
 * @len: its length in bytes
 *
 * Either a socket path as avf_list_path_valid() accepts, or '@' and the
 * name of an abstract socket: 1..AVFENCE_ABSTRACT_MAX bytes, no ',' and
 * no control character.
 *
 * Return: true if valid.
 */
bool avf_connect_name_valid(const char *s, size_t len)
{
	size_t i;

	if (len && s[0] == '/')
		return avf_list_path_valid(s, len);
	if (len < 2 || s[0] != '@' || len - 1 > AVFENCE_ABSTRACT_MAX)
		return false;
	for (i = 1; i < len; i++)
		if (!list_byte_ok(s[i]))
			return false;
	return true;
}

/**
 * avf_ipc_decide - may a tagged task connect or send to a unix socket?
 * @clearance: the tagged task's clearance (level index)
 * @peer: who made the socket it connects or sends to
 * @two_way: a stream or seqpacket connection (data flows both ways), not
 *	a datagram (data flows to @peer only)
 * @listed: every subject the task ran lists the socket in connect=
 * @mode: enum avfence_mode in force
 *
 * An untagged peer may be a deputy that reads for the task: only what
 * connect= lists.  Between tagged tasks data must not flow from a higher
 * clearance to a lower one: a datagram goes to a peer at or above the
 * sender's clearance, a connection joins equal clearances only (each end
 * writes to the other).  connect= does not widen that rule.  Any mode
 * other than audit enforces.
 *
 * Return: AVF_ALLOW, AVF_DENY or AVF_AUDIT.
 */
enum avf_verdict avf_ipc_decide(u32 clearance,
				const struct avf_ipc_peer *peer,
				bool two_way, bool listed, u32 mode)
{
	bool ok;

	if (!peer->tagged)
		ok = listed;
	else if (two_way)
		ok = peer->level == clearance;
	else
		ok = peer->level >= clearance;
	if (ok)
		return AVF_ALLOW;
	return mode == AVFENCE_MODE_AUDIT ? AVF_AUDIT : AVF_DENY;
}

/**
 * avf_written_level - the clearance a writer mark fences its runners at
 * @levels: the ladder of the policy in force
 * @mark: the mark, the writer's clearance by name, need not be
 *	NUL-terminated (trailing NULs and newlines are ignored)
 * @len: its length in bytes
 *
 * A mark names a level of the policy in force when it was written; a
 * name the ladder no longer has counts as its lowest level: the code is
 * still the agent's, and nothing says it may read more.
 *
 * Return: an index into @levels.
 */
u32 avf_written_level(const struct avf_levels *levels, const char *mark,
		      size_t len)
{
	int idx = avf_levels_find(levels, mark, avf_label_trim(mark, len));

	return idx >= 0 ? (u32)idx : 0;
}

/**
 * avf_decide_follow - may a task follow a symlink?
 * @tagged: the task is fenced
 * @marked: a fenced task made the symlink (it has a writer mark)
 * @policy: a policy is loaded
 * @mode: the policy's enum avfence_mode, if @policy
 *
 * A fenced task may follow any symlink (what it reaches is fenced
 * anyway); an untagged one may not follow a symlink a fenced task made,
 * whatever it points to: a planted link makes an untagged deputy (a
 * backup job) read for the agent.  Audit mode lets it through, logged;
 * without a policy there is no mode to ask and the link is refused.
 *
 * Return: AVF_ALLOW, AVF_DENY or AVF_AUDIT.
 */
enum avf_verdict avf_decide_follow(bool tagged, bool marked, bool policy,
				   u32 mode)
{
	if (tagged || !marked)
		return AVF_ALLOW;
	if (policy && mode == AVFENCE_MODE_AUDIT)
		return AVF_AUDIT;
	return AVF_DENY;
}

/**
 * avf_allow_name - the policy file's word for one AVFENCE_ALLOW_* flag
 * @flag: a single AVFENCE_ALLOW_* flag
 *
 * Return: a static string; "unknown" for anything else.
 */
const char *avf_allow_name(u32 flag)
{
	switch (flag) {
	case AVFENCE_ALLOW_RAW_DEVICES:
		return "raw-devices";
	case AVFENCE_ALLOW_PTRACE:
		return "ptrace";
	}
	return "unknown";
}

/**
 * avf_route_name - the name of a route in logs, events and status
 * @route: enum avfence_route
 *
 * Return: a static string; "unknown" for a value out of range.
 */
const char *avf_route_name(u32 route)
{
	static const char *const names[__AVFENCE_ROUTE_MAX] = {
		[AVFENCE_ROUTE_OPEN] = "open",
		[AVFENCE_ROUTE_FD_RECEIVE] = "fd-receive",
		[AVFENCE_ROUTE_FD_USE] = "fd-use",
		[AVFENCE_ROUTE_LINK] = "link",
		[AVFENCE_ROUTE_RENAME] = "rename",
		[AVFENCE_ROUTE_PTRACE] = "ptrace",
		[AVFENCE_ROUTE_RAW_DEVICE] = "raw-device",
		[AVFENCE_ROUTE_KERNEL_MODULE] = "kernel-module",
		[AVFENCE_ROUTE_KEXEC] = "kexec",
		[AVFENCE_ROUTE_BPF] = "bpf",
		[AVFENCE_ROUTE_PERF] = "perf",
		[AVFENCE_ROUTE_LOCKDOWN] = "lockdown",
		[AVFENCE_ROUTE_LABEL] = "label",
		[AVFENCE_ROUTE_CAPABILITY] = "capability",
		[AVFENCE_ROUTE_PASSTHROUGH] = "passthrough",
		[AVFENCE_ROUTE_KERNEL_CONFIG] = "kernel-config",
		[AVFENCE_ROUTE_SIGNAL] = "signal",
		[AVFENCE_ROUTE_TERMINAL] = "terminal",
		[AVFENCE_ROUTE_WRITE] = "write",
		[AVFENCE_ROUTE_MOUNT] = "mount",
		[AVFENCE_ROUTE_CONNECT] = "connect",
		[AVFENCE_ROUTE_WRITTEN] = "written",
	};

	if (route >= __AVFENCE_ROUTE_MAX || !names[route])
		return "unknown";
	return names[route];
}

/**
 * avf_measure_event_name - the name of a measurement record's event
 * @event: enum avfence_measure_event
 *
 * The word of the ASCII measurement log (securityfs) and of avfencectl's
 * reading of it.
 *
 * Return: a static string; "unknown" for a value out of range.
 */
const char *avf_measure_event_name(u32 event)
{
	switch (event) {
	case AVFENCE_MEASURE_MODULE_LOAD:
		return "module-load";
	case AVFENCE_MEASURE_POLICY_LOAD:
		return "policy-load";
	case AVFENCE_MEASURE_MODE:
		return "mode";
	case AVFENCE_MEASURE_LOCK:
		return "lock";
	}
	return "unknown";
}

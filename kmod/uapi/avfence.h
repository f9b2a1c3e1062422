/* SPDX-License-Identifier: (GPL-2.0 WITH Linux-syscall-note) OR MIT */
/*
 * avfence: fence anti-virus agents off classified files.
 *
 * This header is the whole user/kernel ABI of avfence: the generic netlink
 * family, its commands and attributes, the limits and the xattr name.  The
 * module and avfencectl both include this one file.
 *
 * DOC: avfence generic netlink family
 *
 * Family name AVFENCE_GENL_NAME, version AVFENCE_GENL_VERSION.  Every
 * command is a request with NLM_F_REQUEST (and NLM_F_ACK where the sender
 * wants an explicit ack).  Attributes are validated strictly: unknown
 * attributes, wrong types and over-long strings are rejected with -EINVAL,
 * integers out of their range (a mode) with -ERANGE, and
 * the extended ack names the attribute.
 *
 * AVFENCE_CMD_GET_STATUS: anyone.  Request:
 *    AVFENCE_A_STATUS_WANT: NLA_U32, optional, AVFENCE_STATUS_WANT_*
 *    flags: parts of the reply only sent when asked for (they may make it
 *    too large for a small receive buffer); unknown bits are rejected
 *    with -EINVAL (NLA_POLICY_MASK)
 * Reply:
 *    AVFENCE_A_ABI_VERSION: NLA_U32
 *    AVFENCE_A_MODULE_VERSION: NLA_NUL_STRING
 *    AVFENCE_A_POLICY_LOADED: NLA_U8 (0 or 1)
 *    AVFENCE_A_MODE: NLA_U32, enum avfence_mode (only with a policy)
 *    AVFENCE_A_GENERATION: NLA_U64, bumped by every successful load
 *    AVFENCE_A_LEVELS: NLA_NESTED, lowest first
 *        AVFENCE_LEVEL_A_NAME: NLA_NUL_STRING, one per level, in order
 *    AVFENCE_A_DEFAULT_LEVEL: NLA_NUL_STRING
 *    AVFENCE_A_SUBJECT_COUNT: NLA_U32
 *    AVFENCE_A_TAGGED: NLA_U32, tagged tasks alive
 *    AVFENCE_A_DENIED: NLA_U64, accesses refused, all routes
 *    AVFENCE_A_AUDITED: NLA_U64, accesses audit mode let through
 *    AVFENCE_A_LOCKED: NLA_U8 (0 or 1)
 *    AVFENCE_A_DIGEST: NLA_BINARY, 32 bytes: SHA-256 of the canonical
 *    form of the policy (Documentation/policy.rst), with a policy
 *    AVFENCE_A_EVENTS_LOST: NLA_U64
 *    AVFENCE_A_MEASURE_PCR: NLA_U32, the TPM PCR every change of the
 *    fence is extended into; absent if changes are not measured (no TPM)
 *    AVFENCE_A_MEASURE_RECORDS: NLA_U64, records in the measurement log
 *    AVFENCE_A_ROUTE_STATS: NLA_NESTED, one entry per route
 *        AVFENCE_A_ROUTE: NLA_NESTED
 *            AVFENCE_ROUTE_A_ID: NLA_U32, enum avfence_route
 *            AVFENCE_ROUTE_A_NAME: NLA_NUL_STRING
 *            AVFENCE_ROUTE_A_DENIED: NLA_U64
 *            AVFENCE_ROUTE_A_AUDITED: NLA_U64
 *    With a policy, also:
 *    AVFENCE_A_LEVEL_STATS: NLA_NESTED, one entry per level, lowest first
 *        AVFENCE_A_LEVEL: NLA_NESTED
 *            AVFENCE_LEVEL_A_NAME: NLA_NUL_STRING
 *            AVFENCE_LEVEL_A_DENIED: NLA_U64, refusals of files whose
 *            effective label is this level, since this policy was loaded
 *            AVFENCE_LEVEL_A_AUDITED: NLA_U64, the same in audit mode
 *    With AVFENCE_STATUS_WANT_SUBJECTS and a policy:
 *    AVFENCE_A_SUBJECTS: NLA_NESTED, may repeat (a nest holds at most
 *    64 KiB); the subjects in the order they were loaded.  The list
 *    stops early, without error, if the reply would exceed
 *    AVFENCE_STATUS_SUBJECTS_MAX bytes: compare with
 *    AVFENCE_A_SUBJECT_COUNT.
 *        AVFENCE_A_SUBJECT: NLA_NESTED, one per subject
 *            AVFENCE_SUBJECT_A_PATH: NLA_NUL_STRING, as loaded
 *            AVFENCE_SUBJECT_A_CLEARANCE: NLA_NUL_STRING
 *            AVFENCE_SUBJECT_A_ALLOW: NLA_U32, AVFENCE_ALLOW_* flags
 *            AVFENCE_SUBJECT_A_DEV: NLA_U32, the device the kernel
 *            resolved the path to at load (s_dev, encoded as stat(2)'s
 *            st_dev)
 *            AVFENCE_SUBJECT_A_INO: NLA_U64, the inode number
 *            AVFENCE_SUBJECT_A_WRITE, AVFENCE_SUBJECT_A_CONNECT: as
 *            loaded (below), when not empty
 *    With AVFENCE_STATUS_WANT_POLICY_LABELS and a policy:
 *    AVFENCE_A_POLICY_LABELS: NLA_NESTED, may repeat; the policy's
 *    "label" lines in the order they were loaded, cut short as the
 *    subjects are (compare with AVFENCE_A_POLICY_LABEL_COUNT)
 *        AVFENCE_A_POLICY_LABEL: NLA_NESTED, one per label line
 *            AVFENCE_PLABEL_A_PATH: NLA_NUL_STRING, as loaded
 *            AVFENCE_PLABEL_A_LEVEL: NLA_NUL_STRING
 *            AVFENCE_PLABEL_A_DEV, AVFENCE_PLABEL_A_INO: what the path
 *            was resolved to at load, as for subjects
 *            AVFENCE_PLABEL_A_MOUNT_ROOT: NLA_U8, 1 if PATH was the root
 *            of a mounted filesystem at load
 *    With a policy, AVFENCE_A_POLICY_LABEL_COUNT: NLA_U32.
 *    The reply is then up to about 80 KiB: the reader's receive buffer
 *    must hold it and the ack (SO_RCVBUF of 256 KiB is plenty).
 *    Attributes may be added to this reply; readers ignore those they
 *    do not know.
 *
 * AVFENCE_CMD_LOAD_POLICY: CAP_MAC_ADMIN or CAP_SYS_ADMIN, untagged.
 * Replaces the policy atomically; on any error the old policy stays.
 *    AVFENCE_A_MODE: NLA_U32, required
 *    AVFENCE_A_LEVELS: NLA_NESTED, required, 1..AVFENCE_LEVELS_MAX names
 *        AVFENCE_LEVEL_A_NAME: NLA_NUL_STRING
 *    AVFENCE_A_DEFAULT_LEVEL: NLA_NUL_STRING, required, one of the levels
 *    AVFENCE_A_SUBJECTS: NLA_NESTED, optional, may repeat (a nest holds
 *    at most 64 KiB); 0..AVFENCE_SUBJECTS_MAX subjects in all
 *        AVFENCE_A_SUBJECT: NLA_NESTED, one per subject
 *            AVFENCE_SUBJECT_A_PATH: NLA_NUL_STRING, absolute, required
 *            AVFENCE_SUBJECT_A_CLEARANCE: NLA_NUL_STRING, required
 *            AVFENCE_SUBJECT_A_ALLOW: NLA_U32, optional, AVFENCE_ALLOW_*
 *            flags: side doors this subject may use (none by default);
 *            unknown bits are rejected with -EINVAL (NLA_POLICY_MASK)
 *            AVFENCE_SUBJECT_A_WRITE: NLA_NESTED, optional, the
 *            directories below which its tasks may change the
 *            filesystem (none without it: they may write nowhere)
 *                AVFENCE_A_ENTRY: NLA_NUL_STRING, 1..AVFENCE_WRITE_MAX,
 *                each an absolute path without "." or ".." components,
 *                empty components, a trailing slash or a ','
 *                (avf_list_path_valid()), that resolves to a directory;
 *                sorted bytewise (strcmp), no duplicates
 *            AVFENCE_SUBJECT_A_CONNECT: NLA_NESTED, optional, the unix
 *            sockets its tasks may connect or send to although an
 *            untagged task listens
 *                AVFENCE_A_ENTRY: NLA_NUL_STRING, 1..AVFENCE_CONNECT_MAX,
 *                each a path as for WRITE (it need not exist) or "@NAME"
 *                for an abstract socket (avf_connect_name_valid());
 *                sorted bytewise, no duplicates
 *            Any other attribute in these nests, an empty nest, an entry
 *            out of order or invalid: -EINVAL; more entries or bytes
 *            than AVFENCE_*_MAX, AVFENCE_LIST_BYTES_MAX: -E2BIG.
 *    AVFENCE_A_SUBJECT_TABLE: NLA_BINARY, optional, may repeat, at most
 *    64 KiB each: subjects that have only a path and a clearance, as
 *    struct avfence_subject_rec one after the other; counted with the
 *    AVFENCE_A_SUBJECT nests against AVFENCE_SUBJECTS_MAX.  Ten thousand
 *    such subjects take a tenth of the bytes and attributes of nests.
 *    A record that breaks a rule of struct avfence_subject_rec, an empty
 *    table, a clearance that is not a level: -EINVAL, the extended ack's
 *    offset pointing at the record.
 *    The kernel resolves each path to a regular file and matches subjects
 *    by the identity of that file (device and inode), not by name.
 *    AVFENCE_A_POLICY_LABELS: NLA_NESTED, optional, may repeat;
 *    0..AVFENCE_POLICY_LABELS_MAX labels in all (Documentation/policy.rst,
 *    "label" lines)
 *        AVFENCE_A_POLICY_LABEL: NLA_NESTED, one per label
 *            AVFENCE_PLABEL_A_PATH: NLA_NUL_STRING, absolute, required
 *            AVFENCE_PLABEL_A_LEVEL: NLA_NUL_STRING, required
 *    Each path must resolve (-ENOENT otherwise); two paths naming the
 *    same object are rejected with -EINVAL.
 *    Errors: -EINVAL (malformed, unknown level, duplicate level),
 *    -ENOENT (subject path or write directory does not resolve),
 *    -ENOTDIR (a write directory is not one), -E2BIG (over a limit),
 *    -EPERM (no capability, or the caller is tagged), -ENOMEM.
 *    The extended ack names the offending attribute.
 *    Reply, before the ack, on success: AVFENCE_A_GENERATION and
 *    AVFENCE_A_DIGEST of the policy this request loaded (a reply the
 *    reader's buffer cannot take is dropped; the ack still says 0).
 *
 * AVFENCE_CMD_SET_MODE: CAP_MAC_ADMIN or CAP_SYS_ADMIN, untagged.
 *    AVFENCE_A_MODE: NLA_U32, required, AVFENCE_MODE_AUDIT or
 *    AVFENCE_MODE_ENFORCE (else -ERANGE).  -ENOENT if no policy is loaded.
 *
 * AVFENCE_CMD_LOCK: CAP_MAC_ADMIN or CAP_SYS_ADMIN, untagged.  No
 * attributes.  Until reboot: no policy load, no mode change, and the
 * module cannot be unloaded (not even with rmmod -f).  -ENOENT without a
 * policy.  Locking twice succeeds; -EPERM to any other caller, locked or
 * not.
 *
 * Every command that changes the fence is refused with -EPERM, before its
 * attributes are looked at, to a caller without CAP_MAC_ADMIN or
 * CAP_SYS_ADMIN and to a tagged caller (the family's pre_doit).
 *
 * AVFENCE_CMD_GET_TAGGED: anyone; a dump (NLM_F_DUMP), one message per
 * tagged task:
 *    AVFENCE_A_TASK: NLA_NESTED
 *        AVFENCE_TASK_A_PID, AVFENCE_TASK_A_TGID: NLA_U32
 *        AVFENCE_TASK_A_COMM: NLA_NUL_STRING
 *        AVFENCE_TASK_A_EXE: NLA_NUL_STRING, the executable now
 *        AVFENCE_TASK_A_CLEARANCE: NLA_NUL_STRING
 *        AVFENCE_TASK_A_SINCE: NLA_U64, CLOCK_REALTIME ns when tagged
 *    A task whose message does not fit an empty dump buffer ends the
 *    dump with -EMSGSIZE (read with a larger buffer, 32 KiB is plenty).
 *
 * Multicast group AVFENCE_MCGRP_EVENTS: AVFENCE_CMD_EVENT messages, one
 * per denial, audited access, policy load, mode change, lock, and task
 * fenced for running code a fenced task wrote (AVFENCE_EVENT_TAGGED:
 * route "written", its new clearance, the writer's as the label, the
 * file's path):
 *    AVFENCE_A_EVENT: NLA_NESTED
 *        AVFENCE_EVENT_A_TYPE: NLA_U32, enum avfence_event_type
 *        AVFENCE_EVENT_A_SEQ: NLA_U64, +1 per event; a gap is loss
 *        AVFENCE_EVENT_A_TIME: NLA_U64, CLOCK_REALTIME ns
 *        AVFENCE_EVENT_A_PID: NLA_U32, AVFENCE_EVENT_A_COMM: string
 *        AVFENCE_EVENT_A_EXE: string (when known; for a policy load,
 *        mode change or lock, the executable of the process that made it)
 *        AVFENCE_EVENT_A_CLEARANCE, AVFENCE_EVENT_A_LABEL: string
 *        AVFENCE_EVENT_A_ROUTE: NLA_U32, enum avfence_route
 *        AVFENCE_EVENT_A_PATH or AVFENCE_EVENT_A_WHAT: string
 *        AVFENCE_EVENT_A_MODE: NLA_U32 (policy load, mode change)
 *        AVFENCE_EVENT_A_GENERATION: NLA_U64 (policy load)
 * Events are queued and sent from process context; when the queue is
 * full or a listener's socket buffer is, events are dropped, never
 * waited for, and counted in AVFENCE_A_EVENTS_LOST of GET_STATUS.
 *
 * AVFENCE_CMD_GET_LABEL: anyone.  The path is resolved with the caller's
 * credentials.
 *    Request: AVFENCE_A_PATH: NLA_NUL_STRING
 *    Reply:   AVFENCE_A_PATH
 *             AVFENCE_A_LABEL: NLA_NUL_STRING, the file's own xattr, if any
 *             AVFENCE_A_LABEL_SOURCE: NLA_U32, enum avfence_label_source
 *             AVFENCE_A_EFFECTIVE_LEVEL: NLA_NUL_STRING (with a policy)
 */
#ifndef _UAPI_LINUX_AVFENCE_H
#define _UAPI_LINUX_AVFENCE_H

#include <linux/types.h>

#define AVFENCE_GENL_NAME	"avfence"
#define AVFENCE_GENL_VERSION	1

/* The classification label of a file: a level name, no terminating NUL. */
#define AVFENCE_XATTR_NAME	"security.avfence"
#define AVFENCE_XATTR_SUFFIX	"avfence"
/*
 * The writer mark: set on every file a fenced task creates or writes, to
 * the name of the writer's clearance (no NUL).  A task that executes the
 * file or maps it executable is fenced at that level; a symlink with a
 * mark is not followed by untagged tasks.  Only an untagged administrator
 * may change or remove it.
 */
#define AVFENCE_WRITER_XATTR_NAME	"security.avfence.writer"
#define AVFENCE_WRITER_XATTR_SUFFIX	"avfence.writer"

/* Limits, checked by the kernel and by avfencectl alike. */
#define AVFENCE_LEVELS_MAX	32
#define AVFENCE_LEVEL_NAME_MAX	64	/* bytes, with the NUL */
#define AVFENCE_SUBJECTS_MAX	16384
#define AVFENCE_POLICY_LABELS_MAX	4096	/* "label PATH LEVEL" lines */
#define AVFENCE_PATH_MAX	4096	/* bytes, with the NUL */
#define AVFENCE_WRITE_MAX	64	/* write= directories per subject */
#define AVFENCE_CONNECT_MAX	64	/* connect= sockets per subject */
/* Longest abstract socket name in connect=, without the '@' (sun_path). */
#define AVFENCE_ABSTRACT_MAX	107
/* Bytes of strings (NULs included) in one write= or connect= list. */
#define AVFENCE_LIST_BYTES_MAX	8192
/*
 * Bytes of subject list in a GET_STATUS reply, at most: the reply and the
 * ack after it must fit a socket's default receive buffer (rmem_default),
 * or the ack is dropped and the reader sees ENOBUFS.
 */
#define AVFENCE_STATUS_SUBJECTS_MAX	(64 * 1024)

enum avfence_mode {
	AVFENCE_MODE_UNSPEC,	/* never valid: a mode is always explicit */
	AVFENCE_MODE_AUDIT,	/* log and count would-be denials, allow */
	AVFENCE_MODE_ENFORCE,	/* refuse with -EACCES */
	__AVFENCE_MODE_MAX
};
#define AVFENCE_MODE_MAX (__AVFENCE_MODE_MAX - 1)

enum avfence_label_source {
	AVFENCE_LABEL_OWN,	/* the file's own xattr */
	AVFENCE_LABEL_INHERITED, /* nearest labelled directory above */
	AVFENCE_LABEL_DEFAULT,	/* the policy's default level */
	AVFENCE_LABEL_POLICY,	/* a "label" line of the policy, on the file */
	AVFENCE_LABEL_POLICY_INHERITED, /* a "label" line on a directory above */
};

/*
 * Side doors a policy may open for one subject.  Closed unless named.
 */
enum avfence_allow {
	/* open block devices and raw storage, SG_IO/NVMe passthrough */
	AVFENCE_ALLOW_RAW_DEVICES = 1 << 0,
	/* ptrace, /proc/PID/mem and process_vm_readv of untagged tasks */
	AVFENCE_ALLOW_PTRACE = 1 << 1,
	__AVFENCE_ALLOW_ALL = (1 << 2) - 1
};

/*
 * The ways a fenced task may try to reach data or weaken the fence; every
 * denial is counted and logged under one of these.
 */
enum avfence_route {
	AVFENCE_ROUTE_OPEN,		/* open() and every other open path */
	AVFENCE_ROUTE_FD_RECEIVE,	/* SCM_RIGHTS, pidfd_getfd, binder */
	AVFENCE_ROUTE_FD_USE,		/* read/write/mmap of an fd above */
	AVFENCE_ROUTE_LINK,		/* hard link to a lower place */
	AVFENCE_ROUTE_RENAME,		/* rename to a lower place */
	AVFENCE_ROUTE_PTRACE,		/* ptrace, /proc/PID/mem, vm_readv */
	AVFENCE_ROUTE_RAW_DEVICE,	/* block devices, /dev/mem, kcore */
	AVFENCE_ROUTE_KERNEL_MODULE,	/* init/finit/delete_module */
	AVFENCE_ROUTE_KEXEC,		/* kexec_load, kexec_file_load */
	AVFENCE_ROUTE_BPF,		/* bpf() */
	AVFENCE_ROUTE_PERF,		/* perf_event_open() */
	AVFENCE_ROUTE_LOCKDOWN,		/* what lockdown guards: iopl... */
	AVFENCE_ROUTE_LABEL,		/* setting or removing labels */
	AVFENCE_ROUTE_CAPABILITY,	/* capabilities a fenced task loses */
	AVFENCE_ROUTE_PASSTHROUGH,	/* SG_IO, NVMe and uring_cmd */
	AVFENCE_ROUTE_KERNEL_CONFIG,	/* sysctls, kernel-run helpers */
	AVFENCE_ROUTE_SIGNAL,		/* core-dumping signals to others */
	AVFENCE_ROUTE_TERMINAL,		/* TIOCSTI, TIOCLINUX, input, vcs */
	AVFENCE_ROUTE_WRITE,		/* changes outside the subject's write= */
	AVFENCE_ROUTE_MOUNT,		/* mounts where untagged tasks see them */
	AVFENCE_ROUTE_CONNECT,		/* unix sockets of untagged services */
	AVFENCE_ROUTE_WRITTEN,		/* code or symlinks a fenced task made */
	__AVFENCE_ROUTE_MAX
};
#define AVFENCE_ROUTE_MAX (__AVFENCE_ROUTE_MAX - 1)

enum avfence_cmd {
	AVFENCE_CMD_UNSPEC,
	AVFENCE_CMD_GET_STATUS,
	AVFENCE_CMD_LOAD_POLICY,
	AVFENCE_CMD_SET_MODE,
	AVFENCE_CMD_GET_LABEL,
	AVFENCE_CMD_LOCK,
	AVFENCE_CMD_EVENT,
	AVFENCE_CMD_GET_TAGGED,
	__AVFENCE_CMD_MAX
};
#define AVFENCE_CMD_MAX (__AVFENCE_CMD_MAX - 1)

enum avfence_attr {
	AVFENCE_A_UNSPEC,
	AVFENCE_A_ABI_VERSION,
	AVFENCE_A_MODULE_VERSION,
	AVFENCE_A_POLICY_LOADED,
	AVFENCE_A_MODE,
	AVFENCE_A_GENERATION,
	AVFENCE_A_LEVELS,
	AVFENCE_A_DEFAULT_LEVEL,
	AVFENCE_A_SUBJECTS,
	AVFENCE_A_SUBJECT_COUNT,
	AVFENCE_A_TAGGED,
	AVFENCE_A_DENIED,
	AVFENCE_A_AUDITED,
	AVFENCE_A_PATH,
	AVFENCE_A_LABEL,
	AVFENCE_A_LABEL_SOURCE,
	AVFENCE_A_EFFECTIVE_LEVEL,
	AVFENCE_A_PAD,
	AVFENCE_A_ROUTE_STATS,
	AVFENCE_A_LOCKED,
	AVFENCE_A_DIGEST,
	AVFENCE_A_EVENTS_LOST,
	AVFENCE_A_EVENT,
	AVFENCE_A_TASK,
	AVFENCE_A_LEVEL_STATS,
	AVFENCE_A_STATUS_WANT,
	AVFENCE_A_POLICY_LABELS,
	AVFENCE_A_POLICY_LABEL_COUNT,
	AVFENCE_A_MEASURE_PCR,
	AVFENCE_A_MEASURE_RECORDS,
	AVFENCE_A_SUBJECT_TABLE,
	__AVFENCE_A_MAX
};
#define AVFENCE_A_MAX (__AVFENCE_A_MAX - 1)

/**
 * struct avfence_subject_rec - one subject of an AVFENCE_A_SUBJECT_TABLE
 * @len: bytes of the record: this header, the path, its NUL and the zeros
 *	up to the next multiple of 4 (no more)
 * @clearance: index into AVFENCE_A_LEVELS, the lowest 0
 * @pad: 0
 * @path: absolute, NUL-terminated, at most AVFENCE_PATH_MAX bytes with
 *	the NUL
 *
 * A subject with nothing but a path and a clearance; one with ALLOW, WRITE
 * or CONNECT goes in an AVFENCE_A_SUBJECT nest.  Records follow each other
 * without a gap, to the end of the attribute.
 */
struct avfence_subject_rec {
	__u16 len;
	__u8 clearance;
	__u8 pad;
	char path[];
};

enum avfence_level_attr {
	AVFENCE_LEVEL_A_UNSPEC,
	AVFENCE_LEVEL_A_NAME,
	AVFENCE_LEVEL_A_DENIED,		/* GET_STATUS replies only */
	AVFENCE_LEVEL_A_AUDITED,	/* GET_STATUS replies only */
	AVFENCE_LEVEL_A_PAD,
	__AVFENCE_LEVEL_A_MAX
};
#define AVFENCE_LEVEL_A_MAX (__AVFENCE_LEVEL_A_MAX - 1)

/* Optional parts of a GET_STATUS reply (AVFENCE_A_STATUS_WANT). */
enum avfence_status_want {
	/* the subject list, with what each path was resolved to */
	AVFENCE_STATUS_WANT_SUBJECTS = 1 << 0,
	/* the policy's "label" lines, with what each path was resolved to */
	AVFENCE_STATUS_WANT_POLICY_LABELS = 1 << 1,
	__AVFENCE_STATUS_WANT_ALL = (1 << 2) - 1
};

/* AVFENCE_A_LEVEL_STATS holds only AVFENCE_A_LEVEL entries. */
#define AVFENCE_A_LEVEL 1

/* AVFENCE_A_SUBJECTS holds only AVFENCE_A_SUBJECT entries. */
#define AVFENCE_A_SUBJECT 1

/* AVFENCE_SUBJECT_A_WRITE and _CONNECT hold only AVFENCE_A_ENTRY strings. */
#define AVFENCE_A_ENTRY 1

enum avfence_subject_attr {
	AVFENCE_SUBJECT_A_UNSPEC,
	AVFENCE_SUBJECT_A_PATH,
	AVFENCE_SUBJECT_A_CLEARANCE,
	AVFENCE_SUBJECT_A_ALLOW,
	AVFENCE_SUBJECT_A_DEV,		/* GET_STATUS replies only */
	AVFENCE_SUBJECT_A_INO,		/* GET_STATUS replies only */
	AVFENCE_SUBJECT_A_PAD,
	AVFENCE_SUBJECT_A_WRITE,	/* nest of AVFENCE_A_ENTRY */
	AVFENCE_SUBJECT_A_CONNECT,	/* nest of AVFENCE_A_ENTRY */
	__AVFENCE_SUBJECT_A_MAX
};
#define AVFENCE_SUBJECT_A_MAX (__AVFENCE_SUBJECT_A_MAX - 1)

/* AVFENCE_A_POLICY_LABELS holds only AVFENCE_A_POLICY_LABEL entries. */
#define AVFENCE_A_POLICY_LABEL 1

enum avfence_plabel_attr {
	AVFENCE_PLABEL_A_UNSPEC,
	AVFENCE_PLABEL_A_PATH,
	AVFENCE_PLABEL_A_LEVEL,
	AVFENCE_PLABEL_A_DEV,		/* GET_STATUS replies only */
	AVFENCE_PLABEL_A_INO,		/* GET_STATUS replies only */
	AVFENCE_PLABEL_A_MOUNT_ROOT,	/* GET_STATUS replies only */
	AVFENCE_PLABEL_A_PAD,
	__AVFENCE_PLABEL_A_MAX
};
#define AVFENCE_PLABEL_A_MAX (__AVFENCE_PLABEL_A_MAX - 1)

#define AVFENCE_MCGRP_EVENTS	"events"
#define AVFENCE_DIGEST_LEN	32

enum avfence_event_type {
	AVFENCE_EVENT_DENIED,
	AVFENCE_EVENT_AUDITED,
	AVFENCE_EVENT_POLICY_LOAD,
	AVFENCE_EVENT_MODE,
	AVFENCE_EVENT_LOCK,
	AVFENCE_EVENT_TAGGED,	/* fenced for running code a fenced task wrote */
	__AVFENCE_EVENT_MAX
};

enum avfence_event_attr {
	AVFENCE_EVENT_A_UNSPEC,
	AVFENCE_EVENT_A_TYPE,
	AVFENCE_EVENT_A_SEQ,
	AVFENCE_EVENT_A_TIME,
	AVFENCE_EVENT_A_PID,
	AVFENCE_EVENT_A_COMM,
	AVFENCE_EVENT_A_EXE,
	AVFENCE_EVENT_A_CLEARANCE,
	AVFENCE_EVENT_A_LABEL,
	AVFENCE_EVENT_A_ROUTE,
	AVFENCE_EVENT_A_PATH,
	AVFENCE_EVENT_A_WHAT,
	AVFENCE_EVENT_A_MODE,
	AVFENCE_EVENT_A_GENERATION,
	AVFENCE_EVENT_A_PAD,
	__AVFENCE_EVENT_A_MAX
};
#define AVFENCE_EVENT_A_MAX (__AVFENCE_EVENT_A_MAX - 1)

enum avfence_task_attr {
	AVFENCE_TASK_A_UNSPEC,
	AVFENCE_TASK_A_PID,
	AVFENCE_TASK_A_TGID,
	AVFENCE_TASK_A_COMM,
	AVFENCE_TASK_A_EXE,
	AVFENCE_TASK_A_CLEARANCE,
	AVFENCE_TASK_A_SINCE,
	AVFENCE_TASK_A_PAD,
	__AVFENCE_TASK_A_MAX
};
#define AVFENCE_TASK_A_MAX (__AVFENCE_TASK_A_MAX - 1)

/* AVFENCE_A_ROUTE_STATS holds only AVFENCE_A_ROUTE entries. */
#define AVFENCE_A_ROUTE 1

enum avfence_route_attr {
	AVFENCE_ROUTE_A_UNSPEC,
	AVFENCE_ROUTE_A_ID,
	AVFENCE_ROUTE_A_NAME,
	AVFENCE_ROUTE_A_DENIED,
	AVFENCE_ROUTE_A_AUDITED,
	AVFENCE_ROUTE_A_PAD,
	__AVFENCE_ROUTE_A_MAX
};
#define AVFENCE_ROUTE_A_MAX (__AVFENCE_ROUTE_A_MAX - 1)

/*
 * DOC: measurement log
 *
 * /sys/kernel/security/avfence/binary_measurements holds one struct
 * avfence_measurement per change of the fence's state, oldest first,
 * back to back; ascii_measurements shows the same, one line each.  Each
 * record describes the state *after* its change.  When measured, the
 * SHA-256 of the record's 80 bytes was extended into PCR @pcr of the
 * TPM's SHA-256 bank before the change took effect, so replaying the log
 * from 32 zero bytes (PCR = SHA-256(PCR || SHA-256(record))) gives the
 * PCR's value.  All fields are little-endian.
 */
enum avfence_measure_event {
	AVFENCE_MEASURE_UNSPEC,
	AVFENCE_MEASURE_MODULE_LOAD,	/* avfence loaded; no policy */
	AVFENCE_MEASURE_POLICY_LOAD,	/* a policy loaded */
	AVFENCE_MEASURE_MODE,		/* the mode set */
	AVFENCE_MEASURE_LOCK,		/* locked until reboot */
	/* new events are appended here */
	__AVFENCE_MEASURE_MAX
};

#define AVFENCE_MEASURE_VERSION		1
#define AVFENCE_MEASURE_UNMEASURED	0xffffffffU	/* pcr: no TPM */
#define AVFENCE_MEASURE_MAX		65536		/* records */

/**
 * struct avfence_measurement - one change of the fence's state
 * @version: AVFENCE_MEASURE_VERSION
 * @event: enum avfence_measure_event
 * @pcr: the PCR extended, or AVFENCE_MEASURE_UNMEASURED
 * @seq: 0 for the first record since the module was loaded, then +1
 * @realtime_ns: CLOCK_REALTIME of the change (the host's clock: a claim)
 * @boottime_ns: CLOCK_BOOTTIME of the change
 * @generation: the generation of the policy in force after it, 0 if none
 * @mode: enum avfence_mode after it, AVFENCE_MODE_UNSPEC if no policy
 * @pid: the process (tgid, initial pid namespace) that made it, 0 for
 *	 the kernel
 * @digest: the policy digest after it, zeros if no policy
 */
struct avfence_measurement {
	__le16 version;
	__le16 event;
	__le32 pcr;
	__le64 seq;
	__le64 realtime_ns;
	__le64 boottime_ns;
	__le64 generation;
	__le32 mode;
	__le32 pid;
	__u8 digest[AVFENCE_DIGEST_LEN];
};

#endif /* _UAPI_LINUX_AVFENCE_H */

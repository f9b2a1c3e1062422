// SPDX-License-Identifier: GPL-2.0
/*
 * avfence: the generic netlink control interface.
 *
 * The ABI is in uapi/avfence.h.  Attributes are validated strictly by the
 * policies below before any handler runs; handlers then check what a
 * policy cannot express (level names, paths, duplicates) and name the
 * offending attribute in the extended ack.  A policy is built completely
 * before it replaces the one in force, so a rejected load changes nothing.
 */
#include <linux/capability.h>
#include <linux/namei.h>
#include <linux/slab.h>
#include <linux/file.h>
#include <linux/sched/mm.h>
#include <linux/sched/task.h>
#include <net/genetlink.h>

#include "common.h"
#include "compat.h"
#include "entries.h"
#include "event.h"
#include "label.h"
#include "measure.h"
#include "policy.h"
#include "resolve.h"
#include "stats.h"
#include "subject_rec.h"

/* The change was not made: the TPM did not take its measurement. */
#define MEASURE_FAILED "could not measure the change into the TPM: nothing changed"

static const struct nla_policy avf_level_policy[AVFENCE_LEVEL_A_MAX + 1] = {
	[AVFENCE_LEVEL_A_NAME] = { .type = NLA_NUL_STRING,
				   .len = AVFENCE_LEVEL_NAME_MAX - 1 },
};

static const struct nla_policy avf_subject_policy[AVFENCE_SUBJECT_A_MAX + 1] = {
	[AVFENCE_SUBJECT_A_PATH] = { .type = NLA_NUL_STRING,
				     .len = AVFENCE_PATH_MAX - 1 },
	[AVFENCE_SUBJECT_A_CLEARANCE] = { .type = NLA_NUL_STRING,
					  .len = AVFENCE_LEVEL_NAME_MAX - 1 },
	[AVFENCE_SUBJECT_A_ALLOW] = NLA_POLICY_MASK(NLA_U32, __AVFENCE_ALLOW_ALL),
	[AVFENCE_SUBJECT_A_WRITE] = { .type = NLA_NESTED },
	[AVFENCE_SUBJECT_A_CONNECT] = { .type = NLA_NESTED },
};

/*
 * The family policy's check of every AVFENCE_A_SUBJECT_TABLE
 * (subject_rec.c), before any handler runs; the levels, which the
 * clearance indexes, are checked at the load.
 */
static int validate_subject_table(const struct nlattr *attr,
				  struct netlink_ext_ack *extack)
{
	size_t bad;

	if (!avf_subject_table_check(nla_data(attr), nla_len(attr), &bad))
		return 0;
	if (!nla_len(attr))
		NL_SET_ERR_MSG_ATTR(extack, attr, "empty subject table");
	else
		NL_SET_ERR_MSG_ATTR(extack, (const struct nlattr *)
				    ((const u8 *)nla_data(attr) + bad),
				    "malformed subject record");
	return -EINVAL;
}

static const struct nla_policy avf_plabel_policy[AVFENCE_PLABEL_A_MAX + 1] = {
	[AVFENCE_PLABEL_A_PATH] = { .type = NLA_NUL_STRING,
				    .len = AVFENCE_PATH_MAX - 1 },
	[AVFENCE_PLABEL_A_LEVEL] = { .type = NLA_NUL_STRING,
				     .len = AVFENCE_LEVEL_NAME_MAX - 1 },
};

/* Attributes only ever sent by the kernel are absent: strict parsing
 * rejects them in requests.
 */
static const struct nla_policy avf_nl_policy[AVFENCE_A_MAX + 1] = {
	[AVFENCE_A_MODE] = NLA_POLICY_RANGE(NLA_U32, AVFENCE_MODE_AUDIT,
					    AVFENCE_MODE_ENFORCE),
	[AVFENCE_A_LEVELS] = NLA_POLICY_NESTED(avf_level_policy),
	[AVFENCE_A_DEFAULT_LEVEL] = { .type = NLA_NUL_STRING,
				      .len = AVFENCE_LEVEL_NAME_MAX - 1 },
	[AVFENCE_A_SUBJECTS] = NLA_POLICY_NESTED_ARRAY(avf_subject_policy),
	[AVFENCE_A_PATH] = { .type = NLA_NUL_STRING,
			     .len = AVFENCE_PATH_MAX - 1 },
	[AVFENCE_A_STATUS_WANT] = NLA_POLICY_MASK(NLA_U32,
						  __AVFENCE_STATUS_WANT_ALL),
	[AVFENCE_A_POLICY_LABELS] = NLA_POLICY_NESTED_ARRAY(avf_plabel_policy),
	[AVFENCE_A_SUBJECT_TABLE] = NLA_POLICY_VALIDATE_FN(NLA_BINARY,
							   validate_subject_table),
};

static struct genl_family avf_family;

static const char *mode_name(u32 mode)
{
	return mode == AVFENCE_MODE_AUDIT ? "audit" : "enforce";
}

/*
 * What a command needs, in its internal_flags; checked by
 * avf_nl_pre_doit() before the handler runs, so that no handler can
 * forget it.
 */
#define AVF_NL_ADMIN	BIT(0)	/* changes the fence: see avf_nl_pre_doit() */
#define AVF_NL_UNLOCKED	BIT(1)	/* refused once the policy is locked */

/*
 * Only an untagged administrator changes the fence: a fenced agent must
 * not be able to lift its own fence, whatever its capabilities.
 */
static int avf_nl_pre_doit(const avf_genl_ops_t *ops, struct sk_buff *skb,
			   struct genl_info *info)
{
	struct netlink_ext_ack *extack = info->extack;

	if (!(ops->internal_flags & AVF_NL_ADMIN))
		return 0;
	if (!netlink_capable(skb, CAP_MAC_ADMIN) &&
	    !netlink_capable(skb, CAP_SYS_ADMIN)) {
		NL_SET_ERR_MSG(extack, "CAP_MAC_ADMIN or CAP_SYS_ADMIN required");
		return -EPERM;
	}
	if (avf_current_tagged()) {
		NL_SET_ERR_MSG(extack, "a fenced process may not change the fence");
		return -EPERM;
	}
	if ((ops->internal_flags & AVF_NL_UNLOCKED) && READ_ONCE(avf_locked)) {
		NL_SET_ERR_MSG(extack, "the policy is locked until reboot");
		return -EPERM;
	}
	return 0;
}

static void config_event(u32 type, const struct avf_policy *policy)
{
	struct avf_event *event;

	if (!avf_event_wanted())
		return;
	event = avf_event_new(type, GFP_KERNEL);
	if (!event)
		return;
	event->mode = READ_ONCE(policy->mode);
	event->generation = policy->generation;
	/* Who changed the fence: pid, comm and, here, the executable. */
	event->exe = avf_current_exe(GFP_KERNEL);
	avf_event_queue(event);
}

/* A NUL_STRING attribute whose NUL is its last byte, or NULL. */
static const char *str_attr(const struct nlattr *attr,
			    struct netlink_ext_ack *extack)
{
	const char *s = nla_data(attr);

	if (strnlen(s, nla_len(attr)) + 1 != nla_len(attr)) {
		NL_SET_ERR_MSG_ATTR(extack, attr, "embedded NUL in string");
		return NULL;
	}
	return s;
}

static int parse_levels(struct avf_policy *policy, const struct nlattr *nest,
			struct netlink_ext_ack *extack)
{
	const struct nlattr *attr;
	enum avf_level_err lerr;
	const char *name;
	int rem;

	nla_for_each_nested(attr, nest, rem) {
		name = str_attr(attr, extack);
		if (!name)
			return -EINVAL;
		lerr = avf_levels_add(&policy->levels, name, strlen(name));
		switch (lerr) {
		case AVF_LEVEL_OK:
			break;
		case AVF_LEVEL_TOO_MANY:
			NL_SET_ERR_MSG_ATTR(extack, attr, "too many levels");
			return -E2BIG;
		case AVF_LEVEL_DUPLICATE:
			NL_SET_ERR_MSG_ATTR(extack, attr, "duplicate level name");
			return -EINVAL;
		default:
			NL_SET_ERR_MSG_ATTR(extack, attr, "invalid level name");
			return -EINVAL;
		}
	}
	if (!policy->levels.count) {
		NL_SET_ERR_MSG_ATTR(extack, nest, "no levels");
		return -EINVAL;
	}
	return 0;
}

/*
 * The AVFENCE_A_ENTRY strings of a write= or connect= nest, checked one by
 * one: each valid (@valid), in strictly increasing strcmp() order, no more
 * than @max of them and AVFENCE_LIST_BYTES_MAX bytes.  Return: the number
 * of entries, or a negative errno with the extended ack set.
 */
static int check_list(const struct nlattr *nest, u32 max,
		      bool (*valid)(const char *s, size_t len),
		      struct netlink_ext_ack *extack)
{
	const char *prev = NULL, *s;
	const struct nlattr *attr;
	size_t bytes = 0;
	int rem, n = 0;

	nla_for_each_nested(attr, nest, rem) {
		if (attr->nla_type != AVFENCE_A_ENTRY || !nla_len(attr)) {
			NL_SET_ERR_MSG_ATTR(extack, attr, "expected an entry");
			return -EINVAL;
		}
		s = str_attr(attr, extack);
		if (!s)
			return -EINVAL;
		if (!valid(s, strlen(s))) {
			NL_SET_ERR_MSG_ATTR(extack, attr, "invalid entry");
			return -EINVAL;
		}
		if (prev && strcmp(prev, s) >= 0) {
			NL_SET_ERR_MSG_ATTR(extack, attr,
					    "entries must be sorted and unique");
			return -EINVAL;
		}
		bytes += nla_len(attr);
		if (++n > max || bytes > AVFENCE_LIST_BYTES_MAX) {
			NL_SET_ERR_MSG_ATTR(extack, attr, "list too long");
			return -E2BIG;
		}
		prev = s;
	}
	if (rem) {
		NL_SET_ERR_MSG_ATTR(extack, nest, "malformed list");
		return -EINVAL;
	}
	if (!n) {
		NL_SET_ERR_MSG_ATTR(extack, nest, "empty list");
		return -EINVAL;
	}
	return n;
}

/* Copy the @n checked entries of @nest into a new array at @out. */
static int copy_list(const struct nlattr *nest, int n, char ***out)
{
	const struct nlattr *attr;
	int rem, i = 0;
	char **v;

	v = kcalloc(n, sizeof(*v), GFP_KERNEL);
	if (!v)
		return -ENOMEM;
	*out = v;
	nla_for_each_nested(attr, nest, rem) {
		v[i] = kstrdup(nla_data(attr), GFP_KERNEL);
		if (!v[i])
			return -ENOMEM;
		i++;
	}
	return 0;
}

/*
 * write=: every directory must exist and is kept by identity, like a
 * subject binary.  Whatever is mounted, bind-mounted or renamed later,
 * the fence asks whether a place lies below that very inode in its
 * filesystem's tree of dentries, not what its path is.
 */
static int parse_write(const struct nlattr *nest, struct avf_subject_lists *l,
		       struct netlink_ext_ack *extack)
{
	const struct nlattr *attr;
	int n, rem, i = 0, err;
	struct path p;

	n = check_list(nest, AVFENCE_WRITE_MAX, avf_list_path_valid, extack);
	if (n < 0)
		return n;
	l->write_key = kcalloc(n, sizeof(*l->write_key), GFP_KERNEL);
	if (!l->write_key)
		return -ENOMEM;
	l->nwrite = n;
	err = copy_list(nest, n, &l->write);
	if (err)
		return err;
	nla_for_each_nested(attr, nest, rem) {
		err = kern_path(nla_data(attr), LOOKUP_FOLLOW | LOOKUP_DIRECTORY,
				&p);
		if (err == -ENOTDIR)
			NL_SET_ERR_MSG_ATTR(extack, attr,
					    "write= entry is not a directory");
		else if (err)
			NL_SET_ERR_MSG_ATTR(extack, attr,
					    "write= directory does not resolve");
		if (err)
			return err;
		l->write_key[i++] = avf_key_of_inode(d_inode(p.dentry));
		path_put(&p);
	}
	return 0;
}

static int parse_connect(const struct nlattr *nest,
			 struct avf_subject_lists *l,
			 struct netlink_ext_ack *extack)
{
	int n;

	n = check_list(nest, AVFENCE_CONNECT_MAX, avf_connect_name_valid,
		       extack);
	if (n < 0)
		return n;
	l->nconnect = n;
	return copy_list(nest, n, &l->connect);
}

/*
 * The attributes of one subject or label nest, which the family's policy
 * (NLA_POLICY_NESTED_ARRAY of avf_subject_policy or avf_plabel_policy)
 * has already validated, strictly, before any handler ran: checking each
 * one again was a tenth of a 10,000-subject load.  Strict here too, so an
 * unknown attribute type or trailing bytes are still refused.
 */
static int parse_checked_nest(struct nlattr **tb, int maxtype,
			      const struct nlattr *nest,
			      struct netlink_ext_ack *extack)
{
	return __nla_parse(tb, maxtype, nla_data(nest), nla_len(nest), NULL,
			   NL_VALIDATE_STRICT, extack);
}

/*
 * The identity of subject @path, which must resolve to a regular file.
 * Errors point the extended ack at @where: the path attribute, or the
 * table record.
 */
static int subject_key(struct avf_resolver *r, const char *path,
		       struct avf_subject_key *key,
		       const struct nlattr *where,
		       struct netlink_ext_ack *extack)
{
	struct path p;
	int err;

	err = avf_resolve(r, path, &p);
	if (err) {
		NL_SET_ERR_MSG_ATTR(extack, where,
				    "subject path does not resolve");
		return err;
	}
	if (!d_is_reg(p.dentry)) {
		path_put(&p);
		NL_SET_ERR_MSG_ATTR(extack, where,
				    "subject is not a regular file");
		return -EINVAL;
	}
	*key = avf_key_of_inode(d_inode(p.dentry));
	path_put(&p);
	return 0;
}

/* avf_policy_add_subject(), its -EEXIST told as the load's -EINVAL. */
static int add_subject(struct avf_policy *policy, const char *path,
		       const struct avf_subject_key *key, u32 clearance,
		       u32 allow, struct avf_subject_lists *lists,
		       const struct nlattr *where,
		       struct netlink_ext_ack *extack)
{
	int err;

	err = avf_policy_add_subject(policy, path, key, clearance, allow,
				     lists);
	if (err == -EEXIST)
		NL_SET_ERR_MSG_ATTR(extack, where,
				    "subject is the same file as an earlier subject");
	return err == -EEXIST ? -EINVAL : err;
}

static int parse_subject(struct avf_policy *policy, struct avf_resolver *r,
			 const struct nlattr *nest,
			 struct netlink_ext_ack *extack)
{
	struct nlattr *tb[AVFENCE_SUBJECT_A_MAX + 1];
	struct avf_subject_lists lists = {};
	const char *path, *clearance;
	struct avf_subject_key key;
	u32 allow = 0;
	int idx, err;

	if (nla_type(nest) != AVFENCE_A_SUBJECT) {
		NL_SET_ERR_MSG_ATTR(extack, nest, "expected a subject");
		return -EINVAL;
	}
	err = parse_checked_nest(tb, AVFENCE_SUBJECT_A_MAX, nest, extack);
	if (err)
		return err;
	if (!tb[AVFENCE_SUBJECT_A_PATH] || !tb[AVFENCE_SUBJECT_A_CLEARANCE]) {
		NL_SET_ERR_MSG_ATTR(extack, nest,
				    "subject needs a path and a clearance");
		return -EINVAL;
	}
	path = str_attr(tb[AVFENCE_SUBJECT_A_PATH], extack);
	clearance = str_attr(tb[AVFENCE_SUBJECT_A_CLEARANCE], extack);
	if (!path || !clearance)
		return -EINVAL;
	if (path[0] != '/') {
		NL_SET_ERR_MSG_ATTR(extack, tb[AVFENCE_SUBJECT_A_PATH],
				    "subject path must be absolute");
		return -EINVAL;
	}
	if (tb[AVFENCE_SUBJECT_A_ALLOW])
		allow = nla_get_u32(tb[AVFENCE_SUBJECT_A_ALLOW]);
	idx = avf_levels_find(&policy->levels, clearance, strlen(clearance));
	if (idx < 0) {
		NL_SET_ERR_MSG_ATTR(extack, tb[AVFENCE_SUBJECT_A_CLEARANCE],
				    "subject clearance is not a level");
		return -EINVAL;
	}
	err = subject_key(r, path, &key, tb[AVFENCE_SUBJECT_A_PATH], extack);
	if (err)
		return err;
	if (tb[AVFENCE_SUBJECT_A_WRITE])
		err = parse_write(tb[AVFENCE_SUBJECT_A_WRITE], &lists, extack);
	if (!err && tb[AVFENCE_SUBJECT_A_CONNECT])
		err = parse_connect(tb[AVFENCE_SUBJECT_A_CONNECT], &lists,
				    extack);
	if (err) {
		avf_subject_lists_free(&lists);
		return err;
	}
	return add_subject(policy, path, &key, idx, allow, &lists,
			   tb[AVFENCE_SUBJECT_A_PATH], extack);
}

/* The records of one AVFENCE_A_SUBJECT_TABLE, validate_subject_table()'s. */
static int parse_subject_table(struct avf_policy *policy,
			       struct avf_resolver *r,
			       const struct nlattr *table,
			       struct netlink_ext_ack *extack)
{
	const u8 *p = nla_data(table), *end = p + nla_len(table);

	for (; p < end; p += ((const struct avfence_subject_rec *)p)->len) {
		const struct avfence_subject_rec *rec = (const void *)p;
		const struct nlattr *where = (const struct nlattr *)p;
		struct avf_subject_lists none = {};
		struct avf_subject_key key;
		int err;

		if (rec->clearance >= policy->levels.count) {
			NL_SET_ERR_MSG_ATTR(extack, where,
					    "subject clearance is not a level");
			return -EINVAL;
		}
		err = subject_key(r, rec->path, &key, where, extack);
		if (!err)
			err = add_subject(policy, rec->path, &key,
					  rec->clearance, 0, &none, where,
					  extack);
		if (err)
			return err;
	}
	return 0;
}

/*
 * The identity of what a filesystem mounted at @p would be mounted on: the
 * directory underneath if @p is a mount's root, else @p itself.  False
 * for the root of the namespace.
 */
static bool mount_point_key(const struct path *p, struct avf_subject_key *key)
{
	struct path up = *p;
	bool found = true;

	if (p->dentry != p->mnt->mnt_root) {
		*key = avf_key_of_inode(d_inode(p->dentry));
		return true;
	}
	path_get(&up);
	if (follow_up(&up) && d_really_is_positive(up.dentry))
		*key = avf_key_of_inode(d_inode(up.dentry));
	else
		found = false;
	path_put(&up);
	return found;
}

static int parse_plabel(struct avf_policy *policy, const struct nlattr *nest,
			struct netlink_ext_ack *extack)
{
	struct nlattr *tb[AVFENCE_PLABEL_A_MAX + 1];
	struct avf_subject_key obj, mp;
	const char *path, *level;
	bool mount_root, has_mp;
	struct path p;
	int idx, err;

	if (nla_type(nest) != AVFENCE_A_POLICY_LABEL) {
		NL_SET_ERR_MSG_ATTR(extack, nest, "expected a label");
		return -EINVAL;
	}
	err = parse_checked_nest(tb, AVFENCE_PLABEL_A_MAX, nest, extack);
	if (err)
		return err;
	if (!tb[AVFENCE_PLABEL_A_PATH] || !tb[AVFENCE_PLABEL_A_LEVEL]) {
		NL_SET_ERR_MSG_ATTR(extack, nest, "label needs a path and a level");
		return -EINVAL;
	}
	path = str_attr(tb[AVFENCE_PLABEL_A_PATH], extack);
	level = str_attr(tb[AVFENCE_PLABEL_A_LEVEL], extack);
	if (!path || !level)
		return -EINVAL;
	if (path[0] != '/') {
		NL_SET_ERR_MSG_ATTR(extack, tb[AVFENCE_PLABEL_A_PATH],
				    "label path must be absolute");
		return -EINVAL;
	}
	idx = avf_levels_find(&policy->levels, level, strlen(level));
	if (idx < 0) {
		NL_SET_ERR_MSG_ATTR(extack, tb[AVFENCE_PLABEL_A_LEVEL],
				    "label level is not a level");
		return -EINVAL;
	}
	/* Fail closed: a label on nothing would protect nothing. */
	err = kern_path(path, LOOKUP_FOLLOW, &p);
	if (err) {
		NL_SET_ERR_MSG_ATTR(extack, tb[AVFENCE_PLABEL_A_PATH],
				    "label path does not resolve");
		return err;
	}
	obj = avf_key_of_inode(d_inode(p.dentry));
	mount_root = p.dentry == p.mnt->mnt_root && IS_ROOT(p.dentry);
	if (!mount_root && !avf_label_ino_stable(p.dentry->d_sb)) {
		path_put(&p);
		NL_SET_ERR_MSG_ATTR(extack, tb[AVFENCE_PLABEL_A_PATH],
				    "label inside a file system without stable inode numbers (vfat, exFAT, FUSE): label its mount point");
		return -EINVAL;
	}
	has_mp = mount_point_key(&p, &mp);
	path_put(&p);
	err = avf_policy_add_label(policy, path, idx, &obj,
				   has_mp ? &mp : NULL, mount_root);
	if (err == -EEXIST)
		NL_SET_ERR_MSG_ATTR(extack, tb[AVFENCE_PLABEL_A_PATH],
				    "label names the same object as an earlier label");
	return err == -EEXIST ? -EINVAL : err;
}

/* The records of a table validate_subject_table() has passed. */
static u32 count_subject_recs(const struct nlattr *table)
{
	const u8 *p = nla_data(table), *end = p + nla_len(table);
	u32 n = 0;

	for (; p < end; p += ((const struct avfence_subject_rec *)p)->len)
		n++;
	return n;
}

/* The number of labels in every AVFENCE_A_POLICY_LABELS nest. */
static int count_plabels(struct genl_info *info, u32 *count)
{
	const struct nlattr *nest, *attr;
	int rem, nrem;

	*count = 0;
	nla_for_each_attr(nest, genlmsg_data(info->genlhdr),
			  genlmsg_len(info->genlhdr), nrem) {
		if (nla_type(nest) != AVFENCE_A_POLICY_LABELS)
			continue;
		nla_for_each_nested(attr, nest, rem)
			(*count)++;
		if (*count > AVFENCE_POLICY_LABELS_MAX) {
			NL_SET_ERR_MSG_ATTR(info->extack, nest, "too many labels");
			return -E2BIG;
		}
	}
	return 0;
}

/* What a LOAD_POLICY reply holds: the generation and the digest. */
#define LOAD_REPLY_SIZE \
	(nla_total_size_64bit(sizeof(u64)) + nla_total_size(AVFENCE_DIGEST_LEN))

/*
 * Tell the loader which policy its request became: the generation and
 * digest of this load, not of whatever a later load put in force.  The
 * policy is in force already, so a reply that cannot be sent (the
 * reader's receive buffer full) does not turn the load into an error:
 * the ack still says it succeeded and GET_STATUS still tells the digest.
 */
static void load_reply(struct sk_buff *reply, struct genl_info *info,
		       u64 generation, const u8 *digest)
{
	void *hdr;

	hdr = genlmsg_put_reply(reply, info, &avf_family, 0,
				AVFENCE_CMD_LOAD_POLICY);
	if (!hdr ||
	    nla_put_u64_64bit(reply, AVFENCE_A_GENERATION, generation,
			      AVFENCE_A_PAD) ||
	    nla_put(reply, AVFENCE_A_DIGEST, AVFENCE_DIGEST_LEN, digest)) {
		nlmsg_free(reply);
		return;
	}
	genlmsg_end(reply, hdr);
	genlmsg_reply(reply, info);
}

static int avf_nl_load(struct sk_buff *skb, struct genl_info *info)
{
	struct netlink_ext_ack *extack = info->extack;
	struct nlattr **attrs = info->attrs;
	const struct nlattr *attr, *nest;
	struct avf_resolver resolver = {};
	u8 digest[AVFENCE_DIGEST_LEN];
	struct avf_policy *policy;
	struct sk_buff *reply;
	int rem, nrem, idx, err;
	u64 generation;
	const char *name;
	u32 nsubjects = 0, nlabels;

	if (GENL_REQ_ATTR_CHECK(info, AVFENCE_A_MODE) ||
	    GENL_REQ_ATTR_CHECK(info, AVFENCE_A_LEVELS) ||
	    GENL_REQ_ATTR_CHECK(info, AVFENCE_A_DEFAULT_LEVEL))
		return -EINVAL;
	/*
	 * A nest holds at most 64 KiB: AVFENCE_A_SUBJECTS and
	 * AVFENCE_A_SUBJECT_TABLE may repeat, in any mix.
	 */
	nla_for_each_attr(nest, genlmsg_data(info->genlhdr),
			  genlmsg_len(info->genlhdr), nrem) {
		if (nla_type(nest) == AVFENCE_A_SUBJECT_TABLE)
			nsubjects += count_subject_recs(nest);
		else if (nla_type(nest) == AVFENCE_A_SUBJECTS)
			nla_for_each_nested(attr, nest, rem)
				nsubjects++;
		else
			continue;
		if (nsubjects > AVFENCE_SUBJECTS_MAX) {
			NL_SET_ERR_MSG_ATTR(extack, nest, "too many subjects");
			return -E2BIG;
		}
	}
	err = count_plabels(info, &nlabels);
	if (err)
		return err;
	policy = avf_policy_alloc(nsubjects, nlabels);
	if (!policy)
		return -ENOMEM;
	policy->mode = nla_get_u32(attrs[AVFENCE_A_MODE]);
	err = parse_levels(policy, attrs[AVFENCE_A_LEVELS], extack);
	if (err)
		goto out_free;
	err = -EINVAL;
	name = str_attr(attrs[AVFENCE_A_DEFAULT_LEVEL], extack);
	if (!name)
		goto out_free;
	idx = avf_levels_find(&policy->levels, name, strlen(name));
	if (idx < 0) {
		NL_SET_ERR_MSG_ATTR(extack, attrs[AVFENCE_A_DEFAULT_LEVEL],
				    "default is not a level");
		goto out_free;
	}
	policy->default_level = idx;
	err = 0;
	nla_for_each_attr(nest, genlmsg_data(info->genlhdr),
			  genlmsg_len(info->genlhdr), nrem) {
		if (nla_type(nest) == AVFENCE_A_SUBJECT_TABLE) {
			err = parse_subject_table(policy, &resolver, nest,
						  extack);
			if (err)
				break;
			continue;
		}
		if (nla_type(nest) != AVFENCE_A_SUBJECTS)
			continue;
		nla_for_each_nested(attr, nest, rem) {
			err = parse_subject(policy, &resolver, attr, extack);
			if (err)
				break;
		}
		if (err)
			break;
	}
	avf_resolver_done(&resolver);
	if (err)
		goto out_free;
	nla_for_each_attr(nest, genlmsg_data(info->genlhdr),
			  genlmsg_len(info->genlhdr), nrem) {
		if (nla_type(nest) != AVFENCE_A_POLICY_LABELS)
			continue;
		nla_for_each_nested(attr, nest, rem) {
			err = parse_plabel(policy, attr, extack);
			if (err)
				goto out_free;
		}
	}
	avf_policy_labels_done(policy);

	err = avf_policy_digest(policy);
	if (err)
		goto out_free;
	/* Allocated before the commit: after it, nothing may fail. */
	reply = genlmsg_new(LOAD_REPLY_SIZE, GFP_KERNEL);
	if (!reply) {
		err = -ENOMEM;
		goto out_free;
	}

	mutex_lock(&avf_config_lock);
	/* Checked again under the lock: a lock may have come in between. */
	if (READ_ONCE(avf_locked)) {
		mutex_unlock(&avf_config_lock);
		NL_SET_ERR_MSG(extack, "the policy is locked until reboot");
		err = -EPERM;
		goto out_reply;
	}
	err = avf_measure(AVFENCE_MEASURE_POLICY_LOAD, policy->digest,
			  avf_policy_next_generation(), policy->mode);
	if (err) {
		mutex_unlock(&avf_config_lock);
		NL_SET_ERR_MSG(extack, MEASURE_FAILED);
		goto out_reply;
	}
	avf_load_policy(policy);
	pr_info("policy loaded: generation %llu, %u levels, %u subjects, %u labels, mode %s, digest %*phN, by pid %d\n",
		policy->generation, policy->levels.count, policy->nsubjects,
		policy->nlabels,
		mode_name(policy->mode), AVFENCE_DIGEST_LEN, policy->digest,
		task_tgid_nr(current));
	config_event(AVFENCE_EVENT_POLICY_LOAD, policy);
	generation = policy->generation;
	memcpy(digest, policy->digest, AVFENCE_DIGEST_LEN);
	mutex_unlock(&avf_config_lock);
	load_reply(reply, info, generation, digest);
	return 0;

out_reply:
	nlmsg_free(reply);
out_free:
	avf_policy_free(policy);
	return err;
}

static int avf_nl_set_mode(struct sk_buff *skb, struct genl_info *info)
{
	struct avf_policy *policy;
	u32 mode;
	int err = 0;

	if (GENL_REQ_ATTR_CHECK(info, AVFENCE_A_MODE))
		return -EINVAL;
	mode = nla_get_u32(info->attrs[AVFENCE_A_MODE]);
	mutex_lock(&avf_config_lock);
	policy = rcu_dereference_protected(avf_policy,
					   lockdep_is_held(&avf_config_lock));
	if (READ_ONCE(avf_locked)) {
		NL_SET_ERR_MSG(info->extack, "the policy is locked until reboot");
		err = -EPERM;
	} else if (policy) {
		err = avf_measure(AVFENCE_MEASURE_MODE, policy->digest,
				  policy->generation, mode);
		if (err) {
			NL_SET_ERR_MSG(info->extack, MEASURE_FAILED);
			goto out;
		}
		WRITE_ONCE(policy->mode, mode);
		pr_info("mode set to %s by pid %d\n", mode_name(mode),
			task_tgid_nr(current));
		config_event(AVFENCE_EVENT_MODE, policy);
	} else {
		NL_SET_ERR_MSG(info->extack, "no policy loaded");
		err = -ENOENT;
	}
out:
	mutex_unlock(&avf_config_lock);
	return err;
}

static int avf_nl_lock(struct sk_buff *skb, struct genl_info *info)
{
	struct avf_policy *policy;
	int err = 0;

	/* Checked by avf_nl_pre_doit(): an administrator, untagged.  Only
	 * such a caller learns that the policy is locked already.
	 */
	mutex_lock(&avf_config_lock);
	policy = rcu_dereference_protected(avf_policy,
					   lockdep_is_held(&avf_config_lock));
	if (!policy) {
		NL_SET_ERR_MSG(info->extack, "no policy loaded: nothing to lock");
		err = -ENOENT;
	} else if (!avf_locked && !try_module_get(THIS_MODULE)) {
		NL_SET_ERR_MSG(info->extack, "avfence is being unloaded");
		err = -EBUSY;
	} else if (!avf_locked) {
		err = avf_measure(AVFENCE_MEASURE_LOCK, policy->digest,
				  policy->generation, READ_ONCE(policy->mode));
		if (err) {
			module_put(THIS_MODULE);
			NL_SET_ERR_MSG(info->extack, MEASURE_FAILED);
			goto out;
		}
		/* The reference is never dropped: rmmod fails as in use. */
		WRITE_ONCE(avf_locked, true);
		pr_info("policy generation %llu locked until reboot by pid %d\n",
			policy->generation, task_tgid_nr(current));
		config_event(AVFENCE_EVENT_LOCK, policy);
	}
out:
	mutex_unlock(&avf_config_lock);
	return err;
}

static int put_policy(struct sk_buff *msg, const struct avf_policy *policy)
{
	struct nlattr *nest;
	u32 i;

	if (nla_put_u32(msg, AVFENCE_A_MODE, READ_ONCE(policy->mode)) ||
	    nla_put_u64_64bit(msg, AVFENCE_A_GENERATION, policy->generation,
			      AVFENCE_A_PAD) ||
	    nla_put_string(msg, AVFENCE_A_DEFAULT_LEVEL,
			   policy->levels.name[policy->default_level]) ||
	    nla_put_u32(msg, AVFENCE_A_SUBJECT_COUNT, policy->nsubjects) ||
	    nla_put_u32(msg, AVFENCE_A_POLICY_LABEL_COUNT, policy->nlabels) ||
	    nla_put(msg, AVFENCE_A_DIGEST, AVFENCE_DIGEST_LEN, policy->digest))
		return -EMSGSIZE;
	nest = nla_nest_start(msg, AVFENCE_A_LEVELS);
	if (!nest)
		return -EMSGSIZE;
	for (i = 0; i < policy->levels.count; i++) {
		if (nla_put_string(msg, AVFENCE_LEVEL_A_NAME,
				   policy->levels.name[i]))
			return -EMSGSIZE;
	}
	nla_nest_end(msg, nest);
	return 0;
}

static int put_routes(struct sk_buff *msg)
{
	struct nlattr *nest, *route;
	u32 i;

	nest = nla_nest_start(msg, AVFENCE_A_ROUTE_STATS);
	if (!nest)
		return -EMSGSIZE;
	for (i = 0; i <= AVFENCE_ROUTE_MAX; i++) {
		route = nla_nest_start(msg, AVFENCE_A_ROUTE);
		if (!route ||
		    nla_put_u32(msg, AVFENCE_ROUTE_A_ID, i) ||
		    nla_put_string(msg, AVFENCE_ROUTE_A_NAME,
				   avf_route_name(i)) ||
		    nla_put_u64_64bit(msg, AVFENCE_ROUTE_A_DENIED,
				      avf_stat_denied(i), AVFENCE_ROUTE_A_PAD) ||
		    nla_put_u64_64bit(msg, AVFENCE_ROUTE_A_AUDITED,
				      avf_stat_audited(i), AVFENCE_ROUTE_A_PAD))
			return -EMSGSIZE;
		nla_nest_end(msg, route);
	}
	nla_nest_end(msg, nest);
	return 0;
}

static int put_level_stats(struct sk_buff *msg,
			   const struct avf_policy *policy)
{
	struct nlattr *nest, *level;
	u32 i;

	nest = nla_nest_start(msg, AVFENCE_A_LEVEL_STATS);
	if (!nest)
		return -EMSGSIZE;
	for (i = 0; i < policy->levels.count; i++) {
		level = nla_nest_start(msg, AVFENCE_A_LEVEL);
		if (!level ||
		    nla_put_string(msg, AVFENCE_LEVEL_A_NAME,
				   policy->levels.name[i]) ||
		    nla_put_u64_64bit(msg, AVFENCE_LEVEL_A_DENIED,
				      avf_stat_level(policy, i, true),
				      AVFENCE_LEVEL_A_PAD) ||
		    nla_put_u64_64bit(msg, AVFENCE_LEVEL_A_AUDITED,
				      avf_stat_level(policy, i, false),
				      AVFENCE_LEVEL_A_PAD))
			return -EMSGSIZE;
		nla_nest_end(msg, level);
	}
	nla_nest_end(msg, nest);
	return 0;
}

static size_t list_size(char *const *v, u32 n)
{
	size_t size = n ? nla_total_size(0) : 0;
	u32 i;

	for (i = 0; i < n; i++)
		size += nla_total_size(strlen(v[i]) + 1);
	return size;
}

/* Room one subject takes in a GET_STATUS reply, padding included. */
static size_t subject_size(const struct avf_subject *subject)
{
	return nla_total_size(0) +
	       nla_total_size(strlen(subject->path) + 1) +
	       nla_total_size(AVFENCE_LEVEL_NAME_MAX) +
	       2 * nla_total_size(sizeof(u32)) +
	       nla_total_size_64bit(sizeof(u64)) +
	       list_size(subject->lists.write, subject->lists.nwrite) +
	       list_size(subject->lists.connect, subject->lists.nconnect);
}

/*
 * The subjects and labels of a GET_STATUS reply go in nests of at most
 * 32 KiB each (nla_len is 16 bits): @used bytes of them take this much
 * with a nest header for every 32 KiB started.
 */
static size_t nests_size(size_t used)
{
	return used + (used / (U16_MAX / 2) + 1) * nla_total_size(0);
}

/*
 * Make *@nest, a nest of @type, the one the next entry goes in: itself
 * while under 32 KiB, else (or if NULL) a new one, the full one ended.
 */
static int next_nest(struct sk_buff *msg, struct nlattr **nest, int type)
{
	if (*nest && (unsigned char *)skb_tail_pointer(msg) -
		     (unsigned char *)*nest > U16_MAX / 2) {
		nla_nest_end(msg, *nest);
		*nest = NULL;
	}
	if (!*nest)
		*nest = nla_nest_start(msg, type);
	return *nest ? 0 : -EMSGSIZE;
}

/*
 * How many subjects the reply holds (all, or as many as fit the cap), and
 * in @size the bytes they take.
 */
static u32 subjects_fitting(const struct avf_policy *policy, size_t *size)
{
	size_t used = 0, one;
	u32 i;

	for (i = 0; i < policy->nsubjects; i++) {
		one = subject_size(&policy->subjects[i]);
		if (used + one > AVFENCE_STATUS_SUBJECTS_MAX)
			break;
		used += one;
	}
	*size = nests_size(used);
	return i;
}

/*
 * The first @count subjects and what the kernel resolved them to, in
 * nests of at most 32 KiB each (nla_len is 16 bits).
 */
static int put_subjects(struct sk_buff *msg, const struct avf_policy *policy,
			u32 count)
{
	const struct avf_subject *subject;
	struct nlattr *nest = NULL, *one;
	u32 i;

	for (i = 0; i < count; i++) {
		subject = &policy->subjects[i];
		if (next_nest(msg, &nest, AVFENCE_A_SUBJECTS))
			return -EMSGSIZE;
		one = nla_nest_start(msg, AVFENCE_A_SUBJECT);
		if (!one ||
		    nla_put_string(msg, AVFENCE_SUBJECT_A_PATH, subject->path) ||
		    nla_put_string(msg, AVFENCE_SUBJECT_A_CLEARANCE,
				   policy->levels.name[subject->clearance]) ||
		    nla_put_u32(msg, AVFENCE_SUBJECT_A_ALLOW, subject->allow) ||
		    nla_put_u32(msg, AVFENCE_SUBJECT_A_DEV,
				new_encode_dev(subject->key.dev)) ||
		    nla_put_u64_64bit(msg, AVFENCE_SUBJECT_A_INO,
				      subject->key.ino, AVFENCE_SUBJECT_A_PAD) ||
		    avf_put_entries(msg, AVFENCE_SUBJECT_A_WRITE,
				    (const char *const *)subject->lists.write,
				    subject->lists.nwrite) ||
		    avf_put_entries(msg, AVFENCE_SUBJECT_A_CONNECT,
				    (const char *const *)subject->lists.connect,
				    subject->lists.nconnect))
			return -EMSGSIZE;
		nla_nest_end(msg, one);
	}
	if (nest)
		nla_nest_end(msg, nest);
	return 0;
}

/* Room one label takes in a GET_STATUS reply, padding included. */
static size_t plabel_size(const struct avf_plabel *pl)
{
	return nla_total_size(0) + nla_total_size(strlen(pl->path) + 1) +
	       nla_total_size(AVFENCE_LEVEL_NAME_MAX) +
	       nla_total_size(sizeof(u32)) + nla_total_size(sizeof(u8)) +
	       nla_total_size_64bit(sizeof(u64));
}

/* How many labels fit AVFENCE_STATUS_SUBJECTS_MAX, their size in @size. */
static u32 plabels_fitting(const struct avf_policy *policy, size_t *size)
{
	size_t used = 0, one;
	u32 i;

	for (i = 0; i < policy->nlabels; i++) {
		one = plabel_size(&policy->labels[i]);
		if (used + one > AVFENCE_STATUS_SUBJECTS_MAX)
			break;
		used += one;
	}
	*size = nests_size(used);
	return i;
}

/* The first @count labels, in nests of at most 32 KiB each. */
static int put_plabels(struct sk_buff *msg, const struct avf_policy *policy,
		       u32 count)
{
	const struct avf_plabel *pl;
	struct nlattr *nest = NULL, *one;
	u32 i;

	for (i = 0; i < count; i++) {
		pl = &policy->labels[i];
		if (next_nest(msg, &nest, AVFENCE_A_POLICY_LABELS))
			return -EMSGSIZE;
		one = nla_nest_start(msg, AVFENCE_A_POLICY_LABEL);
		if (!one ||
		    nla_put_string(msg, AVFENCE_PLABEL_A_PATH, pl->path) ||
		    nla_put_string(msg, AVFENCE_PLABEL_A_LEVEL,
				   policy->levels.name[pl->level]) ||
		    nla_put_u32(msg, AVFENCE_PLABEL_A_DEV,
				new_encode_dev(pl->obj.dev)) ||
		    nla_put_u64_64bit(msg, AVFENCE_PLABEL_A_INO, pl->obj.ino,
				      AVFENCE_PLABEL_A_PAD) ||
		    nla_put_u8(msg, AVFENCE_PLABEL_A_MOUNT_ROOT, pl->mount_root))
			return -EMSGSIZE;
		nla_nest_end(msg, one);
	}
	if (nest)
		nla_nest_end(msg, nest);
	return 0;
}

/* Whether changes are measured, and into which PCR. */
static int put_measure(struct sk_buff *msg)
{
	u64 records;
	u32 pcr;

	if (!avf_measure_state(&pcr, &records) &&
	    nla_put_u32(msg, AVFENCE_A_MEASURE_PCR, pcr))
		return -EMSGSIZE;
	return nla_put_u64_64bit(msg, AVFENCE_A_MEASURE_RECORDS, records,
				 AVFENCE_A_PAD);
}

static int avf_nl_status(struct sk_buff *skb, struct genl_info *info)
{
	struct nlattr *want_attr = info->attrs[AVFENCE_A_STATUS_WANT];
	struct avf_policy *policy;
	struct sk_buff *msg;
	size_t size, subjects_size = 0, labels_size = 0;
	u32 want = 0, nsubjects = 0, nlabels = 0;
	struct avf_status_totals totals;
	bool subjects, labels;
	void *hdr;
	int err = -EMSGSIZE;

	if (want_attr)
		want = nla_get_u32(want_attr);
	mutex_lock(&avf_config_lock);
	policy = rcu_dereference_protected(avf_policy,
					   lockdep_is_held(&avf_config_lock));
	subjects = policy && (want & AVFENCE_STATUS_WANT_SUBJECTS);
	/*
	 * 32 levels of 64 bytes, twice (ladder and counters), and the route
	 * table exceed one page; then the subjects.  At most about 80 KiB:
	 * its truesize (128 KiB) and the ack after it fit the default
	 * receive buffer.
	 */
	if (subjects)
		nsubjects = subjects_fitting(policy, &subjects_size);
	labels = policy && (want & AVFENCE_STATUS_WANT_POLICY_LABELS);
	if (labels)
		nlabels = plabels_fitting(policy, &labels_size);
	size = 3 * NLMSG_GOODSIZE + subjects_size + labels_size;
	msg = genlmsg_new(size, GFP_KERNEL);
	if (!msg) {
		mutex_unlock(&avf_config_lock);
		return -ENOMEM;
	}
	avf_status_totals(&totals);
	hdr = genlmsg_put_reply(msg, info, &avf_family, 0,
				AVFENCE_CMD_GET_STATUS);
	if (!hdr ||
	    nla_put_u32(msg, AVFENCE_A_ABI_VERSION, AVFENCE_GENL_VERSION) ||
	    nla_put_string(msg, AVFENCE_A_MODULE_VERSION, AVFENCE_VERSION) ||
	    nla_put_u8(msg, AVFENCE_A_POLICY_LOADED, !!policy) ||
	    nla_put_u8(msg, AVFENCE_A_LOCKED, READ_ONCE(avf_locked)) ||
	    nla_put_u64_64bit(msg, AVFENCE_A_EVENTS_LOST, totals.events_lost,
			      AVFENCE_A_PAD) ||
	    nla_put_u32(msg, AVFENCE_A_TAGGED, totals.tagged) ||
	    nla_put_u64_64bit(msg, AVFENCE_A_DENIED, totals.denied,
			      AVFENCE_A_PAD) ||
	    nla_put_u64_64bit(msg, AVFENCE_A_AUDITED, totals.audited,
			      AVFENCE_A_PAD) ||
	    put_routes(msg) || put_measure(msg) ||
	    (policy && (put_policy(msg, policy) ||
			put_level_stats(msg, policy))) ||
	    (subjects && put_subjects(msg, policy, nsubjects)) ||
	    (labels && put_plabels(msg, policy, nlabels))) {
		mutex_unlock(&avf_config_lock);
		goto out_free;
	}
	mutex_unlock(&avf_config_lock);
	genlmsg_end(msg, hdr);
	return genlmsg_reply(msg, info);

out_free:
	nlmsg_free(msg);
	return err;
}

static int put_label(struct sk_buff *msg, const struct path *path)
{
	struct avf_label_query q;
	int err = avf_label_query(path, &q);

	if (err)
		return err;
	if ((q.has_own && nla_put_string(msg, AVFENCE_A_LABEL, q.own)) ||
	    nla_put_u32(msg, AVFENCE_A_LABEL_SOURCE, q.source) ||
	    (q.has_effective &&
	     nla_put_string(msg, AVFENCE_A_EFFECTIVE_LEVEL, q.effective)))
		return -EMSGSIZE;
	return 0;
}

static int avf_nl_get_label(struct sk_buff *skb, struct genl_info *info)
{
	struct sk_buff *msg;
	const char *name;
	struct path p;
	void *hdr;
	int err;

	if (GENL_REQ_ATTR_CHECK(info, AVFENCE_A_PATH))
		return -EINVAL;
	name = str_attr(info->attrs[AVFENCE_A_PATH], info->extack);
	if (!name)
		return -EINVAL;
	err = kern_path(name, LOOKUP_FOLLOW, &p);
	if (err) {
		NL_SET_ERR_MSG_ATTR(info->extack, info->attrs[AVFENCE_A_PATH],
				    "path does not resolve");
		return err;
	}
	err = -ENOMEM;
	msg = genlmsg_new(NLMSG_GOODSIZE + AVFENCE_PATH_MAX, GFP_KERNEL);
	if (!msg)
		goto out_put;
	err = -EMSGSIZE;
	hdr = genlmsg_put_reply(msg, info, &avf_family, 0,
				AVFENCE_CMD_GET_LABEL);
	if (!hdr || nla_put_string(msg, AVFENCE_A_PATH, name))
		goto out_free;
	err = put_label(msg, &p);
	if (err)
		goto out_free;
	path_put(&p);
	genlmsg_end(msg, hdr);
	return genlmsg_reply(msg, info);

out_free:
	nlmsg_free(msg);
out_put:
	path_put(&p);
	return err;
}

static int put_task(struct sk_buff *msg, struct task_struct *task)
{
	char clearance[AVFENCE_LEVEL_NAME_MAX], comm[TASK_COMM_LEN];
	char *buf, *exe_name = NULL;
	struct mm_struct *mm;
	struct nlattr *nest;
	struct file *exe;
	u64 since;
	int err = -EMSGSIZE;

	if (!avf_subject_describe(task, clearance, sizeof(clearance), &since))
		return -ESRCH;	/* untagged meanwhile */
	buf = kmalloc(PATH_MAX, GFP_KERNEL);
	mm = get_task_mm(task);
	exe = mm ? avf_get_exe_file(mm) : NULL;
	if (buf && exe) {
		exe_name = d_path(&exe->f_path, buf, PATH_MAX);
		if (IS_ERR(exe_name))
			exe_name = NULL;
	}
	nest = nla_nest_start(msg, AVFENCE_A_TASK);
	if (nest &&
	    !nla_put_u32(msg, AVFENCE_TASK_A_PID, task_pid_nr(task)) &&
	    !nla_put_u32(msg, AVFENCE_TASK_A_TGID, task_tgid_nr(task)) &&
	    !nla_put_string(msg, AVFENCE_TASK_A_COMM, get_task_comm(comm, task)) &&
	    (!exe_name || !nla_put_string(msg, AVFENCE_TASK_A_EXE, exe_name)) &&
	    !nla_put_string(msg, AVFENCE_TASK_A_CLEARANCE, clearance) &&
	    !nla_put_u64_64bit(msg, AVFENCE_TASK_A_SINCE, since,
			       AVFENCE_TASK_A_PAD)) {
		nla_nest_end(msg, nest);
		err = 0;
	}
	if (exe)
		fput(exe);
	if (mm)
		mmput(mm);
	kfree(buf);
	return err;
}

/* One message for @task; a task untagged meanwhile is skipped. */
static int put_task_msg(struct sk_buff *skb, struct netlink_callback *cb,
			struct task_struct *task)
{
	void *hdr;
	int err;

	hdr = genlmsg_put(skb, NETLINK_CB(cb->skb).portid, cb->nlh->nlmsg_seq,
			  &avf_family, NLM_F_MULTI, AVFENCE_CMD_GET_TAGGED);
	if (!hdr)
		return -EMSGSIZE;
	err = put_task(skb, task);
	if (err) {
		genlmsg_cancel(skb, hdr);
		if (err != -ESRCH)
			return err;
	} else {
		genlmsg_end(skb, hdr);
	}
	cb->args[0]++;
	return 0;
}

static int avf_nl_tagged_dump(struct sk_buff *skb, struct netlink_callback *cb)
{
	struct task_struct *tasks[8];
	unsigned long cursor = cb->args[0];
	int i, n, err = 0;

	do {
		n = avf_subject_collect(&cursor, tasks, ARRAY_SIZE(tasks));
		for (i = 0; i < n; i++) {
			if (!err)
				err = put_task_msg(skb, cb, tasks[i]);
			put_task_struct(tasks[i]);
		}
	} while (n && !err);
	/*
	 * Full: the rest in the next call.  But a task that does not fit
	 * even an empty skb is an error: returning 0 would end the dump
	 * as if every task had been listed.
	 */
	if (err == -EMSGSIZE && skb->len)
		return skb->len;
	return err ?: skb->len;
}

/* clang-format off */
static const struct genl_small_ops avf_nl_ops[] = {
	{ .cmd = AVFENCE_CMD_GET_STATUS, .doit = avf_nl_status },
	{ .cmd = AVFENCE_CMD_LOAD_POLICY, .doit = avf_nl_load,
	  .internal_flags = AVF_NL_ADMIN | AVF_NL_UNLOCKED },
	{ .cmd = AVFENCE_CMD_SET_MODE, .doit = avf_nl_set_mode,
	  .internal_flags = AVF_NL_ADMIN | AVF_NL_UNLOCKED },
	{ .cmd = AVFENCE_CMD_GET_LABEL, .doit = avf_nl_get_label },
	{ .cmd = AVFENCE_CMD_LOCK, .doit = avf_nl_lock,
	  .internal_flags = AVF_NL_ADMIN },
	{ .cmd = AVFENCE_CMD_GET_TAGGED, .dumpit = avf_nl_tagged_dump },
};

static const struct genl_multicast_group avf_nl_mcgrps[] = {
	/* Events name classified files: administrators only. */
	{ .name = AVFENCE_MCGRP_EVENTS, .flags = GENL_MCAST_CAP_SYS_ADMIN },
};
/* clang-format on */

static struct genl_family avf_family __ro_after_init = {
	.name = AVFENCE_GENL_NAME,
	.version = AVFENCE_GENL_VERSION,
	.maxattr = AVFENCE_A_MAX,
	.policy = avf_nl_policy,
	.module = THIS_MODULE,
	/*
	 * Handlers serialise on avf_config_lock where they need to, so a
	 * status request or a dump never waits on the global genl mutex.
	 */
	.parallel_ops = true,
	.pre_doit = avf_nl_pre_doit,
	.small_ops = avf_nl_ops,
	.n_small_ops = ARRAY_SIZE(avf_nl_ops),
	.mcgrps = avf_nl_mcgrps,
	.n_mcgrps = ARRAY_SIZE(avf_nl_mcgrps),
};

/* The event queue's has_listeners: is anyone subscribed to events? */
static bool has_listeners(void)
{
	return genl_has_listeners(&avf_family, &init_net, 0);
}

static int put_str_if(struct sk_buff *msg, int type, const char *s)
{
	return s && s[0] ? nla_put_string(msg, type, s) : 0;
}

static size_t str_size(const char *s)
{
	return s && s[0] ? nla_total_size(strlen(s) + 1) : 0;
}

/*
 * The payload of @event's message, at least what send_event() puts
 * (both kinds of event counted as three u32 and three u64).  Sized to
 * fit: a message sized for two whole paths took 16 KiB of a listener's
 * receive buffer per event, and an order-2 page allocation to build.
 */
static size_t event_size(const struct avf_event *event)
{
	return nla_total_size(0) + 3 * nla_total_size(sizeof(u32)) +
	       3 * nla_total_size_64bit(sizeof(u64)) +
	       nla_total_size(strlen(event->comm) + 1) +
	       str_size(event->exe) + str_size(event->clearance) +
	       str_size(event->label) + str_size(event->object);
}

/*
 * The event queue's send: multicast one event.  Context: process context
 * (the event work item).  Return: 0, -ESRCH if nobody listens, or another
 * error (event lost).
 */
static int send_event(const struct avf_event *event)
{
	struct nlattr *nest;
	struct sk_buff *msg;
	void *hdr;

	msg = genlmsg_new(event_size(event), GFP_KERNEL);
	if (!msg)
		return -ENOMEM;
	hdr = genlmsg_put(msg, 0, 0, &avf_family, 0, AVFENCE_CMD_EVENT);
	if (!hdr)
		goto out_free;
	nest = nla_nest_start(msg, AVFENCE_A_EVENT);
	if (!nest ||
	    nla_put_u32(msg, AVFENCE_EVENT_A_TYPE, event->type) ||
	    nla_put_u64_64bit(msg, AVFENCE_EVENT_A_SEQ, event->seq,
			      AVFENCE_EVENT_A_PAD) ||
	    nla_put_u64_64bit(msg, AVFENCE_EVENT_A_TIME, event->time,
			      AVFENCE_EVENT_A_PAD) ||
	    nla_put_u32(msg, AVFENCE_EVENT_A_PID, event->pid) ||
	    nla_put_string(msg, AVFENCE_EVENT_A_COMM, event->comm) ||
	    put_str_if(msg, AVFENCE_EVENT_A_EXE, event->exe))
		goto out_free;
	if (event->type == AVFENCE_EVENT_DENIED ||
	    event->type == AVFENCE_EVENT_AUDITED ||
	    event->type == AVFENCE_EVENT_TAGGED) {
		if (nla_put_u32(msg, AVFENCE_EVENT_A_ROUTE, event->route) ||
		    put_str_if(msg, AVFENCE_EVENT_A_CLEARANCE,
			       event->clearance) ||
		    put_str_if(msg, AVFENCE_EVENT_A_LABEL, event->label) ||
		    put_str_if(msg, event->object_is_path ?
				    AVFENCE_EVENT_A_PATH : AVFENCE_EVENT_A_WHAT,
			       event->object))
			goto out_free;
	} else if (nla_put_u32(msg, AVFENCE_EVENT_A_MODE, event->mode) ||
		   nla_put_u64_64bit(msg, AVFENCE_EVENT_A_GENERATION,
				     event->generation, AVFENCE_EVENT_A_PAD)) {
		goto out_free;
	}
	nla_nest_end(msg, nest);
	genlmsg_end(msg, hdr);
	return genlmsg_multicast(&avf_family, msg, 0, 0, GFP_KERNEL);

out_free:
	nlmsg_free(msg);
	return -EMSGSIZE;
}

/* The event queue calls down into nothing: it is handed these. */
static const struct avf_event_transport avf_nl_transport = {
	.has_listeners = has_listeners,
	.send = send_event,
};

/**
 * avf_netlink_init - register the generic netlink family
 *
 * Return: 0 or a negative errno.
 */
int avf_netlink_init(void)
{
	int err = genl_register_family(&avf_family);

	if (!err)
		avf_event_set_transport(&avf_nl_transport);
	return err;
}

/** avf_netlink_exit - unregister the family; waits for handlers running. */
void avf_netlink_exit(void)
{
	genl_unregister_family(&avf_family);
}

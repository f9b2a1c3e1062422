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
#include <net/genetlink.h>

#include "common.h"
#include "fence.h"
#include "label.h"
#include "policy.h"

static const struct nla_policy avf_level_policy[AVFENCE_LEVEL_A_MAX + 1] = {
	[AVFENCE_LEVEL_A_NAME] = { .type = NLA_NUL_STRING,
				   .len = AVFENCE_LEVEL_NAME_MAX - 1 },
};

static const struct nla_policy avf_subject_policy[AVFENCE_SUBJECT_A_MAX + 1] = {
	[AVFENCE_SUBJECT_A_PATH] = { .type = NLA_NUL_STRING,
				     .len = AVFENCE_PATH_MAX - 1 },
	[AVFENCE_SUBJECT_A_CLEARANCE] = { .type = NLA_NUL_STRING,
					  .len = AVFENCE_LEVEL_NAME_MAX - 1 },
	[AVFENCE_SUBJECT_A_ALLOW] = { .type = NLA_U32 },
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
};

static struct genl_family avf_family;

static const char *mode_name(u32 mode)
{
	return mode == AVFENCE_MODE_AUDIT ? "audit" : "enforce";
}

/*
 * Only an untagged administrator changes the fence: a fenced agent must
 * not be able to lift its own fence, whatever its capabilities.
 */
static int check_admin(struct sk_buff *skb, struct netlink_ext_ack *extack)
{
	if (!netlink_capable(skb, CAP_MAC_ADMIN) &&
	    !netlink_capable(skb, CAP_SYS_ADMIN)) {
		NL_SET_ERR_MSG(extack, "CAP_MAC_ADMIN or CAP_SYS_ADMIN required");
		return -EPERM;
	}
	if (avf_current_tagged()) {
		NL_SET_ERR_MSG(extack, "a fenced process may not change the fence");
		return -EPERM;
	}
	return 0;
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

static int parse_subject(struct avf_policy *policy, const struct nlattr *nest,
			 struct netlink_ext_ack *extack)
{
	struct nlattr *tb[AVFENCE_SUBJECT_A_MAX + 1];
	const char *path, *clearance;
	struct avf_subject_key key;
	u32 allow = 0;
	struct path p;
	int idx, err;

	if (nla_type(nest) != AVFENCE_A_SUBJECT) {
		NL_SET_ERR_MSG_ATTR(extack, nest, "expected a subject");
		return -EINVAL;
	}
	err = nla_parse_nested(tb, AVFENCE_SUBJECT_A_MAX, nest,
			       avf_subject_policy, extack);
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
	if (tb[AVFENCE_SUBJECT_A_ALLOW]) {
		allow = nla_get_u32(tb[AVFENCE_SUBJECT_A_ALLOW]);
		if (allow & ~__AVFENCE_ALLOW_ALL) {
			NL_SET_ERR_MSG_ATTR(extack, tb[AVFENCE_SUBJECT_A_ALLOW],
					    "unknown allow flags");
			return -EOPNOTSUPP;
		}
	}
	idx = avf_levels_find(&policy->levels, clearance, strlen(clearance));
	if (idx < 0) {
		NL_SET_ERR_MSG_ATTR(extack, tb[AVFENCE_SUBJECT_A_CLEARANCE],
				    "subject clearance is not a level");
		return -EINVAL;
	}
	err = kern_path(path, LOOKUP_FOLLOW, &p);
	if (err) {
		NL_SET_ERR_MSG_ATTR(extack, tb[AVFENCE_SUBJECT_A_PATH],
				    "subject path does not resolve");
		return err;
	}
	if (!d_is_reg(p.dentry)) {
		path_put(&p);
		NL_SET_ERR_MSG_ATTR(extack, tb[AVFENCE_SUBJECT_A_PATH],
				    "subject is not a regular file");
		return -EINVAL;
	}
	key = avf_key_of_inode(d_inode(p.dentry));
	path_put(&p);
	err = avf_policy_add_subject(policy, path, &key, idx, allow);
	if (err == -EEXIST)
		NL_SET_ERR_MSG_ATTR(extack, tb[AVFENCE_SUBJECT_A_PATH],
				    "subject is the same file as an earlier subject");
	return err == -EEXIST ? -EINVAL : err;
}

static int avf_nl_load(struct sk_buff *skb, struct genl_info *info)
{
	struct netlink_ext_ack *extack = info->extack;
	struct nlattr **attrs = info->attrs;
	const struct nlattr *attr;
	struct avf_policy *policy;
	const char *name;
	u32 nsubjects = 0;
	int rem, idx, err;

	err = check_admin(skb, extack);
	if (err)
		return err;
	if (GENL_REQ_ATTR_CHECK(info, AVFENCE_A_MODE) ||
	    GENL_REQ_ATTR_CHECK(info, AVFENCE_A_LEVELS) ||
	    GENL_REQ_ATTR_CHECK(info, AVFENCE_A_DEFAULT_LEVEL))
		return -EINVAL;
	if (attrs[AVFENCE_A_SUBJECTS]) {
		nla_for_each_nested(attr, attrs[AVFENCE_A_SUBJECTS], rem)
			nsubjects++;
	}
	if (nsubjects > AVFENCE_SUBJECTS_MAX) {
		NL_SET_ERR_MSG_ATTR(extack, attrs[AVFENCE_A_SUBJECTS],
				    "too many subjects");
		return -E2BIG;
	}
	policy = avf_policy_alloc(nsubjects);
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
	if (attrs[AVFENCE_A_SUBJECTS]) {
		nla_for_each_nested(attr, attrs[AVFENCE_A_SUBJECTS], rem) {
			err = parse_subject(policy, attr, extack);
			if (err)
				goto out_free;
		}
	}

	mutex_lock(&avf_config_lock);
	avf_policy_replace(policy);
	pr_info("policy loaded: generation %llu, %u levels, %u subjects, mode %s, by pid %d\n",
		policy->generation, policy->levels.count, policy->nsubjects,
		mode_name(policy->mode), task_pid_nr(current));
	mutex_unlock(&avf_config_lock);
	return 0;

out_free:
	avf_policy_free(policy);
	return err;
}

static int avf_nl_set_mode(struct sk_buff *skb, struct genl_info *info)
{
	struct avf_policy *policy;
	u32 mode;
	int err;

	err = check_admin(skb, info->extack);
	if (err)
		return err;
	if (GENL_REQ_ATTR_CHECK(info, AVFENCE_A_MODE))
		return -EINVAL;
	mode = nla_get_u32(info->attrs[AVFENCE_A_MODE]);
	mutex_lock(&avf_config_lock);
	policy = rcu_dereference_protected(avf_policy,
					   lockdep_is_held(&avf_config_lock));
	if (policy) {
		WRITE_ONCE(policy->mode, mode);
		pr_info("mode set to %s by pid %d\n", mode_name(mode),
			task_pid_nr(current));
	} else {
		NL_SET_ERR_MSG(info->extack, "no policy loaded");
		err = -ENOENT;
	}
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
	    nla_put_u32(msg, AVFENCE_A_SUBJECT_COUNT, policy->nsubjects))
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

static int avf_nl_status(struct sk_buff *skb, struct genl_info *info)
{
	struct avf_policy *policy;
	struct sk_buff *msg;
	void *hdr;
	int err = -EMSGSIZE;

	/* 32 levels of 64 bytes and the route table exceed one page. */
	msg = genlmsg_new(2 * NLMSG_GOODSIZE, GFP_KERNEL);
	if (!msg)
		return -ENOMEM;
	hdr = genlmsg_put_reply(msg, info, &avf_family, 0,
				AVFENCE_CMD_GET_STATUS);
	if (!hdr)
		goto out_free;
	mutex_lock(&avf_config_lock);
	policy = rcu_dereference_protected(avf_policy,
					   lockdep_is_held(&avf_config_lock));
	if (nla_put_u32(msg, AVFENCE_A_ABI_VERSION, AVFENCE_GENL_VERSION) ||
	    nla_put_string(msg, AVFENCE_A_MODULE_VERSION, AVFENCE_VERSION) ||
	    nla_put_u8(msg, AVFENCE_A_POLICY_LOADED, !!policy) ||
	    nla_put_u32(msg, AVFENCE_A_TAGGED, avf_tagged_count()) ||
	    nla_put_u64_64bit(msg, AVFENCE_A_DENIED, avf_stat_denied(~0U),
			      AVFENCE_A_PAD) ||
	    nla_put_u64_64bit(msg, AVFENCE_A_AUDITED, avf_stat_audited(~0U),
			      AVFENCE_A_PAD) ||
	    put_routes(msg) || (policy && put_policy(msg, policy))) {
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

static int put_label(struct sk_buff *msg, struct dentry *dentry)
{
	struct avf_policy *policy;
	struct avf_label label;
	bool unknown;
	u32 level;
	int err;

	err = avf_label_own(dentry, &label);
	if (!err) {
		char own[AVFENCE_LEVEL_NAME_MAX + 1];

		memcpy(own, label.name, label.len);
		own[label.len] = '\0';
		if (nla_put_string(msg, AVFENCE_A_LABEL, own))
			return -EMSGSIZE;
	} else if (err != -ENODATA) {
		return err;
	}
	err = avf_label_effective(dentry, &label);
	if (err)
		return err;
	if (nla_put_u32(msg, AVFENCE_A_LABEL_SOURCE, label.source))
		return -EMSGSIZE;
	rcu_read_lock();
	policy = rcu_dereference(avf_policy);
	if (policy) {
		if (label.source == AVFENCE_LABEL_DEFAULT)
			level = policy->default_level;
		else
			level = avf_label_level(&policy->levels, label.name,
						label.len, &unknown);
		err = nla_put_string(msg, AVFENCE_A_EFFECTIVE_LEVEL,
				     policy->levels.name[level]);
	}
	rcu_read_unlock();
	return err ? -EMSGSIZE : 0;
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
	err = put_label(msg, p.dentry);
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

/* clang-format off */
static const struct genl_small_ops avf_nl_ops[] = {
	{ .cmd = AVFENCE_CMD_GET_STATUS, .doit = avf_nl_status },
	{ .cmd = AVFENCE_CMD_LOAD_POLICY, .doit = avf_nl_load },
	{ .cmd = AVFENCE_CMD_SET_MODE, .doit = avf_nl_set_mode },
	{ .cmd = AVFENCE_CMD_GET_LABEL, .doit = avf_nl_get_label },
};
/* clang-format on */

static struct genl_family avf_family __ro_after_init = {
	.name = AVFENCE_GENL_NAME,
	.version = AVFENCE_GENL_VERSION,
	.maxattr = AVFENCE_A_MAX,
	.policy = avf_nl_policy,
	.module = THIS_MODULE,
	.small_ops = avf_nl_ops,
	.n_small_ops = ARRAY_SIZE(avf_nl_ops),
};

/**
 * avf_netlink_init - register the generic netlink family
 *
 * Return: 0 or a negative errno.
 */
int avf_netlink_init(void)
{
	return genl_register_family(&avf_family);
}

/** avf_netlink_exit - unregister the family; waits for handlers running. */
void avf_netlink_exit(void)
{
	genl_unregister_family(&avf_family);
}

// SPDX-License-Identifier: GPL-2.0
/*
 * avfence: fence anti-virus agents off classified files.
 *
 * Loading attaches the hooks and registers the control family; nothing is
 * fenced until a policy is loaded.  Unloading detaches everything, waits
 * for hooked calls in flight, and frees every tag and the policy.
 */
#include <linux/module.h>
#include <net/genetlink.h>

#include "common.h"
#include "event.h"
#include "label.h"
#include "measure.h"
#include "policy.h"
#include "write.h"
#include "written.h"

static int __init avf_init(void)
{
	int err;

	err = avf_measure_init();
	if (err)
		return err;
	err = avf_subject_init();
	if (err)
		goto out_measure;
	err = avf_label_init();
	if (err)
		goto out_subject;
	err = avf_hooks_attach();
	if (err)
		goto out_label;
	err = avf_securityfs_init();
	if (err)
		goto out_hooks;
	/* Measured before anyone can send it a policy. */
	err = avf_measure(AVFENCE_MEASURE_MODULE_LOAD, NULL, 0,
			  AVFENCE_MODE_UNSPEC);
	if (err)
		goto out_securityfs;
	err = avf_netlink_init();
	if (err)
		goto out_securityfs;
	pr_info("loaded, version %s, ABI %d; no policy yet\n",
		AVFENCE_VERSION, AVFENCE_GENL_VERSION);
	return 0;

out_securityfs:
	avf_securityfs_exit();
out_hooks:
	avf_hooks_detach();
	avf_ipc_exit();
	avf_write_exit();
	avf_written_exit();
out_label:
	avf_label_exit();
out_subject:
	avf_subject_exit();
out_measure:
	avf_measure_exit();
	pr_err("not loaded: %d\n", err);
	return err;
}

static void __exit avf_exit(void)
{
	avf_event_exit();
	avf_netlink_exit();
	avf_securityfs_exit();
	avf_hooks_detach();
	avf_ipc_exit();
	avf_write_exit();
	avf_written_exit();
	avf_label_exit();
	avf_subject_exit();
	avf_policy_exit();
	avf_measure_exit();
	pr_info("unloaded\n");
}

module_init(avf_init);
module_exit(avf_exit);

MODULE_LICENSE("GPL");
MODULE_AUTHOR("avfence developers");
MODULE_DESCRIPTION("Fence anti-virus agents off classified files");
MODULE_VERSION(AVFENCE_VERSION);
MODULE_ALIAS_GENL_FAMILY(AVFENCE_GENL_NAME);

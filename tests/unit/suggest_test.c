// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests of avfencectl suggest (userspace/suggest.c): refusals as the
 * kernel log, the audit log, monitor and monitor --json write them become
 * the minimal write= and connect= words per subject.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "suggest.h"
#include "unit.h"

/* Feed @lines (NULL-terminated) and print the result into @out. */
static void run(const char *const *lines, bool json, char *out, size_t size)
{
	struct suggest s;
	FILE *f = fmemopen(out, size, "w");

	suggest_init(&s);
	for (; *lines; lines++)
		suggest_line(&s, *lines);
	if (json)
		suggest_print_json(f, &s);
	else
		suggest_print(f, &s);
	fclose(f);
	suggest_free(&s);
}

#define LOG(route, rest) \
	"[   12.345678] avfence: audit " route " pid=7 tid=7 comm=scanner clearance=OFFICIAL " rest

TEST(write_dirs_minimal_per_subject)
{
	static const char *const in[] = {
		"2026-12-04T10:00:00.000000000Z audited write pid=3 comm=clamd exe=/usr/sbin/clamd clearance=OFFICIAL path=/var/lib/clamav/daily.cld seq=1",
		"2026-12-04T10:00:00.000000000Z audited write pid=3 comm=clamd exe=/usr/sbin/clamd clearance=OFFICIAL path=/var/lib/clamav/tmp.1/x seq=2",
		"2026-12-04T10:00:00.000000000Z denied write pid=3 comm=clamd exe=/usr/sbin/clamd clearance=OFFICIAL path=/var/log/clamav/clamd.log seq=3",
		"2026-12-04T10:00:00.000000000Z audited write pid=3 comm=clamd exe=/usr/sbin/clamd clearance=OFFICIAL path=/var/lib/clamav/tmp.2/ seq=4",
		NULL
	};
	char out[1024];

	run(in, false, out, sizeof(out));
	EXPECT_STREQ("subject /usr/sbin/clamd OFFICIAL write=/var/lib/clamav,/var/log/clamav\n",
		     out);
}

TEST(parent_replaces_children)
{
	static const char *const in[] = {
		"x audited write pid=3 exe=/a clearance=L path=/srv/q/a/b/f",
		"x audited write pid=3 exe=/a clearance=L path=/srv/q/c/f",
		"x audited write pid=3 exe=/a clearance=L path=/srv/q/f",
		"x audited write pid=3 exe=/a clearance=L path=/srvx/f",
		NULL
	};
	char out[1024];

	run(in, false, out, sizeof(out));
	EXPECT_STREQ("subject /a L write=/srv/q,/srvx\n", out);
}

TEST(kernel_log_names_command_only)
{
	static const char *const in[] = {
		LOG("write", "path=/tmp/x"),
		LOG("open", "label=SECRET path=/etc/shadow"),
		"unrelated line",
		NULL
	};
	char out[1024];

	run(in, false, out, sizeof(out));
	EXPECT_STREQ("# command scanner (the kernel log names no executable: put its path here)\n"
		     "# subject PATH OFFICIAL write=/tmp\n", out);
}

TEST(connect_names_and_json)
{
	static const char *const in[] = {
		"{\"time\":\"t\",\"type\":\"access\",\"pid\":3,\"comm\":\"clamd\",\"exe\":\"/usr/sbin/clamd\",\"clearance\":\"SECRET\",\"label\":null,\"route\":\"connect\",\"action\":\"audited\",\"path\":\"/run/systemd/private\",\"what\":null,\"mode\":null,\"generation\":null,\"seq\":9,\"lost\":null}",
		"{\"type\":\"access\",\"action\":\"denied\",\"route\":\"connect\",\"exe\":\"/usr/sbin/clamd\",\"clearance\":\"SECRET\",\"path\":null,\"what\":\"@clamd\\u0041\"}",
		"{\"type\":\"policy-load\",\"exe\":\"/usr/sbin/clamd\",\"route\":null}",
		"{\"type\":\"access\",\"action\":\"audited\",\"route\":\"write\",\"exe\":\"/usr/sbin/clamd\",\"clearance\":\"SECRET\",\"path\":\"/run/clamav/clamd.pid\"}",
		NULL
	};
	char out[1024];

	run(in, false, out, sizeof(out));
	EXPECT_STREQ("subject /usr/sbin/clamd SECRET write=/run/clamav connect=/run/systemd/private,@clamdA\n",
		     out);
	run(in, true, out, sizeof(out));
	EXPECT_STREQ("{\"subjects\":[{\"subject\":\"/usr/sbin/clamd\",\"comm\":null,\"clearance\":\"SECRET\",\"write\":[\"/run/clamav\"],\"connect\":[\"/run/systemd/private\",\"@clamdA\"]}],\"lines\":4,\"used\":3,\"skipped\":0}\n",
		     out);
}

/* c12's connect line: the socket in socket=, the peer after it. */
TEST(connect_log_line_socket_key)
{
	static const char *const in[] = {
		LOG("connect", "socket=/run/clamav/clamd.ctl peer=untagged peer_pid=1"),
		LOG("connect", "socket=\"@dbus x\" peer=untagged peer_pid=1"),
		"type=KERNEL_OTHER msg=audit(1.2:5): avfence=audit route=connect pid=4 comm=\"clamdscan\" exe=\"/usr/bin/clamdscan\" clearance=OFFICIAL socket=\"@notify\"",
		NULL
	};
	char out[1024];

	run(in, false, out, sizeof(out));
	EXPECT_STREQ("# command scanner (the kernel log names no executable: put its path here)\n"
		     "# subject PATH OFFICIAL connect=/run/clamav/clamd.ctl\n"
		     "subject /usr/bin/clamdscan OFFICIAL connect=@notify\n", out);
}

TEST(audit_record_quoted_and_hex)
{
	static const char *const in[] = {
		"type=KERNEL_OTHER msg=audit(1.2:3): avfence=audit route=write pid=4 comm=\"freshclam\" exe=2F7573722F62696E2F6672657368636C616D clearance=OFFICIAL path=\"/var/lib/clamav/daily.cld\"",
		"type=KERNEL_OTHER msg=audit(1.2:4): avfence=denied route=connect pid=4 comm=\"freshclam\" exe=\"/usr/bin/freshclam\" clearance=OFFICIAL path=\"/run/clamav/clamd.ctl\"",
		NULL
	};
	char out[1024];

	run(in, false, out, sizeof(out));
	EXPECT_STREQ("subject /usr/bin/freshclam OFFICIAL write=/var/lib/clamav connect=/run/clamav/clamd.ctl\n",
		     out);
}

TEST(escaped_and_unusable_paths)
{
	struct suggest s;

	suggest_init(&s);
	EXPECT_EQ(SUGGEST_USED, suggest_line(&s, "x audited write exe=/a clearance=L path=\"/srv/a\\101b/f\""));
	/* a blank or a control character cannot be in a policy word */
	EXPECT_EQ(SUGGEST_UNUSABLE, suggest_line(&s, "x audited write exe=/a clearance=L path=\"/srv/a b/f\""));
	EXPECT_EQ(SUGGEST_UNUSABLE, suggest_line(&s, "x audited write exe=/a clearance=L path=\"/srv/a\\tb/f\""));
	/* relative, or .. components: no write= entry names them */
	EXPECT_EQ(SUGGEST_UNUSABLE, suggest_line(&s, "x audited write exe=/a clearance=L path=f"));
	EXPECT_EQ(SUGGEST_UNUSABLE, suggest_line(&s, "x audited write exe=/a clearance=L path=/srv/../f"));
	EXPECT_EQ(SUGGEST_UNUSABLE, suggest_line(&s, "x audited connect exe=/a clearance=L what=nothing"));
	EXPECT_EQ(SUGGEST_IGNORED, suggest_line(&s, "x audited open exe=/a clearance=L path=/srv/f"));
	EXPECT_EQ(SUGGEST_IGNORED, suggest_line(&s, "write path=/srv/f"));
	EXPECT_EQ(5, s.skipped);
	ASSERT_EQ(1, s.nsubjects);
	ASSERT_EQ(1, s.subjects[0].nwrite);
	EXPECT_STREQ("/srv/aAb", s.subjects[0].write[0]);
	suggest_free(&s);
}

TEST_HARNESS_MAIN

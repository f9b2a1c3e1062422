// SPDX-License-Identifier: GPL-2.0
/*
 * avfencectl: control tool of the avfence module.
 *
 * A static command table, one <name>_main() per command in cmd_<name>.c,
 * each reading its options with command_getopt() (getopt_long: options
 * anywhere, "--" ends them, --help for every command).  Usage goes to
 * stderr with exit status 1 when the command line is wrong, to stdout with
 * exit status 0 when help was asked for.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "avfencectl.h"

const char *prog = "avfencectl";

static int help_main(int argc, char **argv);

static const struct command commands[] = {
	{ "load", load_main, "[--dry-run] FILE",
	  "check a policy file and load it into the kernel",
	  "Parse FILE (see avfence.policy(5)) and replace the kernel's policy\n"
	  "with it atomically.  All problems of the file are listed as\n"
	  "FILE:LINE:COL: message and nothing is sent if there is any.  The\n"
	  "kernel refuses the policy if a subject path is not an existing\n"
	  "regular file or two are the same file; then every such problem is\n"
	  "listed the same way.  Other refusals are printed with the policy line\n"
	  "they concern when the kernel names an attribute.  On success the\n"
	  "policy's digest is printed and compared with the one the kernel\n"
	  "reports.\n"
	  "  --dry-run  also check the subjects on disk, build the request, send\n"
	  "             nothing.\n"
	  "Needs CAP_MAC_ADMIN or CAP_SYS_ADMIN, and fails once locked.\n" },
	{ "check", check_main, "[--canonical] FILE",
	  "validate a policy file without loading it",
	  "Parse FILE and report every problem as FILE:LINE:COL: message (exit\n"
	  "status 1).  Subject paths are not looked up, so a policy can be\n"
	  "checked on another host (load --dry-run looks them up).  A valid\n"
	  "policy gets a summary and its digest: the SHA-256 of its canonical\n"
	  "form, which the kernel reports (status) once it is loaded.\n"
	  "  --canonical  print the canonical form instead, as the kernel shows\n"
	  "               it in /sys/kernel/security/avfence/policy.\n"
	  "Needs no privilege and no module.\n" },
	{ "status", status_main, "[--json]",
	  "show the module's state and counters",
	  "Print the running kernel, the ABI and module versions, whether a\n"
	  "policy is loaded and locked, its mode, generation, digest, levels\n"
	  "(lowest first), default level, number of subjects, tagged tasks,\n"
	  "denied and audited accesses in total and per route, and events lost\n"
	  "by the event stream, whether changes are measured into a TPM PCR\n"
	  "(attest); with a policy, the files refused per level\n"
	  "(since that policy was loaded) and each subject with the device\n"
	  "and inode the kernel resolved its path to.  --json prints one JSON\n"
	  "object instead.\n"
	  "The same essentials are readable without avfencectl in\n"
	  "/sys/kernel/security/avfence/status (and the canonical policy in\n"
	  "/sys/kernel/security/avfence/policy).\n" },
	{ "monitor", monitor_main, "[--json] [--rcvbuf SIZE]",
	  "print denials and policy changes as they happen",
	  "Subscribe to the kernel's event stream and print one line per event\n"
	  "until interrupted (SIGINT or SIGTERM end it cleanly, status 0):\n"
	  "  TIME denied|audited ROUTE pid= comm= exe= clearance= [label=]\n"
	  "       path=|what= seq=\n"
	  "  TIME policy-load|mode|lock pid= comm= exe= mode= generation= seq=\n"
	  "  TIME lost count=N|unknown [seq=FIRST] reason=gap|overrun\n"
	  "Times are UTC (ISO 8601, nanoseconds).  Values with blanks, quotes or\n"
	  "control characters are double-quoted with C escapes.  The kernel\n"
	  "never waits for a slow reader: lost events are reported as 'lost'\n"
	  "(a gap in seq, or the socket buffer overflowing) and counted in\n"
	  "status.  Output is line-buffered.\n"
	  "  --json         one JSON object per line, always with the keys time,\n"
	  "                 type, pid, comm, exe, clearance, label, route, action,\n"
	  "                 path, what, mode, generation, seq, lost (null when\n"
	  "                 they do not apply); type is access (action denied or\n"
	  "                 audited), policy-load, mode, lock or lost.\n"
	  "  --rcvbuf SIZE  socket receive buffer (bytes, or with K or M;\n"
	  "                 default 4M).\n" },
	{ "ps", ps_main, "[--json]",
	  "list the tagged (fenced) processes",
	  "Print each tagged task (thread), sorted by pid: pid, thread group,\n"
	  "clearance, since when it is tagged (UTC), comm and executable.\n"
	  "--json prints one JSON array of objects with the keys pid, tgid,\n"
	  "comm, exe, clearance, since.\n"
	  "A task that ran a file a fenced task wrote (a writer mark, see\n"
	  "avfence.policy(5)) is listed too, with that file as its exe and the\n"
	  "writer's clearance.\n" },
	{ "suggest", suggest_main, "[--json] [FILE...]",
	  "turn recorded refusals into the write= and connect= words a policy needs",
	  "Read refusals from each FILE (\"-\" or none: stdin): kernel log lines\n"
	  "(dmesg, journalctl -k), audit records, or the output of monitor or\n"
	  "monitor --json; other lines are ignored.  For each subject print the\n"
	  "policy line its refused writes and connects call for:\n"
	  "  subject EXE CLEARANCE write=DIR[,DIR...] connect=NAME[,NAME...]\n"
	  "write= lists the directories the refused paths lie in, none below\n"
	  "another; connect= the sockets, /path or @name.  Run the agent in\n"
	  "audit mode to record everything it would be refused, then merge the\n"
	  "words into its subject line and review them: every write= directory\n"
	  "is a place the agent can leave code or data for others.  Kernel log\n"
	  "lines name only the command, so such subjects are printed as a\n"
	  "comment to complete; events and audit records name the executable.\n"
	  "A refusal no policy word can name is reported on stderr.\n"
	  "  --json  one JSON object: subjects (subject, comm, clearance, write,\n"
	  "          connect), lines, used, skipped.\n"
	  "Needs no privilege and no module.\n" },
	{ "mode", mode_main, "[enforce|audit]",
	  "switch the loaded policy between enforce and audit",
	  "With an argument, switch the loaded policy to enforce (refuse opens\n"
	  "above a subject's clearance) or audit (allow them, log and count).\n"
	  "Without one, print the current mode.\n"
	  "Needs CAP_MAC_ADMIN or CAP_SYS_ADMIN, and fails once locked.\n" },
	{ "attest", attest_main, "--nonce HEX [--ak KEY] [--log FILE] DIR",
	  "prove to an auditor which policy is in force (TPM quote)",
	  "On the host, as root: read the measurement log\n"
	  "(/sys/kernel/security/avfence/binary_measurements), replay it, check\n"
	  "it against the TPM PCR it was extended into, have the TPM quote that\n"
	  "PCR for the auditor's nonce with the attestation key, and write the\n"
	  "bundle DIR: log.bin, quote.msg, quote.sig, quote.pcrs.  Give DIR to\n"
	  "the auditor, who runs verify on another machine.\n"
	  "  --nonce HEX  the auditor's fresh random nonce, 1-64 bytes in hex.\n"
	  "  --ak KEY     the attestation key: persistent handle or tpm2-tools\n"
	  "               context file (default 0x81010002).\n"
	  "  --log FILE   another copy of the binary log.\n"
	  "Needs tpm2-tools and access to the TPM (/dev/tpmrm0).\n" },
	{ "verify", verify_main, "--nonce HEX --ak-pub FILE [--digest HEX] DIR",
	  "check an attest bundle and say which policy is in force",
	  "On any machine, no TPM needed: check the quote's signature with the\n"
	  "AK's public key and that it is for NONCE (tpm2_checkquote), replay\n"
	  "log.bin to the quoted PCR value, and print the policy digest, mode\n"
	  "and lock state in force and since when (times are the host's clock:\n"
	  "a claim; the order and contents of the records are proven).  Exit\n"
	  "status 1 on any mismatch.\n"
	  "  --nonce HEX    the nonce given to attest.\n"
	  "  --ak-pub FILE  the AK's public key (PEM or TPM2B_PUBLIC) whose\n"
	  "                 provenance the auditor has checked.\n"
	  "  --digest HEX   also fail unless this is the policy digest in force\n"
	  "                 (avfencectl check FILE prints it).\n" },
	{ "lock", lock_main, "",
	  "freeze the policy until reboot",
	  "Lock the policy in force: until the next reboot no policy can be\n"
	  "loaded, the mode cannot change, and the avfence module cannot be\n"
	  "unloaded, not even with rmmod -f.  There is no unlock.  Locking a\n"
	  "locked policy succeeds.  Needs a loaded policy, and CAP_MAC_ADMIN or\n"
	  "CAP_SYS_ADMIN.\n" },
	{ "label", label_main,
	  "[-R] LEVEL PATH... | --apply|--verify [--json] FILE",
	  "classify files (security.avfence xattr)",
	  "Set the security.avfence extended attribute of each PATH to LEVEL,\n"
	  "which must be a level of the policy loaded in the kernel.  A label\n"
	  "on a directory applies to everything below it on the same file\n"
	  "system that has no label of its own.\n"
	  "  -R, --recursive  also label every file and directory below each\n"
	  "      PATH, without following symbolic links (not even one swapped in\n"
	  "      while it runs) or crossing into other file systems.\n"
	  "All paths are checked before anything is changed; if a change\n"
	  "fails, the ones already made are undone.\n"
	  "Symbolic links are refused: label their target.\n"
	  "  --apply FILE   set the labels that policy FILE declares with\n"
	  "                 'label PATH LEVEL' lines: PATH and everything below\n"
	  "                 it (as -R) that no nearer label line covers.\n"
	  "                 File systems without security.* xattrs are\n"
	  "                 labelled by the policy alone and left untouched.\n"
	  "  --verify FILE  change nothing; list every file whose own label\n"
	  "                 differs from the declared one (or is missing):\n"
	  "                 exit status 1 if any, 2 on other problems.\n"
	  "  --json         with --apply or --verify: one JSON object.\n"
	  "Needs CAP_SYS_ADMIN (security.* xattrs).\n" },
	{ "unlabel", unlabel_main, "[-R] PATH...",
	  "remove files' classification",
	  "Remove the security.avfence extended attribute of each PATH (a\n"
	  "missing one is fine); -R also below each PATH, as for label.  All\n"
	  "or nothing, as for label.\n" },
	{ "show", show_main, "PATH...",
	  "print files' own and effective classification",
	  "For each PATH print, tab-separated:\n"
	  "  PATH  own=<its own label or ->  effective=<LEVEL> (own|inherited|default)\n"
	  "as the kernel resolves it.  If the module is not loaded, only the\n"
	  "file's own label is read and the effective level is unknown.\n" },
	{ "help", help_main, "[COMMAND]",
	  "show help for avfencectl or one command",
	  "Without COMMAND list the commands, else describe COMMAND.\n" },
};

#define NR_COMMANDS (sizeof(commands) / sizeof(commands[0]))

const struct command *find_command(const char *name)
{
	size_t i;

	for (i = 0; i < NR_COMMANDS; i++)
		if (!strcmp(commands[i].name, name))
			return &commands[i];
	return NULL;
}

bool is_help_arg(const char *arg)
{
	return !strcmp(arg, "--help") || !strcmp(arg, "-h");
}

void command_help(FILE *f, const struct command *cmd)
{
	fprintf(f, "Usage: %s %s %s\n\n%s", prog, cmd->name, cmd->args,
		cmd->help);
}

static void usage(FILE *f)
{
	size_t i;

	fprintf(f, "Usage: %s COMMAND [ARGS...]\n\n"
		"Control the avfence module, which fences anti-virus agents off\n"
		"classified files.\n\nCommands:\n", prog);
	for (i = 0; i < NR_COMMANDS; i++)
		fprintf(f, "  %-8s %-26s %s\n", commands[i].name,
			commands[i].args, commands[i].summary);
	fprintf(f, "\n'%s help COMMAND' or '%s COMMAND --help' describes a command.\n",
		prog, prog);
}

/**
 * command_usage_error - complain about a command line and show its usage
 * @name: the command
 * @fmt: what is wrong
 *
 * Return: 1, the exit status for a usage error.
 */
int command_usage_error(const char *name, const char *fmt, ...)
{
	const struct command *cmd = find_command(name);
	va_list ap;

	fprintf(stderr, "%s: %s: ", prog, name);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputs("\n", stderr);
	if (cmd)
		fprintf(stderr, "Usage: %s %s %s\n", prog, cmd->name,
			cmd->args);
	return 1;
}

/**
 * command_getopt - the next option of a command's command line
 * @argc: as passed to the command's <name>_main()
 * @argv: ditto; argv[0] is the command's name
 * @shortopts: its short options, getopt() style ("R"), or ""
 * @longopts: its long options, ending with OPT_END
 *
 * getopt_long() with the same behaviour for every command: options may
 * come anywhere among the operands, "--" ends them, long options may be
 * abbreviated to a unique prefix and take their argument as "--opt=ARG"
 * or "--opt ARG".  --help and -h print the command's help and exit with
 * status 0; an unknown option, an ambiguous abbreviation or a missing or
 * unexpected argument prints what is wrong and the usage, and exits with
 * status 1, the status of every command line error.
 *
 * Return: the option's value, or -1 when there are no more (the operands
 * are then argv[optind] to argv[argc - 1]).
 */
int command_getopt(int argc, char **argv, const char *shortopts,
		   const struct option *longopts)
{
	const char *name = argv[0], *arg;
	char spec[32];
	int c;

	snprintf(spec, sizeof(spec), ":%sh", shortopts);
	opterr = 0;
	c = getopt_long(argc, argv, spec, longopts, NULL);
	switch (c) {
	case 'h':
		command_help(stdout, find_command(name));
		exit(0);
	case '?':
	case ':':
		arg = argv[optind - 1];
		if (strncmp(arg, "--", 2))
			exit(command_usage_error(name, c == ':' ?
				"option '-%c' needs an argument" :
				"unknown option '-%c'", optopt));
		if (c == ':')
			exit(command_usage_error(name,
				"option '%s' needs an argument", arg));
		if (optopt && strchr(arg, '='))
			exit(command_usage_error(name,
				"option '%.*s' takes no argument",
				(int)(strchr(arg, '=') - arg), arg));
		exit(command_usage_error(name, "unknown option '%s'%s", arg,
					 optopt ? "" : " (or ambiguous)"));
	}
	return c;
}

/**
 * command_one_operand - the one operand after command_getopt()
 * @argc: as passed to the command
 * @argv: ditto
 * @what: what it is, for the message when it is missing
 *
 * Return: argv[optind], or NULL after a usage error if there is none or
 * more than one.
 */
const char *command_one_operand(int argc, char **argv, const char *what)
{
	if (optind == argc)
		command_usage_error(argv[0], "missing %s", what);
	else if (argc - optind > 1)
		command_usage_error(argv[0], "too many arguments");
	else
		return argv[optind];
	return NULL;
}

static const struct option help_options[] = { OPT_END };

static int help_main(int argc, char **argv)
{
	const struct command *cmd;

	while (command_getopt(argc, argv, "", help_options) != -1)
		;
	if (optind == argc) {
		usage(stdout);
		return 0;
	}
	if (argc - optind > 1)
		return command_usage_error("help", "too many arguments");
	cmd = find_command(argv[optind]);
	if (!cmd) {
		fprintf(stderr, "%s: unknown command '%s'\n", prog,
			argv[optind]);
		usage(stderr);
		return 1;
	}
	command_help(stdout, cmd);
	return 0;
}

int main(int argc, char **argv)
{
	const struct command *cmd;

	if (argc < 2) {
		usage(stderr);
		return 1;
	}
	if (is_help_arg(argv[1])) {
		usage(stdout);
		return 0;
	}
	cmd = find_command(argv[1]);
	if (!cmd) {
		if (argv[1][0] == '-')
			fprintf(stderr, "%s: unknown option '%s'\n", prog,
				argv[1]);
		else
			fprintf(stderr, "%s: unknown command '%s'\n", prog,
				argv[1]);
		usage(stderr);
		return 1;
	}
	return cmd->fn(argc - 1, argv + 1);
}

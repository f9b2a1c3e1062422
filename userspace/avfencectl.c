// SPDX-License-Identifier: GPL-2.0
/*
 * avfencectl: control tool of the avfence module.
 *
 * A static command table, one <name>_main() per command in cmd_<name>.c,
 * no getopt: each command reads its few options itself.  Usage goes to
 * stderr with exit status 1 when the command line is wrong, to stdout with
 * exit status 0 when help was asked for.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "avfencectl.h"

const char *prog = "avfencectl";

static int help_main(int argc, char **argv);

static const struct command commands[] = {
	{ "load", load_main, "FILE",
	  "check a policy file and load it into the kernel",
	  "Parse FILE (see Documentation/policy.rst), check that every subject\n"
	  "path is an existing regular file, and replace the kernel's policy\n"
	  "with it atomically.  All problems are listed as FILE:LINE:COL:\n"
	  "message and nothing is sent if there is any.  If the kernel refuses\n"
	  "the policy, its reason is printed, tied to the policy line it\n"
	  "concerns when the kernel names an attribute.\n"
	  "Needs CAP_MAC_ADMIN or CAP_SYS_ADMIN.\n" },
	{ "status", status_main, "[--json]",
	  "show the module's state and counters",
	  "Print the ABI and module versions, whether a policy is loaded, its\n"
	  "mode, generation, levels (lowest first), default level, number of\n"
	  "subjects, tagged tasks, and denied and audited opens.\n"
	  "--json prints one JSON object instead.\n" },
	{ "mode", mode_main, "[enforce|audit]",
	  "switch the loaded policy between enforce and audit",
	  "With an argument, switch the loaded policy to enforce (refuse opens\n"
	  "above a subject's clearance) or audit (allow them, log and count).\n"
	  "Without one, print the current mode.\n"
	  "Needs CAP_MAC_ADMIN or CAP_SYS_ADMIN.\n" },
	{ "label", label_main, "[-R] LEVEL PATH...",
	  "classify files (security.avfence xattr)",
	  "Set the security.avfence extended attribute of each PATH to LEVEL,\n"
	  "which must be a level of the policy loaded in the kernel.  A label\n"
	  "on a directory applies to everything below it on the same file\n"
	  "system that has no label of its own.\n"
	  "  -R  also label every file and directory below each PATH, without\n"
	  "      following symbolic links or crossing into other file systems.\n"
	  "All paths are checked before anything is changed; if a change\n"
	  "fails, the ones already made are undone.\n"
	  "Symbolic links are refused: label their target.\n"
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
		fprintf(f, "  %-8s %-20s %s\n", commands[i].name,
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

static int help_main(int argc, char **argv)
{
	const struct command *cmd;

	if (argc == 1) {
		usage(stdout);
		return 0;
	}
	if (argc == 2 && is_help_arg(argv[1])) {
		command_help(stdout, find_command("help"));
		return 0;
	}
	if (argc > 2)
		return command_usage_error("help", "too many arguments");
	cmd = find_command(argv[1]);
	if (!cmd) {
		fprintf(stderr, "%s: unknown command '%s'\n", prog, argv[1]);
		usage(stderr);
		return 1;
	}
	command_help(stdout, cmd);
	return 0;
}

int main(int argc, char **argv)
{
	const struct command *cmd;
	int i;

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
	/* "CMD --help" anywhere before "--" asks for help, for every command. */
	for (i = 2; i < argc && strcmp(argv[i], "--"); i++) {
		if (is_help_arg(argv[i])) {
			command_help(stdout, cmd);
			return 0;
		}
	}
	return cmd->fn(argc - 1, argv + 1);
}

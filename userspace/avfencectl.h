/* SPDX-License-Identifier: GPL-2.0 */
/*
 * avfencectl: shared declarations of the command front end.
 */
#ifndef _AVFENCECTL_H
#define _AVFENCECTL_H

#include <getopt.h>
#include <stdbool.h>
#include <stdio.h>

/**
 * struct command - one subcommand
 * @name: the word on the command line
 * @fn: runs the command with argv[0] == @name; returns the exit status
 * @args: synopsis of the arguments
 * @summary: one line for the command list
 * @help: the full description, printed by "help CMD" and "CMD --help"
 */
struct command {
	const char *name;
	int (*fn)(int argc, char **argv);
	const char *args;
	const char *summary;
	const char *help;
};

extern const char *prog;

int load_main(int argc, char **argv);
int status_main(int argc, char **argv);
int mode_main(int argc, char **argv);
int label_main(int argc, char **argv);
int unlabel_main(int argc, char **argv);
int label_declared(const char *file, bool verify, bool json);
int show_main(int argc, char **argv);
int check_main(int argc, char **argv);
int monitor_main(int argc, char **argv);
int ps_main(int argc, char **argv);
int suggest_main(int argc, char **argv);
int lock_main(int argc, char **argv);
int attest_main(int argc, char **argv);
int verify_main(int argc, char **argv);

const struct command *find_command(const char *name);
void command_help(FILE *f, const struct command *cmd);
int command_usage_error(const char *name, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
bool is_help_arg(const char *arg);

/*
 * Every command parses its options the same way:
 *
 *	static const struct option opts[] = {
 *		{ "json", no_argument, NULL, OPT_JSON },
 *		OPT_END
 *	};
 *
 *	while ((c = command_getopt(argc, argv, "", opts)) != -1)
 *		switch (c) { case OPT_JSON: ... }
 *	operands: argv[optind] .. argv[argc - 1]
 *
 * OPT_END adds --help (and -h).  Long-only options use values from
 * OPT_LONG up, so that no short letter is implied.
 */
#define OPT_END { "help", no_argument, NULL, 'h' }, { NULL, 0, NULL, 0 }
#define OPT_LONG 0x100
int command_getopt(int argc, char **argv, const char *shortopts,
		   const struct option *longopts);
const char *command_one_operand(int argc, char **argv, const char *what);

#endif /* _AVFENCECTL_H */

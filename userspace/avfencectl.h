/* SPDX-License-Identifier: GPL-2.0 */
/*
 * avfencectl: shared declarations of the command front end.
 */
#ifndef _AVFENCECTL_H
#define _AVFENCECTL_H

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
int show_main(int argc, char **argv);
int check_main(int argc, char **argv);
int monitor_main(int argc, char **argv);
int ps_main(int argc, char **argv);
int lock_main(int argc, char **argv);

const struct command *find_command(const char *name);
void command_help(FILE *f, const struct command *cmd);
int command_usage_error(const char *name, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
bool is_help_arg(const char *arg);

#endif /* _AVFENCECTL_H */

// SPDX-License-Identifier: GPL-2.0
#include "avfencectl.h"

/* userspace/policy_file.c prints its messages as avfencectl. */
const char *prog = "avfencectl";

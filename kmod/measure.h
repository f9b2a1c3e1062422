/* SPDX-License-Identifier: GPL-2.0 */
/*
 * avfence: the measurement log and the TPM PCR it is extended into
 * (measure.c); the record format is in uapi/avfence.h.
 */
#ifndef _AVFENCE_MEASURE_H
#define _AVFENCE_MEASURE_H

#include <linux/fs.h>
#include <linux/types.h>

#include "uapi/avfence.h"

int avf_measure_init(void);
void avf_measure_exit(void);
int avf_measure(u16 event, const u8 *digest, u64 generation, u32 mode);
const char *avf_measure_state(u32 *pcr, u64 *records);

extern const struct file_operations avf_measure_binary_fops;
extern const struct file_operations avf_measure_ascii_fops;

#endif /* _AVFENCE_MEASURE_H */

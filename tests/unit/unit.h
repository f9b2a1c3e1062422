/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _AVF_UNIT_H
#define _AVF_UNIT_H

void decide_tests(void);
void policy_parse_tests(void);
void policy_msg_tests(void);
void sha256_tests(void);
void digest_tests(void);
void event_tests(void);

#endif /* _AVF_UNIT_H */

// SPDX-License-Identifier: GPL-2.0
/*
 * avfence: the measurement log.
 *
 * Every change of the fence's state (module loaded, policy loaded, mode
 * changed, locked) becomes a struct avfence_measurement record, and the
 * SHA-256 of that record is extended into a TPM PCR *before* the change
 * takes effect, as IMA does for what it measures.  If the extend fails
 * the change fails: nothing is applied that the TPM has not seen.  The
 * records are kept in order, append-only, for the life of the module:
 *
 *	/sys/kernel/security/avfence/binary_measurements	the records
 *	/sys/kernel/security/avfence/ascii_measurements		one line each
 *
 * A verifier replays the log (PCR := SHA-256(PCR || SHA-256(record)),
 * from 32 zero bytes) and compares with a TPM quote of the PCR: the PCR
 * only resets at reboot, so a root process cannot remove a record, and a
 * locked module cannot be unloaded to start a fresh log.
 *
 * Without a TPM 2.0 chip (or without a SHA-256 bank) the log is still
 * kept, each record says it was not measured, and the status says so.
 */
#include <crypto/sha2.h>
#include <linux/ktime.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/sched.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/tpm.h>

#include "hook.h"
#include "decide.h"
#include "measure.h"

/*
 * PCR 13 by default.  0-7 belong to the firmware, 8 and 9 to shim and
 * grub, 10 to IMA, 14 to shim's MOK lists, 15 to systemd (machine id,
 * file systems, volume keys); 11 and 12 are extended on every boot through
 * systemd-stub or systemd-boot (UKI sections, boot phases, command line).
 * 13 is used only by systemd-stub for system extension images of a UKI,
 * which Debian 12's shim + grub boot never loads.  16 and 23 can be reset
 * by any process, 17-22 only extended from higher localities: none of
 * them would do.  Another user of the same PCR cannot make a verifier
 * accept a forged log; it only makes every replay fail.
 */
static unsigned int pcr = 13;
module_param(pcr, uint, 0444);
MODULE_PARM_DESC(pcr, "TPM PCR extended with each change of the fence, 8-15 but not 10 (default 13)");

/* Records in chunks, so that a reader can index them while one is added. */
#define CHUNK_RECORDS	256
#define MAX_CHUNKS	(AVFENCE_MEASURE_MAX / CHUNK_RECORDS)

static struct avfence_measurement *chunks[MAX_CHUNKS];
static u64 nr_records;
static DEFINE_MUTEX(measure_lock);	/* chunks, nr_records, the extends */
static struct tpm_chip *chip;		/* NULL: not measured */
static struct task_struct *extender;	/* in extend(), under measure_lock */
static const char *why_not = "no TPM";	/* with chip NULL */

static bool has_sha256_bank(const struct tpm_chip *c)
{
	u32 i;

	for (i = 0; i < c->nr_allocated_banks; i++)
		if (c->allocated_banks[i].alg_id == TPM_ALG_SHA256)
			return true;
	return false;
}

/**
 * avf_measure_init - find the TPM, check the PCR parameter
 *
 * Return: 0, or -EINVAL if the pcr parameter names a PCR that would not
 * do (the module does not load).
 */
int avf_measure_init(void)
{
	struct tpm_chip *c;

	BUILD_BUG_ON(sizeof(struct avfence_measurement) != 80);
	if (pcr < 8 || pcr > 15 || pcr == 10) {
		pr_err("pcr=%u: must be 8 to 15 and not 10 (IMA's)\n", pcr);
		return -EINVAL;
	}
	c = tpm_default_chip();
	if (!c)
		return 0;
	if (tpm_is_tpm2(c) <= 0) {
		why_not = "TPM 1.2";
	} else if (!has_sha256_bank(c)) {
		why_not = "no SHA-256 PCR bank";
	} else {
		chip = c;
		return 0;
	}
	put_device(&c->dev);
	return 0;
}

/** avf_measure_exit - free the log, let go of the TPM */
void avf_measure_exit(void)
{
	u32 i;

	for (i = 0; i < MAX_CHUNKS; i++) {
		kfree(chunks[i]);
		chunks[i] = NULL;
	}
	nr_records = 0;
	if (chip)
		put_device(&chip->dev);
	chip = NULL;
}

/*
 * Extend @digest into the PCR.  Every bank must be given a digest: the
 * SHA-256 bank gets the record's; other banks the same bytes cut or padded
 * with zeros to their size (as IMA does for banks it cannot compute).
 * Only the SHA-256 bank can be replayed.
 */
static int extend(const u8 digest[SHA256_DIGEST_SIZE])
{
	struct tpm_digest *d;
	u32 i;
	int err;

	d = kcalloc(chip->nr_allocated_banks, sizeof(*d), GFP_KERNEL);
	if (!d)
		return -ENOMEM;
	for (i = 0; i < chip->nr_allocated_banks; i++) {
		d[i].alg_id = chip->allocated_banks[i].alg_id;
		memcpy(d[i].digest, digest,
		       min_t(u32, chip->allocated_banks[i].digest_size,
			     SHA256_DIGEST_SIZE));
	}
	WRITE_ONCE(extender, current);
	err = tpm_pcr_extend(chip, pcr, d);
	WRITE_ONCE(extender, NULL);
	kfree(d);
	/* a positive value is the TPM's own error code */
	return err > 0 ? -EIO : err;
}

static struct avfence_measurement *record_at(u64 i)
{
	return &chunks[i / CHUNK_RECORDS][i % CHUNK_RECORDS];
}

/**
 * avf_measure - record a change of the fence, extend the PCR, then return
 * @event: AVFENCE_MEASURE_*
 * @digest: the policy digest after the change, or NULL if there is none
 * @generation: the policy generation after the change, 0 if none
 * @mode: the mode after the change, AVFENCE_MODE_UNSPEC if none
 *
 * Call before the change is applied, and apply it only if this returns 0.
 * The record is appended only once the TPM took it, so the log and the PCR
 * agree unless the TPM failed in the middle of an extend (then the replay
 * fails, which a verifier reports: it never passes a wrong log).
 *
 * Context: process context, may sleep; the caller serialises changes
 * (avf_config_lock), this serialises records and extends.
 * Return: 0; -ENOSPC if the log is full (AVFENCE_MEASURE_MAX records);
 * -ENOMEM; -EIO or another errno if the TPM failed.
 */
int avf_measure(u16 event, const u8 *digest, u64 generation, u32 mode)
{
	struct avfence_measurement rec = {}, *slot;
	u8 sum[SHA256_DIGEST_SIZE];
	u64 chunk;
	int err = 0;

	mutex_lock(&measure_lock);
	if (nr_records >= AVFENCE_MEASURE_MAX) {
		err = -ENOSPC;
		goto out;
	}
	chunk = nr_records / CHUNK_RECORDS;
	if (!chunks[chunk]) {
		chunks[chunk] = kcalloc(CHUNK_RECORDS, sizeof(rec), GFP_KERNEL);
		if (!chunks[chunk]) {
			err = -ENOMEM;
			goto out;
		}
	}
	rec.version = cpu_to_le16(AVFENCE_MEASURE_VERSION);
	rec.event = cpu_to_le16(event);
	rec.pcr = cpu_to_le32(chip ? pcr : AVFENCE_MEASURE_UNMEASURED);
	rec.seq = cpu_to_le64(nr_records);
	rec.realtime_ns = cpu_to_le64(ktime_get_real_ns());
	rec.boottime_ns = cpu_to_le64(ktime_get_boottime_ns());
	rec.generation = cpu_to_le64(generation);
	rec.mode = cpu_to_le32(mode);
	rec.pid = cpu_to_le32(task_tgid_nr(current));
	if (digest)
		memcpy(rec.digest, digest, sizeof(rec.digest));
	if (chip) {
		sha256((const u8 *)&rec, sizeof(rec), sum);
		err = extend(sum);
		if (err) {
			pr_err("TPM PCR %u extend failed (%d): change refused\n",
			       pcr, err);
			goto out;
		}
	}
	slot = record_at(nr_records);
	*slot = rec;
	/* readers index up to nr_records under the same mutex */
	nr_records++;
out:
	mutex_unlock(&measure_lock);
	return err;
}

/**
 * avf_measure_state - what the status reports
 * @pcr_out: the PCR extended, if measured
 * @records: records in the log
 *
 * Return: NULL if changes are measured, else why not ("no TPM", ...).
 */
const char *avf_measure_state(u32 *pcr_out, u64 *records)
{
	mutex_lock(&measure_lock);
	*records = nr_records;
	mutex_unlock(&measure_lock);
	*pcr_out = pcr;
	return chip ? NULL : why_not;
}

/*
 * The PCR belongs to avfence.  Were anyone else able to extend it, a root
 * process could append records of its own making to the log it shows an
 * auditor (a "mode enforce" after the kernel's last "mode audit") and
 * extend their digests: the replay would match.  So TPM2_PCR_Extend,
 * TPM2_PCR_Event and TPM2_PCR_Reset of this PCR are refused to everyone
 * but extend() above, whoever sends them (/dev/tpm0, /dev/tpmrm0, a
 * kernel user), with the TPM's own answer for a PCR that cannot be
 * changed from here, TPM_RC_LOCALITY.  Checked on the kernel's copy of
 * the command, which the sender can no longer change.
 */
#define TPM2_CC_PCR_EXTEND	0x0182
#define TPM2_CC_PCR_EVENT	0x013c
#define TPM2_CC_PCR_RESET	0x013d
#define TPM2_RC_LOCALITY	0x0107
#define TPM_HEADER_SIZE		10

/* Big-endian, as TPM commands are; not aligned. */
static u32 be32_at(const u8 *p)
{
	return (u32)p[0] << 24 | (u32)p[1] << 16 | (u32)p[2] << 8 | p[3];
}

static void put_be32_at(u8 *p, u32 v)
{
	p[0] = v >> 24;
	p[1] = v >> 16;
	p[2] = v >> 8;
	p[3] = v;
}

static bool foreign_pcr_change(const u8 *buf, size_t len)
{
	u32 cc, handle;

	if (!READ_ONCE(chip) || len < TPM_HEADER_SIZE + 4 ||
	    READ_ONCE(extender) == current)
		return false;
	cc = be32_at(buf + 6);
	handle = be32_at(buf + TPM_HEADER_SIZE);
	return (cc == TPM2_CC_PCR_EXTEND || cc == TPM2_CC_PCR_EVENT ||
		cc == TPM2_CC_PCR_RESET) && handle == pcr;
}

ssize_t hook_tpm_transmit(struct tpm_chip *c, u8 *buf, size_t bufsiz)
{
	ssize_t ret;

	if (foreign_pcr_change(buf, bufsiz)) {
		pr_notice_ratelimited("refused a change of PCR %u, which only avfence extends; pid=%d comm=%s\n",
				      pcr, task_pid_nr(current), current->comm);
		/* a response: tag TPM_ST_NO_SESSIONS, size 10, the code */
		buf[0] = 0x80;
		buf[1] = 0x01;
		put_be32_at(buf + 2, TPM_HEADER_SIZE);
		put_be32_at(buf + 6, TPM2_RC_LOCALITY);
		ret = TPM_HEADER_SIZE;
	} else {
		ret = avf_orig.tpm_transmit(c, buf, bufsiz);
	}
	avf_hook_leave();
	return ret;
}

/* The two files: the same records, as they are and as text. */

static void *log_start(struct seq_file *m, loff_t *pos)
{
	mutex_lock(&measure_lock);
	return *pos < nr_records ? record_at(*pos) : NULL;
}

static void *log_next(struct seq_file *m, void *v, loff_t *pos)
{
	++*pos;
	return *pos < nr_records ? record_at(*pos) : NULL;
}

static void log_stop(struct seq_file *m, void *v)
{
	mutex_unlock(&measure_lock);
}

static int binary_show(struct seq_file *m, void *v)
{
	seq_write(m, v, sizeof(struct avfence_measurement));
	return 0;
}

static const char *mode_word(u32 mode)
{
	switch (mode) {
	case AVFENCE_MODE_AUDIT:
		return "audit";
	case AVFENCE_MODE_ENFORCE:
		return "enforce";
	}
	return "none";
}

/*
 * PCR EVENT-SHA256 SEQ EVENT digest=HEX generation=N mode=M pid=P
 * realtime=S.N boottime=S.N; PCR is "-" for a record not measured.
 */
static int ascii_show(struct seq_file *m, void *v)
{
	const struct avfence_measurement *rec = v;
	u8 sum[SHA256_DIGEST_SIZE];
	u64 rt = le64_to_cpu(rec->realtime_ns);
	u64 bt = le64_to_cpu(rec->boottime_ns);
	u32 rec_pcr = le32_to_cpu(rec->pcr);

	sha256((const u8 *)rec, sizeof(*rec), sum);
	if (rec_pcr == AVFENCE_MEASURE_UNMEASURED)
		seq_puts(m, "- ");
	else
		seq_printf(m, "%u ", rec_pcr);
	seq_printf(m, "%*phN %llu %s digest=%*phN generation=%llu mode=%s pid=%u realtime=%llu.%09llu boottime=%llu.%09llu\n",
		   SHA256_DIGEST_SIZE, sum, le64_to_cpu(rec->seq),
		   avf_measure_event_name(le16_to_cpu(rec->event)),
		   AVFENCE_DIGEST_LEN, rec->digest,
		   le64_to_cpu(rec->generation),
		   mode_word(le32_to_cpu(rec->mode)), le32_to_cpu(rec->pid),
		   div_u64(rt, NSEC_PER_SEC), rt % NSEC_PER_SEC,
		   div_u64(bt, NSEC_PER_SEC), bt % NSEC_PER_SEC);
	return 0;
}

static const struct seq_operations binary_seqops = {
	.start = log_start,
	.next = log_next,
	.stop = log_stop,
	.show = binary_show,
};

static const struct seq_operations ascii_seqops = {
	.start = log_start,
	.next = log_next,
	.stop = log_stop,
	.show = ascii_show,
};

static int binary_open(struct inode *inode, struct file *file)
{
	return seq_open(file, &binary_seqops);
}

static int ascii_open(struct inode *inode, struct file *file)
{
	return seq_open(file, &ascii_seqops);
}

const struct file_operations avf_measure_binary_fops = {
	.open = binary_open,
	.read = seq_read,
	.llseek = seq_lseek,
	.release = seq_release,
};

const struct file_operations avf_measure_ascii_fops = {
	.open = ascii_open,
	.read = seq_read,
	.llseek = seq_lseek,
	.release = seq_release,
};

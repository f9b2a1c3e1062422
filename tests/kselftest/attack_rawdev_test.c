// SPDX-License-Identifier: GPL-2.0
/*
 * avfence side doors, storage and memory below the filesystem, where no
 * label can be: block devices (brd, a loop device over a SECRET file,
 * scsi_debug's disk), device nodes the agent makes itself, /dev/mem,
 * /dev/kmem, /dev/port, /proc/kcore, SCSI generic devices, the SG_IO
 * ioctl (on sg, on the disk, through bsg), and mounting a block device.  A fenced agent gets EPERM (unless
 * its policy allows raw devices, which these tests do not).
 *
 * TMP (tmpfs)
 * ├── secret            SECRET, holds CANARY
 * ├── dir_secret/       SECRET
 * │   └── disk.img      (inherits SECRET): CANARY, or an ext2 file system
 * │                     whose file "data" holds CANARY
 * └── mnt/              mount point for the agent
 *
 * /dev/ram0 (brd) and scsi_debug's disk hold CANARY in their first
 * sector; swap_partition makes /dev/ram0 an active swap partition too.
 * The VM image loads brd, scsi_debug, sd_mod and sg
 * (tests/vm/modules.list).
 *
 * AGENT_BIN has clearance OFFICIAL.  Variant "tagged" attacks, "untagged"
 * is the control.
 */
#include <dirent.h>
#include <linux/bsg.h>
#include <linux/loop.h>
#include <scsi/sg.h>
#include <sys/ioctl.h>
#include <sys/swap.h>
#include <sys/sysmacros.h>

#include "doors.h"

#define HELD_FD 42
#define SECRET_DIR TMP "/dir_secret"
#define IMG SECRET_DIR "/disk.img"
#define MNT TMP "/mnt"

/* Agents */

/* read_dev PATH: open and read the first 64 KiB. */
AGENT(read_dev)
{
	int fd = open(argv[1], O_RDONLY | O_CLOEXEC);

	if (fd < 0) {
		say("open=%d\n", errno);
		return 0;
	}
	say("open=0\n");
	read_emit("read", fd);
	return 0;
}

/* read_fd FD: read an inherited fd. */
AGENT(read_fd)
{
	read_emit("read", atoi(argv[1]));
	return 0;
}

/* mknod_read PATH b|c MAJOR MINOR: make a device node, open and read it. */
AGENT(mknod_read)
{
	mode_t type = argv[2][0] == 'b' ? S_IFBLK : S_IFCHR;

	result("mknod", mknod(argv[1], type | 0600,
			      makedev(atoi(argv[3]), atoi(argv[4]))));
	open_read_emit("read", argv[1]);
	return 0;
}

/* peek PATH OFFSET LEN: open, pread LEN bytes at OFFSET (hex). */
AGENT(peek)
{
	unsigned char buf[64];
	size_t len = atoi(argv[3]);
	int fd = open(argv[1], O_RDONLY | O_CLOEXEC);
	long n;

	if (fd < 0) {
		say("open=%d\n", errno);
		return 0;
	}
	say("open=0\n");
	n = result("pread", pread(fd, buf, len < sizeof(buf) ? len : sizeof(buf),
				  strtoll(argv[2], NULL, 16)));
	if (n > 0)
		say("first=%02x%02x%02x%02x\n", buf[0], buf[1], buf[2], buf[3]);
	return 0;
}

/* SCSI status of the last SG_IO: 2 (CHECK CONDITION), e.g. UNIT ATTENTION. */
static unsigned int sg_last_status;

static long sg_read10(int fd, unsigned char *buf, size_t len)
{
	unsigned char cdb[10] = { 0x28, 0, 0, 0, 0, 0, 0, 0, 1, 0 };
	unsigned char sense[32] = { 0 };
	struct sg_io_hdr h;

	memset(&h, 0, sizeof(h));
	h.interface_id = 'S';
	h.dxfer_direction = SG_DXFER_FROM_DEV;
	h.cmd_len = sizeof(cdb);
	h.cmdp = cdb;
	h.dxferp = buf;
	h.dxfer_len = len;
	h.sbp = sense;
	h.mx_sb_len = sizeof(sense);
	h.timeout = 10000;
	if (ioctl(fd, SG_IO, &h) < 0)
		return -1;
	say("sg_status=%d host=%d driver=%d sense=%x/%02x/%02x\n", h.status,
	    h.host_status, h.driver_status, sense[2] & 0xf, sense[12],
	    sense[13]);
	sg_last_status = h.status;
	return len - h.resid;
}

/* The same through bsg, which takes struct sg_io_v4. */
static long bsg_read10(int fd, unsigned char *buf, size_t len)
{
	unsigned char cdb[10] = { 0x28, 0, 0, 0, 0, 0, 0, 0, 1, 0 };
	unsigned char sense[32];
	struct sg_io_v4 h;

	memset(&h, 0, sizeof(h));
	h.guard = 'Q';
	h.protocol = BSG_PROTOCOL_SCSI;
	h.subprotocol = BSG_SUB_PROTOCOL_SCSI_CMD;
	h.request_len = sizeof(cdb);
	h.request = (unsigned long)cdb;
	h.din_xfer_len = len;
	h.din_xferp = (unsigned long)buf;
	h.max_response_len = sizeof(sense);
	h.response = (unsigned long)sense;
	h.timeout = 10000;
	if (ioctl(fd, SG_IO, &h) < 0)
		return -1;
	say("sg_status=%u host=%u driver=%u\n", h.device_status,
	    h.transport_status, h.driver_status);
	sg_last_status = h.device_status;
	return len - h.din_resid;
}

/* sg_io FD|PATH: SG_IO READ(10) of the first sector through FD or PATH. */
AGENT(sg_io)
{
	unsigned char buf[512];
	int fd, i, v4 = !strncmp(argv[1], "/dev/bsg/", 9);
	long n;

	if (argv[1][0] == '/') {
		fd = open(argv[1], O_RDONLY | O_CLOEXEC);
		if (fd < 0) {
			say("open=%d\n", errno);
			return 0;
		}
		say("open=0\n");
	} else {
		fd = atoi(argv[1]);
	}
	n = v4 ? bsg_read10(fd, buf, sizeof(buf)) : sg_read10(fd, buf, sizeof(buf));
	/*
	 * The first commands to a device after its reset get CHECK
	 * CONDITION (UNIT ATTENTION) while unit attentions are pending (on
	 * the debug kernel's scsi_debug, two in a row were seen): SCSI
	 * users retry, a few times.
	 */
	for (i = 0; i < 4 && n >= 0 && sg_last_status == 2; i++)
		n = v4 ? bsg_read10(fd, buf, sizeof(buf)) :
			 sg_read10(fd, buf, sizeof(buf));
	n = result("sg_io", n);
	emit("sg_io", buf, n);
	return 0;
}

/* mount_read DEV DIR FILE: mount DEV (ext4, read-only) on DIR, read FILE. */
AGENT(mount_read)
{
	if (result("mount", mount(argv[1], argv[2], "ext4", MS_RDONLY, NULL)))
		return 0;
	open_read_emit("read", argv[3]);
	umount2(argv[2], MNT_DETACH);
	return 0;
}

/* The test side */

static int wait_for_path(const char *path, int secs)
{
	int i;

	for (i = 0; i < secs * 10; i++) {
		if (!access(path, F_OK))
			return 0;
		usleep(100000);
	}
	return -1;
}

/* Write CANARY to the first sector of the block device @dev. */
static int write_canary(const char *dev)
{
	char sector[512] = CANARY_LINE;
	int fd = open(dev, O_WRONLY | O_CLOEXEC);
	int err = 0;

	if (fd < 0)
		return -errno;
	if (pwrite(fd, sector, sizeof(sector), 0) != sizeof(sector) || fsync(fd))
		err = -errno;
	close(fd);
	return err;
}

/*
 * Make @dev a swap partition of @pages pages, as mkswap would (version 1
 * header after the first 1024 bytes, which keep CANARY).
 */
static int write_swap_header(const char *dev, uint32_t pages)
{
	static char page[4096];
	uint32_t info[3] = { 1, pages - 1, 0 };	/* version, last_page, bad */
	int fd = open(dev, O_RDWR | O_CLOEXEC);
	int err = 0;

	if (fd < 0)
		return -errno;
	if (pread(fd, page, sizeof(page), 0) != sizeof(page)) {
		close(fd);
		return -EIO;
	}
	memset(page + 1024, 0, sizeof(page) - 1024);
	memcpy(page + 1024, info, sizeof(info));
	memcpy(page + sizeof(page) - 10, "SWAPSPACE2", 10);
	if (pwrite(fd, page, sizeof(page), 0) != sizeof(page) || fsync(fd))
		err = -errno;
	close(fd);
	return err;
}

/* Bind a free loop device to @img; its path in @dev. */
static int loop_attach(const char *img, char *dev, size_t size)
{
	int ctl, nr, lfd, ifd, err = 0;

	ctl = open("/dev/loop-control", O_RDWR | O_CLOEXEC);
	if (ctl < 0)
		return -errno;
	nr = ioctl(ctl, LOOP_CTL_GET_FREE);
	close(ctl);
	if (nr < 0)
		return -errno;
	snprintf(dev, size, "/dev/loop%d", nr);
	if (wait_for_path(dev, 5))
		return -ENOENT;
	lfd = open(dev, O_RDWR | O_CLOEXEC);
	ifd = open(img, O_RDWR | O_CLOEXEC);
	if (lfd < 0 || ifd < 0 || ioctl(lfd, LOOP_SET_FD, ifd))
		err = -errno;
	if (lfd >= 0)
		close(lfd);
	if (ifd >= 0)
		close(ifd);
	return err;
}

static void loop_detach(const char *dev)
{
	int fd = open(dev, O_RDWR | O_CLOEXEC);

	if (fd >= 0) {
		ioctl(fd, LOOP_CLR_FD, 0);
		close(fd);
	}
}

/* /dev/ram0, loading brd with one small disk if it is not there. */
static int ram0(void)
{
	if (access("/dev/ram0", F_OK))
		load_extra_module("brd", "rd_nr=1 rd_size=1024");
	return wait_for_path("/dev/ram0", 5);
}

/*
 * scsi_debug's disk: its block, SCSI generic and bsg nodes.  Found by
 * model, not by name: a kernel with ATA built in also has qemu's CD-ROM
 * (sr0, sg0 before it).
 */
static char sd_dev[300], sg_dev[300], bsg_node[300];

/* The first entry of @dir, into @name. */
static int first_entry(const char *dir, char *name, size_t size)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	int err = -1;

	while (d && (e = readdir(d))) {
		if (e->d_name[0] != '.') {
			snprintf(name, size, "%s", e->d_name);
			err = 0;
			break;
		}
	}
	if (d)
		closedir(d);
	return err;
}

static int find_scsi_debug(void)
{
	DIR *d = opendir("/sys/bus/scsi/devices");
	char path[600], model[64], name[256];
	struct dirent *e;
	int err = -1;

	while (d && err && (e = readdir(d))) {
		snprintf(path, sizeof(path), "/sys/bus/scsi/devices/%s/model",
			 e->d_name);
		if (read_small(path, model, sizeof(model)) ||
		    strncmp(model, "scsi_debug", 10))
			continue;
		snprintf(path, sizeof(path), "/sys/bus/scsi/devices/%s/block",
			 e->d_name);
		if (first_entry(path, name, sizeof(name)))
			continue;
		snprintf(sd_dev, sizeof(sd_dev), "/dev/%s", name);
		snprintf(path, sizeof(path),
			 "/sys/bus/scsi/devices/%s/scsi_generic", e->d_name);
		if (first_entry(path, name, sizeof(name)))
			continue;
		snprintf(sg_dev, sizeof(sg_dev), "/dev/%s", name);
		snprintf(bsg_node, sizeof(bsg_node), "/dev/bsg/%s", e->d_name);
		err = access(sd_dev, F_OK) || access(sg_dev, F_OK);
	}
	if (d)
		closedir(d);
	return err;
}

#define NO_SCSI_DISK \
	"no scsi_debug disk with sd and sg nodes: scsi_debug, sd_mod or sg not loaded"

static int scsi_devs(void)
{
	int i;

	for (i = 0; i < 100; i++) {
		if (!find_scsi_debug())
			return 0;
		usleep(100000);
	}
	return -1;
}

FIXTURE(raw) {
	char loop[32];
	int swap;
};

FIXTURE_VARIANT(raw) {
	int tagged;
};

FIXTURE_VARIANT_ADD(raw, tagged) { .tagged = 1 };
FIXTURE_VARIANT_ADD(raw, untagged) { .tagged = 0 };

FIXTURE_SETUP(raw)
{
	self->loop[0] = '\0';
	self->swap = 0;
	ASSERT_EQ(0, mount_tmpfs(TMP));
	ASSERT_EQ(0, make_secret(TMP "/secret", "SECRET"));
	ASSERT_EQ(0, mkdirs(SECRET_DIR));
	ASSERT_EQ(0, set_label(SECRET_DIR, "SECRET"));
	ASSERT_EQ(0, mkdirs(MNT));
	ASSERT_EQ(0, agent_policy("OFFICIAL", NULL));
}

FIXTURE_TEARDOWN(raw)
{
	umount2(MNT, MNT_DETACH);
	if (self->swap)
		swapoff("/dev/ram0");
	if (self->loop[0])
		loop_detach(self->loop);
	teardown_tree();
}

/* Run @name on @arg..., expect EPERM at @key and a denial (tagged), or the secret. */
#define RAW_ATTACK(key, route, name, ...) do {				\
	struct agent a;							\
									\
	FENCED_RUN(&a, variant->tagged, key, EPERM, route, true, name,	\
		   __VA_ARGS__);					\
} while (0)

TEST_F(raw, brd_block_device)
{
	if (ram0())
		SKIP(return, "no /dev/ram0: brd not in this kernel's modules");
	ASSERT_EQ(0, write_canary("/dev/ram0"));
	RAW_ATTACK("open", AVFENCE_ROUTE_RAW_DEVICE, "read_dev", "/dev/ram0");
}

/* A swap partition in use holds pages of every process: a raw device. */
TEST_F(raw, swap_partition)
{
	if (ram0())
		SKIP(return, "no /dev/ram0: brd not in this kernel's modules");
	ASSERT_EQ(0, write_canary("/dev/ram0"));
	/* rd_size=1024 (KiB): 256 pages. */
	ASSERT_EQ(0, write_swap_header("/dev/ram0", 256));
	ASSERT_EQ(0, swapon("/dev/ram0", 0)) {
		TH_LOG("swapon: %s", strerror(errno));
	}
	self->swap = 1;
	RAW_ATTACK("open", AVFENCE_ROUTE_RAW_DEVICE, "read_dev", "/dev/ram0");
}

TEST_F(raw, loop_device_over_secret_file)
{
	static char block[65536] = CANARY_LINE;
	int fd;

	if (access("/dev/loop-control", F_OK))
		SKIP(return, "no /dev/loop-control: loop not loaded");
	fd = open(IMG, O_WRONLY | O_CREAT | O_CLOEXEC, 0600);
	ASSERT_LE(0, fd);
	ASSERT_EQ(sizeof(block), write(fd, block, sizeof(block)));
	close(fd);
	ASSERT_EQ(0, loop_attach(IMG, self->loop, sizeof(self->loop)));
	RAW_ATTACK("open", AVFENCE_ROUTE_RAW_DEVICE, "read_dev", self->loop);
}

/* The untagged parent opened /dev/ram0; the fenced child reads the fd. */
TEST_F(raw, inherited_block_device_fd)
{
	char fdno[16];

	if (ram0())
		SKIP(return, "no /dev/ram0: brd not in this kernel's modules");
	ASSERT_EQ(0, write_canary("/dev/ram0"));
	ASSERT_EQ(0, hold_fd("/dev/ram0", O_RDONLY, HELD_FD, fdno));
	RAW_ATTACK("read", AVFENCE_ROUTE_RAW_DEVICE, "read_fd", fdno);
	close(HELD_FD);
}

/* The agent makes its own node for /dev/ram0 in a directory it owns. */
TEST_F(raw, own_block_device_node)
{
	char maj[16], min[16];
	struct stat st;

	if (ram0())
		SKIP(return, "no /dev/ram0: brd not in this kernel's modules");
	ASSERT_EQ(0, write_canary("/dev/ram0"));
	ASSERT_EQ(0, stat("/dev/ram0", &st));
	snprintf(maj, sizeof(maj), "%u", major(st.st_rdev));
	snprintf(min, sizeof(min), "%u", minor(st.st_rdev));
	RAW_ATTACK("read", AVFENCE_ROUTE_RAW_DEVICE, "mknod_read",
		   TMP "/myram", "b", maj, min);
}

/* Memory devices: no CANARY to look for; the control reads, the agent may not open. */
static void mem_device(struct __test_metadata *_metadata, int tagged,
		       const char *path, const char *off, const char *len)
{
	struct agent a;

	FENCED_RUN(&a, tagged, "open", EPERM, AVFENCE_ROUTE_RAW_DEVICE, false,
		   "peek", path, off, len);
	EXPECT_VAL(tagged ? NOT_PRINTED : 0, &a, "pread");
}

TEST_F(raw, dev_mem)
{
	if (access("/dev/mem", F_OK))
		SKIP(return, "no /dev/mem in this kernel (CONFIG_DEVMEM)");
	/* The BIOS area, readable with STRICT_DEVMEM. */
	mem_device(_metadata, variant->tagged, "/dev/mem", "f0000", "16");
}

TEST_F(raw, dev_kmem)
{
	if (access("/dev/kmem", F_OK))
		SKIP(return, "no /dev/kmem: removed from Linux in 5.13, absent on 6.1 and 6.12");
	mem_device(_metadata, variant->tagged, "/dev/kmem", "0", "16");
}

TEST_F(raw, dev_port)
{
	if (access("/dev/port", F_OK))
		SKIP(return, "no /dev/port in this kernel (CONFIG_DEVPORT)");
	mem_device(_metadata, variant->tagged, "/dev/port", "80", "1");
}

TEST_F(raw, proc_kcore)
{
	struct agent a;

	if (access("/proc/kcore", F_OK))
		SKIP(return, "no /proc/kcore in this kernel (CONFIG_PROC_KCORE)");
	mem_device(_metadata, variant->tagged, "/proc/kcore", "0", "4");
	if (!variant->tagged) {
		ASSERT_EQ(0, agent_run(&a, 0, "peek", "/proc/kcore", "0", "4"));
		EXPECT_NE(NULL, strstr(a.buf, "first=7f454c46")) {
			TH_LOG("no ELF header: %s", agent_output(&a));
		}
	}
}

/* The agent's own node for /dev/mem (char 1:1). */
TEST_F(raw, own_dev_mem_node)
{
	struct agent a;
	struct watch w;

	if (access("/dev/mem", F_OK))
		SKIP(return, "no /dev/mem in this kernel (CONFIG_DEVMEM)");
	watch_start(&w);
	ASSERT_EQ(0, agent_run(&a, variant->tagged, "mknod_read", TMP "/mymem",
			       "c", "1", "1"));
	EXPECT_VAL(0, &a, "mknod");
	if (variant->tagged) {
		EXPECT_VAL(EPERM, &a, "read");
		EXPECT_EQ(0, watch_denied(&w, AVFENCE_ROUTE_RAW_DEVICE));
	} else {
		/* Reading physical address 0 on: the kernel allows the first 1 MiB. */
		EXPECT_NE(NULL, strstr(a.buf, "read<")) {
			TH_LOG("agent said: %s", agent_output(&a));
		}
	}
}

/* SCSI generic: open scsi_debug's sg node and SG_IO READ(10). */
TEST_F(raw, sg_device)
{
	if (scsi_devs())
		SKIP(return, NO_SCSI_DISK);
	ASSERT_EQ(0, write_canary(sd_dev));
	RAW_ATTACK("open", AVFENCE_ROUTE_RAW_DEVICE, "sg_io", sg_dev);
}

/*
 * SG_IO through an inherited fd of scsi_debug's disk, opened as @dev
 * with @flags: the ioctl is refused.
 */
static void sg_io_inherited(struct __test_metadata *_metadata, int tagged,
			    const char *dev, int flags)
{
	char fdno[16];
	struct agent a;

	ASSERT_EQ(0, write_canary(sd_dev));
	ASSERT_EQ(0, hold_fd(dev, flags, HELD_FD, fdno));
	FENCED_RUN(&a, tagged, "sg_io", EPERM, AVFENCE_ROUTE_PASSTHROUGH, true,
		   "sg_io", fdno);
	close(HELD_FD);
}

/* An inherited sg fd. */
TEST_F(raw, sg_io_on_inherited_sg_fd)
{
	if (scsi_devs())
		SKIP(return, NO_SCSI_DISK);
	sg_io_inherited(_metadata, variant->tagged, sg_dev, O_RDWR);
}

/* An inherited fd of the disk (block device). */
TEST_F(raw, sg_io_on_inherited_disk_fd)
{
	if (scsi_devs())
		SKIP(return, NO_SCSI_DISK);
	sg_io_inherited(_metadata, variant->tagged, sd_dev, O_RDONLY);
}

/* scsi_debug's bsg node (/dev/bsg/H:C:T:L), once it exists. */
static int bsg_dev(void)
{
	return wait_for_path(bsg_node, 5);
}

/*
 * The block SCSI generic node of the disk is a character device with a
 * dynamic major: opening it is not refused, SG_IO through it is.
 */
TEST_F(raw, sg_io_through_bsg)
{
	if (scsi_devs() || bsg_dev())
		SKIP(return, "no scsi_debug disk with a bsg node: scsi_debug or sd_mod not loaded");
	ASSERT_EQ(0, write_canary(sd_dev));
	RAW_ATTACK("sg_io", AVFENCE_ROUTE_PASSTHROUGH, "sg_io", bsg_node);
}

/*
 * A SECRET disk image holds a file system; its loop device is set up (as
 * an administrator mounting it elsewhere would leave it).  The agent
 * cannot open the loop device, but mount(2) opens it in the kernel: the
 * file inside, unlabelled, must still not reach it.
 */
TEST_F(raw, mount_of_loop_device_over_secret_image)
{
	struct agent a;
	int fd;

	if (access("/dev/loop-control", F_OK))
		SKIP(return, "no /dev/loop-control: loop not loaded");
	fd = open(IMG, O_WRONLY | O_CREAT | O_CLOEXEC, 0600);
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, ftruncate(fd, 8 << 20));
	close(fd);
	ASSERT_EQ(0, run("/bin/mke2fs", "-F", IMG, NULL));
	ASSERT_EQ(0, loop_attach(IMG, self->loop, sizeof(self->loop)));
	ASSERT_EQ(0, mount(self->loop, MNT, "ext4", 0, NULL)) {
		TH_LOG("mount %s: %s", self->loop, strerror(errno));
	}
	ASSERT_EQ(0, make_secret(MNT "/data", NULL));
	ASSERT_EQ(0, umount2(MNT, 0));
	ASSERT_EQ(0, agent_run(&a, variant->tagged, "mount_read", self->loop,
			       MNT, MNT "/data"));
	if (variant->tagged) {
		EXPECT_NO_SECRET(&a);
	} else {
		EXPECT_VAL(0, &a, "mount");
		EXPECT_SECRET(&a);
	}
}

TEST_HARNESS_MAIN

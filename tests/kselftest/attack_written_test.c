// SPDX-License-Identifier: GPL-2.0
/*
 * avfence deputies, code the agent wrote (issue 12 item 2): a fenced agent
 * that may write in its write= directory leaves a program, a script, a
 * library, an ELF interpreter or a symlink there, for an untagged root
 * process (a cron job, systemd starting the agent's "update", a backup)
 * to run or follow, and so to read the SECRET file for it.  Every file a
 * fenced task writes carries a writer mark; whoever executes it or maps
 * it executable is fenced at the writer's clearance, and untagged tasks
 * do not follow a symlink a fenced task made.
 *
 * TMP (tmpfs, the agent's write= directory is TMP)
 * ├── secret               SECRET, holds CANARY
 * ├── w/                   what the agent (or, in the controls, the test)
 * │                        writes: prog, script, lib, interp, link
 * ├── ext4.img, ext4/      an ext4 image on loop (ext4 variant)
 * └── vfat.img, vfat/      a vfat image on loop (vfat variant: no xattrs)
 *
 * AGENT_BIN has clearance OFFICIAL.  In each test the "tagged" writer is
 * the attack and the "untagged" writer (the test itself) the control: the
 * same file run by the same untagged process reads the secret.
 */
#include <elf.h>
#include <sys/stat.h>
#include <sys/xattr.h>

#include "doors.h"

#define SECRET_FILE	TMP "/secret"
#define W		TMP "/w"
#define PROG		W "/prog"
#define SCRIPT		W "/script"
#define LIB		W "/lib.so"
#define INTERP		W "/interp"
#define MAINELF		W "/main"
#define LINK		W "/link"
#define WRITER_XATTR	"security.avfence.writer"

/* copy SRC DST: a copy of SRC, mode 0755 (a self-update, a dropped tool). */
AGENT(copy)
{
	int err = copy_file(argv[1], argv[2], 0755);

	errno = -err;
	result("copy", err);
	return 0;
}

/* write PATH TEXT: PATH holds TEXT, mode 0755. */
AGENT(write)
{
	int err = write_file(argv[1], argv[2]);

	if (!err && chmod(argv[1], 0755))
		err = -errno;
	errno = -err;
	result("write", err);
	return 0;
}

/* symlink TARGET LINK */
AGENT(symlink)
{
	result("symlink", symlink(argv[1], argv[2]));
	return 0;
}

/* read PATH: stat (follows links), then open and read it. */
AGENT(read)
{
	struct stat st;

	result("stat", stat(argv[1], &st));
	open_read_emit("read", argv[1]);
	return 0;
}

/* map LIB exec|mprotect PATH: map LIB executable (as ld.so maps a
 * preload library), directly or by mprotect, then read PATH.
 */
AGENT(map)
{
	int fd = open(argv[1], O_RDONLY | O_CLOEXEC);
	int exec = !strcmp(argv[2], "exec");
	void *p = MAP_FAILED;

	if (fd >= 0)
		p = mmap(NULL, 4096, PROT_READ | (exec ? PROT_EXEC : 0),
			 MAP_PRIVATE, fd, 0);
	if (p != MAP_FAILED && !exec &&
	    mprotect(p, 4096, PROT_READ | PROT_EXEC))
		p = MAP_FAILED;
	result("map", p == MAP_FAILED ? -1 : 0);
	open_read_emit("read", argv[3]);
	return 0;
}

/* xattr rm|set PATH [VALUE]: remove or change the writer mark. */
AGENT(xattr)
{
	if (!strcmp(argv[1], "rm"))
		result("xattr", removexattr(argv[2], WRITER_XATTR));
	else
		result("xattr", setxattr(argv[2], WRITER_XATTR, argv[3],
					 strlen(argv[3]), 0));
	return 0;
}

/* hold PATH: say ready, wait for the go, then read PATH. */
AGENT(hold)
{
	say("ready=0\n");
	wait_go();
	open_read_emit("read", argv[1]);
	return 0;
}

/* exec BIN NAME [ARG]: become agent NAME of BIN (a script's exec). */
AGENT(exec)
{
	setenv("AVF_AGENT", argv[2], 1);
	execv(argv[1], argv + 2);
	result("exec", -1);
	return 0;
}

FIXTURE(written) {
};

FIXTURE_SETUP(written)
{
	ASSERT_EQ(0, mount_tmpfs(TMP));
	ASSERT_EQ(0, mkdirs(W));
	ASSERT_EQ(0, make_secret(SECRET_FILE, "SECRET"));
	ASSERT_EQ(0, agent_policy_write("OFFICIAL", TMP, NULL));
}

FIXTURE_TEARDOWN(written)
{
	teardown_tree();
}

/* Let the agent (tagged) or the test (untagged) run agent @name: 0. */
static int writer(struct __test_metadata *_metadata, int tagged,
		  const char *name, const char *key, const char *a1,
		  const char *a2)
{
	struct agent a;

	ASSERT_EQ(0, agent_run(&a, tagged, name, a1, a2));
	EXPECT_VAL(0, &a, key);
	return 0;
}

/* Copy the test program to @dst as the agent or as the test. */
#define COPY(tagged, dst)						\
	writer(_metadata, tagged, "copy", "copy", self_exe(), dst)

/* An untagged process runs @bin as agent @name: expect the secret or not. */
static void run_untagged(struct __test_metadata *_metadata, const char *bin,
			 const char *name, const char *const args[],
			 int secret)
{
	struct agent a;

	ASSERT_EQ(0, agent_startv(&a, 0, bin, name, args));
	agent_finish(&a);
	if (secret) {
		EXPECT_SECRET(&a);
	} else {
		EXPECT_NO_SECRET(&a);
	}
}

#define RUN(bin, name, secret, ...)					\
	run_untagged(_metadata, bin, name,				\
		     (const char *const[]){ __VA_ARGS__, NULL }, secret)

static int get_mark(const char *path, char *buf, size_t size)
{
	ssize_t n = getxattr(path, WRITER_XATTR, buf, size - 1);

	if (n < 0)
		return -errno;
	buf[n] = '\0';
	return 0;
}

/* An ELF program the agent dropped, run by untagged root: fenced. */
TEST_F(written, elf_run_by_untagged_is_fenced)
{
	ASSERT_EQ(0, COPY(1, PROG));
	RUN(PROG, "read", 0, SECRET_FILE);
	/* control: the same program written by an untagged process */
	ASSERT_EQ(0, unlink(PROG));
	ASSERT_EQ(0, COPY(0, PROG));
	RUN(PROG, "read", 1, SECRET_FILE);
}

/* A script: the shell running it is fenced, and so is its cat. */
TEST_F(written, script_run_by_untagged_is_fenced)
{
	const char *text = "#!/bin/sh\ncat " SECRET_FILE "\n";

	ASSERT_EQ(0, writer(_metadata, 1, "write", "write", SCRIPT, text));
	RUN(SCRIPT, "none", 0, "x");
	ASSERT_EQ(0, unlink(SCRIPT));
	ASSERT_EQ(0, writer(_metadata, 0, "write", "write", SCRIPT, text));
	RUN(SCRIPT, "none", 1, "x");
}

/* Overwriting a file an untagged process wrote marks it too. */
TEST_F(written, overwritten_program_is_fenced)
{
	ASSERT_EQ(0, COPY(0, PROG));
	RUN(PROG, "read", 1, SECRET_FILE);
	ASSERT_EQ(0, COPY(1, PROG));
	RUN(PROG, "read", 0, SECRET_FILE);
}

/*
 * LIB copied by the agent, then by an untagged process; an untagged
 * process maps it executable (@how: "exec" at mmap, "mprotect" later) and
 * reads the secret: fenced by the first copy only.
 */
static void map_library(struct __test_metadata *_metadata, const char *how)
{
	ASSERT_EQ(0, COPY(1, LIB));
	RUN(self_exe(), "map", 0, LIB, how, SECRET_FILE);
	ASSERT_EQ(0, unlink(LIB));
	ASSERT_EQ(0, COPY(0, LIB));
	RUN(self_exe(), "map", 1, LIB, how, SECRET_FILE);
}

/* A library mapped executable, as ld.so maps an LD_PRELOAD or
 * /etc/ld.so.preload library, fences the untagged process mapping it.
 */
TEST_F(written, preload_library_mapped_exec_is_fenced)
{
	map_library(_metadata, "exec");
}

TEST_F(written, library_mprotect_exec_is_fenced)
{
	map_library(_metadata, "mprotect");
}

/*
 * Two minimal ELF files, no libc: write_reader() a static program that
 * prints the contents of @secret (open, read, write, exit_group) at
 * READER_BASE; write_interp_elf() a program whose PT_INTERP is @interp,
 * whose own segment is never run: the kernel maps the interpreter and
 * jumps to it.
 */
#define READER_BASE 0x20000000UL
#define MAIN_BASE 0x10000000UL

struct tiny_elf {
	Elf64_Ehdr eh;
	Elf64_Phdr ph[2];
	unsigned char text[256];
};

static void tiny_elf_init(struct tiny_elf *f, Elf64_Addr base, int nph)
{
	memset(f, 0, sizeof(*f));
	memcpy(f->eh.e_ident, ELFMAG, SELFMAG);
	f->eh.e_ident[EI_CLASS] = ELFCLASS64;
	f->eh.e_ident[EI_DATA] = ELFDATA2LSB;
	f->eh.e_ident[EI_VERSION] = EV_CURRENT;
	f->eh.e_type = ET_EXEC;
	f->eh.e_machine = EM_X86_64;
	f->eh.e_version = EV_CURRENT;
	f->eh.e_entry = base + offsetof(struct tiny_elf, text);
	f->eh.e_phoff = offsetof(struct tiny_elf, ph);
	f->eh.e_ehsize = sizeof(f->eh);
	f->eh.e_phentsize = sizeof(Elf64_Phdr);
	f->eh.e_phnum = nph;
	f->ph[nph - 1].p_type = PT_LOAD;
	f->ph[nph - 1].p_flags = PF_R | PF_X;
	f->ph[nph - 1].p_vaddr = base;
	f->ph[nph - 1].p_filesz = sizeof(*f);
	f->ph[nph - 1].p_memsz = sizeof(*f);
	f->ph[nph - 1].p_align = 0x1000;
}

static int tiny_elf_write(const char *path, const struct tiny_elf *f)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0755);
	int err = 0;

	if (fd < 0)
		return -errno;
	if (write(fd, f, sizeof(*f)) != sizeof(*f))
		err = -EIO;
	close(fd);
	return err;
}

#define READER_RAN "reader-ran\n"

static int write_reader(const char *path, const char *secret)
{
	static const unsigned char code[] = {
		0xbf, 0x01, 0, 0, 0,		/* mov edi, 1 */
		0x48, 0x8d, 0x35, 0, 0, 0, 0,	/* lea rsi, [rip + ran] */
		0xba, sizeof(READER_RAN) - 1, 0, 0, 0,	/* mov edx, len */
		0xb8, 0x01, 0, 0, 0,		/* mov eax, 1 (write) */
		0x0f, 0x05,			/* syscall */
		0x48, 0x8d, 0x3d, 0, 0, 0, 0,	/* lea rdi, [rip + path] */
		0x31, 0xf6,			/* xor esi, esi */
		0xb8, 0x02, 0, 0, 0,		/* mov eax, 2 (open) */
		0x0f, 0x05,			/* syscall */
		0x89, 0xc7,			/* mov edi, eax */
		0x48, 0x8d, 0xb4, 0x24, 0x00, 0xf0, 0xff, 0xff,
						/* lea rsi, [rsp - 0x1000] */
		0xba, 0x00, 0x10, 0, 0,		/* mov edx, 0x1000 */
		0x31, 0xc0,			/* xor eax, eax (read) */
		0x0f, 0x05,			/* syscall */
		0x89, 0xc2,			/* mov edx, eax */
		0x85, 0xc0,			/* test eax, eax */
		0x7e, 0x0c,			/* jle exit */
		0xbf, 0x01, 0, 0, 0,		/* mov edi, 1 */
		0xb8, 0x01, 0, 0, 0,		/* mov eax, 1 (write) */
		0x0f, 0x05,			/* syscall */
		0x31, 0xff,			/* exit: xor edi, edi */
		0xb8, 0xe7, 0, 0, 0,		/* mov eax, 231 (exit_group) */
		0x0f, 0x05,			/* syscall */
	};
	/* after the code: READER_RAN, NUL, @secret, NUL */
	int32_t rel_ran = sizeof(code) - 12;
	int32_t rel_path = sizeof(code) + sizeof(READER_RAN) - 31;
	struct tiny_elf f;

	tiny_elf_init(&f, READER_BASE, 1);
	/*
	 * Writable too: 6.1 clears the rest of an interpreter's last page
	 * (padzero) even without a bss, and fails the exec if it cannot.
	 */
	f.ph[0].p_flags |= PF_W;
	memcpy(f.text, code, sizeof(code));
	memcpy(f.text + 8, &rel_ran, sizeof(rel_ran));
	memcpy(f.text + 27, &rel_path, sizeof(rel_path));
	memcpy(f.text + sizeof(code), READER_RAN, sizeof(READER_RAN));
	snprintf((char *)f.text + sizeof(code) + sizeof(READER_RAN),
		 sizeof(f.text) - sizeof(code) - sizeof(READER_RAN), "%s",
		 secret);
	return tiny_elf_write(path, &f);
}

/* Run @bin untagged, as the reader: it must have run; the secret or not. */
static void run_reader(struct __test_metadata *_metadata, const char *bin,
		       int secret)
{
	struct agent a;

	ASSERT_EQ(0, agent_startv(&a, 0, bin, "none",
				  (const char *const[]){ NULL }));
	agent_finish(&a);
	EXPECT_NE(NULL, memmem(a.buf, a.len, READER_RAN, strlen(READER_RAN))) {
		TH_LOG("%s did not run: status %d", bin, a.status);
	}
	if (secret) {
		EXPECT_SECRET(&a);
	} else {
		EXPECT_NO_SECRET(&a);
	}
}

static int write_interp_elf(const char *path, const char *interp)
{
	struct tiny_elf f;

	tiny_elf_init(&f, MAIN_BASE, 2);
	snprintf((char *)f.text, sizeof(f.text), "%s", interp);
	f.ph[0].p_type = PT_INTERP;
	f.ph[0].p_flags = PF_R;
	f.ph[0].p_offset = offsetof(struct tiny_elf, text);
	f.ph[0].p_vaddr = MAIN_BASE + f.ph[0].p_offset;
	f.ph[0].p_filesz = strlen(interp) + 1;
	f.ph[0].p_memsz = f.ph[0].p_filesz;
	f.ph[0].p_align = 1;
	return tiny_elf_write(path, &f);
}

/* The program is the administrator's; its ELF interpreter the agent's. */
TEST_F(written, elf_interpreter_is_fenced)
{
	ASSERT_EQ(0, write_reader(W "/reader", SECRET_FILE));
	ASSERT_EQ(0, write_interp_elf(MAINELF, INTERP));
	/* the reader itself works, run directly */
	run_reader(_metadata, W "/reader", 1);
	ASSERT_EQ(0, writer(_metadata, 1, "copy", "copy", W "/reader",
			    INTERP));
	run_reader(_metadata, MAINELF, 0);
	ASSERT_EQ(0, unlink(INTERP));
	ASSERT_EQ(0, writer(_metadata, 0, "copy", "copy", W "/reader",
			    INTERP));
	run_reader(_metadata, MAINELF, 1);
}

/*
 * A symlink to the secret planted by the agent: an untagged "backup"
 * does not follow it (route written, EACCES); the agent itself may
 * follow it, and is refused the secret by the fence as anywhere else.
 */
TEST_F(written, planted_symlink_not_followed_by_untagged)
{
	struct agent a;
	struct watch w;

	ASSERT_EQ(0, writer(_metadata, 1, "symlink", "symlink", SECRET_FILE,
			    LINK));
	watch_start(&w);
	ASSERT_EQ(0, agent_run(&a, 0, "read", LINK));
	EXPECT_VAL(EACCES, &a, "stat");
	EXPECT_VAL(EACCES, &a, "read");
	EXPECT_NO_SECRET(&a);
	EXPECT_EQ(0, watch_denied(&w, AVFENCE_ROUTE_WRITTEN));

	ASSERT_EQ(0, agent_run(&a, 1, "read", LINK));
	EXPECT_VAL(0, &a, "stat");
	EXPECT_VAL(EACCES, &a, "read");
	EXPECT_NO_SECRET(&a);

	/* control: the same link made by an untagged process */
	ASSERT_EQ(0, unlink(LINK));
	ASSERT_EQ(0, writer(_metadata, 0, "symlink", "symlink", SECRET_FILE,
			    LINK));
	ASSERT_EQ(0, agent_run(&a, 0, "read", LINK));
	EXPECT_VAL(0, &a, "stat");
	EXPECT_SECRET(&a);
}

/* The mark is the xattr, names the writer's clearance, and outlives a
 * policy reload.
 */
TEST_F(written, mark_is_xattr_and_survives_reload)
{
	char buf[64];

	ASSERT_EQ(0, COPY(1, PROG));
	ASSERT_EQ(0, get_mark(PROG, buf, sizeof(buf)));
	EXPECT_STREQ("OFFICIAL", buf);
	ASSERT_EQ(0, COPY(0, PROG "2"));
	EXPECT_EQ(-ENODATA, get_mark(PROG "2", buf, sizeof(buf)));

	ASSERT_EQ(0, agent_policy_write("OFFICIAL", TMP, NULL));
	RUN(PROG, "read", 0, SECRET_FILE);
	RUN(PROG "2", "read", 1, SECRET_FILE);
}

/*
 * Written code run by untagged root, which then runs a subject binary of
 * a HIGHER clearance (AGENT_BIN2 at SECRET): it keeps the writer's level,
 * also after a policy reload (the reload recomputes a tag from the
 * subjects it ran: the writer's level is a floor that stays).
 */
#define FLOOR_POLICY							\
	LEVELS "default UNCLASSIFIED\nmode enforce\n"			\
	"subject " AGENT_BIN " OFFICIAL write=" TMP "\n"		\
	"subject " AGENT_BIN2 " SECRET write=" TMP "\n"

static void run_floor(struct __test_metadata *_metadata, const char *bin,
		      int secret)
{
	struct agent a;

	ASSERT_EQ(0, agent_startv(&a, 0, bin, "exec",
				  (const char *const[]){ AGENT_BIN2, "hold",
							 SECRET_FILE, NULL }));
	ASSERT_EQ(0, agent_wait_for(&a, "ready=0", 30));
	/* the same policy again, the same binaries: a new generation */
	ASSERT_EQ(0, load_policy(FLOOR_POLICY));
	agent_go(&a);
	agent_finish(&a);
	if (secret) {
		EXPECT_VAL(0, &a, "read");
		EXPECT_SECRET(&a);
	} else {
		EXPECT_VAL(EACCES, &a, "read");
		EXPECT_NO_SECRET(&a);
	}
}

TEST_F(written, floor_outlives_reload_and_higher_subject)
{
	ASSERT_EQ(0, load_policy(FLOOR_POLICY));
	ASSERT_EQ(0, COPY(1, PROG));
	run_floor(_metadata, PROG, 0);
	/* control: the same program written by an untagged process */
	ASSERT_EQ(0, COPY(0, PROG "2"));
	run_floor(_metadata, PROG "2", 1);
}

/* The agent can neither remove nor change its mark; an administrator can. */
TEST_F(written, agent_cannot_clear_mark_admin_can)
{
	struct agent a;
	char buf[64];

	ASSERT_EQ(0, COPY(1, PROG));
	ASSERT_EQ(0, agent_run(&a, 1, "xattr", "rm", PROG));
	EXPECT_VAL(EPERM, &a, "xattr");
	ASSERT_EQ(0, agent_run(&a, 1, "xattr", "set", PROG, "TOP-SECRET"));
	EXPECT_VAL(EPERM, &a, "xattr");
	ASSERT_EQ(0, get_mark(PROG, buf, sizeof(buf)));
	EXPECT_STREQ("OFFICIAL", buf);
	RUN(PROG, "read", 0, SECRET_FILE);

	/* untagged root with CAP_SYS_ADMIN: setfattr -x */
	ASSERT_EQ(0, agent_run(&a, 0, "xattr", "rm", PROG));
	EXPECT_VAL(0, &a, "xattr");
	RUN(PROG, "read", 1, SECRET_FILE);
}

/* systemd starting the agent's self-update: the child is tagged and
 * `avfencectl ps` lists it.
 */
TEST_F(written, updated_binary_started_untagged_is_listed)
{
	char cmd[128], line[512], pid[16];
	struct agent a;
	int found = 0;
	FILE *ps;

	ASSERT_EQ(0, COPY(1, PROG));
	ASSERT_EQ(0, agent_startv(&a, 0, PROG, "hold",
				  (const char *const[]){ SECRET_FILE, NULL }));
	ASSERT_EQ(0, agent_wait_for(&a, "ready=0", 30));
	snprintf(pid, sizeof(pid), " %d ", a.pid);
	snprintf(cmd, sizeof(cmd), "%s ps", AVFENCECTL);
	ps = popen(cmd, "r");
	ASSERT_NE(NULL, ps);
	while (fgets(line, sizeof(line), ps))
		if (strstr(line, pid) && strstr(line, "OFFICIAL"))
			found = 1;
	pclose(ps);
	EXPECT_EQ(1, found);
	agent_go(&a);
	agent_finish(&a);
	EXPECT_VAL(EACCES, &a, "read");
	EXPECT_NO_SECRET(&a);
}

/* Filesystems: ext4 keeps the xattr; vfat has none, the module's table
 * holds the mark.
 */
FIXTURE(written_fs) {
	int unavailable;
};

FIXTURE_VARIANT(written_fs) {
	const char *fs;
	int xattr;
};

FIXTURE_VARIANT_ADD(written_fs, ext4) { .fs = "ext4", .xattr = 1 };
FIXTURE_VARIANT_ADD(written_fs, vfat) { .fs = "vfat", .xattr = 0 };

#define FS_DIR TMP "/fs"

FIXTURE_SETUP(written_fs)
{
	int fd;

	ASSERT_EQ(0, mount_tmpfs(TMP));
	ASSERT_EQ(0, make_secret(SECRET_FILE, "SECRET"));
	ASSERT_EQ(0, mkdirs(FS_DIR));
	fd = open(TMP "/fs.img", O_WRONLY | O_CREAT | O_TRUNC, 0600);
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, ftruncate(fd, 16 << 20));
	close(fd);
	if (!has_fs(variant->fs) || access("/dev/loop-control", F_OK)) {
		self->unavailable = 1;
		return;
	}
	if (variant->xattr) {
		ASSERT_EQ(0, run("/bin/mke2fs", "-F", "-I", "256",
				 TMP "/fs.img", NULL));
	} else {
		ASSERT_EQ(0, run("/bin/mkdosfs", TMP "/fs.img", NULL));
	}
	ASSERT_EQ(0, run("/bin/mount", "-t", variant->fs, "-o", "loop",
			 TMP "/fs.img", FS_DIR, NULL));
	ASSERT_EQ(0, agent_policy_write("OFFICIAL", TMP "," FS_DIR, NULL));
}

FIXTURE_TEARDOWN(written_fs)
{
	load_no_subject();
	umount2(FS_DIR, MNT_DETACH);
	umount_tmpfs(TMP);
}

TEST_F(written_fs, program_written_is_fenced)
{
	char buf[64];

	if (self->unavailable)
		SKIP(return, "no %s or loop in this kernel", variant->fs);
	ASSERT_EQ(0, COPY(1, FS_DIR "/prog"));
	EXPECT_EQ(variant->xattr ? 0 : -EOPNOTSUPP,
		  get_mark(FS_DIR "/prog", buf, sizeof(buf)));
	RUN(FS_DIR "/prog", "read", 0, SECRET_FILE);
	/* and outlives a policy reload, in the table too */
	ASSERT_EQ(0, agent_policy_write("OFFICIAL", TMP "," FS_DIR, NULL));
	RUN(FS_DIR "/prog", "read", 0, SECRET_FILE);
	/* control */
	ASSERT_EQ(0, COPY(0, FS_DIR "/prog2"));
	RUN(FS_DIR "/prog2", "read", 1, SECRET_FILE);
	/* an administrator clears it (on vfat the call fails, the mark goes) */
	EXPECT_EQ(variant->xattr ? 0 : EOPNOTSUPP,
		  removexattr(FS_DIR "/prog", WRITER_XATTR) ? errno : 0);
	RUN(FS_DIR "/prog", "read", 1, SECRET_FILE);
}

TEST_HARNESS_MAIN

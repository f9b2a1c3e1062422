# SPDX-License-Identifier: GPL-2.0
#
# avfence top-level Makefile.
#
#   make              the module (against KDIR) and userspace/avfencectl
#   make deps         install packages, fetch the test kernels (scripts/deps.sh)
#   make kmod-all     W=1 build for every kernel of build/kernels/list; fails
#                     on any warning
#   make check        deps, unit tests, builds, the VM suite on every kernel,
#                     then a summary ending in "N passed, N failed"
#   make vm KVER=...  the VM suite on one kernel (AVF_TESTS=a_test,b_test)
#   make demo         boot a VM and show a tagged scanner fenced off a file
#   make check-host   a real Debian 12 host (systemd, ClamAV, auditd, the
#                     .debs installed with apt, DKMS) booted on every kernel
#                     at once: tests/host/run.sh, Documentation/testing.rst;
#                     also the last stage of make check (AVF_CHECK_HOST=0
#                     leaves it out)
#   make bench        benchmark in the VM on every kernel (BENCH_KVER=...),
#                     not part of check: Documentation/performance.rst
#   make static       sparse, checkpatch, cppcheck, policy parser fuzzing
#                     (tests/static/run.sh; also a stage of make check)
#   make check-debug  the VM suite on a debug kernel (KASAN, KFENCE,
#                     lockdep, ...) built from linux-source-6.1 first if
#                     needed (tests/debug-kernel/; about an hour)
#   make check-race   race_test on the KCSAN kernel (build.sh --kcsan first
#                     if needed); fails on a KCSAN report naming avfence;
#                     not part of check (tests/debug-kernel/race.sh)
#   make install      the module to /lib/modules/<kver>/updates/ + depmod,
#                     avfencectl, man pages, avfence.service and its script,
#                     /etc/avfence/policy.conf unless one exists
#                     (DESTDIR, PREFIX=/usr, ...: scripts/install.sh)
#   make uninstall    remove them again; configuration in /etc is kept
#   make clean        remove build products (keeps the fetched kernels)
#   make distclean    also remove build/ (kernels, harness)

KDIR ?= /lib/modules/$(shell uname -r)/build
KVERS = $(shell cat build/kernels/list 2>/dev/null)
DEMO_KVER ?= $(firstword $(KVERS))

all: module avfencectl

# The kernel's way, through the top-level Kbuild: kmod/avfence.ko.
module:
	$(MAKE) -C $(KDIR) M=$(CURDIR) modules

avfencectl:
	$(MAKE) -C userspace

deps:
	bash scripts/deps.sh

kmod-all:
	@test -n "$(KVERS)" || { echo "no kernels: run 'make deps'" >&2; exit 1; }
	@rc=0; for k in $(KVERS); do \
		if scripts/kmod-build.sh --strict $$k W=1; then \
			echo "ok - $$k: module builds with W=1, no warnings"; \
		else \
			echo "not ok - $$k: module builds with W=1, no warnings"; rc=1; \
		fi; \
	done; exit $$rc

kselftest:
	$(MAKE) -C tests/kselftest

vm: kselftest
	@test -n "$(KVER)" || { echo "usage: make vm KVER=<one of: $(KVERS)>" >&2; exit 1; }
	$(MAKE) -C userspace static
	tests/vm/run.sh $(KVER)

check:
	@bash scripts/check.sh

static:
	tests/static/run.sh $(KVERS)

check-debug: kselftest
	tests/debug-kernel/check.sh

check-race: kselftest
	tests/debug-kernel/race.sh

check-host:
	tests/host/run.sh $(KVERS)

bench:
	tests/bench/run.sh $(or $(BENCH_KVER),$(KVERS))

demo: deps
	$(MAKE) -C userspace static
	$(MAKE) -C tests/kselftest
	tests/vm/run.sh --demo $(DEMO_KVER)

# Deployment (issue 5): the logic lives in scripts/install.sh.
INSTALL_ENV = DESTDIR="$(DESTDIR)" PREFIX="$(or $(PREFIX),/usr)" \
	SBINDIR="$(SBINDIR)" MANDIR="$(MANDIR)" KVER="$(INSTALL_KVER)"
install: module avfencectl
	$(INSTALL_ENV) sh scripts/install.sh module
	$(INSTALL_ENV) sh scripts/install.sh tools

uninstall:
	$(INSTALL_ENV) sh scripts/install.sh uninstall

dkms-src:
	sh scripts/install.sh dkms-src build/dkms-src

clean:
	-$(MAKE) -C kmod KDIR=$(KDIR) clean 2>/dev/null
	-$(MAKE) -C userspace clean
	-$(MAKE) -C tests/kselftest clean
	-$(MAKE) -C tests/unit clean 2>/dev/null
	rm -rf build/kmod build/vm build/results build/kselftest

distclean: clean
	rm -rf build

.PHONY: all module avfencectl deps kmod-all kselftest vm check demo clean distclean \
	install uninstall dkms-src static check-debug check-race check-host bench

# SPDX-License-Identifier: GPL-2.0 OR Linux-OpenIB
#
# make                 build zroce.ko and the provider
# make KDIR=...        build the module against other kernel headers
# make KERNEL=6.12     ... against an installed Debian kernel series
# make check           the test suite, booting KERNEL (6.1, 6.12, 6.12-rt)
# make ci              everything CI runs (scripts/check)
# make demo            boot a VM and show rdma link add and ibv_devinfo
# make install         install module and provider on this host
# make uninstall       remove what make install installed
# make dkms-source     copy the module source where DKMS wants it

KERNEL ?= $(if $(wildcard /lib/modules/$(shell uname -r)/build),running,6.1)
# check and demo boot a Debian kernel, never the running one by default
VMKERNEL ?= $(if $(filter running,$(KERNEL)),6.1,$(KERNEL))
KVER ?= $(shell $(CURDIR)/scripts/kver $(KERNEL))
KDIR ?= /lib/modules/$(KVER)/build
BUILD ?= $(CURDIR)/build
MODDIR := $(BUILD)/$(KVER)
VERSION := $(shell sed -n 's/^PACKAGE_VERSION="\(.*\)"$$/\1/p' $(CURDIR)/dkms.conf)
# what DKMS and the zroce-dkms package build the module from
DKMS_SOURCE := Kbuild dkms.conf $(patsubst $(CURDIR)/%,%,$(wildcard \
	$(CURDIR)/kernel/*.[ch] $(CURDIR)/include/zroce/*.h $(CURDIR)/uapi/rdma/*.h))

all: module provider

module:
	$(MAKE) -C $(KDIR) M=$(CURDIR) modules
	mkdir -p $(MODDIR)
	cp zroce.ko $(MODDIR)/zroce.ko

CMAKE_CONFIGURE := cmake -S $(CURDIR) -B $(BUILD)/user -DCMAKE_BUILD_TYPE=RelWithDebInfo

provider:
	$(CMAKE_CONFIGURE)
	cmake --build $(BUILD)/user -j2

check:
	$(CURDIR)/scripts/check --kernel $(VMKERNEL) --build $(BUILD)

ci:
	$(CURDIR)/scripts/check --build $(BUILD)

demo:
	$(CURDIR)/scripts/demo --kernel $(VMKERNEL) --build $(BUILD)

# MOK_KEY=... MOK_CERT=... signs the module with a Machine Owner Key
# (Documentation/install.rst); the kernel build's own key never exists in
# distribution headers, so modules_install does not try it.
install: all
	$(if $(MOK_KEY),$(KDIR)/scripts/sign-file sha256 $(MOK_KEY) \
		$(or $(MOK_CERT),$(error MOK_KEY wants MOK_CERT)) $(CURDIR)/zroce.ko)
	$(MAKE) -C $(KDIR) M=$(CURDIR) INSTALL_MOD_DIR=updates \
		CONFIG_MODULE_SIG_ALL= modules_install
	depmod -a $(KVER)
	cmake --install $(BUILD)/user

uninstall:
	rm -f /lib/modules/$(KVER)/updates/zroce.ko*
	depmod -a $(KVER)
	$(CMAKE_CONFIGURE) >/dev/null
	cmake --build $(BUILD)/user --target uninstall

dkms-source:
	mkdir -p $(DESTDIR)/usr/src/zroce-$(VERSION)
	cd $(CURDIR) && cp -R --parents $(DKMS_SOURCE) \
		$(DESTDIR)/usr/src/zroce-$(VERSION)/

clean:
	$(MAKE) -C $(KDIR) M=$(CURDIR) clean
	rm -rf $(BUILD)

.PHONY: all module provider check ci demo install uninstall dkms-source clean

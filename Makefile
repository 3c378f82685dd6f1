# SPDX-License-Identifier: GPL-2.0 OR Linux-OpenIB
#
# make                 build zroce.ko and the provider
# make KDIR=...        build the module against other kernel headers
# make KERNEL=6.12     ... against an installed Debian kernel series
# make check           host unit tests, then the VM suite (boots KERNEL)
# make demo            boot a VM and show rdma link add and ibv_devinfo
# make install         install module and provider on this host

KERNEL ?= $(if $(wildcard /lib/modules/$(shell uname -r)/build),running,6.1)
# check and demo boot a Debian kernel, never the running one by default
VMKERNEL ?= $(if $(filter running,$(KERNEL)),6.1,$(KERNEL))
KVER ?= $(shell $(CURDIR)/scripts/kver $(KERNEL))
KDIR ?= /lib/modules/$(KVER)/build
BUILD ?= $(CURDIR)/build
MODDIR := $(BUILD)/$(KVER)

all: module provider

module:
	$(MAKE) -C $(KDIR) M=$(CURDIR) modules
	mkdir -p $(MODDIR)
	cp zroce.ko $(MODDIR)/zroce.ko

provider:
	cmake -S $(CURDIR) -B $(BUILD)/user -DCMAKE_BUILD_TYPE=RelWithDebInfo
	cmake --build $(BUILD)/user -j2

check:
	$(CURDIR)/scripts/check --kernel $(VMKERNEL) --build $(BUILD)

demo:
	$(CURDIR)/scripts/demo --kernel $(VMKERNEL) --build $(BUILD)

install: all
	$(MAKE) -C $(KDIR) M=$(CURDIR) modules_install
	depmod -a $(KVER)
	cmake --install $(BUILD)/user

clean:
	$(MAKE) -C $(KDIR) M=$(CURDIR) clean
	rm -rf $(BUILD)

.PHONY: all module provider check demo install clean

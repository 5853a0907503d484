# wirewalk — see README.md. Two commands matter on a fresh Debian machine,
# run as root: `make run` and `make check`.

PREFIX  ?= /usr/local
DESTDIR ?=
CC      ?= cc
CLANG   ?= clang
FUZZ_SECONDS ?= 30

WARN    := -std=c11 -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes -Wno-missing-field-initializers
CFLAGS  ?= -O2 -g
CPPFLAGS += -Iinclude -D_GNU_SOURCE
LDLIBS  := -lreadline -lssl -lcrypto -lcap -lz -lm

# SAN=1 builds everything (binary and unit tests) with AddressSanitizer and
# UBSan into a second directory, so both builds can sit side by side.
ifeq ($(SAN),1)
BUILD   := build-san
CFLAGS  := -O1 -g -fno-omit-frame-pointer -fsanitize=address,undefined -fno-sanitize-recover=all
LDFLAGS += -fsanitize=address,undefined
else
BUILD   := build
endif

LIB_SRCS := $(sort $(filter-out src/shell/main.c,$(wildcard src/*/*.c)))
LIB_OBJS := $(LIB_SRCS:%.c=$(BUILD)/%.o)
LIB      := $(BUILD)/libwirewalk.a
BIN      := $(if $(filter 1,$(SAN)),$(BUILD)/wirewalk,wirewalk)

UNIT_SRCS := $(sort $(wildcard tests/unit/test_*.c))
UNIT_BINS := $(UNIT_SRCS:tests/unit/%.c=$(BUILD)/tests/%)

FUZZ_SRCS := $(sort $(wildcard tests/fuzz/fuzz_*.c))
FUZZ_BINS := $(FUZZ_SRCS:tests/fuzz/%.c=build-fuzz/%)

# Debian packages: build, test, lab peers, and the peers `make bench`
# measures against.
PACKAGES := gcc make clang libclang-rt-14-dev g++ pkg-config \
	libreadline-dev libssl-dev libcap-dev libcap2-bin libcmocka-dev zlib1g-dev \
	tshark python3 python3-scapy libtins-dev \
	iproute2 ethtool nftables iputils-ping nginx nsd unbound dnsutils curl openssl \
	ca-certificates tcpdump tmux

.PHONY: all deps check unit san-unit test-read test-lab run bench fuzz install clean

all: $(BIN)

$(BUILD)/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(WARN) $(CFLAGS) $(CPPFLAGS) -MMD -MP -c $< -o $@

$(LIB): $(LIB_OBJS)
	@rm -f $@
	ar rcs $@ $^

$(BIN): $(BUILD)/src/shell/main.o $(LIB)
	$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS)

$(BUILD)/tests/%: tests/unit/%.c $(LIB) $(wildcard tests/unit/*.h)
	@mkdir -p $(dir $@)
	$(CC) $(WARN) $(CFLAGS) $(CPPFLAGS) -Itests/unit $< -o $@ $(LDFLAGS) $(LIB) -lcmocka $(LDLIBS)

# Installs only what is missing; apt-get update first, as the archive's
# index on a fresh machine is empty or stale.
deps:
	@missing=$$(for p in $(PACKAGES); do \
		dpkg-query -W -f='$${Status}\n' $$p 2>/dev/null | grep -q '^install ok installed' || echo $$p; \
	done); \
	if [ -n "$$missing" ]; then \
		echo "installing: $$missing"; \
		if [ "$$(id -u)" != 0 ]; then echo "make deps: run as root to install: $$missing" >&2; exit 1; fi; \
		echo 'wireshark-common wireshark-common/install-setuid boolean false' | debconf-set-selections; \
		DEBIAN_FRONTEND=noninteractive apt-get update -q && \
		DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends $$missing; \
	fi

unit: $(UNIT_BINS)
	@fail=0; for t in $(UNIT_BINS); do $$t || fail=1; done; exit $$fail

san-unit:
	$(MAKE) SAN=1 unit

test-read: all
	tests/read/run.sh ./wirewalk

# Lab tests need root: each builds a lab of its own name and removes it.
test-lab: all
	tests/lab/run.sh ./wirewalk

check: deps
	$(MAKE) all
	$(MAKE) unit
	$(MAKE) san-unit
	$(MAKE) test-read
	$(MAKE) test-lab
	@echo "make check: all passed"

# The shell in the lab: bring it up (quick when it is up already), then
# open the shell in it.
run: deps all
	./wirewalk lab up
	./wirewalk

bench: deps all
	$(MAKE) -C bench WIREWALK_LIB=$(CURDIR)/$(LIB)

# libFuzzer targets: the library is rebuilt with clang and fuzzer
# instrumentation next to the normal builds.
FUZZ_CFLAGS := -std=c11 -g -O1 -Iinclude -D_GNU_SOURCE -fsanitize=fuzzer-no-link,address,undefined
FUZZ_LIB_OBJS := $(LIB_SRCS:%.c=build-fuzz/%.o)

build-fuzz/%.o: %.c
	@mkdir -p $(dir $@)
	$(CLANG) $(FUZZ_CFLAGS) -MMD -MP -c $< -o $@

build-fuzz/fuzz_%: tests/fuzz/fuzz_%.c $(FUZZ_LIB_OBJS)
	$(CLANG) $(FUZZ_CFLAGS) -fsanitize=fuzzer $^ -o $@ $(LDLIBS)

.SECONDARY: $(FUZZ_LIB_OBJS)

fuzz: $(FUZZ_BINS)
	tests/fuzz/run.sh $(FUZZ_SECONDS) $(FUZZ_BINS)

install: all
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/share/wirewalk/lessons
	install -m 755 wirewalk $(DESTDIR)$(PREFIX)/bin/wirewalk
	cp -r lessons/. $(DESTDIR)$(PREFIX)/share/wirewalk/lessons/
	@if command -v setcap >/dev/null; then \
		setcap cap_net_raw,cap_net_admin+ep $(DESTDIR)$(PREFIX)/bin/wirewalk || \
		echo "setcap failed: run wirewalk as root, or setcap by hand"; \
	else echo "setcap not found: run wirewalk as root"; fi

clean:
	rm -rf build build-san build-fuzz wirewalk
	$(MAKE) -C bench clean

-include $(LIB_OBJS:.o=.d) $(BUILD)/src/shell/main.d $(FUZZ_LIB_OBJS:.o=.d)

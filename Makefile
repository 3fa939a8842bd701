# calcheck - plain Makefile. `make` builds ./calcheck; `make test`, `make demo`,
# `make install` (PREFIX, DESTDIR); `make fuzz` builds the libFuzzer targets
# with clang; `make SAN=1` builds into build-san/ with ASan+UBSan.
# New .c files under src/, tests/unit/ and fuzz/ are picked up automatically.

CC      ?= cc
PREFIX  ?= /usr/local
BINDIR  ?= $(PREFIX)/bin
MANDIR  ?= $(PREFIX)/share/man
VERSION := 0.1.0

WARN    := -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes -Wmissing-prototypes -Wvla
CFLAGS  ?= -O2 -g
ALL_CFLAGS := -std=c11 -pthread -D_POSIX_C_SOURCE=200809L -DCCK_VERSION=\"$(VERSION)\" $(WARN) $(CFLAGS) -MMD -MP
# External libraries (Debian: libpff-dev, libbfio-dev, libicu-dev, libcurl4-openssl-dev,
# libxml2-dev) through pkg-config. Only ICU is linked: libcurl, libxml2 and libpff (with
# libbfio) are opened with dlopen when a CalDAV source, -R or a PST/OST needs them
# (src/util/lazylib.h), so only their headers are used here. dlopen is in glibc's libc.
PKGS    := libpff libbfio icu-i18n icu-uc libcurl libxml-2.0
LINKED  := icu-i18n icu-uc
PKG_CFLAGS := $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS   := $(shell pkg-config --libs $(LINKED) 2>/dev/null || echo -licui18n -licuuc -licudata)
LDLIBS  += $(PKG_LIBS) -lm -pthread

ifeq ($(SAN),1)
BUILD   ?= build-san
ALL_CFLAGS += -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer -O1
LDFLAGS += -fsanitize=address,undefined
else
BUILD   ?= build
endif

LIB_SRC  := $(wildcard src/*/*.c) \
            $(filter-out src/main.c,$(wildcard src/*.c))
LIB_SRC  := $(sort $(LIB_SRC))
LIB_OBJ  := $(LIB_SRC:%.c=$(BUILD)/%.o)
LIB      := $(BUILD)/libcalcheck.a
UNIT_SRC := $(wildcard tests/unit/test_*.c)
UNIT_BIN := $(UNIT_SRC:tests/unit/%.c=$(BUILD)/tests/%)
TOOL_SRC := $(wildcard tests/tools/*.c)
TOOL_BIN := $(TOOL_SRC:tests/tools/%.c=$(BUILD)/tools/%)
FUZZ_SRC := $(wildcard fuzz/fuzz_*.c)

.PHONY: all test unit demo install uninstall fuzz clean deps deps-test check-format format

all: calcheck $(TOOL_BIN)

calcheck: $(BUILD)/calcheck
	cp $< $@

$(BUILD)/calcheck: $(BUILD)/src/main.o $(LIB)
	$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS)

$(LIB): $(LIB_OBJ)
	rm -f $@
	ar rcs $@ $^

$(BUILD)/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) $(PKG_CFLAGS) -Isrc -c -o $@ $<

$(BUILD)/tests/%: tests/unit/%.c $(wildcard tests/unit/*.h) $(LIB)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) $(PKG_CFLAGS) -Isrc -Itests/unit $(LDFLAGS) -o $@ $< $(LIB) $(LDLIBS)

$(BUILD)/tools/%: tests/tools/%.c $(LIB)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -Isrc $(LDFLAGS) -o $@ $< $(LIB) $(LDLIBS)

# Test and demo targets install what they need first (scripts/deps.sh).
deps:
	@sh scripts/deps.sh build
deps-test:
	@sh scripts/deps.sh test

unit: calcheck $(UNIT_BIN) $(TOOL_BIN)

test: deps-test
	@$(MAKE) --no-print-directory unit
	@BUILD=$(BUILD) sh tests/run.sh

demo: deps
	@$(MAKE) --no-print-directory all
	@BUILD=$(BUILD) sh scripts/demo.sh

# libFuzzer targets: clang, ASan+UBSan, one binary per fuzz/fuzz_*.c.
FUZZ_CC    ?= clang
FUZZ_FLAGS := -std=c11 -D_POSIX_C_SOURCE=200809L -DCCK_VERSION=\"$(VERSION)\" -g -O1 \
              -fsanitize=fuzzer,address,undefined \
              -fno-sanitize-recover=all -Isrc
fuzz: $(FUZZ_SRC:fuzz/%.c=build-fuzz/%)
build-fuzz/%: fuzz/%.c $(LIB_SRC)
	@mkdir -p build-fuzz
	$(FUZZ_CC) $(FUZZ_FLAGS) $(PKG_CFLAGS) -o $@ $< $(LIB_SRC) $(PKG_LIBS) -lm -pthread

install: calcheck
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(MANDIR)/man1
	install -m 755 calcheck $(DESTDIR)$(BINDIR)/calcheck
	install -m 644 man/calcheck.1 $(DESTDIR)$(MANDIR)/man1/calcheck.1

uninstall:
	rm -f $(DESTDIR)$(BINDIR)/calcheck $(DESTDIR)$(MANDIR)/man1/calcheck.1

format:
	clang-format -i $$(git ls-files '*.c' '*.h')
check-format:
	clang-format --dry-run -Werror $$(git ls-files '*.c' '*.h')

clean:
	rm -rf build build-san build-fuzz calcheck demo-out

-include $(LIB_OBJ:.o=.d) $(BUILD)/src/main.d

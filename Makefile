# recount — build, test, demo.  `make demo` and `make check` install the
# Debian packages they need when run as root (scripts/deps.sh).
CC ?= cc
PKG_CONFIG ?= pkg-config
PKGS := libsodium openssl
CFLAGS ?= -O2 -g
WARN := -std=c11 -D_GNU_SOURCE -Wall -Wextra -Wconversion -Wshadow -Werror
HARDEN := -fstack-protector-strong -D_FORTIFY_SOURCE=2 -fPIE
DEP_CFLAGS := $(shell $(PKG_CONFIG) --cflags $(PKGS) 2>/dev/null)
DEP_LIBS := $(shell $(PKG_CONFIG) --libs $(PKGS) 2>/dev/null)
CMOCKA_CFLAGS := $(shell $(PKG_CONFIG) --cflags cmocka 2>/dev/null)
CMOCKA_LIBS := $(shell $(PKG_CONFIG) --libs cmocka 2>/dev/null)
ALL_CFLAGS = $(WARN) $(HARDEN) $(CFLAGS) -Iformats -Isign -Iverify $(DEP_CFLAGS) \
	-ffile-prefix-map=$(CURDIR)=.
LDFLAGS ?=
ALL_LDFLAGS = -pie -Wl,-z,relro,-z,now $(LDFLAGS)
LIBS := $(DEP_LIBS) -lpthread

B ?= build
BIN ?= bin
PREFIX ?= /usr/local
FORMATS_SRC := $(sort $(wildcard formats/*.c))
SIGNLIB_SRC := $(filter-out sign/main.c sign/gen.c,$(sort $(wildcard sign/*.c)))
VERIFYLIB_SRC := $(filter-out verify/main.c,$(sort $(wildcard verify/*.c)))
FORMATS_OBJ := $(FORMATS_SRC:%.c=$(B)/%.o)
SIGNLIB_OBJ := $(SIGNLIB_SRC:%.c=$(B)/%.o)
VERIFYLIB_OBJ := $(VERIFYLIB_SRC:%.c=$(B)/%.o)
UNIT_SRC := $(sort $(wildcard tests/unit/test_*.c))
UNIT_BIN := $(UNIT_SRC:tests/unit/%.c=$(B)/tests/%)

BINS := $(BIN)/recount-sign $(BIN)/recount-verify $(BIN)/recount-gen

.PHONY: all check check-run demo demo-run deps clean unit e2e bench bench-run sanitize sanitize-run fuzz install reproducible-check
all: $(BINS)

deps:
	@./scripts/deps.sh

$(B)/%.o: %.c $(wildcard formats/*.h sign/*.h verify/*.h)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -c $< -o $@

$(BIN)/recount-verify: $(B)/verify/main.o $(VERIFYLIB_OBJ) $(FORMATS_OBJ)
	@mkdir -p $(BIN)
	$(CC) $(ALL_LDFLAGS) -o $@ $^ $(LIBS)

$(BIN)/recount-sign: $(B)/sign/main.o $(SIGNLIB_OBJ) $(VERIFYLIB_OBJ) $(FORMATS_OBJ)
	@mkdir -p $(BIN)
	$(CC) $(ALL_LDFLAGS) -o $@ $^ $(LIBS)

$(BIN)/recount-gen: $(B)/sign/gen.o $(SIGNLIB_OBJ) $(VERIFYLIB_OBJ) $(FORMATS_OBJ)
	@mkdir -p $(BIN)
	$(CC) $(ALL_LDFLAGS) -o $@ $^ $(LIBS)

$(B)/tests/%: tests/unit/%.c tests/unit/testutil.h $(SIGNLIB_OBJ) $(VERIFYLIB_OBJ) $(FORMATS_OBJ)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) $(CMOCKA_CFLAGS) -Itests/unit $(ALL_LDFLAGS) -o $@ $< \
		$(SIGNLIB_OBJ) $(VERIFYLIB_OBJ) $(FORMATS_OBJ) $(CMOCKA_LIBS) $(LIBS)

# The entry points install missing packages first, then re-run make so that
# pkg-config is evaluated with the packages present.
check: deps
	@$(MAKE) --no-print-directory check-run
check-run: all $(UNIT_BIN)
	@./scripts/check-banned.sh
	@./tests/run-unit.sh $(UNIT_BIN)
	@$(MAKE) --no-print-directory fuzz-replay
	@RECOUNT_BIN=$(BIN) ./tests/e2e/run.sh

unit: $(UNIT_BIN)
	@./tests/run-unit.sh $(UNIT_BIN)

e2e: all
	@RECOUNT_BIN=$(BIN) ./tests/e2e/run.sh

# The whole suite (unit and end-to-end) built with ASan and UBSan.
SAN := -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer
sanitize: deps
	@RECOUNT_NO_VALGRIND=1 $(MAKE) --no-print-directory B=build-san BIN=bin-san \
	  CFLAGS="-O1 -g $(SAN)" LDFLAGS="$(SAN)" sanitize-run
sanitize-run: check-run

# Speed and memory (see tests/bench/README.md). Not part of `check`.
bench: deps
	@$(MAKE) --no-print-directory bench-run
bench-run: all $(B)/bench/floor
	./tests/bench/run.sh

$(B)/bench/floor: tests/bench/floor.c $(VERIFYLIB_OBJ) $(FORMATS_OBJ)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) $(ALL_LDFLAGS) -o $@ $< $(VERIFYLIB_OBJ) $(FORMATS_OBJ) $(LIBS)

# Two builds of this tree in different directories must give identical
# binaries.
reproducible-check: deps
	@./scripts/reproducible-check.sh

install: all
	install -d $(DESTDIR)$(PREFIX)/bin
	install -m 755 $(BIN)/recount-sign $(BIN)/recount-verify $(DESTDIR)$(PREFIX)/bin

demo: deps
	@$(MAKE) --no-print-directory demo-run
demo-run: all
	./bin/recount-verify record --anchor testvectors/krd-2017/commission.vkey testvectors/krd-2017/record

clean:
	rm -rf build build-san build-fuzz bin bin-san

# ---------------------------------------------------------------- fuzz ---
# libFuzzer harnesses, one per parser (tests/fuzz/README.md).
#   make fuzz [FUZZ_TIME=60] [FUZZ_TARGETS="note sheet"]  clang build, then fuzz
#   make fuzz-build                                       clang build only
#   make fuzz-replay   the committed seeds and crash inputs, gcc build (in check)
FUZZ_HARNESSES := note sheet manifest district checkpoint published vkey skey \
	receipt b64 record csv
FUZZ_TARGETS ?= $(FUZZ_HARNESSES)
FUZZ_TIME ?= 60
FUZZ_CC ?= clang-14
FZ ?= build-fuzz
FUZZ_HDRS := $(wildcard formats/*.h sign/*.h verify/*.h) tests/fuzz/fuzz_common.h
FUZZ_CFLAGS = $(WARN) -g -O1 -fno-omit-frame-pointer \
	-fsanitize=address,undefined -fno-sanitize-recover=undefined \
	-Iformats -Isign -Iverify -Itests/fuzz $(DEP_CFLAGS)
FUZZ_LIB_OBJ := $(patsubst %.c,$(FZ)/obj/%.o,$(FORMATS_SRC) $(SIGNLIB_SRC) $(VERIFYLIB_SRC))
FUZZ_BINS := $(FUZZ_HARNESSES:%=$(FZ)/fuzz_%)
FUZZ_REPLAY_BINS := $(FUZZ_HARNESSES:%=$(B)/fuzz-replay/fuzz_%)

.PHONY: fuzz-build fuzz-replay

$(FZ)/obj/%.o: %.c $(FUZZ_HDRS)
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(FUZZ_CFLAGS) -fsanitize=fuzzer-no-link -c $< -o $@

$(FZ)/librecount-fuzz.a: $(FUZZ_LIB_OBJ)
	@rm -f $@
	ar rcs $@ $^

$(FZ)/fuzz_%: tests/fuzz/fuzz_%.c $(FZ)/librecount-fuzz.a $(FUZZ_HDRS)
	$(FUZZ_CC) $(FUZZ_CFLAGS) -fsanitize=fuzzer -o $@ $< \
		$(FZ)/librecount-fuzz.a $(LIBS)

fuzz-build: $(FUZZ_BINS)

fuzz: fuzz-build
	@FZ=$(FZ) FUZZ_TIME=$(FUZZ_TIME) ./tests/fuzz/run.sh $(FUZZ_TARGETS); st=$$?; \
	  echo "fuzz: totals over every run in $(FZ)/stats.txt:"; \
	  FZ=$(FZ) ./tests/fuzz/summary.sh; exit $$st

$(B)/fuzz-replay/fuzz_%: tests/fuzz/fuzz_%.c tests/fuzz/replay.c \
		tests/fuzz/fuzz_common.h $(SIGNLIB_OBJ) $(VERIFYLIB_OBJ) $(FORMATS_OBJ)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -Itests/fuzz $(ALL_LDFLAGS) -o $@ $< tests/fuzz/replay.c \
		$(SIGNLIB_OBJ) $(VERIFYLIB_OBJ) $(FORMATS_OBJ) $(LIBS)

fuzz-replay: $(FUZZ_REPLAY_BINS)
	@set -e; for h in $(FUZZ_HARNESSES); do \
	  $(B)/fuzz-replay/fuzz_$$h $$h tests/fuzz/corpus/$$h tests/fuzz/crashes/$$h; \
	done
# ------------------------------------------------------------ end fuzz ---

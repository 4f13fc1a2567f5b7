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
# Each layer sees only the headers of the layers below it, so
# recount-verify cannot even include a signing header:
#   formats/  parsers, encoders, crypto          (libformats.a)
#   engine/   the record engine, receipt check   (libengine.a)
#   sign/     secret keys, commit, prove         (libsign.a)
#   cli/      the report module: all output      (libcli.a)
#   verify/ sign/main.c sign/cli_*.c tools/     the programs
INC_formats := -Iformats
INC_engine := -Iformats -Iengine
INC_sign := -Iformats -Iengine -Isign
INC_cli := -Iformats -Iengine -Icli
INC_verify := -Iformats -Iengine -Icli -Iverify
INC_signcli := -Iformats -Iengine -Isign -Icli
INC_all := -Iformats -Iengine -Isign -Icli -Iverify
# one section per function, and --gc-sections: a program links only the
# functions it calls, not whole archive members
SECTIONS := -ffunction-sections -fdata-sections
BASE_CFLAGS = $(WARN) $(HARDEN) $(SECTIONS) $(CFLAGS) $(DEP_CFLAGS) \
	-ffile-prefix-map=$(CURDIR)=.
ALL_CFLAGS = $(BASE_CFLAGS) $(INC_all)
LDFLAGS ?=
ALL_LDFLAGS = -pie -Wl,-z,relro,-z,now -Wl,--gc-sections $(LDFLAGS)
LIBS := $(DEP_LIBS) -lpthread

B ?= build
BIN ?= bin
PREFIX ?= /usr/local
FORMATS_SRC := $(sort $(wildcard formats/*.c))
ENGINE_SRC := $(sort $(wildcard engine/*.c))
SIGN_CLI_SRC := sign/main.c $(sort $(wildcard sign/cli_*.c))
SIGNLIB_SRC := $(filter-out $(SIGN_CLI_SRC),$(sort $(wildcard sign/*.c)))
CLI_SRC := $(sort $(wildcard cli/*.c))
VERIFY_SRC := $(sort $(wildcard verify/*.c))
FORMATS_A := $(B)/libformats.a
ENGINE_A := $(B)/libengine.a
SIGN_A := $(B)/libsign.a
CLI_A := $(B)/libcli.a
# link order: a layer before the layers it uses
VERIFY_LIBS := $(CLI_A) $(ENGINE_A) $(FORMATS_A)
SIGN_LIBS := $(CLI_A) $(SIGN_A) $(ENGINE_A) $(FORMATS_A)
ALL_A := $(CLI_A) $(SIGN_A) $(ENGINE_A) $(FORMATS_A)
UNIT_SRC := $(sort $(wildcard tests/unit/test_*.c))
UNIT_BIN := $(UNIT_SRC:tests/unit/%.c=$(B)/tests/%)
ALL_OBJ := $(patsubst %.c,$(B)/%.o,$(FORMATS_SRC) $(ENGINE_SRC) \
	$(SIGNLIB_SRC) $(CLI_SRC) $(VERIFY_SRC) $(SIGN_CLI_SRC) $(wildcard tools/*.c))

BINS := $(BIN)/recount-sign $(BIN)/recount-verify $(BIN)/recount-gen

.PHONY: format format-check golden
.PHONY: all check check-run demo demo-run deps clean unit e2e bench bench-run sanitize sanitize-run fuzz install uninstall reproducible-check
all: $(BINS)

deps:
	@./scripts/deps.sh

$(B)/formats/%.o: INC = $(INC_formats)
$(B)/engine/%.o: INC = $(INC_engine)
$(B)/sign/%.o: INC = $(INC_sign)
$(SIGN_CLI_SRC:%.c=$(B)/%.o): INC = $(INC_signcli)
$(B)/cli/%.o: INC = $(INC_cli)
$(B)/verify/%.o: INC = $(INC_verify)
$(B)/tools/%.o: INC = $(INC_signcli)

# -MMD -MP: each object depends on the headers it includes, no more
$(B)/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(BASE_CFLAGS) $(INC) -MMD -MP -c $< -o $@

-include $(ALL_OBJ:.o=.d)

$(FORMATS_A): $(FORMATS_SRC:%.c=$(B)/%.o)
$(ENGINE_A): $(ENGINE_SRC:%.c=$(B)/%.o)
$(SIGN_A): $(SIGNLIB_SRC:%.c=$(B)/%.o)
$(CLI_A): $(CLI_SRC:%.c=$(B)/%.o)
$(ALL_A):
	@rm -f $@
	ar rcsD $@ $^

$(BIN)/recount-verify: $(VERIFY_SRC:%.c=$(B)/%.o) $(VERIFY_LIBS)
	@mkdir -p $(BIN)
	$(CC) $(ALL_LDFLAGS) -o $@ $^ $(LIBS)

$(BIN)/recount-sign: $(SIGN_CLI_SRC:%.c=$(B)/%.o) $(SIGN_LIBS)
	@mkdir -p $(BIN)
	$(CC) $(ALL_LDFLAGS) -o $@ $^ $(LIBS)

$(BIN)/recount-gen: $(patsubst %.c,$(B)/%.o,$(sort $(wildcard tools/*.c))) $(CLI_A) $(SIGN_A) $(ENGINE_A) $(FORMATS_A)
	@mkdir -p $(BIN)
	$(CC) $(ALL_LDFLAGS) -o $@ $^ $(LIBS)

$(B)/tests/%: tests/unit/%.c tests/unit/testutil.h $(ALL_A)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) $(CMOCKA_CFLAGS) -Itests/unit $(ALL_LDFLAGS) -o $@ $< \
		$(ALL_A) $(CMOCKA_LIBS) $(LIBS)

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

$(B)/bench/floor: tests/bench/floor.c $(ENGINE_A) $(FORMATS_A)
	@mkdir -p $(dir $@)
	$(CC) $(BASE_CFLAGS) $(INC_engine) $(ALL_LDFLAGS) -o $@ $< $(ENGINE_A) \
		$(FORMATS_A) $(LIBS)

# Two builds of this tree in different directories must give identical
# binaries.
reproducible-check: deps
	@./scripts/reproducible-check.sh

# make install [PREFIX=/usr/local] [DESTDIR=/tmp/stage]; make uninstall
# removes exactly what install wrote (tests/e2e/t_90_cli.sh checks both).
MAN1 := docs/man/recount-verify.1 docs/man/recount-sign.1
MAN5 := docs/man/recount-record.5
DOCS := $(sort $(wildcard docs/*.md docs/*.schema.json)) README.md SECURITY.md
I_BIN := $(DESTDIR)$(PREFIX)/bin
I_MAN := $(DESTDIR)$(PREFIX)/share/man
I_DOC := $(DESTDIR)$(PREFIX)/share/doc/recount
I_BASH := $(DESTDIR)$(PREFIX)/share/bash-completion/completions
install: all
	install -d $(I_BIN) $(I_MAN)/man1 $(I_MAN)/man5 $(I_DOC) $(I_BASH)
	install -m 755 $(BINS) $(I_BIN)
	install -m 644 $(MAN1) $(I_MAN)/man1
	install -m 644 $(MAN5) $(I_MAN)/man5
	install -m 644 $(DOCS) $(I_DOC)
	install -m 644 scripts/recount.bash-completion $(I_BASH)/recount-verify
	ln -sf recount-verify $(I_BASH)/recount-sign
	ln -sf recount-verify $(I_BASH)/recount-gen

uninstall:
	rm -f $(BINS:$(BIN)/%=$(I_BIN)/%) $(MAN1:docs/man/%=$(I_MAN)/man1/%) \
	  $(MAN5:docs/man/%=$(I_MAN)/man5/%) $(addprefix $(I_DOC)/,$(notdir $(DOCS))) \
	  $(I_BASH)/recount-verify $(I_BASH)/recount-sign $(I_BASH)/recount-gen
	-rmdir $(I_DOC) 2>/dev/null

demo: deps
	@$(MAKE) --no-print-directory demo-run
demo-run: all
	@rm -f $(B)/krd-2017.html
	./bin/recount-verify record --anchor testvectors/krd-2017/commission.vkey --html $(B)/krd-2017.html testvectors/krd-2017/record
	@echo "HTML report: $(B)/krd-2017.html"

clean:
	rm -rf build build-san build-fuzz bin bin-san

# `make -s print-INC_verify` prints a variable (the layer test of t_45 uses
# the include paths)
print-%:
	@echo '$($*)'

# ---------------------------------------------------------------- fuzz ---
# libFuzzer harnesses, one per parser (tests/fuzz/README.md).
#   make fuzz [FUZZ_TIME=60] [FUZZ_TARGETS="note sheet"]  clang build, then fuzz
#   make fuzz-build                                       clang build only
#   make fuzz-replay   the committed seeds and crash inputs, gcc build (in check)
FUZZ_HARNESSES := note sheet manifest district checkpoint published vkey skey \
	receipt b64 record csv log cosig tlogproof evidence
FUZZ_TARGETS ?= $(FUZZ_HARNESSES)
FUZZ_TIME ?= 60
FUZZ_CC ?= clang-14
FZ ?= build-fuzz
FUZZ_CFLAGS = $(WARN) -g -O1 -fno-omit-frame-pointer \
	-fsanitize=address,undefined -fno-sanitize-recover=undefined \
	$(INC_all) -Itests/fuzz $(DEP_CFLAGS)
FUZZ_LIB_OBJ := $(patsubst %.c,$(FZ)/obj/%.o,$(FORMATS_SRC) $(ENGINE_SRC) \
	$(SIGNLIB_SRC) $(CLI_SRC))
FUZZ_BINS := $(FUZZ_HARNESSES:%=$(FZ)/fuzz_%)
FUZZ_REPLAY_BINS := $(FUZZ_HARNESSES:%=$(B)/fuzz-replay/fuzz_%)

.PHONY: fuzz-build fuzz-replay

$(FZ)/obj/%.o: %.c
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(FUZZ_CFLAGS) -fsanitize=fuzzer-no-link -MMD -MP -c $< -o $@

-include $(FUZZ_LIB_OBJ:.o=.d)

$(FZ)/librecount-fuzz.a: $(FUZZ_LIB_OBJ)
	@rm -f $@
	ar rcs $@ $^

# a harness is rebuilt when its library is (any header change rebuilds the
# objects that include it, hence the archive)
$(FZ)/fuzz_%: tests/fuzz/fuzz_%.c $(FZ)/librecount-fuzz.a tests/fuzz/fuzz_common.h \
		tests/fuzz/fuzz_notes.h
	$(FUZZ_CC) $(FUZZ_CFLAGS) -fsanitize=fuzzer -o $@ $< \
		$(FZ)/librecount-fuzz.a $(LIBS)

fuzz-build: $(FUZZ_BINS)

fuzz: fuzz-build
	@FZ=$(FZ) FUZZ_TIME=$(FUZZ_TIME) ./tests/fuzz/run.sh $(FUZZ_TARGETS); st=$$?; \
	  echo "fuzz: totals over every run in $(FZ)/stats.txt:"; \
	  FZ=$(FZ) ./tests/fuzz/summary.sh; exit $$st

$(B)/fuzz-replay/fuzz_%: tests/fuzz/fuzz_%.c tests/fuzz/replay.c \
		tests/fuzz/fuzz_common.h tests/fuzz/fuzz_notes.h $(ALL_A)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -Itests/fuzz $(ALL_LDFLAGS) -o $@ $< tests/fuzz/replay.c \
		$(ALL_A) $(LIBS)

fuzz-replay: $(FUZZ_REPLAY_BINS)
	@set -e; for h in $(FUZZ_HARNESSES); do \
	  $(B)/fuzz-replay/fuzz_$$h $$h tests/fuzz/corpus/$$h tests/fuzz/crashes/$$h; \
	done
# ------------------------------------------------------------ end fuzz ---

# ---------------------------------------------------------- habits ---
# Every tracked C file formatted as .clang-format says (clang-format 14);
# `make format` rewrites them, `make format-check` (in .ci/run) fails on any
# difference and shows it.
format:
	@./scripts/format-check.sh fix
format-check:
	@./scripts/format-check.sh

# Regenerates every end-to-end golden file from the binaries in $(BIN)
# (tests/e2e/README.md: read the diff and explain it in the commit).
golden: all
	@./scripts/update-golden.sh $(BIN)

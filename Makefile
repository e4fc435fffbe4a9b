# The README's two commands: `make run` (the main job on the bundled data) and `make test`.
# Both install what a fresh Debian machine with Swift lacks (GLPK's C library and header),
# then build. Nothing else is needed.

SUDO := $(shell [ "$$(id -u)" -eq 0 ] || echo sudo)

.PHONY: run test deps test-deps reports release install

deps:
	@dpkg -s libglpk-dev >/dev/null 2>&1 || { \
	  echo "Installing libglpk-dev (GLPK 5.0)…"; \
	  $(SUDO) apt-get update -qq && $(SUDO) apt-get install -y -qq libglpk-dev >/dev/null; }

# What the tests use besides: glpsol (the exports are re-solved with it).
test-deps: deps
	@dpkg -s glpk-utils >/dev/null 2>&1 || { \
	  echo "Installing glpk-utils (glpsol)…"; \
	  $(SUDO) apt-get update -qq && $(SUDO) apt-get install -y -qq glpk-utils >/dev/null; }

release: deps
	swift build -c release --product arsenal

# The main job: solve the bundled data set's baseline scenario into Reports/baseline/.
run: release
	.build/release/arsenal solve

test: test-deps
	swift test

# Regenerate Reports/: every bundled scenario, every comparison and every named sweep the data
# set defines (`arsenal reports` does all of it).
reports: release
	.build/release/arsenal reports

# Put `arsenal` on the PATH with the bundled data set beside it, so that it runs from any
# folder: PREFIX/bin/arsenal and PREFIX/share/arsenal/europe-2027 (found from the binary).
PREFIX ?= /usr/local
install: release
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/share/arsenal
	install -m 755 .build/release/arsenal $(DESTDIR)$(PREFIX)/bin/arsenal
	rm -rf $(DESTDIR)$(PREFIX)/share/arsenal/europe-2027
	cp -R Inputs/europe-2027 $(DESTDIR)$(PREFIX)/share/arsenal/europe-2027

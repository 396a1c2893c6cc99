# Thin wrapper over CMake + CTest. `make` builds build/tally.
BUILD ?= build
JOBS ?= $(shell nproc 2>/dev/null || echo 2)
CMAKE_FLAGS ?=

.PHONY: all setup build demo test asan valgrind fuzz bench clean

all: build

setup:
	@scripts/setup.sh

$(BUILD)/CMakeCache.txt:
	cmake -S . -B $(BUILD) $(CMAKE_FLAGS)

build: $(BUILD)/CMakeCache.txt
	cmake --build $(BUILD) -j $(JOBS)

# The main job on the bundled sample corpus: claims as a readable table.
demo: setup
	@$(MAKE) --no-print-directory build
	$(BUILD)/tally extract --format table examples/

# Every test: unit, spec, CLI, and the scores on ../shared when present.
test: setup
	@$(MAKE) --no-print-directory build
	cd $(BUILD) && ctest --output-on-failure -j $(JOBS)

# The whole suite under AddressSanitizer + UndefinedBehaviorSanitizer.
asan: setup
	cmake -S . -B build-asan -DTALLY_SANITIZE=ON -DCMAKE_BUILD_TYPE=Debug
	cmake --build build-asan -j $(JOBS)
	cd build-asan && ctest --output-on-failure -j $(JOBS)

# The spec tests under valgrind (no errors, no leaks).
valgrind: build
	@bash tests/valgrind.sh $(BUILD)

# One libFuzzer target per parser (fuzz/), each run for FUZZ_SECONDS (clang).
FUZZ_SECONDS ?= 60
fuzz: setup
	cmake -S . -B build-fuzz -DTALLY_FUZZ=ON -DTALLY_SANITIZE=ON -DCMAKE_C_COMPILER=clang -DCMAKE_BUILD_TYPE=RelWithDebInfo
	cmake --build build-fuzz -j $(JOBS)
	@bash fuzz/run.sh build-fuzz $(FUZZ_SECONDS)

# Benchmarks print figures (never pass/fail): every bench/*.sh in turn.
bench: setup
	@$(MAKE) --no-print-directory build
	@for b in bench/*.sh; do echo "== $$b"; TALLY=$(BUILD)/tally bash $$b || exit 1; done

clean:
	rm -rf $(BUILD) build-asan build-fuzz

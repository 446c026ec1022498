# The two commands a new user needs (see README.md):
#   make run    build glassbox and open the explorer on the bundled pbmc68k sample
#   make test   build and run every test
SWIFT ?= swift
SAMPLE := SampleData/pbmc68k

.PHONY: run test setup build release bench clean

setup:
	@bash scripts/setup.sh

build: setup
	$(SWIFT) build

release: setup
	$(SWIFT) build -c release --product glassbox

run: release
	$$($(SWIFT) build -c release --show-bin-path)/glassbox explore --model $(SAMPLE)/model.pt --data $(SAMPLE)/data.h5ad \
		--label-column bulk_labels --feature-sets $(SAMPLE)/markers.gmt

test: setup
	$(SWIFT) build --build-tests
	$(SWIFT) test --skip-build --disable-swift-testing  # every test is XCTest
	bash Tests/e2e/explorer.sh
	bash Tests/e2e/slurm.sh      # a split export on a one-node Slurm cluster, merged

bench: setup
	$(SWIFT) build -c release --product glassbox-bench
	$$($(SWIFT) build -c release --show-bin-path)/glassbox-bench engine

clean:
	rm -rf .build

# beta-VAE in TypeScript. A fresh machine needs two commands:
#   make figures   execute every notebook headless, regenerate figures/ and REPORT.md (the main job)
#   make test      the notebooks' code checked, unit tests, a smoke execution of every notebook,
#                  a sweep through a one-node Slurm
# Both install what they need first (npm ci, the Debian packages for canvas and Jupyter, a
# project-local tslab kernelspec; make test also slurm-wlm and munge).
SHELL := /bin/bash
.DEFAULT_GOAL := help
.DELETE_ON_ERROR:

NODE_BIN   := node_modules/.bin
NOTEBOOKS  := $(sort $(wildcard notebooks/[0-9]*.ipynb))
JUPYTER_DIR := build/jupyter
KERNEL_JSON := $(JUPYTER_DIR)/kernels/tslab/kernel.json
# The Python that has nbclient: Debian's (apt) or one on PATH (pip install nbclient on a laptop).
PYTHON      = $(shell for p in /usr/bin/python3 python3; do $$p -c "import nbclient" 2>/dev/null && { echo $$p; break; }; done)
APT_PKGS   := jupyter-nbconvert python3-nbclient jupyter-client jupyter-core python3-numpy \
              libcairo2-dev libpango1.0-dev libjpeg-dev libgif-dev librsvg2-dev pkg-config
SOURCES    := $(shell find lib cli scripts tests -name '*.ts' 2>/dev/null) tsconfig.json
FIGURES_PROFILE ?= cpu
# Trainings side by side in `make figures` (bvae prepare): one process per core. The notebooks too
# (one kernel each), except at the smoke profile, where notebooks train the same 20-step stand-ins.
JOBS ?= $(shell nproc 2>/dev/null || echo 2)
NOTEBOOK_JOBS = $(if $(filter smoke,$(or $(PROFILE),$(FIGURES_PROFILE))),1,$(JOBS))
export JUPYTER_PATH := $(CURDIR)/$(JUPYTER_DIR)

# PROFILE (from the environment or the command line) must name a profile: refused here, with the
# valid names, rather than failing later inside a test or a notebook.
PROFILES := smoke cpu long paper
ifneq ($(strip $(PROFILE)),)
ifneq ($(words $(filter $(PROFILE),$(PROFILES))) $(words $(PROFILE)),1 1)
$(error PROFILE=$(PROFILE) is not a profile; use one of: $(PROFILES) (or leave PROFILE unset: cpu))
endif
endif

.PHONY: help deps build unit test browser-check test-slurm figures smoke-notebooks check-notebooks check-notebook-code lab bench clean train-long stop-long score-long campaign stop-campaign keep-checkpoints

help:
	@echo "make figures   execute every notebook (PROFILE=$(FIGURES_PROFILE) by default), regenerate figures/ and REPORT.md"
	@echo "               (shows the most-trained shipped run of each preset; EXACT=1: exactly PROFILE; RUNS_DIR=empty dir: retrain all;"
	@echo "               missing runs are trained first, JOBS=$(JOBS) side by side)"
	@echo "make test      the notebooks' code checked (make check-notebook-code), unit tests, smoke execution of every notebook,"
	@echo "               a sweep through a one-node Slurm (make test-slurm)"
	@echo "make bench     training, forward and encoding speed and memory; PyTorch's beside it when importable"
	@echo "make lab       start JupyterLab with the TypeScript kernel at the project root (LAB_ARGS=\"...\" passed on)"
	@echo "make browser-check   the executed notebooks in headless Chromium: charts drawn and not clipped (build/browser/)"
	@echo "make train-long / stop-long   train (or resume) the long dSprites runs in the background / checkpoint and stop them"
	@echo "make score-long               stop them, score their newest checkpoints, re-execute notebooks 01-06, rebuild REPORT.md"
	@echo "make campaign / stop-campaign the long runs of scripts/campaign.txt in order, JOBS at a time, resumed / checkpoint and stop"
	@echo "make keep-checkpoints  after stop-campaign: each partial run's newest checkpoint staged for one commit"

# --- set-up -------------------------------------------------------------------------------
# System packages: only when something is missing, and only where apt-get exists and we are root.
build/.system-deps:
	@mkdir -p build
	@if /usr/bin/env python3 -c "import nbclient" 2>/dev/null || /usr/bin/python3 -c "import nbclient" 2>/dev/null; then nb=1; else nb=0; fi; \
	 if pkg-config --exists cairo pangocairo 2>/dev/null; then cairo=1; else cairo=0; fi; \
	 if [ $$nb = 1 ] && [ $$cairo = 1 ]; then echo "[deps] Jupyter (nbclient) and cairo/pango are present"; \
	 elif command -v apt-get >/dev/null && [ "$$(id -u)" = 0 ]; then \
	   echo "[deps] installing Debian packages: $(APT_PKGS)"; \
	   apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $(APT_PKGS) >/dev/null; \
	 else \
	   echo "[deps] missing: $$( [ $$nb = 0 ] && echo 'Python nbclient (pip install nbclient jupyter-client ipykernel)') $$( [ $$cairo = 0 ] && echo 'cairo+pango dev files (see README)')"; \
	   echo "[deps] install them (see README, 'On a laptop'), then run make again"; exit 1; \
	 fi
	@touch $@

# npm ci from the committed lock file, whenever the lock file is newer than the install.
# canvas builds from source where its prebuilt binary cannot be downloaded: point node-gyp at
# the system's Node headers when they exist.
node_modules/.installed: package-lock.json package.json build/.system-deps
	@echo "[deps] npm ci"
	@if [ -f /usr/include/node/node.h ]; then export npm_config_nodedir=/usr; fi; npm ci --no-audit --no-fund --loglevel=error
	@touch $@

# A project-local kernelspec (no `tslab install`, which needs IPython).
$(KERNEL_JSON): Makefile
	@mkdir -p $(dir $@)
	@printf '{\n  "argv": ["%s", "kernel", "--config-path", "{connection_file}"],\n  "display_name": "TypeScript (tslab)",\n  "language": "typescript"\n}\n' "$(CURDIR)/$(NODE_BIN)/tslab" > $@

deps: node_modules/.installed $(KERNEL_JSON)

# A clean build: a moved or deleted source leaves no stale .js behind (node --test would still run an old test).
dist/.built: $(SOURCES) node_modules/.installed
	@rm -rf dist/lib dist/cli dist/scripts dist/tests
	$(NODE_BIN)/tsc -p tsconfig.json
	@touch $@

build: deps dist/.built

# --- tests --------------------------------------------------------------------------------
unit: build
	node --test --test-concurrency=1 dist/tests/

smoke-notebooks: build
	@rm -rf build/smoke && mkdir -p build/smoke/notebooks build/smoke/figures
	PROFILE=smoke BVAE_RUNS_DIR=$(CURDIR)/build/smoke/runs node bin/bvae.js prepare --jobs $(JOBS)
	PROFILE=smoke BVAE_FIGURES_DIR=$(CURDIR)/build/smoke/figures BVAE_RUNS_DIR=$(CURDIR)/build/smoke/runs \
	  $(PYTHON) scripts/run_notebooks.py --timeout 900 --out-dir build/smoke/notebooks $(NOTEBOOKS)
	$(PYTHON) scripts/check_notebooks.py build/smoke/notebooks/*.ipynb
	node bin/bvae.js report build/smoke/notebooks/*.ipynb --out build/smoke/REPORT.md --figures build/smoke/figures

# The notebooks' code: every notebook's code cells type-checked (strict) against the library's
# declarations, lines <= 100 characters, cells <= 25 lines (scripts/check-notebook-code.ts).
check-notebook-code: build
	node dist/scripts/check-notebook-code.js $(NOTEBOOKS)

# Each executed notebook in headless Chromium (when installed; skipped otherwise): every chart drawn by
# Vega, none wider than JupyterLab's output area; screenshots in build/browser/ (scripts/browser-check.ts).
browser-check: build
	node dist/scripts/browser-check.js $(NOTEBOOKS)

# The sweep's Slurm test: a one-node Slurm on 127.0.0.1 (scripts/slurm-local.sh installs slurm-wlm and munge
# when missing, as root) runs a tiny sweep through sbatch; Slurm is stopped when it ends, pass or fail.
test-slurm: build
	@bash scripts/slurm-test.sh

test: build
	@$(MAKE) --no-print-directory check-notebook-code
	@$(MAKE) --no-print-directory smoke-notebooks
	@$(MAKE) --no-print-directory unit
	@$(MAKE) --no-print-directory test-slurm

# --- the main job -------------------------------------------------------------------------
# EXACT=1: exactly the requested profile (no reuse of longer runs); RUNS_DIR=dir: another runs folder
# (an empty one retrains everything). Missing runs are trained first, and the notebooks' scores computed,
# JOBS side by side (bvae prepare).
FIGURES_ENV = PROFILE=$${PROFILE:-$(FIGURES_PROFILE)} $(if $(EXACT),BVAE_EXACT_PROFILE=1) $(if $(RUNS_DIR),BVAE_RUNS_DIR=$(abspath $(RUNS_DIR)))
figures: build
	$(FIGURES_ENV) node bin/bvae.js prepare --jobs $(JOBS)
	$(FIGURES_ENV) $(PYTHON) scripts/run_notebooks.py --jobs $(NOTEBOOK_JOBS) $(NOTEBOOKS)
	$(PYTHON) scripts/check_notebooks.py $(NOTEBOOKS)
	node bin/bvae.js report

# JupyterLab at the project root (README, REPORT.md and figures/ browsable beside notebooks/): the
# project's .venv/bin/jupyter when present (python3 -m venv .venv && .venv/bin/pip install jupyterlab),
# else a jupyter on PATH that has JupyterLab. As root JupyterLab needs --allow-root. LAB_ARGS="..." is
# passed on (e.g. LAB_ARGS="--no-browser --port 8899").
LAB_JUPYTER = $(firstword $(wildcard $(CURDIR)/.venv/bin/jupyter) $(shell command -v jupyter 2>/dev/null))
lab: deps build
	@j="$(LAB_JUPYTER)"; \
	 if [ -z "$$j" ] || ! "$$j" lab --version >/dev/null 2>&1; then \
	   echo "JupyterLab is not installed. Install it into the project (once):"; \
	   echo "    python3 -m venv .venv && .venv/bin/pip install jupyterlab     (then: make lab)"; \
	   echo "(Debian/Ubuntu: apt-get install python3-venv first if venv is missing; see README.)"; \
	   echo "The TypeScript kernel is already set up in $(JUPYTER_DIR) (JUPYTER_PATH is exported by make)."; \
	   exit 1; \
	 fi; \
	 root=""; if [ "$$(id -u)" = 0 ]; then root="--allow-root"; fi; \
	 echo "[lab] $$j lab --notebook-dir=$(CURDIR) $$root $(LAB_ARGS)"; \
	 exec "$$j" lab --notebook-dir="$(CURDIR)" $$root $(LAB_ARGS)

clean:
	rm -rf dist build

# With PyTorch importable (Debian python3-torch), its reference runs in the same session, side by side.
TORCH_PYTHON = $(shell for p in /usr/bin/python3 python3; do $$p -c "import torch" 2>/dev/null && { echo $$p; break; }; done)
bench: build
	node bin/bvae.js bench $(if $(TORCH_PYTHON),--reference $(TORCH_PYTHON))

# The long (100k-step) dSprites runs: hours each here; resumable across sessions (runs/README.md).
train-long: build
	@bash scripts/train-long.sh

# (No $(MAKE) in this recipe: make -n would run it.)
stop-long:
	@if pkill -TERM -f "scripts/campaign[.]sh"; then echo "asked the campaign to checkpoint its trainings and stop"; \
	 elif pkill -TERM -f "bvae[.]js train .* --profile long"; then echo "asked the long runs to checkpoint and stop"; \
	 else echo "no long run is training"; fi

# The fidelity campaign: scripts/campaign.txt's trainings in order, JOBS at a time (niced), each resumed from its
# checkpoint; start it at the beginning of a session (nohup make campaign > build/logs/campaign.log 2>&1 &).
campaign: build
	@JOBS=$(JOBS) bash scripts/campaign.sh

stop-campaign:
	@pkill -TERM -f "scripts/campaign[.]sh" && echo "asked the campaign to checkpoint its trainings and stop" || echo "no campaign is running"

# Once the trainings have stopped: each partial run's newest checkpoint staged for one commit, older ones removed.
keep-checkpoints: build
	@node bin/bvae.js runs --prune
	@git add -A runs/.partial && git status --short runs/.partial && echo "staged: review, then git commit"

# Stops the long runs, scores their newest checkpoints, re-executes notebooks 01-06 on them, rebuilds REPORT.md.
score-long: build
	@PYTHON=$(PYTHON) bash scripts/score-long.sh

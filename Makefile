# The two commands a fresh machine needs: `make figures` (the main job) and `make test`.
SHELL := /bin/bash
.DEFAULT_GOAL := help
NODE_BIN := node_modules/.bin

.PHONY: help build unit
help:
	@echo "make figures   execute every notebook (PROFILE=smoke|cpu|long|paper) and regenerate figures/"
	@echo "make test      unit tests + smoke execution of every notebook"
	@echo "make bench     training speed and memory benchmark"
	@echo "make lab       start JupyterLab with the TypeScript kernel"

build:
	$(NODE_BIN)/tsc -p tsconfig.json

unit: build
	node --test dist/tests/

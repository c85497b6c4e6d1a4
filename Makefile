# Virtual customer-care assistant of a Vietnamese power utility.
#   make run     set up what is missing, train if the data changed, start everything
#   make test    run every check of the project
# See README.md for the rest.

SHELL := /bin/bash
.DEFAULT_GOAL := help

# Folders, ports and default URLs: common/layout.py is the reference (`python -m common.layout` prints
# them); the copies below are checked against it by tests/unit/test_layout.py.
RASA_VENV := .venv-rasa
APP_VENV  := .venv
RASA_PY   := $(RASA_VENV)/bin/python
RASA      := $(RASA_VENV)/bin/rasa
APP_PY    := $(APP_VENV)/bin/python
RUN_DIR   := .run
MODEL_STAMP := models/.trained

# Settings: .env (created from .env.example on first use) overrides the defaults.
-include .env
export
RASA_HOST ?= 127.0.0.1
RASA_PORT ?= 5005
ACTION_SERVER_HOST ?= 127.0.0.1
ACTION_SERVER_PORT ?= 5055
ACTION_SERVER_URL ?= http://$(ACTION_SERVER_HOST):$(ACTION_SERVER_PORT)/webhook
PYTHONPATH := $(CURDIR)
# TensorFlow: quiet logs, no GPU probing.
TF_CPP_MIN_LOG_LEVEL ?= 2
SQLALCHEMY_SILENCE_UBER_WARNING ?= 1
PYTHONWARNINGS ?= ignore::DeprecationWarning
CUDA_VISIBLE_DEVICES ?=
# Rasa sends no telemetry or error reports (there is no network here, and customers' data stays home).
RASA_TELEMETRY_ENABLED ?= false

TRAINING_INPUTS := config.yml domain.yml $(shell find nlu_data bot -type f \( -name '*.yml' -o -name '*.py' -o -name '*.tsv' -o -name '*.txt' \) 2>/dev/null)

.PHONY: help setup run run-bg stop shell user train test test-unit test-stories test-services validate eval-nlu eval-kb bench kb-model lock clean browser eval-conversations eval-policies

help:
	@echo "make run       set up, train if needed and start the assistant (Ctrl-C stops it)"
	@echo "make run-bg    the same in the background; make stop stops it"
	@echo "make shell     chat with the assistant in the terminal (rasa shell)"
	@echo "make user NAME=lan ROLE=staff  create a user of the admin page / staff console (password asked)"
	@echo "make test      all tests: data validation, conversation stories, services, unit, end to end"
	@echo "make eval-nlu  NLU benchmark on the held-out set, ours vs Rasa's stock pipeline"
	@echo "make bench     end-to-end latency of a bill lookup over HTTP"
	@echo "make eval-kb   FAQ retrieval benchmark: BM25, dense, hybrid on the held-out queries"
	@echo "make kb-model  build the fine-tuned embedding model of the FAQ retriever"
	@echo "make eval-conversations  scripted conversations (dev + held-out sets) against the whole stack;"
	@echo "                         options in ARGS, e.g. ARGS=\"--set dev --label after --report /tmp/dev.md\""
	@echo "make eval-policies  the dialogue policies compared (rules, rules+TED, TED) on the same sets"

# --- runtimes -----------------------------------------------------------------

.env: .env.example scripts/init_env.sh
	@scripts/init_env.sh
	@touch $@

$(RASA_VENV)/.installed: requirements/rasa.lock
	@py=$$(scripts/find_python.sh 3.10) || exit 1; \
	  [ -x $(RASA_PY) ] || "$$py" -m venv $(RASA_VENV)
	$(RASA_PY) -m pip install --quiet --disable-pip-version-check -r requirements/rasa.lock
	@touch $@

$(APP_VENV)/.installed: requirements/app.lock
	@py=$$(scripts/find_python.sh 3.11) || exit 1; \
	  [ -x $(APP_PY) ] || "$$py" -m venv $(APP_VENV)
	$(APP_PY) -m pip install --quiet --disable-pip-version-check -r requirements/app.lock
	@touch $@

setup: .env $(RASA_VENV)/.installed $(APP_VENV)/.installed

# Regenerate the lock files from requirements/*.in (needs the package registry).
lock:
	@py=$$(scripts/find_python.sh 3.10) && rm -rf /tmp/lock-rasa && "$$py" -m venv /tmp/lock-rasa \
	  && /tmp/lock-rasa/bin/pip install --quiet -r requirements/rasa.in \
	  && { head -1 requirements/rasa.lock; /tmp/lock-rasa/bin/pip freeze; } > requirements/rasa.lock.new \
	  && mv requirements/rasa.lock.new requirements/rasa.lock
	@py=$$(scripts/find_python.sh 3.11) && rm -rf /tmp/lock-app && "$$py" -m venv /tmp/lock-app \
	  && /tmp/lock-app/bin/pip install --quiet -r requirements/app.in \
	  && { head -1 requirements/app.lock; /tmp/lock-app/bin/pip freeze; } > requirements/app.lock.new \
	  && mv requirements/app.lock.new requirements/app.lock

# --- model --------------------------------------------------------------------

# Rasa's fingerprinting decides what to retrain when the data or config change;
# Rasa does not fingerprint our components' code, so a code change forces training.
# The stamp takes the time training started, so data edited during a training trains again.
$(MODEL_STAMP): $(RASA_VENV)/.installed $(TRAINING_INPUTS)
	@mkdir -p models && touch $@.started
	@force=""; if [ -f $@ ] && [ -n "$$(find bot -newer $@ -type f | head -1)" ]; then force="--force"; fi; \
	  echo "training the assistant ($${force:-fingerprint decides what changed})"; \
	  $(RASA) train --data nlu_data --config config.yml --domain domain.yml --out models \
	    --fixed-model-name assistant $$force
	@mv $@.started $@

train: $(MODEL_STAMP)

# The offline default embedding model of the FAQ retriever (knowledge_base/finetune.py):
# fine-tuned from the packaged all-MiniLM-L6-v2 when its inputs changed (it checks its own fingerprint),
# then the fusion of the rankings and the confidence learned for it on the development queries
# (knowledge_base/learning.py).
KB_MODEL_DIR := $(RUN_DIR)/kb-model
KB_MODEL_STAMP := $(KB_MODEL_DIR)/fingerprint.txt
KB_FUSION := $(KB_MODEL_DIR)/fusion.json
$(KB_MODEL_STAMP): $(APP_VENV)/.installed knowledge_base/seed/entries.yml knowledge_base/finetune.py $(wildcard nlu_data/nlu/*.yml)
	$(APP_PY) -m knowledge_base.finetune
	@touch $@

$(KB_FUSION): $(KB_MODEL_STAMP) knowledge_base/seed/dev_queries.tsv knowledge_base/data/synonyms.tsv \
              $(wildcard knowledge_base/*.py) $(wildcard bot/text/*.py bot/text/data/*)
	$(APP_PY) -m knowledge_base.learning --model $(KB_MODEL_DIR)

kb-model: $(KB_FUSION)

# --- running ------------------------------------------------------------------

run: setup train kb-model
	$(APP_PY) scripts/stack.py

# umask 077: .run/ (databases, logs, pid) readable by its owner only; scripts/stack.py does the same.
run-bg: setup train kb-model
	@umask 077 && mkdir -p $(RUN_DIR) && chmod 700 $(RUN_DIR)
	@if [ -f $(RUN_DIR)/stack.pid ] && kill -0 $$(cat $(RUN_DIR)/stack.pid) 2>/dev/null; then \
	  echo "already running (pid $$(cat $(RUN_DIR)/stack.pid)); make stop first"; exit 1; fi
	@umask 077; nohup $(APP_PY) scripts/stack.py > $(RUN_DIR)/stack.log 2>&1 & echo $$! > $(RUN_DIR)/stack.pid
	@$(APP_PY) scripts/stack.py --wait-ready --timeout 180 || { tail -30 $(RUN_DIR)/stack.log; exit 1; }

stop:
	@if [ -f $(RUN_DIR)/stack.pid ] && kill -0 $$(cat $(RUN_DIR)/stack.pid) 2>/dev/null; then \
	  kill -TERM $$(cat $(RUN_DIR)/stack.pid); \
	  for i in $$(seq 1 30); do kill -0 $$(cat $(RUN_DIR)/stack.pid) 2>/dev/null || break; sleep 1; done; \
	  echo "stopped"; else echo "not running"; fi
	@rm -f $(RUN_DIR)/stack.pid

shell: setup train
	@echo "Chat with the assistant (needs the action server: run 'make run-bg' first for the fallback buttons)."
	$(RASA) shell --model models --endpoints endpoints.yml

# A user of the web app's database (the shared accounts: admin page, later the staff console).
# The password is asked twice on a terminal, or read as one line of standard input; never an argument.
# NAME and ROLE must be given on make's command line (not picked up from the environment) and reach the
# command as environment variables (make exports them), never as shell text.
# Other commands: $(APP_PY) -m webapp.users disable|enable|password NAME, or list.
user: $(APP_VENV)/.installed .env
	@if [ "$(origin NAME)" != "command line" ] || [ -z "$$NAME" ]; then \
	  echo "usage: make user NAME=<username> ROLE=staff|admin (the password is asked)" >&2; exit 2; fi
	@role=staff; if [ "$(origin ROLE)" = "command line" ]; then role="$$ROLE"; fi; \
	  $(APP_PY) -m webapp.users create --role "$$role" -- "$$NAME"

# --- checks -------------------------------------------------------------------

validate: $(RASA_VENV)/.installed
	$(RASA) data validate --data nlu_data --config config.yml --domain domain.yml

test-stories: $(MODEL_STAMP)
	$(RASA) test core --model models --stories tests/stories --endpoints endpoints.yml \
	  --fail-on-prediction-errors --out $(RUN_DIR)/results

test-unit: $(RASA_VENV)/.installed
	$(RASA_PY) -m pytest -q tests/unit

# Debian's Chromium for the admin page's browser tests (Playwright drives /usr/bin/chromium; it never
# downloads a browser). Nothing to do when it is there; otherwise apt-get installs it (needs root).
browser:
	@if [ -x /usr/bin/chromium ]; then exit 0; fi; \
	  if ! command -v apt-get >/dev/null 2>&1; then \
	    echo "make browser: /usr/bin/chromium is missing and there is no apt-get: install Chromium yourself" >&2; exit 1; fi; \
	  if [ "$$(id -u)" != 0 ]; then \
	    echo "make browser: /usr/bin/chromium is missing: run 'sudo apt-get install chromium' (needs root)" >&2; exit 1; fi; \
	  echo "installing Debian's chromium for the browser tests"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null \
	    || { echo "make browser: apt-get could not install chromium" >&2; exit 1; }; \
	  [ -x /usr/bin/chromium ] || { echo "make browser: chromium installed but /usr/bin/chromium is missing" >&2; exit 1; }

# Our Python 3.11 services: the back-office sandbox, the knowledge base, the web app.
test-services: $(APP_VENV)/.installed $(KB_FUSION) browser
	$(APP_PY) -m pytest -q tests/backoffice tests/knowledge_base tests/webapp tests/security \
		--ignore=tests/security/test_stack_attacks.py

test: setup validate test-stories test-services
	$(RASA_PY) -m pytest -q tests/unit tests/integration tests/security/test_stack_attacks.py

eval-nlu: setup
	$(RASA_PY) scripts/eval_nlu.py

bench: setup train kb-model
	$(APP_PY) scripts/bench_e2e.py

eval-kb: setup kb-model
	$(RASA_PY) scripts/eval_kb_response_selector.py
	$(APP_PY) scripts/eval_kb.py

# Scripted multi-turn conversations (tests/data/conversations_*.yml) over HTTP, whole stack on free ports.
eval-conversations: setup train kb-model
	$(APP_PY) scripts/eval_conversations.py $(ARGS)

eval-policies: setup train kb-model
	$(APP_PY) scripts/compare_policies.py $(ARGS)

clean:
	rm -rf models .rasa $(RUN_DIR) results

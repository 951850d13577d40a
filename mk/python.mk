# Python: the PyO3 wheel (bindings/python), its venv and tests, ruff.
# Included from the Makefile.

##@ Python

.PHONY: lint-python wheel venv test-python

lint-python: $(TOOLS_READY) ## ruff check and ruff format --check over every Python file
	$(TOOLS)/bin/ruff check .
	$(TOOLS)/bin/ruff format --check .

wheel: $(TOOLS_READY) ## the Python wheel (abi3, CPython 3.8+, manylinux2014), in build/wheels
	rm -rf $(BUILD)/wheels
	$(ZIG_PATH) $(TOOLS)/bin/maturin build -q --release --zig --compatibility manylinux2014 \
		-i $(abspath $(TOOLS))/bin/python -m bindings/python/Cargo.toml -o $(BUILD)/wheels

# A fresh virtual environment with the wheel and the test tools.
venv: wheel ## a fresh build/venv with the wheel, pytest, mypy and requests
	rm -rf $(VENV)
	$(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install -q $(BUILD)/wheels/nameauth-*.whl pytest mypy requests

# The extension module calls the core directly: it must export no C ABI symbol.
test-python: venv cli ## stubtest, mypy --strict, and pytest against the sandbox (README examples included)
	@! nm -D --defined-only $$(find $(VENV) -name '_nameauth*.so') | grep ' nameauth_'
	cd $(BUILD) && venv/bin/python -m mypy.stubtest nameauth
	cd $(BUILD) && venv/bin/python -m mypy --strict -p nameauth
	$(VENV)/bin/python -m mypy --strict examples/python/verify.py
	$(PYTHON) tools/with_sandbox.py --bin $(NAMEAUTH_BIN) -- \
		$(VENV)/bin/python -m pytest -q -p no:cacheprovider bindings/python/tests

# The conformance table (tests/conformance/cases.json) through every front end.
# Included from the Makefile.

##@ Conformance

.PHONY: test-conformance test-conformance-endpoint

# One case table through every front end (the Python one needs `make venv` first,
# which `make test` has done).
test-conformance: examples java cli node go-example ## the case table through the CLI and every language's verify example
	@test -x $(VENV)/bin/python || $(MAKE) -s venv
	$(PYTHON) tests/conformance/run.py --frontends cli,c,cpp,python,java,php,node,go
	$(MAKE) -s test-conformance-endpoint

# The runner against a sandbox started on its own (NAMEAUTH_ENDPOINT set, as a user runs
# it), through the CLI: checks the counts it prints (tools/conformance_endpoint.py).
test-conformance-endpoint: cli ## the runner against a sandbox started on its own (NAMEAUTH_ENDPOINT)
	$(PYTHON) tools/conformance_endpoint.py --bin $(NAMEAUTH_BIN)

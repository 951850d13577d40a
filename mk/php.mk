# PHP: FFI over the C library and include/nameauth_decls.h. Included from the Makefile.

##@ PHP

.PHONY: test-php test-php-fpm lint-php

PHP_SOURCES := bindings/php/src bindings/php/tests bindings/php/autoload.php \
               bindings/php/preload.php examples/php benches/peers
test-php: lib cli ## the PHPUnit suite against the sandbox (needs make deps once)
	NAMEAUTH_LIBRARY=$(abspath $(RELEASE))/libnameauth.so $(PYTHON) tools/with_sandbox.py \
		--bin $(NAMEAUTH_BIN) -- phpunit -c bindings/php/phpunit.xml.dist

# The binding under php-fpm with PHP's default ffi.enable=preload, set up as
# docs/packaging.md says.
test-php-fpm: lib cli ## the binding under php-fpm with ffi.enable=preload (docs/packaging.md)
	NAMEAUTH_LIBRARY_DIR=$(abspath $(RELEASE)) $(PYTHON) tools/with_sandbox.py \
		--bin $(NAMEAUTH_BIN) -- $(PYTHON) bindings/php/tests/fpm/run.py

lint-php: ## php -l and PHP_CodeSniffer (PSR-12) over the binding, the example and the peers
	@for f in $$(find $(PHP_SOURCES) -name '*.php'); do \
		php -l $$f > /dev/null || exit 1; done
	phpcs --standard=PSR12 -n $(PHP_SOURCES)

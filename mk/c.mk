# C and C++: the examples, the C ABI tests, install and the installed copy's test.
# Included from the Makefile.

##@ C and C++

.PHONY: examples test-c test-c-quick install test-install

EXAMPLES := $(BUILD)/examples/verify-c $(BUILD)/examples/verify-cpp
examples: $(EXAMPLES) ## the C and C++ verify examples, in build/examples

$(BUILD)/examples/verify-c: examples/c/verify.c include/nameauth.h $(LIB_FILES)
	@mkdir -p $(@D)
	$(CC) $< -Iinclude -L$(RELEASE) -lnameauth $(RPATH) -o $@
$(BUILD)/examples/verify-cpp: examples/cpp/verify.cpp include/nameauth.h $(LIB_FILES)
	@mkdir -p $(@D)
	$(CXX) -std=c++17 $< -Iinclude -L$(RELEASE) -lnameauth $(RPATH) -o $@

# crates/ffi/tests/c/test_abi.c as C99 and C++17, linked dynamically and statically, plus an
# AddressSanitizer build; all run against sandboxes, and the C99 one under valgrind.
# One rule builds them all: C_TEST_<variant> is how <variant> compiles ($< is test_abi.c).
C_TEST_SRC := crates/ffi/tests/c/test_abi.c
# The headers test_abi.c includes.
C_TEST_HEADERS := crates/ffi/tests/c/cases.h crates/ffi/tests/c/cancel.h include/nameauth.h
C_DYNAMIC = -L$(RELEASE) -lnameauth -lpthread $(RPATH)
C_STATIC = $(RELEASE)/libnameauth.a $(STATIC_LIBS)
C_TEST_c = $(CC) -std=c99 $(WARN) -Iinclude $< $(C_DYNAMIC)
C_TEST_c_static = $(CC) -std=c99 $(WARN) -Iinclude $< $(C_STATIC)
C_TEST_cpp = $(CXX) -x c++ -std=c++17 $(WARN) -Iinclude $< -x none $(C_DYNAMIC)
C_TEST_cpp_static = $(CXX) -x c++ -std=c++17 $(WARN) -Iinclude $< -x none $(C_STATIC)
C_TEST_asan = $(CC) -std=c99 $(WARN) -g -fsanitize=address,undefined -fno-omit-frame-pointer \
	-Iinclude $< $(C_DYNAMIC)
# Without sanitizers (make check), then all (make test).
C_TESTS_PLAIN := $(addprefix $(BUILD)/c/test_abi_,c c_static cpp cpp_static)
C_TESTS := $(C_TESTS_PLAIN) $(BUILD)/c/test_abi_asan

$(C_TESTS): $(BUILD)/c/test_abi_%: $(C_TEST_SRC) $(C_TEST_HEADERS) $(LIB_FILES)
	@mkdir -p $(@D)
	$(C_TEST_$*) -o $@

# dlopen and dlclose of copies of the library on a thread that lives on (unload.c says why).
$(BUILD)/c/test_unload: crates/ffi/tests/c/unload.c $(LIB_FILES)
	@mkdir -p $(@D)
	$(CC) -std=c99 $(WARN) -DLIBNAMEAUTH='"$(abspath $(RELEASE))/libnameauth.so"' $< -ldl -o $@

$(BUILD)/c/test_sandbox: crates/sandbox-ffi/tests/c/test_sandbox.c include/nameauth_sandbox.h \
		$(LIB_FILES)
	@mkdir -p $(@D)
	$(CC) -std=c99 $(WARN) -Iinclude $< -L$(RELEASE) -lnameauth_sandbox -lnameauth $(RPATH) -o $@

VALGRIND := valgrind --quiet --error-exitcode=99 --leak-check=full \
            --suppressions=crates/ffi/tests/c/valgrind.supp \
            --errors-for-leak-kinds=definite,indirect,possible \
            --show-leak-kinds=definite,indirect,possible

# The libraries export only their own symbols and carry their SONAMEs; then the sandbox's
# own C test, and each test program of $(1) against sandboxes.
define c_tests
	@echo "== exported symbols and SONAMEs of $(RELEASE)/libnameauth.so, libnameauth_sandbox.so," \
		"libnameauth_jni.so"
	@! nm -D --defined-only $(RELEASE)/libnameauth.so | awk '{print $$3}' | grep -v '^nameauth_'
	@test "$$(readelf -d $(RELEASE)/libnameauth.so | grep -c 'SONAME.*\[libnameauth.so.$(MAJOR)\]')" = 1
	@! nm -D --defined-only $(RELEASE)/libnameauth_sandbox.so | awk '{print $$3}' | \
		grep -v -E '^(nameauth_sandbox_|Java_org_nameauth_testing_SandboxNative_)'
	@! nm -D --defined-only $(RELEASE)/libnameauth_jni.so | awk '{print $$3}' | \
		grep -v -E '^(Java_org_nameauth_Jni_|JNI_OnUnload$$)'
	@test "$$(readelf -d $(RELEASE)/libnameauth_sandbox.so | \
		grep -c 'SONAME.*\[libnameauth_sandbox.so.$(MAJOR)\]')" = 1
	$(BUILD)/c/test_sandbox
	@for t in $(1); do \
		echo "== $$t"; \
		ASAN_OPTIONS=detect_leaks=1 python3 tools/with_sandbox.py --bin $(NAMEAUTH_BIN) -- $$t \
			|| exit 1; \
	done
endef

test-c: $(C_TESTS) $(BUILD)/c/test_unload $(BUILD)/c/test_sandbox examples cli ## the C ABI tests: C99/C++17, dynamic/static, ASan, valgrind, unloading
	$(call c_tests,$(C_TESTS) $(BUILD)/c/test_unload)
	@echo "== valgrind $(BUILD)/c/test_abi_c"
	python3 tools/with_sandbox.py --bin $(NAMEAUTH_BIN) -- $(VALGRIND) $(BUILD)/c/test_abi_c

test-c-quick: $(C_TESTS_PLAIN) $(BUILD)/c/test_unload $(BUILD)/c/test_sandbox examples cli ## test-c without ASan and valgrind (make check)
	$(call c_tests,$(C_TESTS_PLAIN) $(BUILD)/c/test_unload)

# Copies what make lib built (no cargo here, so sudo make install builds nothing as root).
install: ## headers, libraries, pkg-config and CMake files into PREFIX (after make lib)
	@test -f $(RELEASE)/libnameauth.so || \
		{ echo "$(RELEASE)/libnameauth.so is missing: run make lib first" >&2; exit 1; }
	install -d $(DESTDIR)$(PREFIX)/include $(DESTDIR)$(PREFIX)/lib/pkgconfig
	install -m 644 include/nameauth.h include/nameauth_decls.h $(DESTDIR)$(PREFIX)/include/
	install -m 755 $(RELEASE)/libnameauth.so $(DESTDIR)$(PREFIX)/lib/libnameauth.so.$(VERSION)
	ln -sf libnameauth.so.$(VERSION) $(DESTDIR)$(PREFIX)/lib/libnameauth.so.$(MAJOR)
	ln -sf libnameauth.so.$(MAJOR) $(DESTDIR)$(PREFIX)/lib/libnameauth.so
	install -d $(DESTDIR)$(PREFIX)/lib/nameauth
	install -m 644 $(RELEASE)/libnameauth.a $(DESTDIR)$(PREFIX)/lib/nameauth/
	ln -sf nameauth/libnameauth.a $(DESTDIR)$(PREFIX)/lib/libnameauth.a
	sed -e 's|@PREFIX@|$(PREFIX)|' -e 's|@VERSION@|$(VERSION)|' \
		-e 's|@STATIC_LIBS@|$(STATIC_LIBS)|' crates/ffi/nameauth.pc.in \
		> $(DESTDIR)$(PREFIX)/lib/pkgconfig/nameauth.pc
	sed -e 's|@PREFIX@|$(PREFIX)|' -e 's|@VERSION@|$(VERSION)|' \
		-e 's|@STATIC_LIBS@|$(STATIC_LIBS)|' crates/ffi/nameauth-static.pc.in \
		> $(DESTDIR)$(PREFIX)/lib/pkgconfig/nameauth-static.pc
	install -m 644 include/nameauth_sandbox.h include/nameauth_sandbox_decls.h $(DESTDIR)$(PREFIX)/include/
	install -m 755 $(RELEASE)/libnameauth_sandbox.so \
		$(DESTDIR)$(PREFIX)/lib/libnameauth_sandbox.so.$(VERSION)
	ln -sf libnameauth_sandbox.so.$(VERSION) $(DESTDIR)$(PREFIX)/lib/libnameauth_sandbox.so.$(MAJOR)
	ln -sf libnameauth_sandbox.so.$(MAJOR) $(DESTDIR)$(PREFIX)/lib/libnameauth_sandbox.so
	install -d $(DESTDIR)$(PREFIX)/lib/cmake/nameauth
	for f in nameauthConfig nameauthConfigVersion; do \
		sed -e 's|@VERSION@|$(VERSION)|g' -e 's|@MAJOR@|$(MAJOR)|g' -e 's|@LIBDIR@|lib|g' \
			crates/ffi/cmake/$$f.cmake.in > $(DESTDIR)$(PREFIX)/lib/cmake/nameauth/$$f.cmake; \
	done
	@echo "installed into $(DESTDIR)$(PREFIX); run ldconfig (as root) so that programs find \
	libnameauth.so.$(MAJOR)"

# Install into a scratch prefix, build the C example with pkg-config against the
# installed copy only, and ask the sandbox through it.
STAGE := $(abspath $(BUILD)/stage)
test-install: lib cli ## install into build/stage; the C example via pkg-config (shared, static) against the sandbox
	rm -rf $(STAGE)
	$(MAKE) -s install PREFIX=$(STAGE)
	PKG_CONFIG_PATH=$(STAGE)/lib/pkgconfig sh -c \
		'$(CC) examples/c/verify.c $$(pkg-config --cflags --libs nameauth) -o $(STAGE)/verify'
	@test "$$(readelf -d $(STAGE)/verify | grep -c 'libnameauth.so.$(MAJOR)')" = 1
	PKG_CONFIG_PATH=$(STAGE)/lib/pkgconfig sh -c \
		'$(CC) examples/c/verify.c $$(pkg-config --cflags --libs nameauth-static) -o $(STAGE)/verify-static'
	@test "$$(readelf -d $(STAGE)/verify-static | grep -c 'libnameauth')" = 0
	python3 tools/with_sandbox.py --bin $(NAMEAUTH_BIN) -- sh -c \
		'test "$$($(STAGE)/verify-static oZhangSan 张三 110101199003074477 | grep -c "\"code\":\"A\"")" = 1'
	@echo "== pkg-config --static with the prefix as a system library directory (the .deb)"
	PKG_CONFIG_PATH=$(STAGE)/lib/pkgconfig PKG_CONFIG_SYSTEM_LIBRARY_PATH=$(STAGE)/lib sh -c \
		'$(CC) examples/c/verify.c $$(pkg-config --cflags --static --libs nameauth) -o $(STAGE)/verify-st2'
	@test "$$(readelf -d $(STAGE)/verify-st2 | grep -c 'libnameauth')" = 0
	LD_LIBRARY_PATH=$(STAGE)/lib python3 tools/with_sandbox.py --bin $(NAMEAUTH_BIN) -- sh -c \
		'test "$$($(STAGE)/verify oZhangSan 张三 110101199003074477 | tee -a /dev/stderr | grep -c "\"code\":\"A\"")" = 1'

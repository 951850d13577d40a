# Java: JNI into the core (crates/jni, carried in the jar); the library and the example
# compile for Java 8. Included from the Makefile.

##@ Java

.PHONY: jar-native java test-java lint-java

JAVA_DIR := bindings/java
MVN ?= mvn -q -B
JAR := $(abspath $(JAVA_DIR)/target/nameauth-$(VERSION).jar)
# The jar's libraries without the debug information of Rust's std (the symbol table
# stays): less to copy out of the jar at each JVM's first call.
JAR_NATIVE := $(abspath $(BUILD)/jar-native)
jar-native: lib ## the JNI and sandbox libraries the jar carries, stripped, in build/jar-native
	mkdir -p $(JAR_NATIVE)
	for l in libnameauth_jni.so libnameauth_sandbox.so; do \
		objcopy --strip-debug $(RELEASE)/$$l $(JAR_NATIVE)/$$l || exit 1; done
java: jar-native ## the jar (bindings/java/target) and the compiled Java example
	mkdir -p $(BUILD)
	cd $(JAVA_DIR) && $(MVN) -DskipTests -Dnameauth.native.dir=$(JAR_NATIVE) \
		package dependency:build-classpath \
		-DincludeScope=runtime -Dmdep.outputFile=$(abspath $(BUILD)/java-deps.txt)
	javac --release 8 -Xlint:all,-options -Werror -encoding UTF-8 -d $(BUILD)/java-examples \
		-cp $(JAR):$$(cat $(BUILD)/java-deps.txt) examples/java/Verify.java
	echo "$(abspath $(BUILD)/java-examples):$(JAR):$$(cat $(BUILD)/java-deps.txt)" \
		> $(BUILD)/java-classpath.txt

# No library setting: the tests load the libraries from the class path, as the jar does.
test-java: jar-native cli ## the JUnit 5 suite (mvn test) against the sandbox
	cd $(JAVA_DIR) && $(PYTHON) ../../tools/with_sandbox.py --bin $(abspath $(NAMEAUTH_BIN)) -- \
		$(MVN) test -Dnameauth.native.dir=$(JAR_NATIVE)

# google-java-format over the binding and the example (one jar; Spotless cannot reach
# files outside the Maven project).
GJF_VERSION := 1.28.0
GJF := $(TOOLS)/google-java-format-$(GJF_VERSION)-all-deps.jar
GJF_JAVA := java $(foreach p,api code file parser tree util,\
	--add-exports=jdk.compiler/com.sun.tools.javac.$(p)=ALL-UNNAMED)
$(GJF):
	cd $(JAVA_DIR) && $(MVN) dependency:copy -DoutputDirectory=$(abspath $(TOOLS)) \
		-Dartifact=com.google.googlejavaformat:google-java-format:$(GJF_VERSION):jar:all-deps

lint-java: $(GJF) ## google-java-format --dry-run over the binding, the example and the peers
	$(GJF_JAVA) -jar $(GJF) --dry-run --set-exit-if-changed \
		$$(find $(JAVA_DIR)/src examples/java benches/peers -name '*.java')

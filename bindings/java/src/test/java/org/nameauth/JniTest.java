package org.nameauth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;
import static org.nameauth.NameAuthClientTest.appid;
import static org.nameauth.NameAuthClientTest.endpoint;
import static org.nameauth.NameAuthClientTest.key;
import static org.nameauth.NameAuthClientTest.src;

import java.io.File;
import java.io.IOException;
import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/**
 * The JNI door itself (crates/jni): status numbers as the C header defines them, nulls passed
 * straight to the native methods, the library loaded from the jar (per class loader, through {@code
 * nameauth.tmpdir}), against the sandbox of tools/with_sandbox.py.
 */
class JniTest {
  @BeforeAll
  static void sandbox() {
    NameAuthClientTest.sandbox();
  }

  /** The result numbers of include/nameauth.h: the constants of its enum nameauth_result. */
  static Map<String, Integer> header() throws IOException {
    String h =
        new String(
            Files.readAllBytes(Paths.get("..", "..", "include", "nameauth.h")),
            StandardCharsets.UTF_8);
    Map<String, Integer> m = new HashMap<>();
    Matcher d = Pattern.compile("(?m)^\\s+NAMEAUTH_([A-Z_0-9]+) = (\\d+),$").matcher(h);
    while (d.find()) {
      m.put(d.group(1), Integer.parseInt(d.group(2)));
    }
    return m;
  }

  static <T extends NameAuthException> T thrown(Class<T> type, Executable call) {
    return assertThrows(type, call);
  }

  /** {@code call} throws a {@code type} carrying the C header's {@code NAMEAUTH_<name>}. */
  static void assertResultCode(
      Map<String, Integer> h,
      String name,
      Class<? extends NameAuthException> type,
      Executable call) {
    assertEquals((int) h.get(name), thrown(type, call).resultCode());
  }

  @Test
  void everyKindCarriesTheResultCodeOfTheCHeader() throws IOException {
    Map<String, Integer> h = header();
    try (NameAuthClient c =
        NameAuthClient.builder(appid, src, key).endpoint(endpoint).timeoutMs(400).build()) {
      assertResultCode(
          h,
          "INVALID_INPUT",
          InvalidInputException.class,
          () -> c.verify("oZhangSan", "张三", "1101"));
      assertResultCode(
          h,
          "TIMEOUT",
          TimeoutException.class,
          () -> c.verify("oSlow", "张三", "110101199003074477"));
      assertResultCode(
          h,
          "PROTOCOL",
          ProtocolException.class,
          () -> c.verify("oDuplicateKeys", "张三", "110101199003074477"));
    }
    InvalidConfigException config =
        thrown(
            InvalidConfigException.class,
            () -> NameAuthClient.builder(appid, src, key).option("timeout_ms", "soon").build());
    assertEquals((int) h.get("INVALID_CONFIG"), config.resultCode());
    assertEquals("timeout_ms", config.field());
    assertEquals("bad_value", config.rule());
    try (NameAuthClient refused =
        NameAuthClient.builder(appid, src, key)
            .endpoint("http://127.0.0.1:9/cgi-bin/nameauth/nameautheasy")
            .retries(0)
            .build()) {
      assertResultCode(
          h,
          "TRANSPORT",
          TransportException.class,
          () -> refused.verify("oZhangSan", "张三", "110101199003074477"));
    }
  }

  @Test
  void nullsReachingTheNativeMethodsAreInputErrorsNotCrashes() throws IOException {
    int nullCode = header().get("NULL_ARGUMENT");
    Jni.ensure();
    List<Executable> calls = new ArrayList<>();
    List<String> fields = new ArrayList<>();
    calls.add(() -> Jni.verify(0, "o", "n", "c", "1", 0));
    fields.add("client");
    calls.add(() -> Jni.clientBuild(null, src, key, new String[0]));
    fields.add("appid");
    calls.add(() -> Jni.clientBuild(appid, src, null, null));
    fields.add("key");
    calls.add(() -> Jni.clientBuild(appid, src, key, new String[] {"timeout_ms", null}));
    fields.add("timeout_ms");
    calls.add(() -> Jni.sign(new String[] {"a", null, "s", "n", "c", "1", "k", "lower"}));
    fields.add("openid");
    calls.add(() -> Jni.sign(null));
    fields.add("args");
    calls.add(() -> Jni.validateId(null));
    fields.add("creid");
    calls.add(() -> Jni.stats(0));
    fields.add("client");
    try (NameAuthClient c = NameAuthClient.builder(appid, src, key).endpoint(endpoint).build()) {
      long h = Jni.clientBuild(appid, src, key, new String[] {"endpoint", endpoint});
      try {
        calls.add(() -> Jni.verify(h, "oZhangSan", null, "110101199003074477", null, 3));
        fields.add("truename");
        // A null cretype is the resident ID card, as in C.
        assertEquals("A", Jni.verify(h, "oZhangSan", "张三", "110101199003074477", null, 0).code());
      } finally {
        for (int i = 0; i < calls.size(); i++) {
          InvalidInputException e = thrown(InvalidInputException.class, calls.get(i));
          assertEquals(fields.get(i), e.field(), e.getMessage());
          assertEquals("null", e.rule());
          assertEquals(nullCode, e.resultCode());
          assertEquals(fields.get(i) + ": is null", e.getMessage());
        }
        Jni.clientFree(h);
      }
      assertEquals("A", c.verify("oZhangSan", "张三", "110101199003074477").code());
    }
  }

  @Test
  void verdictTextsAreMadeOncePerRowAndRawFieldsPerAnswer() {
    try (NameAuthClient c = NameAuthClient.builder(appid, src, key).endpoint(endpoint).build()) {
      Verdict a = c.verify("oZhangSan", "张三", "110101199003074477");
      Verdict b = c.verify("oZhangSan", "张三", "110101199003074477");
      assertEquals(a, b);
      // The same Java strings each time: the table's texts cross the boundary once.
      assertSame(a.messageZh(), b.messageZh());
      assertSame(a.reason(), b.reason());
      assertEquals("实名验证通过", a.messageZh());
      Verdict name = c.verify("oZhangSan", "张四", "110101199003074477");
      assertEquals("B", name.code());
      assertEquals("1", name.notmatchParam());
      assertNotSame(a.code(), name.code());
    }
  }

  /** The directory or jar this binding's classes came from. */
  static URL codeSource() {
    return NameAuthClient.class.getProtectionDomain().getCodeSource().getLocation();
  }

  @Test
  void twoClassLoadersEachLoadTheirOwnCopyOfTheLibrary() throws Exception {
    // With a library named by a setting too: each loader after the first loads a copy.
    for (int i = 0; i < 2; i++) {
      // Two web applications in one container: the jar on two class loaders with no common
      // parent that knows it.
      try (URLClassLoader loader = new URLClassLoader(new URL[] {codeSource()}, null)) {
        Class<?> client = loader.loadClass("org.nameauth.NameAuthClient");
        assertNotSame(NameAuthClient.class, client);
        Object builder =
            client
                .getMethod("builder", String.class, String.class, String.class)
                .invoke(null, appid, src, key);
        builder.getClass().getMethod("endpoint", String.class).invoke(builder, endpoint);
        Object c = builder.getClass().getMethod("build").invoke(builder);
        try {
          Method verify = client.getMethod("verify", String.class, String.class, String.class);
          Object v = verify.invoke(c, "oZhangSan", "张三", "110101199003074477");
          assertSame(loader, v.getClass().getClassLoader());
          assertEquals("A", v.getClass().getMethod("code").invoke(v));
        } finally {
          client.getMethod("close").invoke(c);
        }
      }
    }
  }

  static String child(String... properties) throws Exception {
    return childRunning("org.nameauth.LoadProbe", properties);
  }

  static String childRunning(String main, String... properties) throws Exception {
    return ChildJvm.run(main, properties).output;
  }

  @Test
  void theJarsCopyGoesToNameauthTmpdirAndIsDeletedOnceLoaded() throws Exception {
    Path dir = Files.createTempDirectory("nameauth-tmpdir");
    try {
      String out = child("-Dnameauth.tmpdir=" + dir);
      assertTrue(out.startsWith("version " + NameAuthClient.version()), out);
      assertEquals(0, new File(dir.toString()).list().length, "the copy was left behind");
      String missing = child("-Dnameauth.tmpdir=" + dir.resolve("absent"));
      assertTrue(
          missing.contains("InvalidConfigException")
              && missing.contains("nameauth.tmpdir")
              && missing.contains("cannot copy libnameauth_jni.so out of the jar"),
          missing);
    } finally {
      Files.deleteIfExists(dir);
    }
  }

  @Test
  void aLibraryWithoutTheMethodsIsAConfigErrorAtLoad() throws Exception {
    // Another native library of ours (as a setting left from the JNA days, naming the C
    // library, would be): it loads, but has none of Jni's methods.
    URL other = JniTest.class.getResource("/linux-x86-64/libnameauth_sandbox.so");
    assumeTrue(other != null && other.getProtocol().equals("file"), "the sandbox library");
    String out =
        childRunning(
            "org.nameauth.MissingLibraryProbe", "-Dnameauth.library=" + Paths.get(other.toURI()));
    assertTrue(out.contains("invalid_config nameauth.library missing"), out);
    assertTrue(!out.contains("wrong:"), out);
  }

  @Test
  void aProgramThatExitsAfterItsFirstVerifyHasItsEventLogged() throws Exception {
    Path config = Files.createTempFile("nameauth-logging", ".properties");
    try {
      Files.write(
          config,
          ("handlers=java.util.logging.ConsoleHandler\n"
                  + "java.util.logging.ConsoleHandler.level=FINE\n"
                  + "nameauth.level=FINE\n")
              .getBytes(StandardCharsets.UTF_8));
      for (int i = 0; i < 3; i++) {
        String out =
            childRunning(
                "org.nameauth.OneVerifyProbe", "-Djava.util.logging.config.file=" + config);
        assertTrue(out.contains("code A"), out);
        assertTrue(out.contains("verify openid=oZh****an"), out);
      }
    } finally {
      Files.deleteIfExists(config);
    }
  }

  @Test
  void aLoggerThatThrowsDoesNotTakeTheVerdict() {
    java.util.logging.Logger log = java.util.logging.Logger.getLogger("nameauth");
    java.util.logging.Handler broken =
        new java.util.logging.Handler() {
          @Override
          public void publish(java.util.logging.LogRecord r) {
            throw new IllegalStateException("the log's disk is full");
          }

          @Override
          public void flush() {}

          @Override
          public void close() {}
        };
    java.util.logging.Level before = log.getLevel();
    log.addHandler(broken);
    log.setLevel(java.util.logging.Level.FINE);
    try (NameAuthClient c = NameAuthClient.builder(appid, src, key).endpoint(endpoint).build()) {
      assertEquals("A", c.verify("oZhangSan", "张三", "110101199003074477").code());
      assertThrows(
          InvalidInputException.class, () -> c.verify("oZhangSan", "张三", "110101199003074478"));
    } finally {
      log.removeHandler(broken);
      log.setLevel(before);
    }
  }

  @Test
  void theJvmsJniChecksFindNoMisuse() throws Exception {
    String out = childRunning("org.nameauth.JniHygieneProbe", "-Xcheck:jni");
    assertTrue(out.contains("hygiene done"), out);
    // -Xcheck:jni's words ("WARNING in native method: ...", "WARNING: JNI local refs: ...",
    // "FATAL ERROR in native method: ..."), not the retry warnings the probe logs.
    for (String line : out.split("\n")) {
      assertTrue(
          !line.contains("in native method")
              && !line.contains("JNI local refs")
              && !line.contains("FATAL"),
          out);
    }
  }
}

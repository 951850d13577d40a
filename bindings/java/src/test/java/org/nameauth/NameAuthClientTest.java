package org.nameauth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The Java binding against the sandbox. Run through tools/with_sandbox.py (make test-java), which
 * sets NAMEAUTH_ENDPOINT, NAMEAUTH_APPID, NAMEAUTH_SRC, NAMEAUTH_KEY and the HTTPS sandbox's
 * NAMEAUTH_TEST_TLS_ENDPOINT and NAMEAUTH_TEST_CA_FILE.
 */
class NameAuthClientTest {
  static final String ZS_ID = "110101199003074477";
  static final String OTHER_ID = "440305199912310011";
  static String endpoint;
  static String appid;
  static String src;
  static String key;

  @BeforeAll
  static void sandbox() {
    endpoint = System.getenv("NAMEAUTH_ENDPOINT");
    assumeTrue(endpoint != null, "run through tools/with_sandbox.py");
    appid = System.getenv("NAMEAUTH_APPID");
    src = System.getenv("NAMEAUTH_SRC");
    key = System.getenv("NAMEAUTH_KEY");
  }

  static NameAuthClient client() {
    return NameAuthClient.builder(appid, src, key).endpoint(endpoint).timeoutMs(5000).build();
  }

  /** A counter of the sandbox, read from GET /__sandbox/stats (which is not counted). */
  static long stat(String name) throws IOException {
    URL url = new URL(endpoint.substring(0, endpoint.indexOf("/cgi-bin/")) + "/__sandbox/stats");
    HttpURLConnection c = (HttpURLConnection) url.openConnection();
    try (InputStream in = c.getInputStream()) {
      ByteArrayOutputStream body = new ByteArrayOutputStream();
      byte[] buf = new byte[4096];
      for (int n; (n = in.read(buf)) > 0; ) {
        body.write(buf, 0, n);
      }
      Matcher m =
          Pattern.compile("\"" + name + "\":(\\d+)")
              .matcher(new String(body.toByteArray(), StandardCharsets.UTF_8));
      assertTrue(m.find(), name);
      return Long.parseLong(m.group(1));
    }
  }

  /**
   * Every case of tests/conformance/cases.json that needs no change to the environment: the verdict
   * rows of docs/SPEC.md §5 and the input errors, shared by every front end's tests.
   */
  static Stream<Arguments> cases() throws IOException {
    Path path = Paths.get("..", "..", "tests", "conformance", "cases.json");
    JsonArray all =
        JsonParser.parseString(new String(Files.readAllBytes(path), StandardCharsets.UTF_8))
            .getAsJsonArray();
    List<Arguments> out = new ArrayList<>();
    for (JsonElement e : all) {
      JsonObject k = e.getAsJsonObject();
      if (k.getAsJsonObject("env").size() == 0) {
        out.add(Arguments.of(k.get("name").getAsString(), k));
      }
    }
    assertTrue(out.size() >= 50, "the case table lost its rows");
    return out.stream();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void everyCaseOfTheTable(String name, JsonObject k) {
    JsonArray args = k.getAsJsonArray("args");
    JsonObject expect = k.getAsJsonObject("expect");
    String cretype = args.size() > 3 ? args.get(3).getAsString() : NameAuthClient.RESIDENT_ID_CARD;
    try (NameAuthClient c = client()) {
      if (expect.has("error")) {
        NameAuthException e =
            assertThrows(
                NameAuthException.class,
                () ->
                    c.verify(
                        args.get(0).getAsString(),
                        args.get(1).getAsString(),
                        args.get(2).getAsString(),
                        cretype));
        assertEquals(expect.get("error").getAsString(), e.kind());
        boolean input = e.kind().equals("invalid_input");
        assertEquals(input, !e.field().isEmpty(), "only input errors name a field");
        assertEquals(input, !e.rule().isEmpty(), "only input errors name a rule");
        return;
      }
      Verdict v =
          c.verify(
              args.get(0).getAsString(),
              args.get(1).getAsString(),
              args.get(2).getAsString(),
              cretype);
      long errorCode = expect.get("error_code").getAsLong();
      assertEquals(expect.get("code").getAsString(), v.code());
      assertEquals(expect.get("reason").getAsString(), v.reason());
      assertEquals(expect.get("nameauth_status").getAsString(), v.nameauthStatus());
      assertEquals(expect.get("notmatch_param").getAsString(), v.notmatchParam());
      assertEquals(expect.get("name_mask").getAsString(), v.nameMask());
      assertEquals(errorCode, v.errorCode());
      assertEquals(v.code().equals("A"), v.passed());
      assertEquals(
          Arrays.asList(1000L, 1001L, 1002L, 1007L).contains(errorCode), v.isConfigProblem());
      assertFalse(v.messageZh().isEmpty() || v.messageEn().isEmpty());
      assertFalse(v.adviceZh().isEmpty() || v.adviceEn().isEmpty());
    }
  }

  @Test
  void textsAndEquality() {
    try (NameAuthClient c = client()) {
      Verdict v = c.verify("oZhangSan", "李四", ZS_ID);
      assertEquals("姓名错误", v.messageZh());
      assertEquals("再次输入姓名", v.adviceZh());
      assertEquals(v, c.verify("oZhangSan", "李四", ZS_ID));
      assertEquals(v.hashCode(), c.verify("oZhangSan", "李四", ZS_ID).hashCode());
      assertNotEquals(v, c.verify("oZhangSan", "张三", ZS_ID));
      assertEquals(
          "Verdict{code=B, reason=name_mismatch, errorCode=0, nameauthStatus=1,"
              + " notmatchParam=1}",
          v.toString());
    }
  }

  @Test
  void httpsWithTheSandboxCa() {
    String tls = System.getenv("NAMEAUTH_TEST_TLS_ENDPOINT");
    String ca = System.getenv("NAMEAUTH_TEST_CA_FILE");
    try (NameAuthClient c =
        NameAuthClient.builder(appid, src, key).endpoint(tls).caFile(ca).build()) {
      assertTrue(c.verify("oZhangSan", "张三", ZS_ID).passed());
    }
    try (NameAuthClient c = NameAuthClient.builder(appid, src, key).endpoint(tls).build()) {
      TransportException e =
          assertThrows(TransportException.class, () -> c.verify("oZhangSan", "张三", ZS_ID));
      assertTrue(e.getMessage().contains("TLS"), e.getMessage());
    }
  }

  @Test
  void invalidInputNamesTheFieldAndSendsNothing() throws IOException {
    String[][] cases = {
      {"", "张三", ZS_ID, "1", "openid: must not be empty"},
      {"o.1", "张三", ZS_ID, "1", "openid: "},
      {"oZhangSan", "张三1", ZS_ID, "1", "truename: "},
      {"oZhangSan", "张\0三", ZS_ID, "1", "truename: character 2 is a control character"},
      {"oZhangSan", "张三", "110101199003074478", "1", "creid: the check character"},
      {"oZhangSan", "张三", "110105491231002", "1", "creid: 15-digit"},
      {"oZhangSan", "张三", ZS_ID, "", "cretype: must not be empty"},
    };
    long before = stat("requests");
    try (NameAuthClient c = client()) {
      for (String[] k : cases) {
        InvalidInputException e =
            assertThrows(InvalidInputException.class, () -> c.verify(k[0], k[1], k[2], k[3]));
        assertTrue(e.getMessage().startsWith(k[4]), e.getMessage());
        assertEquals("invalid_input", e.kind());
        assertFalse(e.getMessage().contains("张三") || e.getMessage().contains(ZS_ID));
      }
    }
    assertEquals(before, stat("requests"));
  }

  @Test
  void configurationErrors() {
    List<NameAuthClient.Builder> bad = new ArrayList<>();
    bad.add(NameAuthClient.builder("", src, key).endpoint(endpoint));
    bad.add(NameAuthClient.builder(appid, "", key).endpoint(endpoint));
    bad.add(NameAuthClient.builder(appid, src, "").endpoint(endpoint));
    bad.add(NameAuthClient.builder(appid, src, key).endpoint("http://192.0.2.1/x"));
    bad.add(NameAuthClient.builder(appid, src, key).endpoint(endpoint).timeoutMs(0));
    bad.add(NameAuthClient.builder(appid, src, key).endpoint(endpoint).retries(11));
    bad.add(NameAuthClient.builder(appid, src, key).endpoint(endpoint).caFile("/nonexistent.pem"));
    bad.add(NameAuthClient.builder(appid, src, key).endpoint(""));
    bad.add(NameAuthClient.builder(appid, src, key).option("colour", "blue"));
    String[] fields = {
      "appid", "src", "key", "endpoint", "timeout_ms", "retries", "ca_file", "endpoint", "options"
    };
    for (int i = 0; i < bad.size(); i++) {
      InvalidConfigException e = assertThrows(InvalidConfigException.class, bad.get(i)::build);
      assertEquals("invalid_config", e.kind());
      assertEquals(fields[i], e.field(), e.getMessage());
      assertFalse(e.rule().isEmpty());
      assertFalse(e.getMessage().contains(key), e.getMessage());
    }
    InvalidConfigException e =
        assertThrows(
            InvalidConfigException.class, () -> NameAuthClient.builder(null, src, key).build());
    assertEquals("appid", e.field());
    assertEquals("null", e.rule());
  }

  @Test
  void optionValuesMayHoldAnyCharacter() {
    // A proxy password with ';', '=' and '\\' crosses whole; plain http through a proxy needs
    // the opt-in, and nothing connects until a verify.
    try (NameAuthClient c =
        NameAuthClient.builder(appid, src, key)
            .endpoint(endpoint)
            .proxy("http://user:p;a=s\\s@127.0.0.1:9")
            .allowHttp(true)
            .build()) {
      assertFalse(c.toString().contains("p;a=s"), c.toString());
    }
    InvalidConfigException e =
        assertThrows(
            InvalidConfigException.class,
            () ->
                NameAuthClient.builder(appid, src, key)
                    .endpoint(endpoint)
                    .proxy("http://user:p;a=s@127.0.0.1:9")
                    .build());
    assertEquals("endpoint", e.field());
  }

  @Test
  void textThatCannotCrossIntactIsRefusedNotSent() throws IOException {
    long before = stat("requests");
    try (NameAuthClient c = client()) {
      InvalidInputException e =
          assertThrows(
              InvalidInputException.class,
              () -> c.verify("oPassport", "JOHN SMITH", "E12345678\uD800", "2"));
      assertEquals("creid", e.field());
      assertEquals("invalid_utf8", e.rule());
      assertEquals(0, e.resultCode());
      // A proper pair (an astral character) is fine.
      assertEquals("A", c.verify("oPassport", "JOHN SMITH", "E12345678", "2").code());
    }
    assertEquals(before + 1, stat("requests"));
  }

  @Test
  void everyFaultThrowsItsKindAndAnHttpFailureItsStatus() {
    Object[][] faults = {
      {"oSlow", TimeoutException.class, "timeout", "500 ms timeout", 0},
      {"oReset", TransportException.class, "transport", "reset", 0},
      {"oHangup", TransportException.class, "transport", "closed", 0},
      {"oHttp500", TransportException.class, "transport", "HTTP status 500", 500},
      {"oHttp503", TransportException.class, "transport", "HTTP status 503", 503},
      {"oGarbage", ProtocolException.class, "protocol", "JSON", 0},
      {"oOversized", ProtocolException.class, "protocol", "64 KiB", 0},
      {"oTruncated", ProtocolException.class, "protocol", "JSON", 0},
      {"oEmpty", ProtocolException.class, "protocol", "empty", 0},
    };
    try (NameAuthClient c =
        NameAuthClient.builder(appid, src, key).endpoint(endpoint).timeoutMs(500).build()) {
      for (Object[] f : faults) {
        @SuppressWarnings("unchecked")
        Class<? extends NameAuthException> type = (Class<? extends NameAuthException>) f[1];
        NameAuthException e = assertThrows(type, () -> c.verify((String) f[0], "张三", ZS_ID));
        assertEquals(f[2], e.kind());
        assertTrue(e.getMessage().contains((String) f[3]), e.getMessage());
        // The HTTP status of a non-2xx answer, 0 for every other failure.
        assertEquals(f[4], e.httpStatus(), (String) f[0]);
      }
    }
  }

  @Test
  void eightThreadsShareOneClient() throws Exception {
    AtomicInteger bad = new AtomicInteger();
    long connections = stat("connections");
    try (NameAuthClient c = client()) {
      List<Thread> threads = new ArrayList<>();
      for (int t = 0; t < 8; t++) {
        final int id = t;
        Thread thread =
            new Thread(
                () -> {
                  for (int i = 0; i < 100; i++) {
                    boolean wrong = (id + i) % 2 == 1;
                    Verdict v = c.verify("oZhangSan", wrong ? "李四" : "张三", ZS_ID);
                    if (!v.code().equals(wrong ? "B" : "A")) {
                      bad.incrementAndGet();
                    }
                  }
                });
        threads.add(thread);
        thread.start();
      }
      for (Thread thread : threads) {
        thread.join();
      }
    }
    assertEquals(0, bad.get());
    assertTrue(stat("connections") - connections <= 8, "connections are not reused");
  }

  @Test
  void closedClientsRefuseAndToStringHidesTheKey() {
    NameAuthClient c = client();
    assertFalse(c.toString().contains(key));
    assertTrue(c.toString().contains("key=<redacted>"));
    c.close();
    assertTrue(c.isClosed());
    IllegalStateException e =
        assertThrows(IllegalStateException.class, () -> c.verify("oZhangSan", "张三", ZS_ID));
    assertEquals("client: is closed", e.getMessage());
    c.close();
    try (NameAuthClient q =
        NameAuthClient.builder(appid, src, key).endpoint(endpoint + "?tenant=s3cret").build()) {
      assertFalse(q.toString().contains("s3cret"), q.toString());
    }
  }

  @Test
  void verdictsCanBeBuiltForFakesAndTheDocumentTypeIsNamed() {
    Verdict fake =
        new Verdict("A", "verified", "实名验证通过", "ok", "无", "none", 0, "1", "", "", true, false);
    assertTrue(fake.passed());
    NullPointerException e =
        assertThrows(
            NullPointerException.class,
            () ->
                new Verdict(
                    "A", "verified", "实名验证通过", "ok", "无", "none", 0, null, "", "", true, false));
    assertEquals("nameauthStatus", e.getMessage());
    assertEquals("1", NameAuthClient.RESIDENT_ID_CARD);
  }

  @Test
  void fromEnvironment() {
    try (NameAuthClient c = NameAuthClient.fromEnv()) {
      assertTrue(c.verify("oZhangSan", "张三", ZS_ID).passed());
    }
  }

  @Test
  void signAndValidateId() {
    assertEquals(
        "248079715d01cbc57b5020835d6a11ae",
        NameAuthClient.sign(
            "wx1234567890abcdef",
            "oUpF8uMuAJO_M2pxb1Q9zNjWeS6o",
            "test",
            "张三",
            "110101199003074477",
            "1",
            "0123456789abcdef0123456789abcdef",
            SignCase.LOWER));
    assertEquals(
        "4E723559F64B68AADE732A2118DA410E",
        NameAuthClient.sign(
            "wx2421b1c4370ec43b",
            "oLVPpjqs9BhvzwPj5A-vTYAX3GLc",
            "src_9",
            "阿卜杜热合曼·买买提",
            "650102198506151232",
            "1",
            "k3y-with-symbols&=?",
            SignCase.UPPER));
    assertThrows(
        InvalidInputException.class,
        () -> NameAuthClient.sign("a", "", "s", "n", "c", "1", "k", SignCase.LOWER));
    NameAuthClient.validateId(ZS_ID);
    InvalidInputException e =
        assertThrows(
            InvalidInputException.class, () -> NameAuthClient.validateId("11010519491231002Y"));
    assertTrue(e.getMessage().startsWith("creid: "), e.getMessage());
    assertEquals("0.1.0", NameAuthClient.version());
  }

  @Test
  void aMissingLibraryIsAConfigErrorOnEveryCall() throws Exception {
    ChildJvm child =
        ChildJvm.run(
            "org.nameauth.MissingLibraryProbe",
            "-Dnameauth.library=/nonexistent/libnameauth_jni.so");
    String text = child.output;
    assertEquals(0, child.exit, text);
    assertTrue(text.contains("invalid_config nameauth.library missing"), text);
  }

  @Test
  void aClientNobodyClosedIsFreedByTheCollector() throws InterruptedException {
    long before = NativeHandle.cleanedByCollector();
    for (int i = 0; i < 3; i++) {
      client(); // dropped at once, never closed
    }
    for (int i = 0; i < 200 && NativeHandle.cleanedByCollector() == before; i++) {
      System.gc();
      Thread.sleep(50);
      // No thread frees them (it would pin the class loader): the next client built or
      // closed does.
      client().close();
    }
    assertTrue(NativeHandle.cleanedByCollector() > before, "no handle was freed");
  }

  @Test
  void noChannelCarriesTheKeyOrClearPersonalData() throws Exception {
    String name = "欧阳修梅";
    String creid = ZS_ID;
    String proxyPassword = "pr0xy-pa55word";
    List<String> seen = new ArrayList<>();
    java.io.PrintStream realOut = System.out;
    java.io.PrintStream realErr = System.err;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    java.io.PrintStream capture = new java.io.PrintStream(captured, true, "UTF-8");
    System.setOut(capture);
    System.setErr(capture);
    try (NameAuthClient c =
        NameAuthClient.builder(appid, src, key).endpoint(endpoint).timeoutMs(500).build()) {
      seen.add(c.toString());
      String[][] calls = {
        {"oZhangSan", name, creid},
        {"oZhangSan", name + "1", creid},
        {"oZhangSan", name, "110101199003074478"},
        {"oReset", name, creid},
        {"oSlow", name, creid},
        {"oDuplicateKeys", name, creid},
      };
      for (String[] a : calls) {
        try {
          seen.add(c.verify(a[0], a[1], a[2]).toString());
        } catch (NameAuthException e) {
          java.io.StringWriter trace = new java.io.StringWriter();
          e.printStackTrace(new java.io.PrintWriter(trace));
          seen.add(e.toString());
          seen.add(trace.toString());
        }
      }
      String[] proxies = {
        "http://user:" + proxyPassword + "@127.0.0.1:9", "socks5://user:" + proxyPassword + "@h:1"
      };
      for (String proxy : proxies) {
        try (NameAuthClient p =
            NameAuthClient.builder(appid, src, key).endpoint(endpoint).proxy(proxy).build()) {
          seen.add(p.toString());
        } catch (NameAuthException e) {
          seen.add(e.toString());
        }
      }
      try {
        NameAuthClient.builder(appid, src, key + "\n").endpoint(endpoint).build();
      } catch (NameAuthException e) {
        seen.add(e.toString());
      }
    } finally {
      System.setOut(realOut);
      System.setErr(realErr);
    }
    seen.add(new String(captured.toByteArray(), StandardCharsets.UTF_8));
    String all = String.join("\n", seen);
    for (String secret : new String[] {key, proxyPassword, name, creid, "110101199003074478"}) {
      assertFalse(all.contains(secret), secret + " leaked: " + all);
    }
  }
}

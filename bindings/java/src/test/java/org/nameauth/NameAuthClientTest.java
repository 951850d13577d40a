package org.nameauth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.URL;
import java.nio.charset.StandardCharsets;
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
 * The Java binding against the sandbox. Run through tests/with_sandbox.py (make test-java), which
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
    assumeTrue(endpoint != null, "run through tests/with_sandbox.py");
    appid = System.getenv("NAMEAUTH_APPID");
    src = System.getenv("NAMEAUTH_SRC");
    key = System.getenv("NAMEAUTH_KEY");
  }

  static NameAuthClient client() {
    return NameAuthClient.builder(appid, src, key).endpoint(endpoint).timeoutMillis(5000).build();
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

  static Stream<Arguments> rows() {
    return Stream.of(
        row("oZhangSan", "张三", ZS_ID, "1", "A", "verified", "1", "", "*三", 0),
        row("oZhangSan", "李四", ZS_ID, "1", "B", "name_mismatch", "1", "1", "*三", 0),
        row("oZhangSan", "张三", OTHER_ID, "1", "C", "id_mismatch", "1", "2", "*三", 0),
        row("oZhangSan", "李四", OTHER_ID, "1", "D", "name_and_id_mismatch", "1", "1|2", "*三", 0),
        row("oZhaoLiu", "李四", OTHER_ID, "1", "D", "name_and_id_mismatch", "1", "1|2", "*六", 0),
        row("oSunQi", "孙七", "370202196606065672", "1", "A", "verified", "1", "", "*七", 0),
        row("oLiSi", "李四", "11010519491231002x", "1", "A", "verified", "1", "", "*四", 0),
        row("oPassport", "JOHN SMITH", "E12345678", "2", "A", "verified", "1", "", "*OHN SMITH", 0),
        row("oPoliceOnly", "张三", ZS_ID, "1", "E", "police_check_only", "2", "", "", 0),
        row("oNotRealname", "张三", ZS_ID, "1", "F", "not_realname", "3", "", "", 0),
        row("oForeignCard", "张三", ZS_ID, "1", "F", "foreign_card", "4", "", "", 0),
        row("oBankUnsupported", "张三", ZS_ID, "1", "F", "bank_unsupported", "5", "", "", 0),
        row(
            "oTenpayUnregistered",
            "张三",
            ZS_ID,
            "1",
            "F",
            "tenpay_account_unregistered",
            "",
            "",
            "",
            51100001),
        row(
            "oRealnameUnverified",
            "张三",
            ZS_ID,
            "1",
            "F",
            "realname_unverified",
            "",
            "",
            "",
            51100002),
        row("oUserNotFound", "张三", ZS_ID, "1", "F", "user_not_found", "", "", "", 51068401),
        row("oEmptyParameter", "张三", ZS_ID, "1", "Other", "empty_parameter", "", "", "", 1000),
        row("oSrcInvalid", "张三", ZS_ID, "1", "Other", "src_invalid", "", "", "", 1001),
        row("oSignInvalid", "张三", ZS_ID, "1", "Other", "sign_invalid", "", "", "", 1002),
        row("oIpUnauthorized", "张三", ZS_ID, "1", "Other", "ip_unauthorized", "", "", "", 1007),
        row("oSystemError", "张三", ZS_ID, "1", "Other", "system_error", "", "", "", 9999),
        row("oOddStatus", "张三", ZS_ID, "1", "Other", "unexpected_response", "7", "", "", 0),
        row("oOddNotmatch", "张三", ZS_ID, "1", "Other", "unexpected_response", "1", "3", "", 0));
  }

  static Arguments row(
      String openid,
      String name,
      String creid,
      String cretype,
      String code,
      String reason,
      String status,
      String notmatch,
      String mask,
      long errorCode) {
    return Arguments.of(
        openid, name, creid, cretype, code, reason, status, notmatch, mask, errorCode);
  }

  static void check(
      Verdict v,
      String code,
      String reason,
      String status,
      String notmatch,
      String mask,
      long errorCode) {
    assertEquals(code, v.code());
    assertEquals(reason, v.reason());
    assertEquals(status, v.nameauthStatus());
    assertEquals(notmatch, v.notmatchParam());
    assertEquals(mask, v.nameMask());
    assertEquals(errorCode, v.errorCode());
    assertEquals(code.equals("A"), v.passed());
    assertEquals(
        Arrays.asList(1000L, 1001L, 1002L, 1007L).contains(errorCode), v.isConfigProblem());
    assertFalse(v.messageZh().isEmpty() || v.messageEn().isEmpty());
    assertFalse(v.adviceZh().isEmpty() || v.adviceEn().isEmpty());
  }

  @ParameterizedTest(name = "{4} {5} {0}")
  @MethodSource("rows")
  void everyVerdictRow(
      String openid,
      String name,
      String creid,
      String cretype,
      String code,
      String reason,
      String status,
      String notmatch,
      String mask,
      long errorCode) {
    try (NameAuthClient c = client()) {
      check(
          c.verify(openid, name, creid, cretype), code, reason, status, notmatch, mask, errorCode);
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
              + " notmatchParam=1, nameMask=*三}",
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
    bad.add(NameAuthClient.builder(appid, src, key).endpoint(endpoint).timeoutMillis(0));
    bad.add(NameAuthClient.builder(appid, src, key).endpoint(endpoint).retries(11));
    bad.add(NameAuthClient.builder(appid, src, key).endpoint(endpoint).caFile("/nonexistent.pem"));
    for (NameAuthClient.Builder b : bad) {
      ConfigException e = assertThrows(ConfigException.class, b::build);
      assertEquals("invalid_config", e.kind());
      assertFalse(e.getMessage().contains(key), e.getMessage());
    }
    assertThrows(
        ConfigException.class,
        () -> NameAuthClient.builder(appid, src, key).proxy("http://u:p;w@h:1"));
    assertThrows(ConfigException.class, () -> NameAuthClient.builder(null, src, key).build());
  }

  @Test
  void everyFaultThrowsItsKind() {
    Object[][] faults = {
      {"oSlow", NameAuthTimeoutException.class, "timeout", "500 ms timeout"},
      {"oReset", TransportException.class, "transport", "reset"},
      {"oHangup", TransportException.class, "transport", "closed"},
      {"oHttp500", TransportException.class, "transport", "HTTP status 500"},
      {"oHttp503", TransportException.class, "transport", "HTTP status 503"},
      {"oGarbage", ProtocolException.class, "protocol", "JSON"},
      {"oOversized", ProtocolException.class, "protocol", "64 KiB"},
      {"oTruncated", ProtocolException.class, "protocol", "JSON"},
      {"oEmpty", ProtocolException.class, "protocol", "empty"},
    };
    try (NameAuthClient c =
        NameAuthClient.builder(appid, src, key).endpoint(endpoint).timeoutMillis(500).build()) {
      for (Object[] f : faults) {
        @SuppressWarnings("unchecked")
        Class<? extends NameAuthException> type = (Class<? extends NameAuthException>) f[1];
        NameAuthException e = assertThrows(type, () -> c.verify((String) f[0], "张三", ZS_ID));
        assertEquals(f[2], e.kind());
        assertTrue(e.getMessage().contains((String) f[3]), e.getMessage());
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
    ConfigException e =
        assertThrows(ConfigException.class, () -> c.verify("oZhangSan", "张三", ZS_ID));
    assertEquals("client: is closed", e.getMessage());
    c.close();
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
}

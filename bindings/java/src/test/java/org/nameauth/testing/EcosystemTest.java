package org.nameauth.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.nameauth.InvalidConfigException;
import org.nameauth.NameAuthClient;
import org.nameauth.NameAuthStats;
import org.nameauth.TransportException;

/**
 * The sandbox in a user's JUnit 5 suite (the extension and the class), the client's stats, logging
 * through java.util.logging and the fallback endpoint. Needs no sandbox of the harness: each test
 * starts its own from libnameauth_sandbox.
 */
@ExtendWith(NameAuthSandboxExtension.class)
class EcosystemTest {
  static final String ZS_ID = "110101199003074477";

  @Test
  void theExtensionGivesARunningSandbox(NameAuthSandbox sb) {
    try (NameAuthClient client = sb.client()) {
      assertEquals("A", client.verify("oZhangSan", "张三", ZS_ID).code());
    }
    assertEquals(1, sb.hits("oZhangSan"));
    assertEquals(1, sb.requests());
  }

  @Test
  void fixturesAndFaultsCanBeAdded(NameAuthSandbox sb) {
    sb.addFixture("oMine", "{\"status\":1,\"truename\":\"王五\",\"creid\":\"11010519491231002X\"}");
    sb.addFixture("oBusy", "{\"fault\":\"http_503\",\"fail_times\":1,\"status\":2}");
    try (NameAuthClient c = sb.client()) {
      assertEquals("A", c.verify("oMine", "王五", "11010519491231002x").code());
      assertEquals("E", c.verify("oBusy", "王五", ZS_ID).code());
    }
    assertEquals(2, sb.hits("oBusy"));
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> sb.addFixture("oBad", "{\"status\":9}"));
    assertTrue(e.getMessage().contains("oBad"), e.getMessage());
  }

  @Test
  void aTlsSandboxHasItsCa() {
    try (NameAuthSandbox sb = NameAuthSandbox.builder().tls(true).start();
        NameAuthClient c = sb.client()) {
      assertTrue(sb.endpoint().startsWith("https://"));
      assertNotNull(sb.caFile());
      assertTrue(c.verify("oZhangSan", "张三", ZS_ID).passed());
      try (NameAuthClient untrusting =
          NameAuthClient.builder(sb.appid(), sb.src(), sb.key()).endpoint(sb.endpoint()).build()) {
        assertThrows(TransportException.class, () -> untrusting.verify("oZhangSan", "张三", ZS_ID));
      }
    }
  }

  @Test
  void statsCountWhatTheClientDid(NameAuthSandbox sb) {
    try (NameAuthClient c = sb.client()) {
      c.verify("oZhangSan", "张三", ZS_ID);
      c.verify("oFlaky503", "张三", ZS_ID);
      assertThrows(RuntimeException.class, () -> c.verify("oZhangSan", "", ZS_ID));
      NameAuthStats s = c.stats();
      assertEquals(3, s.calls());
      assertEquals(4, s.requests());
      assertEquals(2, s.retries());
      assertEquals(0, s.failovers());
      assertEquals(sb.connections(), s.connectionsOpened());
      assertEquals(1L, s.verdicts().get("A"));
      assertEquals(1L, s.verdicts().get("E"));
      assertEquals(1L, s.errors().get("invalid_input"));
      assertEquals(0L, s.errors().get("cancelled"));
      assertTrue(s.latencyP50Micros() > 0 && s.latencyP50Micros() <= s.latencyP99Micros());
      assertFalse(s.toString().contains(sb.key()));
    }
  }

  /** Collects the records of the logger nameauth. */
  static final class Records extends Handler {
    final List<LogRecord> records = java.util.Collections.synchronizedList(new ArrayList<>());

    @Override
    public void publish(LogRecord r) {
      records.add(r);
    }

    /**
     * Waits (at most 10 s) for {@code n} records: the events of a JVM's first calls are logged once
     * the logging setup, which those calls do not wait for, is done.
     */
    List<LogRecord> await(int n) throws InterruptedException {
      for (int i = 0; i < 1000 && records.size() < n; i++) {
        Thread.sleep(10);
      }
      synchronized (records) {
        return new ArrayList<>(records);
      }
    }

    @Override
    public void flush() {}

    @Override
    public void close() {}
  }

  @Test
  void callsAreLoggedMaskedThroughJavaUtilLogging(NameAuthSandbox sb) throws InterruptedException {
    // Under the default configuration (INFO) nothing is logged per call.
    Logger log = Logger.getLogger("nameauth");
    Records h = new Records();
    log.addHandler(h);
    Level before = log.getLevel();
    try (NameAuthClient c = sb.client()) {
      log.setLevel(Level.FINE);
      c.verify("oZhangSan", "张三", ZS_ID);
      c.verify("oFlaky503", "张三", ZS_ID);
      List<LogRecord> got = h.await(4);
      assertEquals(4, got.size(), got.toString());
      assertEquals(Level.FINE, got.get(0).getLevel());
      assertTrue(
          got.get(0)
              .getMessage()
              .startsWith(
                  "verify openid=oZh****an truename=*三 creid=110*************77 outcome=A"
                      + " attempts=1"),
          got.get(0).getMessage());
      assertEquals(Level.WARNING, got.get(1).getLevel());
      assertTrue(got.get(1).getMessage().startsWith("retry: attempt 1 failed"));
      for (LogRecord r : got) {
        for (String secret : new String[] {sb.key(), ZS_ID, "张三", "oZhangSan", "sign="}) {
          assertFalse(r.getMessage().contains(secret), r.getMessage());
        }
      }
      // At WARNING a plain verdict is neither captured nor logged.
      log.setLevel(Level.WARNING);
      c.verify("oZhangSan", "张三", ZS_ID);
      assertEquals(4, h.await(5).size());
    } finally {
      log.removeHandler(h);
      log.setLevel(before);
    }
  }

  @Test
  void theFallbackEndpointTakesOverWhenThePrimaryIsDown(NameAuthSandbox sb) throws IOException {
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    try (NameAuthClient c =
        sb.clientBuilder()
            .endpoint("http://127.0.0.1:" + port + "/cgi-bin/nameauth/nameautheasy")
            .fallbackEndpoint(sb.endpoint())
            .build()) {
      assertEquals("A", c.verify("oZhangSan", "张三", ZS_ID).code());
      assertEquals(1, c.stats().failovers());
    }
    assertEquals(1, sb.hits("oZhangSan"));
    InvalidConfigException e =
        assertThrows(
            InvalidConfigException.class,
            () -> sb.clientBuilder().fallbackEndpoint("http://example.test/x").build());
    assertEquals("fallback_endpoint", e.field());
  }
}

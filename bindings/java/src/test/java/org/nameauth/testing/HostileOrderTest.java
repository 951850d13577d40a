package org.nameauth.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicReference;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.function.Executable;
import org.nameauth.InvalidInputException;
import org.nameauth.NameAuthClient;
import org.nameauth.Verdict;

/**
 * Orders of events a host application may force on a client: an interrupt or a cancel while the
 * request is at the server, a close while calls are in flight, a logger that closes the client it
 * logs for, inputs too large to scan twice. Each one against the sandbox, counted by its hits.
 */
@ExtendWith(NameAuthSandboxExtension.class)
class HostileOrderTest {
  static final String ZS_ID = "110101199003074477";

  /** Generous: a bound that only a hang (or a quadratic scan) can reach. */
  static final Duration HANG = Duration.ofSeconds(60);

  /** Answers A (a match), 1.5 s after the request came in. */
  static final String SLOW =
      "{\"fault\":\"slow\",\"delay_ms\":1500,\"status\":1,\"truename\":\"张三\",\"creid\":\""
          + ZS_ID
          + "\"}";

  /** Waits until the sandbox has received the request of {@code openid}. */
  static void awaitHit(NameAuthSandbox sb, String openid) throws InterruptedException {
    for (int i = 0; i < 6000 && sb.hits(openid) == 0; i++) {
      Thread.sleep(10);
    }
    assertEquals(1, sb.hits(openid), openid + " never reached the sandbox");
  }

  /**
   * Starts a thread that verifies {@code openid} and puts its verdict's code and its interrupt
   * status, or its exception, in {@code outcome}.
   */
  static Thread verifyOn(NameAuthClient c, String openid, AtomicReference<Object> outcome) {
    Thread t =
        new Thread(
            () -> {
              try {
                Verdict v = c.verify(openid, "张三", ZS_ID);
                outcome.set(v.code() + " interrupted=" + Thread.currentThread().isInterrupted());
              } catch (RuntimeException e) {
                outcome.set(e);
              }
            });
    t.start();
    return t;
  }

  @Test
  void anInterruptAfterTheWriteKeepsTheVerdictAndTheInterruptStatus(NameAuthSandbox sb)
      throws Exception {
    sb.addFixture("oSlowA", SLOW);
    AtomicReference<Object> outcome = new AtomicReference<>();
    try (NameAuthClient c = sb.client()) {
      Thread t = verifyOn(c, "oSlowA", outcome);
      awaitHit(sb, "oSlowA");
      t.interrupt();
      t.join(HANG.toMillis());
      assertEquals("A interrupted=true", String.valueOf(outcome.get()));
    }
    assertEquals(1, sb.hits("oSlowA"));
  }

  @Test
  void futureCancelDuringTheCallNeverSendsTheRequestAgain(NameAuthSandbox sb) throws Exception {
    sb.addFixture("oSlowC", SLOW);
    ExecutorService pool = Executors.newSingleThreadExecutor();
    try (NameAuthClient c = sb.client()) {
      Future<Verdict> f = pool.submit(() -> c.verify("oSlowC", "张三", ZS_ID));
      awaitHit(sb, "oSlowC");
      assertTrue(f.cancel(true));
      // The pool's thread ends the call (the server answers) and takes the next task.
      assertEquals("A", pool.submit(() -> c.verify("oZhangSan", "张三", ZS_ID)).get().code());
    } finally {
      pool.shutdownNow();
    }
    assertEquals(1, sb.hits("oSlowC"));
  }

  @Test
  void closeWhileCallsAreInFlightWaitsForTheirVerdicts(NameAuthSandbox sb) throws Exception {
    sb.addFixture("oSlowD", SLOW);
    NameAuthClient c = sb.client();
    AtomicReference<Object> outcome = new AtomicReference<>();
    Thread t = verifyOn(c, "oSlowD", outcome);
    awaitHit(sb, "oSlowD");
    // Waits for the call: its handle is freed only once it has returned its verdict.
    c.close();
    t.join(HANG.toMillis());
    assertEquals("A interrupted=false", String.valueOf(outcome.get()));
    c.close();
    assertThrows(IllegalStateException.class, () -> c.verify("oZhangSan", "张三", ZS_ID));
    assertEquals(1, sb.hits("oSlowD"));
    assertEquals(0, sb.hits("oZhangSan"));
  }

  /** A handler of the logger nameauth that acts on {@link #client} when given a record. */
  abstract static class Hook extends Handler {
    volatile NameAuthClient client;

    @Override
    public void flush() {}

    @Override
    public void close() {}
  }

  /** Runs {@code body} with {@code h} on the logger nameauth at FINE, then restores it. */
  static void logging(Hook h, Executable body) throws Throwable {
    Logger log = Logger.getLogger("nameauth");
    Level before = log.getLevel();
    log.addHandler(h);
    log.setLevel(Level.FINE);
    try {
      body.execute();
    } finally {
      log.removeHandler(h);
      log.setLevel(before);
    }
  }

  /** Closes the client from inside the logger, during the call it logs. */
  static final class Closer extends Hook {

    @Override
    public void publish(LogRecord r) {
      client.close();
    }
  }

  @Test
  void aLoggerThatClosesTheClientItLogsForDoesNotHangTheCall(NameAuthSandbox sb) throws Throwable {
    Closer h = new Closer();
    NameAuthClient c = sb.client();
    h.client = c;
    logging(
        h,
        () -> {
          // Before: close() waited for the write lock its own thread's call held, for ever.
          Verdict v = assertTimeoutPreemptively(HANG, () -> c.verify("oZhangSan", "张三", ZS_ID));
          assertEquals("A", v.code());
        });
    assertTrue(c.isClosed());
    assertThrows(IllegalStateException.class, () -> c.verify("oZhangSan", "张三", ZS_ID));
    assertThrows(IllegalStateException.class, c::stats);
    assertEquals(1, sb.hits("oZhangSan"));
  }

  /** Once the client is closed (by another thread), calls it again from inside the logger. */
  static final class Reenter extends Hook {
    final AtomicReference<Object> nested = new AtomicReference<>();

    @Override
    public void publish(LogRecord r) {
      try {
        for (int i = 0; i < 6000 && !client.isClosed(); i++) {
          Thread.sleep(10);
        }
        nested.set(client.verify("oZhangSan", "张三", ZS_ID).code());
      } catch (RuntimeException | InterruptedException e) {
        nested.set(e);
      }
    }
  }

  @Test
  void aLoggerThatCallsTheClientWhileAnotherThreadClosesItNeitherHangsNorSends(NameAuthSandbox sb)
      throws Throwable {
    sb.addFixture("oSlowL", SLOW);
    Reenter h = new Reenter();
    NameAuthClient c = sb.client();
    h.client = c;
    AtomicReference<Object> outcome = new AtomicReference<>();
    logging(
        h,
        () -> {
          Thread t = verifyOn(c, "oSlowL", outcome);
          awaitHit(sb, "oSlowL");
          // Waits for the call, whose logger calls again (a read lock its thread holds already).
          assertTimeoutPreemptively(HANG, c::close);
          t.join(HANG.toMillis());
        });
    assertEquals("A interrupted=false", String.valueOf(outcome.get()));
    assertTrue(h.nested.get() instanceof IllegalStateException, String.valueOf(h.nested.get()));
    assertEquals(1, sb.hits("oSlowL"));
    assertEquals(0, sb.hits("oZhangSan"));
  }

  /** Verifies again, on the same client, each time it is given a record. */
  static final class Again extends Hook {
    final List<Object> nested = Collections.synchronizedList(new ArrayList<>());

    @Override
    public void publish(LogRecord r) {
      nested.add(client.verify("oZhangSan", "张三", ZS_ID).code());
    }
  }

  @Test
  void aLoggerThatCallsTheClientIsNotGivenItsOwnCallsToLog(NameAuthSandbox sb) throws Throwable {
    Again h = new Again();
    try (NameAuthClient c = sb.client()) {
      h.client = c;
      // Before: each nested call logged one more, recursing through native frames until the
      // JVM crashed (SIGSEGV, exit status 139), each level a request sent.
      logging(h, () -> assertEquals("A", c.verify("oZhangSan", "张三", ZS_ID).code()));
    }
    assertEquals(Collections.singletonList("A"), h.nested);
    assertEquals(2, sb.hits("oZhangSan"));
  }

  @Test
  void hugeFieldsAreRefusedNamedWithoutAHangAndNothingIsSent(NameAuthSandbox sb) {
    StringBuilder b = new StringBuilder(4_000_000);
    for (int i = 0; i < 4_000_000; i++) {
      b.append('张'); // not Latin-1: a Java 9+ string counts Latin-1 code points in O(1)
    }
    String huge = b.toString();
    try (NameAuthClient c = sb.client()) {
      // Before: every character's position was counted from the start (quadratic: hours).
      InvalidInputException e =
          assertTimeoutPreemptively(
              HANG,
              () -> assertThrows(InvalidInputException.class, () -> c.verify(huge, "张三", ZS_ID)));
      assertEquals("openid", e.field());
      assertTrue(e.getMessage().length() < 200, "the message repeats the field");
      InvalidInputException t =
          assertTimeoutPreemptively(
              HANG,
              () ->
                  assertThrows(
                      InvalidInputException.class,
                      () -> c.verify("oZhangSan", huge + "\0", ZS_ID)));
      assertEquals("truename", t.field());
      assertEquals("control_character", t.rule());
      assertTrue(t.getMessage().contains("character 4000001"), t.getMessage());
    }
    assertEquals(0, sb.requests());
  }
}

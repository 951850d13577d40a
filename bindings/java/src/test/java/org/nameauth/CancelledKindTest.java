package org.nameauth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import java.io.IOException;
import org.junit.jupiter.api.Test;

/**
 * The kind {@code cancelled} (result code 11) has its own exception class, and the stats count it
 * without moving the counters after it (the JNI array grows by one error kind).
 */
class CancelledKindTest {
  @Test
  void theKindCancelledIsACancelledException() throws IOException {
    int status = JniTest.header().get("CANCELLED");
    assertEquals(11, status);
    NameAuthException e = NameAuthException.of("cancelled", status, "m", "", "", 0);
    assertInstanceOf(CancelledException.class, e);
    assertEquals("cancelled", e.kind());
    assertEquals(11, e.resultCode());
  }

  @Test
  void statsHaveACancelledCountAndTheLatenciesAfterIt() {
    long[] raw = new long[5 + 7 + 7 + 3];
    raw[5 + 7 + 6] = 4; // cancelled, the last kind
    raw[5 + 7 + 7] = 100; // p50
    raw[5 + 7 + 7 + 2] = 300; // p99
    NameAuthStats s = new NameAuthStats(raw);
    assertEquals(4L, s.errors().get("cancelled"));
    assertEquals(7, s.errors().size());
    assertEquals(100, s.latencyP50Micros());
    assertEquals(300, s.latencyP99Micros());
  }
}

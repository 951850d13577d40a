package org.nameauth.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.nameauth.InvalidConfigException;
import org.nameauth.NameAuthClient;

/** {@code idleTimeoutMs}: how long an unused keep-alive connection is kept (issue 17 item 20). */
@ExtendWith(NameAuthSandboxExtension.class)
class IdleTimeoutTest {
  static final String ZS_ID = "110101199003074477";

  @Test
  void aConnectionIdlePastTheIdleTimeoutIsNotReused(NameAuthSandbox sb)
      throws InterruptedException {
    try (NameAuthClient c = sb.clientBuilder().idleTimeoutMs(200).build()) {
      assertEquals("A", c.verify("oZhangSan", "张三", ZS_ID).code());
      Thread.sleep(600);
      assertEquals("A", c.verify("oZhangSan", "张三", ZS_ID).code());
    }
    // Kept 7 s by default, the first connection would have served both.
    assertEquals(2, sb.connections());
    assertEquals(2, sb.requests());
  }

  @Test
  void anIdleTimeoutOutOfRangeIsAConfigErrorNamingIt(NameAuthSandbox sb) {
    for (long bad : new long[] {0, -1, 600_001}) {
      InvalidConfigException e =
          assertThrows(
              InvalidConfigException.class, () -> sb.clientBuilder().idleTimeoutMs(bad).build());
      assertEquals("idle_timeout_ms", e.field());
    }
  }
}

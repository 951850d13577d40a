package org.nameauth.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.nameauth.NameAuthClient;

/** The JUnit example of bindings/java/README.md, word for word (ReadmeTest checks it is). */
@ExtendWith(NameAuthSandboxExtension.class)
class SignupTest {
  @Test
  void verifiesTheUser(NameAuthSandbox sb) {
    sb.addFixture("oBusy", "{\"fault\":\"http_503\",\"fail_times\":1,\"status\":2}");
    try (NameAuthClient client = sb.client()) {
      assertEquals("A", client.verify("oZhangSan", "张三", "110101199003074477").code());
      assertEquals("E", client.verify("oBusy", "张三", "110101199003074477").code());
      assertEquals(1, client.stats().retries());
    }
  }
}

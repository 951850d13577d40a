package org.nameauth.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Paths;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.nameauth.NameAuthClient;

/**
 * With an SLF4J provider on the class path (slf4j-simple, in its own surefire run that writes the
 * log to a file), call events go through SLF4J: each call at DEBUG, each retry at WARN, masked.
 */
@ExtendWith(NameAuthSandboxExtension.class)
class Slf4jLogTest {
  @Test
  void callsAreLoggedMaskedThroughSlf4j(NameAuthSandbox sb)
      throws IOException, InterruptedException {
    // The first calls of this JVM: they do not wait for the logging setup, and their events
    // are logged, in order, once it is done.
    try (NameAuthClient c = sb.client()) {
      c.verify("oZhangSan", "张三", "110101199003074477");
      c.verify("oFlaky503", "张三", "110101199003074477");
    }
    String file = System.getProperty("org.slf4j.simpleLogger.logFile");
    List<String> lines = null;
    for (int i = 0; i < 1000 && (lines == null || lines.size() < 4); i++) {
      if (lines != null) {
        Thread.sleep(10);
      }
      lines =
          Files.readAllLines(Paths.get(file), StandardCharsets.UTF_8).stream()
              .filter(l -> l.contains(" nameauth - "))
              .collect(Collectors.toList());
    }
    assertEquals(4, lines.size(), lines.toString());
    // (The file is in the platform's charset: only the ASCII parts are compared.)
    assertTrue(lines.get(0).contains("DEBUG nameauth - verify openid=oZh****an truename=*"));
    assertTrue(lines.get(0).contains(" creid=110*************77 outcome=A attempts=1"));
    assertTrue(lines.get(1).contains("WARN nameauth - retry: attempt 1 failed"), lines.get(1));
    for (String l : lines) {
      for (String secret : new String[] {sb.key(), "110101199003074477", "张三", "oZhangSan"}) {
        assertFalse(l.contains(secret), l);
      }
    }
  }
}

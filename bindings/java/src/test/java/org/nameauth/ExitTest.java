package org.nameauth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A JVM that ends while calls are in flight ({@link ExitProbe}, against the sandbox of
 * tools/with_sandbox.py, with the library test-java puts in the jar: the zig-linked release build
 * that ships) ends with its own status, never by a signal or with a crash report: native threads
 * mid-verify, log callbacks into Java and clients freed while the JVM shuts down.
 */
class ExitTest {
  /** Runs of the probe: 96 JVMs of about half a second each. */
  static final int RUNS = 96;

  @BeforeAll
  static void sandbox() {
    NameAuthClientTest.sandbox();
  }

  /** Whether the child ended otherwise than with {@code expected}, or said it crashed. */
  static boolean crashed(ChildJvm child, int expected) {
    return child.exit != expected
        || child.output.contains("SIGSEGV")
        || child.output.contains("A fatal error");
  }

  @Test
  void aJvmThatEndsDuringCallsEndsWithItsStatusEveryTime() throws Exception {
    Path reports = Files.createTempDirectory("nameauth-hs-err");
    try {
      List<String> jvm =
          Arrays.asList(
              "-XX:ErrorFile=" + reports + "/hs_err_%p.log", "-XX:-CreateCoredumpOnCrash");
      // The detector itself: a JVM that does crash is caught by it.
      ChildJvm crash = ChildJvm.run(jvm, "org.nameauth.ExitProbe", Arrays.asList("crash", "now"));
      String[] crashReports = new File(reports.toString()).list();
      assertTrue(crashed(crash, 0) && crashReports.length == 1, crash.exit + "\n" + crash.output);
      new File(reports.toString(), crashReports[0]).delete();
      List<String> failures = new ArrayList<>();
      for (int i = 0; i < RUNS; i++) {
        String how = i % 2 == 0 ? "exit" : "return";
        String when = i % 4 < 2 ? "late" : "early";
        ChildJvm child = ChildJvm.run(jvm, "org.nameauth.ExitProbe", Arrays.asList(how, when));
        int expected = how.equals("exit") ? 7 : 0;
        if (crashed(child, expected)) {
          failures.add(
              "run " + i + " (" + how + ", " + when + "): " + child.exit + "\n" + child.output);
        }
      }
      String[] left = new File(reports.toString()).list();
      assertEquals(0, left.length, "crash reports: " + Arrays.toString(left));
      assertTrue(failures.isEmpty(), failures.size() + " of " + RUNS + " failed:\n" + failures);
    } finally {
      for (File f : new File(reports.toString()).listFiles()) {
        f.delete();
      }
      Files.deleteIfExists(reports);
    }
  }
}

package org.nameauth;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A probe's main class run in a child JVM with this test run's class path and without the library
 * variables, so the child loads the library as a user's JVM does (or as its JVM arguments say).
 */
final class ChildJvm {
  /** The child's exit status. */
  final int exit;

  /** What it wrote, standard output and error together. */
  final String output;

  private ChildJvm(int exit, String output) {
    this.exit = exit;
    this.output = output;
  }

  static ChildJvm run(String main, String... jvmArgs) throws Exception {
    return run(Arrays.asList(jvmArgs), main, new ArrayList<String>());
  }

  /**
   * Runs {@code main} with the JVM arguments {@code jvmArgs} and program arguments {@code args}.
   */
  static ChildJvm run(List<String> jvmArgs, String main, List<String> args) throws Exception {
    String java = Paths.get(System.getProperty("java.home"), "bin", "java").toString();
    List<String> command = new ArrayList<>(Arrays.asList(java));
    command.addAll(jvmArgs);
    command.addAll(Arrays.asList("-cp", System.getProperty("java.class.path"), main));
    command.addAll(args);
    ProcessBuilder pb = new ProcessBuilder(command);
    pb.environment().remove("NAMEAUTH_LIBRARY");
    pb.environment().remove("NAMEAUTH_LIBRARY_PATH");
    pb.redirectErrorStream(true);
    Process p = pb.start();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (InputStream in = p.getInputStream()) {
      byte[] buf = new byte[4096];
      for (int n; (n = in.read(buf)) > 0; ) {
        out.write(buf, 0, n);
      }
    }
    int exit = p.waitFor();
    return new ChildJvm(exit, new String(out.toByteArray(), StandardCharsets.UTF_8));
  }
}

package org.nameauth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.net.URL;
import java.nio.file.Paths;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Redeployment in a servlet container: class loaders that load the binding, use it and are dropped
 * must be collected (no thread, static root or JNI global reference of the binding's keeps them),
 * with their copies of the native library; and a library named by a setting loads in every loader.
 * Each case runs {@link RedeployProbe} in a child JVM against the sandbox of tools/with_sandbox.py.
 */
class ClassLoaderTest {
  @BeforeAll
  static void sandbox() {
    NameAuthClientTest.sandbox();
  }

  static ChildJvm probe(List<String> jvmArgs, String... args) throws Exception {
    return ChildJvm.run(jvmArgs, "org.nameauth.RedeployProbe", Arrays.asList(args));
  }

  /** The number after {@code label} in the probe's output. */
  static int count(String out, String label) {
    Matcher m = Pattern.compile("(?m)^" + label + " (\\d+)$").matcher(out);
    assertTrue(m.find(), label + " in:\n" + out);
    return Integer.parseInt(m.group(1));
  }

  /** The jar's library (the one test-java's build put among the classes). */
  static File jarLibrary() throws Exception {
    URL lib = ClassLoaderTest.class.getResource("/linux-x86-64/libnameauth_jni.so");
    assumeTrue(lib != null && lib.getProtocol().equals("file"), "the library among the classes");
    return Paths.get(lib.toURI()).toFile();
  }

  /**
   * {@code n} deployments of {@link RedeployProbe} in {@code mode}, each verified, whose loaders
   * are all collected and whose library copies are all unmapped (at most one left: the one a
   * collected loader's Cleaner has yet to unload); returns the probe's output.
   */
  static String redeployed(int n, String mode) throws Exception {
    ChildJvm child = probe(Arrays.asList("-Xmx256m"), Integer.toString(n), mode);
    String out = child.output;
    assertEquals(0, child.exit, out);
    assertEquals(n, count(out, "verified"), out);
    assertEquals(0, count(out, "loaders alive"), out);
    assertTrue(count(out, "copies mapped after") <= 1, out);
    return out;
  }

  @Test
  void fortyRedeployedLoadersAreCollectedWithTheirLibraries() throws Exception {
    String out = redeployed(40, "drop");
    assertTrue(count(out, "cleaner threads") <= 1, out);
    int peak = count(out, "copies mapped at peak");
    assertTrue(peak >= 2 && count(out, "copies mapped after") < peak, out);
  }

  @Test
  void aRequestThreadThatOutlivesItsApplicationsKeepsNoCopyOfTheLibraryMapped() throws Exception {
    // Every deployment verifies on the same request thread, alive until the measures are
    // taken: a thread-local destructor of the library's registered on it would keep each
    // copy mapped, one more per redeploy.
    String out = redeployed(10, "pooled");
    assertTrue(count(out, "copies mapped at peak") >= 2, out);
  }

  @Test
  void clientsADroppedApplicationNeverClosedAreFreedWithItsLoader() throws Exception {
    // Each application keeps its client open, with its connection kept idle 10 minutes:
    // only JNI_OnUnload (the clients freed, the pools released) closes the sockets.
    String out = redeployed(5, "leak");
    int before = count(out, "sockets before");
    assertTrue(count(out, "sockets at peak") >= before + 5, out);
    assertEquals(before, count(out, "sockets after"), out);
  }

  @Test
  void aLibraryNamedByNameauthLibraryLoadsInEveryLoader() throws Exception {
    String file = jarLibrary().getAbsolutePath();
    // Every loader alive at once (the first holds the file itself), then one after another.
    for (String mode : new String[] {"keep", "drop"}) {
      ChildJvm child = probe(Arrays.asList("-Dnameauth.library=" + file), "3", mode);
      assertEquals(0, child.exit, child.output);
      assertEquals(3, count(child.output, "verified"), child.output);
    }
  }

  @Test
  void aLibraryFoundThroughNameauthLibraryPathLoadsInEveryLoader() throws Exception {
    String dir = jarLibrary().getParent();
    ChildJvm child = probe(Arrays.asList("-Dnameauth.library.path=" + dir), "3", "keep");
    assertEquals(0, child.exit, child.output);
    assertEquals(3, count(child.output, "verified"), child.output);
  }
}

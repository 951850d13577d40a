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

  @Test
  void fortyRedeployedLoadersAreCollectedWithTheirLibraries() throws Exception {
    ChildJvm child = probe(Arrays.asList("-Xmx256m"), "40");
    String out = child.output;
    assertEquals(0, child.exit, out);
    assertEquals(40, count(out, "verified"), out);
    assertEquals(0, count(out, "loaders alive"), out);
    assertTrue(count(out, "cleaner threads") <= 1, out);
    int peak = count(out, "copies mapped at peak");
    int after = count(out, "copies mapped after");
    assertTrue(peak >= 2 && after < peak && after <= 1, out);
  }

  @Test
  void clientsADroppedApplicationNeverClosedAreFreedWithItsLoader() throws Exception {
    // Each application keeps its client open, with its connection kept idle 10 minutes:
    // only JNI_OnUnload (the clients freed, the pools released) closes the sockets.
    ChildJvm child = probe(Arrays.asList("-Xmx256m"), "5", "leak");
    String out = child.output;
    assertEquals(0, child.exit, out);
    assertEquals(5, count(out, "verified"), out);
    assertEquals(0, count(out, "loaders alive"), out);
    int before = count(out, "sockets before");
    assertTrue(count(out, "sockets at peak") >= before + 5, out);
    assertEquals(before, count(out, "sockets after"), out);
    assertTrue(count(out, "copies mapped after") <= 1, out);
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

package org.nameauth.internal;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardOpenOption;
import java.util.Locale;

/**
 * Loads the binding's JNI libraries. Internal to nameauth (public only so that {@code
 * org.nameauth.testing} can use it); not part of the API.
 *
 * <p>A library is looked for, in order: in the file named by a system property or environment
 * variable; in the directory of {@code nameauth.library.path} or {@code NAMEAUTH_LIBRARY_PATH}; in
 * the jar, at {@code <platform>/lib<name>.so}, copied to a new file under {@code nameauth.tmpdir}
 * (default {@code java.io.tmpdir}) and deleted once loaded; and last on {@code java.library.path}.
 * Each class loader that loads the jar gets its own copy of the library, so two web applications in
 * one servlet container do not collide.
 */
public final class NativeLibraries {
  private NativeLibraries() {}

  /**
   * The jar's directory for this platform, {@code linux-x86-64} or {@code linux-aarch64} (JNA's
   * names), or null where the jar carries no library.
   *
   * @return the directory, or null
   */
  public static String platform() {
    String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
    String arch = System.getProperty("os.arch", "").toLowerCase(Locale.ROOT);
    if (!os.startsWith("linux")) {
      return null;
    }
    if (arch.equals("amd64") || arch.equals("x86_64")) {
      return "linux-x86-64";
    }
    if (arch.equals("aarch64") || arch.equals("arm64")) {
      return "linux-aarch64";
    }
    return null;
  }

  /**
   * The value of a system property, or else of an environment variable; null when neither is set
   * (or both are empty).
   *
   * @param property the system property
   * @param variable the environment variable
   * @return the value, or null
   */
  public static String setting(String property, String variable) {
    String v = System.getProperty(property);
    if (v == null || v.isEmpty()) {
      v = System.getenv(variable);
    }
    return v == null || v.isEmpty() ? null : v;
  }

  /**
   * Loads {@code lib<name>.so} for the class {@code anchor} (whose class loader finds the jar's
   * copy).
   *
   * @param name the library's name without {@code lib} and {@code .so}, e.g. {@code nameauth_jni}
   * @param fileProperty the system property naming the file itself
   * @param fileVariable the environment variable naming the file itself
   * @param anchor a class of the jar
   * @throws UnsatisfiedLinkError when no copy loads; its message says where it looked
   */
  public static void load(String name, String fileProperty, String fileVariable, Class<?> anchor) {
    String fileName = "lib" + name + ".so";
    String file = setting(fileProperty, fileVariable);
    if (file != null) {
      System.load(new File(file).getAbsolutePath());
      return;
    }
    String dir = setting("nameauth.library.path", "NAMEAUTH_LIBRARY_PATH");
    if (dir != null) {
      System.load(new File(dir, fileName).getAbsolutePath());
      return;
    }
    String platform = platform();
    InputStream in =
        platform == null ? null : anchor.getResourceAsStream("/" + platform + "/" + fileName);
    if (in == null) {
      System.loadLibrary(name);
      return;
    }
    String tmp = System.getProperty("nameauth.tmpdir", System.getProperty("java.io.tmpdir"));
    Path copy = null;
    try {
      try {
        copy = create(Paths.get(tmp), "lib" + name + "-");
        try (OutputStream out = Files.newOutputStream(copy, StandardOpenOption.WRITE)) {
          byte[] buf = new byte[1 << 18];
          for (int n; (n = in.read(buf)) > 0; ) {
            out.write(buf, 0, n);
          }
        }
      } finally {
        in.close();
      }
      System.load(copy.toAbsolutePath().toString());
    } catch (IOException e) {
      UnsatisfiedLinkError clear =
          new UnsatisfiedLinkError(
              "cannot copy " + fileName + " out of the jar into " + tmp + " (nameauth.tmpdir)");
      clear.initCause(e);
      throw clear;
    } finally {
      if (copy != null) {
        // Once loaded, the file is no longer needed (the mapping stays).
        copy.toFile().delete();
      }
    }
  }

  /**
   * A new file of this process's in {@code dir} (O_CREAT|O_EXCL: never one that already exists or a
   * symbolic link). Not {@code Files.createTempFile}: seeding its SecureRandom costs a fresh JVM
   * tens of milliseconds, and an unpredictable name adds nothing here.
   */
  private static Path create(Path dir, String prefix) throws IOException {
    long stamp = System.nanoTime() ^ ((long) System.identityHashCode(dir) << 32);
    for (int attempt = 0; ; attempt++) {
      Path p = dir.resolve(prefix + Long.toHexString(stamp) + "-" + attempt + ".so");
      try {
        Files.newOutputStream(p, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE).close();
        return p;
      } catch (FileAlreadyExistsException e) {
        if (attempt >= 100) {
          throw e;
        }
      }
    }
  }
}

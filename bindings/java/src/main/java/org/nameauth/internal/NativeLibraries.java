package org.nameauth.internal;

import java.io.File;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URISyntaxException;
import java.net.URL;
import java.security.CodeSource;
import java.util.Locale;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * Loads the binding's JNI libraries. Internal to nameauth (public only so that {@code
 * org.nameauth.testing} can use it); not part of the API.
 *
 * <p>A library is looked for, in order: in the file named by a system property or environment
 * variable; in the directory of {@code nameauth.library.path} or {@code NAMEAUTH_LIBRARY_PATH}; in
 * the jar, at {@code <platform>/lib<name>.so}, copied to a new file under {@code nameauth.tmpdir}
 * (default {@code java.io.tmpdir}) and deleted once loaded; and last on {@code java.library.path}.
 * Each class loader that loads the jar gets its own copy of the library, so two web applications in
 * one servlet container, or two deployments of one, do not collide; a file named by a setting (or
 * found on {@code java.library.path}) is loaded in place by the first loader and copied in the same
 * way for each other loader while the first one lives.
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
      loadFile(new File(file).getAbsoluteFile());
      return;
    }
    String dir = setting("nameauth.library.path", "NAMEAUTH_LIBRARY_PATH");
    if (dir != null) {
      loadFile(new File(dir, fileName).getAbsoluteFile());
      return;
    }
    String platform = platform();
    InputStream in = platform == null ? null : open(anchor, platform + "/" + fileName);
    if (in != null) {
      loadCopy(in, fileName, "out of the jar");
      return;
    }
    try {
      System.loadLibrary(name);
    } catch (UnsatisfiedLinkError e) {
      // Found on java.library.path but loaded by another class loader: as loadFile.
      String path = System.getProperty("java.library.path", "");
      for (String d : path.split(File.pathSeparator)) {
        File f = new File(d.isEmpty() ? "." : d, System.mapLibraryName(name)).getAbsoluteFile();
        if (f.isFile()) {
          loadFileCopy(f, e);
          return;
        }
      }
      throw e;
    }
  }

  /**
   * Loads a file named by a setting. The JVM loads one file into one class loader only (a second
   * gets "already loaded in another classloader" until the first is collected), so when the file
   * itself will not load, a copy of it will: each class loader (each web application, each
   * redeployment of one) then has its own, as with the jar's copy. The first loader loads the file
   * in place, so a setting that avoids a noexec temporary directory still does so there.
   */
  private static void loadFile(File file) {
    try {
      System.load(file.getPath());
    } catch (UnsatisfiedLinkError e) {
      if (!file.isFile()) {
        throw e;
      }
      loadFileCopy(file, e);
    }
  }

  /**
   * Loads a copy of {@code file}; if that fails too, throws {@code first} (the copy's error added).
   */
  private static void loadFileCopy(File file, UnsatisfiedLinkError first) {
    try {
      loadCopy(new FileInputStream(file), file.getName(), "from " + file.getParent());
    } catch (IOException | UnsatisfiedLinkError e) {
      first.addSuppressed(e);
      throw first;
    }
  }

  /**
   * Copies {@code in} (closed here) to a new file under {@code nameauth.tmpdir}, loads it and
   * deletes it (the mapping stays).
   */
  private static void loadCopy(InputStream in, String fileName, String from) {
    String tmp = System.getProperty("nameauth.tmpdir", System.getProperty("java.io.tmpdir"));
    String stem =
        fileName.endsWith(".so") ? fileName.substring(0, fileName.length() - 3) : fileName;
    File copy = null;
    try {
      try {
        copy = create(new File(tmp), stem + "-");
        try (OutputStream out = new FileOutputStream(copy)) {
          byte[] buf = new byte[1 << 18];
          for (int n; (n = in.read(buf)) > 0; ) {
            out.write(buf, 0, n);
          }
        }
      } finally {
        in.close();
      }
      System.load(copy.getAbsolutePath());
    } catch (IOException e) {
      UnsatisfiedLinkError clear =
          new UnsatisfiedLinkError(
              "cannot copy " + fileName + " " + from + " into " + tmp + " (nameauth.tmpdir)");
      clear.initCause(e);
      throw clear;
    } finally {
      if (copy != null) {
        // Once loaded, the file is no longer needed (the mapping stays).
        copy.delete();
      }
    }
  }

  /**
   * The resource {@code path} of the jar (or class directory) {@code anchor} came from, or null.
   * The jar is opened as a {@link ZipFile} when it is a plain file: the class loader's {@code
   * getResourceAsStream} goes through the jar: URL handler, whose setup costs a fresh JVM 5 to 10
   * ms. Anything else (a jar inside a jar, a web application's loader) takes that way.
   */
  private static InputStream open(Class<?> anchor, String path) {
    try {
      CodeSource source = anchor.getProtectionDomain().getCodeSource();
      URL where = source == null ? null : source.getLocation();
      if (where != null && "file".equals(where.getProtocol())) {
        File base = new File(where.toURI());
        if (base.isDirectory()) {
          File f = new File(base, path);
          if (f.isFile()) {
            return new FileInputStream(f);
          }
        } else if (base.isFile()) {
          final ZipFile zip = new ZipFile(base);
          ZipEntry entry = zip.getEntry(path);
          if (entry == null) {
            zip.close();
          } else {
            return new FilterInputStream(zip.getInputStream(entry)) {
              @Override
              public void close() throws IOException {
                try {
                  super.close();
                } finally {
                  zip.close();
                }
              }
            };
          }
        }
      }
    } catch (IOException | URISyntaxException | RuntimeException e) {
      // Not a plain file after all: the class loader's way below.
    }
    return anchor.getResourceAsStream("/" + path);
  }

  /**
   * A new file of this process's in {@code dir}, made with O_CREAT|O_EXCL (never one that already
   * exists, nor through a symbolic link). java.io, not java.nio.file: a fresh JVM spends 10 to 20
   * ms setting up NIO's file system (and {@code Files.createTempFile} more seeding a SecureRandom),
   * more than the copy itself; an unpredictable name adds nothing here.
   */
  private static File create(File dir, String prefix) throws IOException {
    long stamp = System.nanoTime() ^ ((long) System.identityHashCode(dir) << 32);
    for (int attempt = 0; ; attempt++) {
      File f = new File(dir, prefix + Long.toHexString(stamp) + "-" + attempt + ".so");
      if (f.createNewFile()) {
        return f;
      }
      if (attempt >= 100 || !dir.isDirectory()) {
        throw new IOException("cannot create a file in " + dir);
      }
    }
  }
}

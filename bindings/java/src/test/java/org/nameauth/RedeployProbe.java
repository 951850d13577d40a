package org.nameauth;

import java.io.IOException;
import java.lang.ref.WeakReference;
import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Run in a child JVM: web applications redeployed in one servlet container. Each "deployment" is a
 * {@link URLClassLoader} with no parent that knows the binding (as Tomcat's and Jetty's web
 * application loaders are), which loads the binding's classes, verifies once against the sandbox,
 * closes its client and is dropped. Prints what is left once the collector has had its chance:
 *
 * <pre>
 * verified N
 * loaders alive N
 * cleaner threads N
 * copies mapped at peak N
 * copies mapped after N
 * </pre>
 *
 * With the argument {@code keep}, every loader stays reachable until the end (each must still load
 * and verify while the others are alive, the library override included). With {@code leak}, each
 * application leaves its client open (kept in its loader, as in a static field) with a connection
 * kept idle for 10 minutes: only the library's unloading can free them, and then prints {@code
 * sockets before/at peak/after N}. With {@code pooled}, every deployment runs on one request thread
 * that outlives them all (a container whose thread pool is not renewed on redeploy, as Jetty's and
 * an unconfigured Tomcat's): no copy of the library may stay mapped for that thread's sake.
 */
public final class RedeployProbe {
  private RedeployProbe() {}

  /** The binding's classes: the directory or jar NameAuthClient came from (not initialised). */
  static URL codeSource() throws ClassNotFoundException {
    Class<?> c =
        Class.forName("org.nameauth.NameAuthClient", false, RedeployProbe.class.getClassLoader());
    return c.getProtectionDomain().getCodeSource().getLocation();
  }

  /**
   * A web application's class loader, which holds what the application keeps in its static fields
   * (as its classes would).
   */
  static final class AppLoader extends URLClassLoader {
    Object kept;

    AppLoader(URL classes) {
      super(new URL[] {classes}, null);
    }
  }

  /** One deployment: load, verify once, close the client; returns the loader. */
  static URLClassLoader deploy(URL classes) throws Exception {
    return deploy(classes, false);
  }

  /**
   * One deployment: load, verify once and close the client, or with {@code leak} leave it open,
   * kept by the application, its idle connection kept 10 minutes; returns the loader.
   */
  static URLClassLoader deploy(URL classes, boolean leak) throws Exception {
    AppLoader loader = new AppLoader(classes);
    Class<?> client = loader.loadClass("org.nameauth.NameAuthClient");
    Object builder =
        client
            .getMethod("builder", String.class, String.class, String.class)
            .invoke(
                null,
                System.getenv("NAMEAUTH_APPID"),
                System.getenv("NAMEAUTH_SRC"),
                System.getenv("NAMEAUTH_KEY"));
    builder
        .getClass()
        .getMethod("endpoint", String.class)
        .invoke(builder, System.getenv("NAMEAUTH_ENDPOINT"));
    if (leak) {
      builder
          .getClass()
          .getMethod("option", String.class, String.class)
          .invoke(builder, "idle_timeout_ms", "600000");
    }
    Object c = builder.getClass().getMethod("build").invoke(builder);
    try {
      Method verify = client.getMethod("verify", String.class, String.class, String.class);
      Object v = verify.invoke(c, "oZhangSan", "\u5f20\u4e09", "110101199003074477");
      Object code = v.getClass().getMethod("code").invoke(v);
      if (!"A".equals(code) || v.getClass().getClassLoader() != loader) {
        throw new AssertionError("verdict " + code + " from " + v.getClass().getClassLoader());
      }
    } finally {
      if (leak) {
        loader.kept = c;
      } else {
        client.getMethod("close").invoke(c);
      }
    }
    return loader;
  }

  /**
   * {@link #deploy} on a thread of its own, which then ends, as a container's request threads do
   * (Tomcat renews its pool's threads once an application is stopped): glibc keeps a library mapped
   * while a thread that has thread-local destructors of its code lives.
   */
  static URLClassLoader onItsOwnThread(URL classes, boolean leak) throws Exception {
    final URLClassLoader[] made = new URLClassLoader[1];
    final Exception[] failed = new Exception[1];
    Thread t =
        new Thread(
            new Runnable() {
              @Override
              public void run() {
                try {
                  made[0] = deploy(classes, leak);
                } catch (Exception e) {
                  failed[0] = e;
                }
              }
            },
            "deployment");
    t.start();
    t.join();
    if (failed[0] != null) {
      throw failed[0];
    }
    return made[0];
  }

  /** One request thread, kept alive from the first deployment until the measures are taken. */
  static final class RequestThread {
    // A daemon: if a deployment fails, main's exception ends the JVM instead of this
    // thread keeping it alive.
    private final java.util.concurrent.ExecutorService pool =
        java.util.concurrent.Executors.newSingleThreadExecutor(
            new java.util.concurrent.ThreadFactory() {
              @Override
              public Thread newThread(Runnable r) {
                Thread t = new Thread(r, "request");
                t.setDaemon(true);
                return t;
              }
            });

    URLClassLoader deploy(final URL classes) throws Exception {
      return pool.submit(
              new java.util.concurrent.Callable<URLClassLoader>() {
                @Override
                public URLClassLoader call() throws Exception {
                  return RedeployProbe.deploy(classes, false);
                }
              })
          .get();
    }

    void end() {
      pool.shutdown();
    }
  }

  /** Distinct files of libnameauth_jni mapped into this process. */
  static int copiesMapped() throws IOException {
    Set<String> files = new HashSet<>();
    for (String line :
        new String(Files.readAllBytes(Paths.get("/proc/self/maps")), StandardCharsets.UTF_8)
            .split("\n")) {
      int slash = line.indexOf('/');
      if (slash >= 0 && line.contains("libnameauth_jni")) {
        files.add(line.substring(slash));
      }
    }
    return files.size();
  }

  /**
   * TCP sockets this process has open (its connections to the sandbox; the JDK's own Unix sockets
   * are left out).
   */
  static int sockets() throws IOException {
    Set<String> tcp = new HashSet<>();
    for (String table : new String[] {"/proc/self/net/tcp", "/proc/self/net/tcp6"}) {
      for (String line :
          new String(Files.readAllBytes(Paths.get(table)), StandardCharsets.UTF_8).split("\n")) {
        String[] f = line.trim().split("\\s+");
        if (f.length > 9) {
          tcp.add("socket:[" + f[9] + "]");
        }
      }
    }
    int n = 0;
    java.io.File[] fds = new java.io.File("/proc/self/fd").listFiles();
    for (java.io.File fd : fds == null ? new java.io.File[0] : fds) {
      try {
        if (tcp.contains(Files.readSymbolicLink(fd.toPath()).toString())) {
          n++;
        }
      } catch (IOException e) {
        // Closed meanwhile (the listing's own descriptor).
      }
    }
    return n;
  }

  static int cleanerThreads() {
    int n = 0;
    for (Thread t : Thread.getAllStackTraces().keySet()) {
      if (t.getName().equals("nameauth-cleaner")) {
        n++;
      }
    }
    return n;
  }

  static int alive(List<WeakReference<ClassLoader>> loaders) {
    int n = 0;
    for (WeakReference<ClassLoader> w : loaders) {
      if (w.get() != null) {
        n++;
      }
    }
    return n;
  }

  public static void main(String[] args) throws Exception {
    int count = Integer.parseInt(args[0]);
    boolean keep = args.length > 1 && args[1].equals("keep");
    boolean leak = args.length > 1 && args[1].equals("leak");
    RequestThread requests =
        args.length > 1 && args[1].equals("pooled") ? new RequestThread() : null;
    int socketsBefore = sockets();
    URL classes = codeSource();
    List<WeakReference<ClassLoader>> loaders = new ArrayList<>();
    List<ClassLoader> kept = new ArrayList<>();
    int verified = 0;
    for (int i = 0; i < count; i++) {
      try (URLClassLoader loader =
          requests != null ? requests.deploy(classes) : onItsOwnThread(classes, leak)) {
        loaders.add(new WeakReference<ClassLoader>(loader));
        if (keep) {
          kept.add(loader);
        }
        verified++;
      }
    }
    System.out.println("verified " + verified);
    int peak = copiesMapped();
    int socketsPeak = sockets();
    // The collector's chance: loaders are found unreachable by a GC, and their libraries are
    // unloaded after it (JDK 9+: by a Cleaner thread; JDK 8: by a finalizer). Generous: the
    // loop ends as soon as everything is gone.
    for (int i = 0;
        !keep && i < 300 && (alive(loaders) > 0 || copiesMapped() > 1 || sockets() > socketsBefore);
        i++) {
      System.gc();
      Thread.sleep(100);
    }
    System.out.println("loaders alive " + alive(loaders));
    System.out.println("cleaner threads " + cleanerThreads());
    System.out.println("copies mapped at peak " + peak);
    System.out.println("copies mapped after " + copiesMapped());
    System.out.println("kept " + kept.size());
    System.out.println("sockets before " + socketsBefore);
    System.out.println("sockets at peak " + socketsPeak);
    System.out.println("sockets after " + sockets());
    if (requests != null) {
      requests.end();
    }
  }
}

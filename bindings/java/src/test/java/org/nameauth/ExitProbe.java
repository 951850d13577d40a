package org.nameauth;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * Run in a child JVM: a program that ends while calls are in flight. Daemon threads are in the
 * middle of verifies against the sandbox's slow record ({@code oSlow}, answered after 5 s), others
 * verify in a loop with every call's event logged (the native side calls back into Java), another
 * builds and drops clients; then the program ends, with {@code System.exit(7)} (argument {@code
 * exit}) or by returning from main (argument {@code return}: the JVM ends with daemon threads in
 * native code), the main thread's own call made and a dropped class loader's library perhaps
 * unloading, once every thread is under way (second argument {@code late}) or at once ({@code
 * early}: while the library loads). The JVM must end with that status, never a crash.
 */
public final class ExitProbe {
  private ExitProbe() {}

  static NameAuthClient client() {
    return NameAuthClient.builder(
            System.getenv("NAMEAUTH_APPID"),
            System.getenv("NAMEAUTH_SRC"),
            System.getenv("NAMEAUTH_KEY"))
        .endpoint(System.getenv("NAMEAUTH_ENDPOINT"))
        .timeoutMs(20000)
        .build();
  }

  static void daemon(String name, Runnable body) {
    Thread t = new Thread(body, name);
    t.setDaemon(true);
    t.start();
  }

  public static void main(String[] args) throws Exception {
    if (args[0].equals("crash")) {
      // The test's check of its own crash detector: a write to address 0 (SIGSEGV).
      Class<?> unsafe = Class.forName("sun.misc.Unsafe");
      java.lang.reflect.Field f = unsafe.getDeclaredField("theUnsafe");
      f.setAccessible(true);
      unsafe.getMethod("putAddress", long.class, long.class).invoke(f.get(null), 0L, 0L);
      return;
    }
    final AtomicLong logged = new AtomicLong();
    Logger log = Logger.getLogger("nameauth");
    log.setUseParentHandlers(false);
    log.addHandler(
        new Handler() {
          @Override
          public void publish(LogRecord r) {
            logged.incrementAndGet();
          }

          @Override
          public void flush() {}

          @Override
          public void close() {}
        });
    log.setLevel(Level.FINE);
    final NameAuthClient shared = client();
    final int slow = 4;
    final int fast = 2;
    final CountDownLatch started = new CountDownLatch(slow + fast + 1);
    for (int i = 0; i < slow; i++) {
      daemon(
          "slow-" + i,
          new Runnable() {
            @Override
            public void run() {
              started.countDown();
              shared.verify("oSlow", "\u5f20\u4e09", "110101199003074477");
            }
          });
    }
    for (int i = 0; i < fast; i++) {
      daemon(
          "fast-" + i,
          new Runnable() {
            @Override
            public void run() {
              shared.verify("oZhangSan", "\u5f20\u4e09", "110101199003074477");
              started.countDown();
              while (true) {
                shared.verify("oZhangSan", "\u5f20\u4e09", "110101199003074477");
              }
            }
          });
    }
    daemon(
        "churn",
        new Runnable() {
          @Override
          public void run() {
            started.countDown();
            while (true) {
              NameAuthClient c = client(); // dropped unclosed half the time
              c.verify("oZhangSan", "\u5f20\u4e09", "110101199003074477");
              if ((System.nanoTime() & 1) == 0) {
                c.close();
              }
            }
          }
        });
    if (args[1].equals("late")) {
      started.await();
      // The slow calls have been sent by now or are about to be: end at a moment that varies.
      Thread.sleep(20 + (System.nanoTime() % 40));
    } // "early": while the threads load the library and make their first calls

    // This thread's own call, and a web application's loader dropped just before the end (its
    // copy of the library may be unloading, JNI_OnUnload running, while the JVM ends).
    shared.verify("oZhangSan", "\u5f20\u4e09", "110101199003074477");
    RedeployProbe.deploy(RedeployProbe.codeSource()).close();
    System.gc();
    System.out.println("ending with " + logged.get() + " events logged");
    if (args[0].equals("exit")) {
      System.exit(7);
    }
  }
}

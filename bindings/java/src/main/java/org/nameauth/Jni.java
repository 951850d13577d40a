package org.nameauth;

import org.nameauth.internal.LoadOnce;

/**
 * The native methods of libnameauth_jni (crates/jni): the core behind one JNI call per verify.
 * Internal: use {@link NameAuthClient}. Every method but {@link #ensure()} needs the library, which
 * {@link #ensure()} loads: the static methods of {@link NameAuthClient} call it, and its instance
 * methods need not, since a client handle exists only once the library is loaded.
 */
final class Jni {
  /**
   * libnameauth_jni, checked once loaded; a failure to load it is an {@link
   * InvalidConfigException}.
   */
  private static final LoadOnce LIBRARY =
      new LoadOnce("nameauth_jni", "nameauth.library", "NAMEAUTH_LIBRARY", Jni.class) {
        @Override
        protected void load() {
          startLogSetup();
          super.load();
          // A library without these methods (the C library libnameauth.so, named by a setting
          // from the JNA days) fails here, not at the first verify.
          version();
        }

        @Override
        protected RuntimeException unloadable(Throwable why) {
          return new InvalidConfigException(
              0,
              "nameauth.library: cannot load libnameauth_jni (the jar carries it for"
                  + " linux-x86-64; elsewhere set the system property nameauth.library to the"
                  + " file or nameauth.library.path to its directory, or the variable"
                  + " NAMEAUTH_LIBRARY or NAMEAUTH_LIBRARY_PATH; if the temporary directory is"
                  + " mounted noexec, set nameauth.tmpdir; the C library libnameauth.so will not"
                  + " do): "
                  + why.getMessage(),
              "nameauth.library",
              "missing");
        }
      };

  private Jni() {}

  /**
   * Loads the library on first use. A failure is an {@link InvalidConfigException} on every call
   * that needs the library (not an {@code ExceptionInInitializerError} once and a {@code
   * NoClassDefFoundError} after), so a service can report it and go on.
   */
  static void ensure() {
    LIBRARY.ensure();
  }

  /**
   * Sets up logging (java.util.logging's LogManager, or SLF4J's provider: about 20 ms in a fresh
   * JVM) on another thread while this one copies and loads the library.
   */
  private static void startLogSetup() {
    try {
      Thread logs = new Thread(new LogSetup(), "nameauth-log-setup");
      logs.setDaemon(true);
      logs.start();
    } catch (RuntimeException | OutOfMemoryError e) {
      // No thread: the first verify sets logging up itself.
    }
  }

  /** Sets up {@link NameAuthLog} (its class initialisation). */
  private static final class LogSetup implements Runnable {
    @Override
    public void run() {
      try {
        NameAuthLog.level();
      } catch (RuntimeException | LinkageError e) {
        // A broken logging setup: the calls' own NameAuthLog.level() report it.
      }
    }
  }

  /** A client; {@code options} alternates names and values. */
  static native long clientBuild(String appid, String src, String key, String[] options);

  /** The client of CONFORMANCE.md's environment variables. */
  static native long clientFromEnv();

  /** Frees a client (0 is a no-op). */
  static native void clientFree(long handle);

  /**
   * One verify; {@code logLevel} 0 (none), 2 (retries and failovers) or 3 (every call) says which
   * events go to {@link NameAuthLog#emit(String)} before it returns or throws.
   */
  static native Verdict verify(
      long handle, String openid, String truename, String creid, String cretype, int logLevel);

  /** The counters of {@link NameAuthStats}, in its constructor's order. */
  static native long[] stats(long handle);

  /**
   * The signature of {@code args}: appid, openid, src, truename, creid, cretype, key and the sign
   * case ({@code "lower"} or {@code "upper"}), the order of the core's {@code SIGN_ARGS}.
   */
  static native String sign(String[] args);

  static native void validateId(String creid);

  static native String version();

  static native void releasePools();
}

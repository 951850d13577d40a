package org.nameauth.testing;

import org.nameauth.internal.LoadOnce;

/**
 * The native methods of libnameauth_sandbox (crates/sandbox-ffi/src/jni_methods.rs). Internal: use
 * {@link NameAuthSandbox}.
 */
final class SandboxNative {
  /** libnameauth_sandbox; a failure to load it is an {@code IllegalStateException}. */
  private static final LoadOnce LIBRARY =
      new LoadOnce(
          "nameauth_sandbox",
          "nameauth.sandbox.library",
          "NAMEAUTH_SANDBOX_LIBRARY",
          SandboxNative.class) {
        @Override
        protected RuntimeException unloadable(Throwable why) {
          return new IllegalStateException(
              "nameauth.sandbox.library: cannot load libnameauth_sandbox (the jar carries it"
                  + " for linux-x86-64; elsewhere set the system property"
                  + " nameauth.sandbox.library or nameauth.library.path): "
                  + why.getMessage());
        }
      };

  private SandboxNative() {}

  /**
   * Loads libnameauth_sandbox: the file of {@code nameauth.sandbox.library} or {@code
   * NAMEAUTH_SANDBOX_LIBRARY}, the directory of {@code nameauth.library.path}, or the jar's copy. A
   * failure is an {@code IllegalStateException} on every call.
   */
  static void ensure() {
    LIBRARY.ensure();
  }

  /** A running sandbox's handle; throws IllegalStateException if it cannot start. */
  static native long start(boolean tls, String fixturesJson, long latencyMs);

  static native String endpoint(long handle);

  /** Null for plain HTTP. */
  static native String caFile(long handle);

  /** 0: the app id, 1: the src, 2: the key. */
  static native String credential(int which);

  /** 0: the requests that reached the sandbox, 1: the connections it accepted. */
  static native long count(long handle, int which);

  static native long hits(long handle, String openid);

  /** Throws IllegalArgumentException for a bad record. */
  static native void addFixture(long handle, String openid, String recordJson);

  static native void free(long handle);
}

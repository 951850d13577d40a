package org.nameauth.testing;

import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Pointer;
import com.sun.jna.ptr.PointerByReference;
import java.util.Collections;
import java.util.Map;

/** The JNA mapping of include/nameauth_sandbox.h. Internal: use {@link NameAuthSandbox}. */
interface SandboxNative extends Library {
  int nameauth_sandbox_start(byte tls, String fixturesJson, long latencyMs, PointerByReference out);

  String nameauth_sandbox_endpoint(Pointer sb);

  String nameauth_sandbox_ca_file(Pointer sb);

  String nameauth_sandbox_appid();

  String nameauth_sandbox_src();

  String nameauth_sandbox_key();

  long nameauth_sandbox_requests(Pointer sb);

  long nameauth_sandbox_connections(Pointer sb);

  long nameauth_sandbox_hits(Pointer sb, String openid);

  int nameauth_sandbox_add_fixture(Pointer sb, String openid, String recordJson);

  long nameauth_sandbox_last_error(byte[] buf, long bufLen);

  void nameauth_sandbox_free(Pointer sb);

  /** Loads libnameauth_sandbox: the same overrides as libnameauth, then the jar's copy. */
  final class Loader {
    private static volatile SandboxNative lib;

    private Loader() {}

    static SandboxNative get() {
      SandboxNative l = lib;
      if (l != null) {
        return l;
      }
      synchronized (Loader.class) {
        if (lib == null) {
          lib = load();
        }
        return lib;
      }
    }

    private static String setting(String property, String variable) {
      String v = System.getProperty(property);
      if (v == null || v.isEmpty()) {
        v = System.getenv(variable);
      }
      return v == null || v.isEmpty() ? null : v;
    }

    private static SandboxNative load() {
      Map<String, Object> options =
          Collections.<String, Object>singletonMap(Library.OPTION_STRING_ENCODING, "UTF-8");
      String file = setting("nameauth.sandbox.library", "NAMEAUTH_SANDBOX_LIBRARY");
      String dir = setting("nameauth.library.path", "NAMEAUTH_LIBRARY_PATH");
      if (dir != null) {
        NativeLibrary.addSearchPath("nameauth_sandbox", dir);
      }
      try {
        return Native.load(file != null ? file : "nameauth_sandbox", SandboxNative.class, options);
      } catch (UnsatisfiedLinkError e) {
        IllegalStateException clear =
            new IllegalStateException(
                "nameauth.sandbox.library: cannot load libnameauth_sandbox (the jar carries it"
                    + " for linux-x86-64; elsewhere set the system property"
                    + " nameauth.sandbox.library or nameauth.library.path)");
        clear.initCause(e);
        throw clear;
      }
    }
  }
}

package org.nameauth;

import com.sun.jna.IntegerType;
import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Pointer;
import com.sun.jna.Structure;
import com.sun.jna.ptr.PointerByReference;
import java.util.Collections;
import java.util.Map;

/** The JNA mapping of include/nameauth.h. Internal: use {@link NameAuthClient}. */
interface NameAuthNative extends Library {

  /** C {@code size_t}. */
  final class SizeT extends IntegerType {
    private static final long serialVersionUID = 1L;

    public SizeT() {
      this(0);
    }

    SizeT(long value) {
      super(Native.SIZE_T_SIZE, value, true);
    }
  }

  int nameauth_sign(
      String appid,
      String openid,
      String src,
      String truename,
      String creid,
      String cretype,
      String key,
      int flags,
      byte[] out,
      SizeT outLen);

  int nameauth_client_new(
      String appid, String src, String key, String options, PointerByReference out);

  int nameauth_client_new_from_env(String options, PointerByReference out);

  void nameauth_client_free(Pointer client);

  int nameauth_verify(
      Pointer client,
      String openid,
      String truename,
      String creid,
      String cretype,
      PointerByReference out);

  int nameauth_validate_id(String creid);

  String nameauth_verdict_code(Pointer v);

  String nameauth_verdict_reason(Pointer v);

  String nameauth_verdict_message_zh(Pointer v);

  String nameauth_verdict_message_en(Pointer v);

  String nameauth_verdict_advice_zh(Pointer v);

  String nameauth_verdict_advice_en(Pointer v);

  String nameauth_verdict_nameauth_status(Pointer v);

  String nameauth_verdict_notmatch_param(Pointer v);

  String nameauth_verdict_name_mask(Pointer v);

  long nameauth_verdict_error_code(Pointer v);

  // C99 bool is one byte; JNA's boolean would read four.
  byte nameauth_verdict_passed(Pointer v);

  byte nameauth_verdict_is_config_problem(Pointer v);

  void nameauth_verdict_free(Pointer v);

  String nameauth_result_str(int r);

  String nameauth_result_kind(int r);

  SizeT nameauth_last_error(byte[] buf, SizeT bufLen);

  SizeT nameauth_last_error_field(byte[] buf, SizeT bufLen);

  SizeT nameauth_last_error_rule(byte[] buf, SizeT bufLen);

  int nameauth_options_new(PointerByReference out);

  int nameauth_options_set(Pointer options, String name, String value);

  void nameauth_options_free(Pointer options);

  int nameauth_client_build(
      String appid, String src, String key, Pointer options, PointerByReference out);

  String nameauth_version();

  /** C {@code nameauth_stats}: starts with its own size. */
  @Structure.FieldOrder({
    "size",
    "calls",
    "requests",
    "retries",
    "connections_opened",
    "failovers",
    "verdicts",
    "errors",
    "latency_p50_us",
    "latency_p90_us",
    "latency_p99_us"
  })
  final class Stats extends Structure {
    public SizeT size;
    public long calls;
    public long requests;
    public long retries;
    public long connections_opened;
    public long failovers;
    public long[] verdicts = new long[7];
    public long[] errors = new long[6];
    public long latency_p50_us;
    public long latency_p90_us;
    public long latency_p99_us;

    public Stats() {
      size = new SizeT(size());
    }
  }

  int nameauth_client_stats(Pointer client, Stats out);

  int nameauth_log_capture(int level);

  SizeT nameauth_log_captured(byte[] buf, SizeT bufLen);

  /**
   * Loads the library on first use. A failure is a {@link ConfigException} on every call that needs
   * the library (not an {@code ExceptionInInitializerError} once and a {@code NoClassDefFoundError}
   * after), so a service can report it and go on.
   */
  final class Loader {
    private static volatile NameAuthNative lib;

    private Loader() {}

    static NameAuthNative get() {
      NameAuthNative l = lib;
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

    private static NameAuthNative load() {
      // Strings cross as UTF-8 whatever the platform's default charset is.
      Map<String, Object> options =
          Collections.<String, Object>singletonMap(Library.OPTION_STRING_ENCODING, "UTF-8");
      String file = setting("nameauth.library", "NAMEAUTH_LIBRARY");
      String dir = setting("nameauth.library.path", "NAMEAUTH_LIBRARY_PATH");
      if (dir != null) {
        NativeLibrary.addSearchPath("nameauth", dir);
      }
      try {
        return Native.load(file != null ? file : "nameauth", NameAuthNative.class, options);
      } catch (UnsatisfiedLinkError | NoClassDefFoundError e) {
        ConfigException clear =
            new ConfigException(
                0,
                "nameauth.library: cannot load libnameauth (set the system property"
                    + " nameauth.library to a file or nameauth.library.path to a directory, or"
                    + " the variable NAMEAUTH_LIBRARY or NAMEAUTH_LIBRARY_PATH)",
                "nameauth.library",
                "missing");
        clear.initCause(e);
        throw clear;
      }
    }
  }
}

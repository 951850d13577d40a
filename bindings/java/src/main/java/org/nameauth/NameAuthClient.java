package org.nameauth;

import com.sun.jna.Pointer;
import com.sun.jna.ptr.PointerByReference;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * A WeChat Pay real-name client over the nameauth C library.
 *
 * <pre>{@code
 * try (NameAuthClient client = NameAuthClient.builder(appid, src, key).timeoutMillis(5000).build()) {
 *   Verdict v = client.verify("oUpF8uMuAJO_M2pxb1Q9zNjWeS6o", "张三", "110101199003074477");
 *   if (v.passed()) { ... } else { log(v.code(), v.reason(), v.messageZh()); }
 * }
 * }</pre>
 *
 * <p>Thread-safe: build one per merchant account and share it; all threads use one pool of
 * keep-alive connections. {@link #close()} frees the native client and wipes the key; it waits for
 * calls in progress. Every failure is a {@link NameAuthException} subclass.
 *
 * <p>The native library is found through the system property {@code nameauth.library} (a file) or
 * {@code nameauth.library.path} (a directory), the environment variables {@code NAMEAUTH_LIBRARY}
 * and {@code NAMEAUTH_LIBRARY_PATH}, or JNA's {@code jna.library.path}.
 */
public final class NameAuthClient implements AutoCloseable {
  private final ReadWriteLock lock = new ReentrantReadWriteLock();
  private Pointer handle; // guarded by lock
  private final String description;

  private NameAuthClient(Pointer handle, String description) {
    this.handle = handle;
    this.description = description;
  }

  private static NameAuthNative lib() {
    return NameAuthNative.Holder.LIB;
  }

  /** This thread's last error message from the C library. */
  private static String lastError() {
    NameAuthNative lib = lib();
    long n = lib.nameauth_last_error(null, new NameAuthNative.SizeT(0)).longValue();
    byte[] buf = new byte[(int) Math.min(n + 1, 1 << 16)];
    lib.nameauth_last_error(buf, new NameAuthNative.SizeT(buf.length));
    int len = 0;
    while (len < buf.length && buf[len] != 0) {
      len++;
    }
    return new String(buf, 0, len, StandardCharsets.UTF_8);
  }

  private static NameAuthException failure(int status) {
    return NameAuthException.fromStatus(status, lastError());
  }

  /**
   * Refuses a string the C ABI cannot carry whole: a NUL would silently cut it short. Same words as
   * the core's rule.
   */
  private static void noNul(String field, String value) {
    if (value == null) {
      throw new InvalidInputException(7, field + ": is null");
    }
    int i = value.indexOf('\0');
    if (i >= 0) {
      int position = value.codePointCount(0, i) + 1;
      throw new InvalidInputException(
          1, field + ": character " + position + " is a control character");
    }
  }

  /** Like {@link #noNul} for configuration values, which are {@link ConfigException}s. */
  private static void configValue(String field, String value) {
    if (value == null) {
      throw new ConfigException(0, field + ": is null");
    }
    if (value.indexOf('\0') >= 0) {
      throw new ConfigException(0, field + ": contains a NUL character");
    }
  }

  /** {@code scheme://host/path} with any {@code user:password@} replaced. */
  private static String redact(String url) {
    return url.replaceFirst("://[^/@]*@", "://***@");
  }

  /** A builder with the three credentials WeChat Pay issues. */
  public static Builder builder(String appid, String src, String key) {
    return new Builder(appid, src, key);
  }

  /**
   * A client from the environment of CONFORMANCE.md: {@code NAMEAUTH_APPID}, {@code NAMEAUTH_SRC},
   * {@code NAMEAUTH_KEY}, and optionally {@code NAMEAUTH_ENDPOINT}, {@code NAMEAUTH_TIMEOUT_MS},
   * {@code NAMEAUTH_SIGN_CASE}, {@code NAMEAUTH_CA_FILE}.
   *
   * @throws ConfigException naming the missing or malformed variable
   */
  public static NameAuthClient fromEnv() {
    PointerByReference out = new PointerByReference();
    int r = lib().nameauth_client_new_from_env(null, out);
    if (r != 0) {
      throw failure(r);
    }
    return new NameAuthClient(out.getValue(), "from the environment");
  }

  /** Verifies a user with a resident ID card ({@code cretype=1}). */
  public Verdict verify(String openid, String truename, String creid) {
    return verify(openid, truename, creid, "1");
  }

  /**
   * Verifies one user: checks every rule of docs/SPEC.md §3 (nothing is sent if one fails), signs, sends
   * and maps the answer. Returns a verdict whenever the server answered (A–F and Other).
   *
   * @throws InvalidInputException a rule of docs/SPEC.md §3 is broken; nothing was sent
   * @throws NameAuthTimeoutException no complete answer within the timeout
   * @throws TransportException refused, reset, TLS failure, non-2xx status
   * @throws ProtocolException a malformed answer
   * @throws ConfigException the client is closed
   */
  public Verdict verify(String openid, String truename, String creid, String cretype) {
    noNul("openid", openid);
    noNul("truename", truename);
    noNul("creid", creid);
    noNul("cretype", cretype);
    NameAuthNative lib = lib();
    lock.readLock().lock();
    try {
      if (handle == null) {
        throw new ConfigException(0, "client: is closed");
      }
      PointerByReference out = new PointerByReference();
      int r = lib.nameauth_verify(handle, openid, truename, creid, cretype, out);
      if (r != 0) {
        throw failure(r);
      }
      Pointer v = out.getValue();
      try {
        return new Verdict(
            lib.nameauth_verdict_code(v),
            lib.nameauth_verdict_reason(v),
            lib.nameauth_verdict_message_zh(v),
            lib.nameauth_verdict_message_en(v),
            lib.nameauth_verdict_advice_zh(v),
            lib.nameauth_verdict_advice_en(v),
            lib.nameauth_verdict_error_code(v),
            lib.nameauth_verdict_nameauth_status(v),
            lib.nameauth_verdict_notmatch_param(v),
            lib.nameauth_verdict_name_mask(v),
            lib.nameauth_verdict_passed(v) != 0,
            lib.nameauth_verdict_is_config_problem(v) != 0);
      } finally {
        lib.nameauth_verdict_free(v);
      }
    } finally {
      lock.readLock().unlock();
    }
  }

  /** True once {@link #close()} has been called. */
  public boolean isClosed() {
    lock.readLock().lock();
    try {
      return handle == null;
    } finally {
      lock.readLock().unlock();
    }
  }

  /** Frees the native client (its connections and key). Idempotent. */
  @Override
  public void close() {
    lock.writeLock().lock();
    try {
      if (handle != null) {
        lib().nameauth_client_free(handle);
        handle = null;
      }
    } finally {
      lock.writeLock().unlock();
    }
  }

  /** Shows the app id and endpoint, never the key. */
  @Override
  public String toString() {
    return "NameAuthClient{" + description + (isClosed() ? ", closed" : "") + ", key=<redacted>}";
  }

  /**
   * The signature of a request (docs/SPEC.md §2): 32 hex digits. Values are signed exactly as given.
   *
   * @throws InvalidInputException an empty field or a control character
   * @throws ConfigException an empty key
   */
  public static String sign(
      String appid,
      String openid,
      String src,
      String truename,
      String creid,
      String cretype,
      String key,
      SignCase signCase) {
    noNul("appid", appid);
    noNul("openid", openid);
    noNul("src", src);
    noNul("truename", truename);
    noNul("creid", creid);
    noNul("cretype", cretype);
    configValue("key", key);
    byte[] out = new byte[33];
    int r =
        lib()
            .nameauth_sign(
                appid,
                openid,
                src,
                truename,
                creid,
                cretype,
                key,
                signCase == SignCase.UPPER ? 1 : 0,
                out,
                new NameAuthNative.SizeT(out.length));
    if (r != 0) {
      throw failure(r);
    }
    return new String(out, 0, 32, StandardCharsets.US_ASCII);
  }

  /**
   * Checks a resident ID number ({@code cretype=1}) against every rule of docs/SPEC.md §3.
   *
   * @throws InvalidInputException naming the rule (never repeating the number)
   */
  public static void validateId(String creid) {
    noNul("creid", creid);
    int r = lib().nameauth_validate_id(creid);
    if (r != 0) {
      throw failure(r);
    }
  }

  /** The native library's version, e.g. {@code "0.1.0"}. */
  public static String version() {
    return lib().nameauth_version();
  }

  /** Configures a {@link NameAuthClient}; nothing is checked until {@link #build()}. */
  public static final class Builder {
    private final String appid;
    private final String src;
    private final String key;
    private final StringBuilder options = new StringBuilder();
    private String endpoint;

    private Builder(String appid, String src, String key) {
      this.appid = appid;
      this.src = src;
      this.key = key;
    }

    private Builder option(String name, String value) {
      configValue(name, value);
      if (value.indexOf(';') >= 0 || value.indexOf('\n') >= 0) {
        throw new ConfigException(0, name + ": must not contain ';' or a line break");
      }
      options.append(name).append('=').append(value).append(';');
      return this;
    }

    /** Full URL of the nameautheasy endpoint (default: the real WeChat Pay one). */
    public Builder endpoint(String url) {
      this.endpoint = url;
      return option("endpoint", url);
    }

    /** Longest a whole verify may take, retries included (default 10000 ms). */
    public Builder timeoutMillis(long ms) {
      return option("timeout_ms", Long.toString(ms));
    }

    /** Longest wait for a connection, TLS handshake included (default 3000 ms). */
    public Builder connectTimeoutMillis(long ms) {
      return option("connect_timeout_ms", Long.toString(ms));
    }

    /** Hex case of the signature (default lower). */
    public Builder signCase(SignCase signCase) {
      return option("sign_case", signCase == SignCase.UPPER ? "upper" : "lower");
    }

    /** Retries where the request cannot have been processed (default 2, at most 10). */
    public Builder retries(int retries) {
      return option("retries", Integer.toString(retries));
    }

    /** An HTTP(S) proxy, {@code http://[user:password@]host:port}. */
    public Builder proxy(String url) {
      return option("proxy", url);
    }

    /** A PEM file of extra root certificates, trusted besides Mozilla's roots. */
    public Builder caFile(String path) {
      return option("ca_file", path);
    }

    /** Whether resident-ID numbers are checked locally (default true). */
    public Builder validateId(boolean on) {
      return option("validate_id", Boolean.toString(on));
    }

    /** Allows plain http:// to non-loopback hosts (test rigs only; default false). */
    public Builder allowHttp(boolean on) {
      return option("allow_http", Boolean.toString(on));
    }

    /**
     * Checks everything and creates the client.
     *
     * @throws ConfigException naming the field at fault (never showing the key)
     */
    public NameAuthClient build() {
      configValue("appid", appid);
      configValue("src", src);
      configValue("key", key);
      PointerByReference out = new PointerByReference();
      int r = lib().nameauth_client_new(appid, src, key, options.toString(), out);
      if (r != 0) {
        throw failure(r);
      }
      String shown =
          "appid=" + appid + ", endpoint=" + (endpoint == null ? "(WeChat Pay)" : redact(endpoint));
      return new NameAuthClient(out.getValue(), shown);
    }
  }
}

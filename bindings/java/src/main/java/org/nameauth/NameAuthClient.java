package org.nameauth;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * A WeChat Pay real-name client over the nameauth core (one JNI call per verify).
 *
 * <pre>{@code
 * try (NameAuthClient client = NameAuthClient.builder(appid, src, key).timeoutMs(5000).build()) {
 *   Verdict v = client.verify("oUpF8uMuAJO_M2pxb1Q9zNjWeS6o", "张三", "110101199003074477");
 *   if (v.passed()) { ... } else { log(v.code(), v.reason(), v.messageZh()); }
 * }
 * }</pre>
 *
 * <p>Thread-safe: build one per merchant account and share it; all threads use one pool of
 * keep-alive connections. {@link #close()} frees the native client and wipes the key; it waits for
 * calls in progress (called by a logger during a call on this client, it frees it when that call
 * ends), and a closed client throws {@link IllegalStateException}. Every other failure is a {@link
 * NameAuthException} subclass with {@link NameAuthException#kind()}, {@link
 * NameAuthException#field()} and {@link NameAuthException#rule()}.
 *
 * <p>The jar carries its native library, {@code libnameauth_jni.so}, for Linux x86-64 (glibc 2.17
 * or later) and copies it to a new file under {@code nameauth.tmpdir} (default {@code
 * java.io.tmpdir}) on first use. Another copy is used instead if the system property {@code
 * nameauth.library} (a file) or {@code nameauth.library.path} (a directory), or the environment
 * variable {@code NAMEAUTH_LIBRARY} or {@code NAMEAUTH_LIBRARY_PATH}, names one; on other platforms
 * it is looked for on {@code java.library.path}.
 */
public final class NameAuthClient implements AutoCloseable {
  /** The document type of a resident ID card (居民身份证), {@code cretype} 1, the default. */
  public static final String RESIDENT_ID_CARD = "1";

  // The write lock makes close() wait for calls in progress; holding the read lock across
  // the native call also keeps this object reachable until it returns, so the collector's
  // cleanup can never free a handle in use.
  //
  // close() from inside a call on this client (a logger that closes it, the only code that
  // runs on the caller's thread during a call) cannot take the write lock its own thread's
  // read lock blocks: it marks the client closed and the outermost call of that thread
  // frees the handle when it ends (endCall). Calls that start once it is marked are refused.
  private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
  private final NativeHandle handle;
  // Read without the lock, so toString and isClosed never wait for a close in progress.
  private volatile boolean closed;
  // Set by a close() that a call on its own thread made (see the lock).
  private volatile boolean closeDeferred;
  private final String description;

  private NameAuthClient(long handle, String description) {
    this.handle = new NativeHandle(this, handle);
    this.description = description;
  }

  /** The native handle; call with the read lock held. */
  private long live() {
    long h = handle.get();
    if (h == 0 || closed) {
      throw new IllegalStateException("client: is closed");
    }
    return h;
  }

  /**
   * Refuses what the core cannot receive intact: null (named as the C library would), a NUL (which
   * no field may hold, and C would cut the string there) and an unpaired surrogate (UTF-8 cannot
   * encode it).
   */
  private static void text(String field, String value, boolean config) {
    String rule = null;
    String message = null;
    if (value == null) {
      rule = "null";
      message = field + ": is null";
    } else {
      for (int i = 0; i < value.length() && rule == null; i++) {
        char c = value.charAt(i);
        if (c == '\0') {
          rule = "control_character";
          message = field + ": character " + position(value, i) + " is a control character";
        } else if (Character.isHighSurrogate(c)
            && i + 1 < value.length()
            && Character.isLowSurrogate(value.charAt(i + 1))) {
          i++;
        } else if (Character.isSurrogate(c)) {
          rule = "invalid_utf8";
          message = field + ": character " + position(value, i) + " is an unpaired surrogate";
        }
      }
    }
    if (rule != null) {
      throw config
          ? new InvalidConfigException(0, message, field, rule)
          : new InvalidInputException(0, message, field, rule);
    }
  }

  /**
   * The 1-based character (code point) position of {@code value.charAt(i)}; counted only for the
   * message, once, since counting at each character would make a long value's scan quadratic.
   */
  private static int position(String value, int i) {
    return value.codePointCount(0, i) + 1;
  }

  private static void noNul(String field, String value) {
    text(field, value, false);
  }

  private static void configValue(String field, String value) {
    text(field, value, true);
  }

  /** The URL without user, password, query or fragment. */
  private static String redact(String url) {
    int scheme = url.indexOf("://");
    int start = scheme < 0 ? 0 : scheme + 3;
    int at = url.lastIndexOf('@');
    String head = url.substring(0, start);
    String rest = url.substring(Math.max(start, at + 1));
    int cut = rest.length();
    for (char c : new char[] {'?', '#'}) {
      int i = rest.indexOf(c);
      if (i >= 0 && i < cut) {
        cut = i;
      }
    }
    return head + (at >= start ? "***@" : "") + rest.substring(0, cut);
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
   * @throws InvalidConfigException naming the missing or malformed variable
   */
  public static NameAuthClient fromEnv() {
    Jni.ensure();
    return new NameAuthClient(Jni.clientFromEnv(), "from the environment");
  }

  /** Verifies a user with a resident ID card ({@code cretype=1}). */
  public Verdict verify(String openid, String truename, String creid) {
    return verify(openid, truename, creid, RESIDENT_ID_CARD);
  }

  /**
   * Verifies one user: checks every rule of docs/SPEC.md §3 (nothing is sent if one fails), signs,
   * sends and maps the answer. Returns a verdict whenever the server answered (A–F and Other).
   *
   * @throws InvalidInputException a rule of docs/SPEC.md §3 is broken; nothing was sent
   * @throws TimeoutException no complete answer within the timeout
   * @throws TransportException refused, reset, TLS failure, non-2xx status
   * @throws ProtocolException a malformed answer
   * @throws IllegalStateException the client is closed
   */
  public Verdict verify(String openid, String truename, String creid, String cretype) {
    noNul("openid", openid);
    noNul("truename", truename);
    noNul("creid", creid);
    noNul("cretype", cretype);
    lock.readLock().lock();
    try {
      // Events are captured (and formatted) natively only when a logger takes them. The
      // first call waits here for the logging setup Jni.ensure() started, so that its events
      // reach the logger before it returns (a program may exit at once).
      return Jni.verify(live(), openid, truename, creid, cretype, NameAuthLog.level());
    } finally {
      endCall();
    }
  }

  /**
   * What this client did since it was built: requests, retries, connections opened, failovers,
   * verdicts per code, errors per kind and latency percentiles. Counted in the native library
   * without a lock; reading them costs one native call.
   *
   * @return the counters
   * @throws IllegalStateException if the client is closed
   */
  public NameAuthStats stats() {
    lock.readLock().lock();
    try {
      return new NameAuthStats(Jni.stats(live()));
    } finally {
      endCall();
    }
  }

  /** True once {@link #close()} has been called. */
  public boolean isClosed() {
    return closed;
  }

  /** Frees the native client (its connections and key). Idempotent. */
  @Override
  public void close() {
    closed = true;
    if (lock.getReadHoldCount() > 0) {
      closeDeferred = true;
      return; // inside a call on this client: endCall frees the handle (see the lock)
    }
    lock.writeLock().lock();
    try {
      handle.free();
    } finally {
      lock.writeLock().unlock();
    }
  }

  /** Releases a call's read lock; frees the handle if its own thread closed it meanwhile. */
  private void endCall() {
    lock.readLock().unlock();
    if (closeDeferred && lock.getReadHoldCount() == 0) {
      close();
    }
  }

  /** Shows the app id and endpoint, never the key. */
  @Override
  public String toString() {
    return "NameAuthClient{" + description + (isClosed() ? ", closed" : "") + ", key=<redacted>}";
  }

  /**
   * The signature of a request (docs/SPEC.md §2): 32 hex digits. Values are signed exactly as
   * given.
   *
   * @throws InvalidInputException an empty field or a control character
   * @throws InvalidConfigException an empty key
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
    Jni.ensure();
    return Jni.sign(
        new String[] {appid, openid, src, truename, creid, cretype, key, caseName(signCase)});
  }

  /** The {@code sign_case} option's value for {@code c}: {@code "upper"}, else {@code "lower"}. */
  private static String caseName(SignCase c) {
    return c == SignCase.UPPER ? "upper" : "lower";
  }

  /**
   * Checks a resident ID number ({@code cretype=1}) against every rule of docs/SPEC.md §3.
   *
   * @throws InvalidInputException naming the rule (never repeating the number)
   */
  public static void validateId(String creid) {
    noNul("creid", creid);
    Jni.ensure();
    Jni.validateId(creid);
  }

  /** The native library's version, e.g. {@code "0.1.0"}. */
  public static String version() {
    Jni.ensure();
    return Jni.version();
  }

  /**
   * Releases the keep-alive pools the process keeps for its clients (clients built with the same
   * settings share one, and it outlives them, so a client per request still reuses connections):
   * each closes its idle connections once no client uses it, and clients built later start new
   * ones. Never needed for correctness; call it when the application is done with nameauth (a web
   * application's shutdown, say).
   */
  public static void releasePools() {
    Jni.ensure();
    NativeHandle.expunge();
    Jni.releasePools();
  }

  /** Configures a {@link NameAuthClient}; nothing is checked until {@link #build()}. */
  public static final class Builder {
    private final String appid;
    private final String src;
    private final String key;
    private final Map<String, String> options = new LinkedHashMap<>();
    private String endpoint;

    private Builder(String appid, String src, String key) {
      this.appid = appid;
      this.src = src;
      this.key = key;
    }

    /**
     * Sets an option by its name in every nameauth front end ({@code timeout_ms}, {@code proxy},
     * ...); the value is checked by {@link #build()}, and may hold any character.
     */
    public Builder option(String name, String value) {
      configValue("option name", name);
      configValue(name, value);
      options.put(name, value);
      return this;
    }

    /** Full URL of the nameautheasy endpoint (default: the real WeChat Pay one). */
    public Builder endpoint(String url) {
      this.endpoint = url;
      return option("endpoint", url);
    }

    /** {@code timeout_ms}: longest a whole verify may take, retries included (default 10000). */
    public Builder timeoutMs(long ms) {
      return option("timeout_ms", Long.toString(ms));
    }

    /** Longest wait for a connection, TLS handshake included (default 3000 ms). */
    public Builder connectTimeoutMs(long ms) {
      return option("connect_timeout_ms", Long.toString(ms));
    }

    /**
     * How long an unused keep-alive connection is kept before it is closed (default 7000 ms, under
     * the 8 s after which WeChat Pay closes one; 1 to 600000).
     */
    public Builder idleTimeoutMs(long ms) {
      return option("idle_timeout_ms", Long.toString(ms));
    }

    /** Hex case of the signature (default lower). */
    public Builder signCase(SignCase signCase) {
      return option("sign_case", caseName(signCase));
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
    public Builder idRules(boolean on) {
      return option("id_rules", Boolean.toString(on));
    }

    /** Allows plain http:// to non-loopback hosts (test rigs only; default false). */
    public Builder allowHttp(boolean on) {
      return option("allow_http", Boolean.toString(on));
    }

    /**
     * {@code fallback_endpoint}: a second URL (for example WeChat Pay's backup domain, {@code
     * https://api2.mch.weixin.qq.com/cgi-bin/nameauth/nameautheasy}), used only when the endpoint
     * cannot be reached at all (connection refused or never established, host not found), so a
     * failover never sends a check twice. The same route rules as {@code endpoint} apply.
     *
     * @param url the fallback endpoint
     * @return this builder
     */
    public Builder fallbackEndpoint(String url) {
      return option("fallback_endpoint", url);
    }

    /**
     * Checks everything and creates the client.
     *
     * @throws InvalidConfigException naming the field at fault (never showing the key)
     */
    public NameAuthClient build() {
      configValue("appid", appid);
      configValue("src", src);
      configValue("key", key);
      List<String> pairs = new ArrayList<>(options.size() * 2);
      for (Map.Entry<String, String> e : options.entrySet()) {
        pairs.add(e.getKey());
        pairs.add(e.getValue());
      }
      Jni.ensure();
      long made = Jni.clientBuild(appid, src, key, pairs.toArray(new String[0]));
      String shown =
          "appid=" + appid + ", endpoint=" + (endpoint == null ? "(WeChat Pay)" : redact(endpoint));
      return new NameAuthClient(made, shown);
    }
  }
}

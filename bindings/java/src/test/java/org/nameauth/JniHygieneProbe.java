package org.nameauth;

/**
 * Run in a child JVM under -Xcheck:jni: every native method, on its success and failure paths. The
 * JVM prints a warning for a JNI misuse (a call with an exception pending, too many local
 * references, a bad reference); the test finds none.
 */
public final class JniHygieneProbe {
  private JniHygieneProbe() {}

  static void expect(Class<? extends Throwable> type, Runnable call) {
    try {
      call.run();
    } catch (Throwable t) {
      if (type.isInstance(t)) {
        return;
      }
      throw new AssertionError("expected " + type.getName() + ", got " + t, t);
    }
    throw new AssertionError("expected " + type.getName());
  }

  public static void main(String[] args) {
    String appid = System.getenv("NAMEAUTH_APPID");
    String src = System.getenv("NAMEAUTH_SRC");
    String key = System.getenv("NAMEAUTH_KEY");
    String endpoint = System.getenv("NAMEAUTH_ENDPOINT");
    java.util.logging.Logger.getLogger("nameauth").setLevel(java.util.logging.Level.FINE);
    try (NameAuthClient c =
        NameAuthClient.builder(appid, src, key).endpoint(endpoint).timeoutMs(2000).build()) {
      for (int i = 0; i < 50; i++) {
        if (!c.verify("oZhangSan", "\u5f20\u4e09", "110101199003074477").passed()) {
          throw new AssertionError("not A");
        }
      }
      c.verify("oZhangSan", "\u5f20\u56db", "110101199003074477");
      expect(InvalidInputException.class, () -> c.verify("o", "\u5f20\u4e09", "1101"));
      expect(ProtocolException.class, () -> c.verify("oGarbage", "x", "110101199003074477"));
      expect(
          TransportException.class,
          () -> c.verify("oHttp503", "\u5f20\u4e09", "110101199003074477"));
      c.stats();
    }
    expect(
        InvalidConfigException.class,
        () -> NameAuthClient.builder(appid, src, key).option("no_such_option", "1").build());
    expect(NameAuthException.class, () -> Jni.verify(0, null, null, null, null, 3));
    expect(NameAuthException.class, () -> Jni.clientBuild(null, null, null, null));
    NameAuthClient.sign("a", "o", "s", "n", "1", "1", "k", SignCase.UPPER);
    expect(InvalidInputException.class, () -> NameAuthClient.validateId("11010519491231002Y"));
    NameAuthClient.version();
    NameAuthClient.releasePools();
    System.out.println("hygiene done");
  }
}

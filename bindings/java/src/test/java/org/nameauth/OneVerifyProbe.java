package org.nameauth;

/**
 * Run in a child JVM whose java.util.logging configuration file sets the logger nameauth to FINE:
 * one verify, then exit at once. Its event must have been logged (the first call waits for the
 * logging setup rather than leaving its events behind).
 */
public final class OneVerifyProbe {
  private OneVerifyProbe() {}

  public static void main(String[] args) {
    try (NameAuthClient c =
        NameAuthClient.builder(
                System.getenv("NAMEAUTH_APPID"),
                System.getenv("NAMEAUTH_SRC"),
                System.getenv("NAMEAUTH_KEY"))
            .endpoint(System.getenv("NAMEAUTH_ENDPOINT"))
            .build()) {
      System.out.println(
          "code " + c.verify("oZhangSan", "\u5f20\u4e09", "110101199003074477").code());
    }
  }
}

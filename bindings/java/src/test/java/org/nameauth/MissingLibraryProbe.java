package org.nameauth;

/**
 * Run in a child JVM with a library path that does not exist: every call that needs the library
 * must throw the same InvalidConfigException, not an ExceptionInInitializerError and then
 * NoClassDefFoundError. Prints one line per call; exits 0 when both calls behaved.
 */
public final class MissingLibraryProbe {
  private MissingLibraryProbe() {}

  public static void main(String[] args) {
    int good = 0;
    for (int i = 0; i < 2; i++) {
      try {
        NameAuthClient.version();
        System.out.println("loaded?");
      } catch (InvalidConfigException e) {
        System.out.println(e.kind() + " " + e.field() + " " + e.rule());
        good++;
      } catch (Throwable t) {
        System.out.println("wrong: " + t.getClass().getName());
      }
    }
    System.exit(good == 2 ? 0 : 1);
  }
}

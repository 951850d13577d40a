package org.nameauth;

/**
 * Run in a child JVM: loads the library the way a user's JVM would (from the class path, or as its
 * system properties say) and prints its version.
 */
public final class LoadProbe {
  private LoadProbe() {}

  public static void main(String[] args) {
    System.out.println("version " + NameAuthClient.version());
  }
}

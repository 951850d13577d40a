package org.nameauth;

/** Letter case of the signature's hex digits. */
public enum SignCase {
  /** {@code 0-9a-f}, the default. */
  LOWER,
  /** {@code 0-9A-F}, for servers that expect it. */
  UPPER
}

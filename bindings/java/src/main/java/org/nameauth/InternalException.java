package org.nameauth;

/** A bug in nameauth (for example a panic caught in the native library). */
public class InternalException extends NameAuthException {
  private static final long serialVersionUID = 1L;

  InternalException(int resultCode, String message) {
    super("internal", resultCode, message, "", "", 0);
  }
}

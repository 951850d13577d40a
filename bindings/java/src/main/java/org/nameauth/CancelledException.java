package org.nameauth;

/**
 * The caller cancelled the call before its request was written; nothing was sent (result code 11,
 * kind {@code cancelled}). Only calls the caller can cancel raise it, never {@code verify}.
 */
public class CancelledException extends NameAuthException {
  private static final long serialVersionUID = 1L;

  CancelledException(int resultCode, String message) {
    super("cancelled", resultCode, message, "", "", 0);
  }
}

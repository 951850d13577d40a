package org.nameauth;

/** A user input breaks a rule of docs/SPEC.md §3; nothing was sent. */
public class InvalidInputException extends NameAuthException {
  private static final long serialVersionUID = 1L;

  InvalidInputException(int resultCode, String message, String field, String rule) {
    super("invalid_input", resultCode, message, field, rule, 0);
  }
}

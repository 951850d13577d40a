package org.nameauth;

/** A user input breaks a rule of docs/SPEC.md §3; nothing was sent. */
public class InvalidInputException extends NameAuthException {
  private static final long serialVersionUID = 1L;

  InvalidInputException(int status, String message, String field, String rule) {
    super("invalid_input", status, message, field, rule);
  }
}

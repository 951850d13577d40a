package org.nameauth;

/** The client configuration is unusable (credentials, endpoint, options). */
public class InvalidConfigException extends NameAuthException {
  private static final long serialVersionUID = 1L;

  InvalidConfigException(int resultCode, String message, String field, String rule) {
    super("invalid_config", resultCode, message, field, rule, 0);
  }
}

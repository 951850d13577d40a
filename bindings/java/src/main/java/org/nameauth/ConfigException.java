package org.nameauth;

/** The client configuration is unusable (credentials, endpoint, options). */
public class ConfigException extends NameAuthException {
  private static final long serialVersionUID = 1L;

  ConfigException(int status, String message, String field, String rule) {
    super("invalid_config", status, message, field, rule);
  }
}

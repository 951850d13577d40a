package org.nameauth;

import java.util.Objects;

/**
 * What the server answered, mapped to docs/SPEC.md §5's verdict table: the code, the reason, the
 * texts and the raw fields. Immutable. Holds no clear personal data ({@link #nameMask()} is masked
 * by the server).
 */
public final class Verdict {
  private final String code;
  private final String reason;
  private final String messageZh;
  private final String messageEn;
  private final String adviceZh;
  private final String adviceEn;
  private final long errorCode;
  private final String nameauthStatus;
  private final String notmatchParam;
  private final String nameMask;
  private final boolean passed;
  private final boolean configProblem;

  /**
   * A verdict with these fields, for test fakes; a client builds its verdicts from the server's
   * answer.
   *
   * @throws NullPointerException if a text is null, naming its parameter (an absent server field is
   *     {@code ""})
   */
  public Verdict(
      String code,
      String reason,
      String messageZh,
      String messageEn,
      String adviceZh,
      String adviceEn,
      long errorCode,
      String nameauthStatus,
      String notmatchParam,
      String nameMask,
      boolean passed,
      boolean configProblem) {
    this.code = Objects.requireNonNull(code, "code");
    this.reason = Objects.requireNonNull(reason, "reason");
    this.messageZh = Objects.requireNonNull(messageZh, "messageZh");
    this.messageEn = Objects.requireNonNull(messageEn, "messageEn");
    this.adviceZh = Objects.requireNonNull(adviceZh, "adviceZh");
    this.adviceEn = Objects.requireNonNull(adviceEn, "adviceEn");
    this.errorCode = errorCode;
    this.nameauthStatus = Objects.requireNonNull(nameauthStatus, "nameauthStatus");
    this.notmatchParam = Objects.requireNonNull(notmatchParam, "notmatchParam");
    this.nameMask = Objects.requireNonNull(nameMask, "nameMask");
    this.passed = passed;
    this.configProblem = configProblem;
  }

  /** {@code "A"} … {@code "F"} or {@code "Other"}. */
  public String code() {
    return code;
  }

  /** The reason id of docs/SPEC.md §5, e.g. {@code "name_mismatch"}. */
  public String reason() {
    return reason;
  }

  /** True only for code A (verified). */
  public boolean passed() {
    return passed;
  }

  /**
   * True for error codes 1000, 1001, 1002 and 1007: the merchant's request or configuration is
   * wrong. Never retry these.
   */
  public boolean isConfigProblem() {
    return configProblem;
  }

  /** The meaning, in Chinese. */
  public String messageZh() {
    return messageZh;
  }

  /** The meaning, in English. */
  public String messageEn() {
    return messageEn;
  }

  /** What the merchant should do, in Chinese. */
  public String adviceZh() {
    return adviceZh;
  }

  /** What the merchant should do, in English. */
  public String adviceEn() {
    return adviceEn;
  }

  /** The server's {@code error_code} (0 when the query ran). */
  public long errorCode() {
    return errorCode;
  }

  /** The server's {@code nameauth_status}, {@code ""} when absent. */
  public String nameauthStatus() {
    return nameauthStatus;
  }

  /**
   * The server's {@code notmatch_param}, normalised to {@code "1"}, {@code "2"} or {@code "1|2"},
   * {@code ""} when absent.
   */
  public String notmatchParam() {
    return notmatchParam;
  }

  /** The server's {@code name_mask} (masked by the server), {@code ""} when absent. */
  public String nameMask() {
    return nameMask;
  }

  @Override
  public String toString() {
    return "Verdict{code="
        + code
        + ", reason="
        + reason
        + ", errorCode="
        + errorCode
        + ", nameauthStatus="
        + nameauthStatus
        + ", notmatchParam="
        + notmatchParam
        + "}";
  }

  @Override
  public boolean equals(Object o) {
    if (this == o) {
      return true;
    }
    if (!(o instanceof Verdict)) {
      return false;
    }
    Verdict v = (Verdict) o;
    return code.equals(v.code)
        && reason.equals(v.reason)
        && errorCode == v.errorCode
        && nameauthStatus.equals(v.nameauthStatus)
        && notmatchParam.equals(v.notmatchParam)
        && nameMask.equals(v.nameMask);
  }

  @Override
  public int hashCode() {
    return Objects.hash(code, reason, errorCode, nameauthStatus, notmatchParam, nameMask);
  }
}

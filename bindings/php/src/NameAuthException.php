<?php

declare(strict_types=1);

namespace NameAuth;

/**
 * Every exception nameauth throws implements this interface; each also extends the SPL
 * exception it resembles (bad input and configuration are \InvalidArgumentException, the
 * network's failures \RuntimeException), so existing catch clauses keep working.
 * Messages are one line of English that never contains the key, nor a name or ID number
 * in clear.
 */
interface NameAuthException extends \Throwable
{
    /**
     * The docs/CONFORMANCE.md kind: invalid_input, invalid_config, timeout, transport,
     * protocol, internal or cancelled.
     */
    public function kind(): string;

    /**
     * The C library's result number (NAMEAUTH_INVALID_INPUT, NAMEAUTH_TIMEOUT, ... of
     * nameauth.h; also getCode()), or 0 when PHP refused the value before calling it.
     */
    public function resultCode(): int;

    /** The HTTP status of a non-2xx answer (a TransportException), 0 otherwise. */
    public function httpStatus(): int;

    /** For input and configuration errors, the field at fault ("creid", "timeout_ms", ...); "" otherwise. */
    public function field(): string;

    /** For input and configuration errors, the rule broken ("id_check_character", ...); "" otherwise. */
    public function rule(): string;
}

<?php

namespace NameAuth;

/**
 * A failure to get a verdict. Subclasses name the CONFORMANCE.md kind. Messages are one line
 * of English naming the field and rule, the HTTP status or the limit, and never contain the
 * key, nor a name or ID number in clear.
 */
class Exception extends \RuntimeException
{
    /** @var string */
    protected $kind = 'internal';

    /**
     * The CONFORMANCE.md kind: invalid_input, invalid_config, timeout, transport, protocol or
     * internal.
     */
    public function kind(): string
    {
        return $this->kind;
    }

    /**
     * The exception for a failed native call: $status is the nameauth_result.
     */
    public static function fromStatus(int $status, string $message): self
    {
        switch ($status) {
            case 1: // NAMEAUTH_INVALID_INPUT
            case 7: // NAMEAUTH_NULL_ARGUMENT
            case 8: // NAMEAUTH_INVALID_UTF8
            case 9: // NAMEAUTH_BUFFER_TOO_SMALL
                return new InvalidInputException($message, $status);
            case 2:
                return new ConfigException($message, $status);
            case 3:
                return new TimeoutException($message, $status);
            case 4:
                return new TransportException($message, $status);
            case 5:
                return new ProtocolException($message, $status);
            default:
                return new InternalException($message, $status);
        }
    }
}

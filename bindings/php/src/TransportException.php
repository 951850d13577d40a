<?php

declare(strict_types=1);

namespace NameAuth;

/** The connection failed: refused, reset, TLS failure, non-2xx HTTP status. */
final class TransportException extends \RuntimeException implements NameAuthException
{
    use Details;

    public const KIND = 'transport';
}

<?php

declare(strict_types=1);

namespace NameAuth;

/** The server answered, but not with a well-formed nameauth response. */
final class ProtocolException extends \RuntimeException implements NameAuthException
{
    use Details;

    public const KIND = 'protocol';
}

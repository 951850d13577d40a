<?php

declare(strict_types=1);

namespace NameAuth;

/**
 * The caller cancelled the call before its request was written; nothing was sent
 * (NAMEAUTH_CANCELLED). Only calls the caller can cancel raise it, never verify().
 */
final class CancelledException extends \RuntimeException implements NameAuthException
{
    use Details;

    public const KIND = 'cancelled';
}

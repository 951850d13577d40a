<?php

declare(strict_types=1);

namespace NameAuth;

/** No complete answer arrived within the timeout. */
final class TimeoutException extends \RuntimeException implements NameAuthException
{
    use Details;

    public const KIND = 'timeout';
}

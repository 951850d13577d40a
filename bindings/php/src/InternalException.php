<?php

declare(strict_types=1);

namespace NameAuth;

/** A bug in nameauth (please report it). */
final class InternalException extends \RuntimeException implements NameAuthException
{
    use Details;

    public const KIND = 'internal';
}

<?php

declare(strict_types=1);

namespace NameAuth;

/** A user input breaks a rule of docs/SPEC.md §3; nothing was sent. */
final class InvalidInputException extends \InvalidArgumentException implements NameAuthException
{
    use Details;

    public const KIND = 'invalid_input';
}

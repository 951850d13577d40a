<?php

namespace NameAuth;

/**
 * A user input breaks a rule of docs/SPEC.md §3; nothing was sent.
 */
class InvalidInputException extends Exception
{
    /** @var string */
    protected $kind = 'invalid_input';
}

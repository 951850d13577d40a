<?php

namespace NameAuth;

/**
 * A bug in nameauth (for example a panic caught in the native library).
 */
class InternalException extends Exception
{
    /** @var string */
    protected $kind = 'internal';
}

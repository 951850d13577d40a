<?php

namespace NameAuth;

/**
 * No complete answer arrived within the timeout.
 */
class TimeoutException extends Exception
{
    /** @var string */
    protected $kind = 'timeout';
}

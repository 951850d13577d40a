<?php

namespace NameAuth;

/**
 * The connection failed: refused, reset, TLS failure, non-2xx HTTP status.
 */
class TransportException extends Exception
{
    /** @var string */
    protected $kind = 'transport';
}

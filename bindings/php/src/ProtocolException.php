<?php

namespace NameAuth;

/**
 * The server answered, but not with a well-formed nameauth response.
 */
class ProtocolException extends Exception
{
    /** @var string */
    protected $kind = 'protocol';
}

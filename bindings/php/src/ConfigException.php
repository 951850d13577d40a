<?php

namespace NameAuth;

/**
 * The configuration is unusable (credentials, endpoint, options, the native library), or the client is closed.
 */
class ConfigException extends Exception
{
    /** @var string */
    protected $kind = 'invalid_config';
}

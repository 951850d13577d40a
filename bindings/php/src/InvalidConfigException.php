<?php

declare(strict_types=1);

namespace NameAuth;

/** The client configuration is unusable (credentials, endpoint, options). */
final class InvalidConfigException extends \InvalidArgumentException implements NameAuthException
{
    use Details;

    public const KIND = 'invalid_config';
}

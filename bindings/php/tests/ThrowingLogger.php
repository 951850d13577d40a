<?php

declare(strict_types=1);

namespace NameAuth\Tests;

// PSR-3 from Debian's php-psr-log (make deps installs it).
require_once '/usr/share/php/Psr/Log/autoload.php';

/** A PSR-3 logger that throws as Monolog's StreamHandler does when its file cannot be opened. */
final class ThrowingLogger extends \Psr\Log\AbstractLogger
{
    /** @var int */
    public $calls = 0;

    public function log($level, $message, array $context = []): void
    {
        $this->calls++;
        throw new \UnexpectedValueException(
            'The stream or file "/var/log/app/nameauth.log" could not be opened in append mode: Permission denied'
        );
    }
}

<?php

declare(strict_types=1);

namespace NameAuth\Tests;

// PSR-3 from Debian's php-psr-log (make deps installs it).
require_once '/usr/share/php/Psr/Log/autoload.php';

/** A PSR-3 logger that keeps its records. */
final class RecordingLogger extends \Psr\Log\AbstractLogger
{
    /** @var list<array{string, string}> */
    public $records = [];

    public function log($level, $message, array $context = []): void
    {
        $this->records[] = [(string) $level, (string) $message];
    }
}

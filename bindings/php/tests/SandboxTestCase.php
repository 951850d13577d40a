<?php

declare(strict_types=1);

namespace NameAuth\Tests;

use NameAuth\Client;
use PHPUnit\Framework\TestCase;

/**
 * What the PHPUnit tests share: oZhangSan's ID number, the skip for a suite that does not
 * run through tools/with_sandbox.py (make test-php), and a client for the sandbox that
 * script starts (NAMEAUTH_ENDPOINT, NAMEAUTH_APPID, NAMEAUTH_SRC, NAMEAUTH_KEY).
 */
abstract class SandboxTestCase extends TestCase
{
    /** On file for oZhangSan (张三). */
    protected const ZS_ID = '110101199003074477';

    /** Skips the test unless tools/with_sandbox.py started a sandbox for it. */
    protected static function requireSandbox(): void
    {
        if (!getenv('NAMEAUTH_ENDPOINT')) {
            self::markTestSkipped('run through tools/with_sandbox.py');
        }
    }

    /**
     * A client for the sandbox of tools/with_sandbox.py: $options, then its endpoint and
     * a 5 s timeout where $options does not say otherwise.
     *
     * @param array<string, mixed> $options
     */
    protected static function client(array $options = []): Client
    {
        return new Client(
            (string) getenv('NAMEAUTH_APPID'),
            (string) getenv('NAMEAUTH_SRC'),
            (string) getenv('NAMEAUTH_KEY'),
            $options + ['endpoint' => (string) getenv('NAMEAUTH_ENDPOINT'), 'timeout_ms' => 5000]
        );
    }
}

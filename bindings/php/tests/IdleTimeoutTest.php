<?php

declare(strict_types=1);

namespace NameAuth\Tests;

use NameAuth\InvalidConfigException;
use NameAuth\Testing\Sandbox;

require_once __DIR__ . '/SandboxTestCase.php';

/**
 * 'idle_timeout_ms': how long an unused keep-alive connection is kept (issue 17 item 20).
 */
final class IdleTimeoutTest extends SandboxTestCase
{
    public function testAConnectionIdlePastTheIdleTimeoutIsNotReused(): void
    {
        $sb = Sandbox::start();
        $c = $sb->client(['idle_timeout_ms' => 200]);
        $this->assertSame('A', $c->verify('oZhangSan', '张三', self::ZS_ID)->code());
        usleep(600_000);
        $this->assertSame('A', $c->verify('oZhangSan', '张三', self::ZS_ID)->code());
        // Kept 7 s by default, the first connection would have served both.
        $this->assertSame(2, $sb->connections());
        $this->assertSame(2, $sb->requests());
    }

    public function testAnIdleTimeoutOutOfRangeIsAConfigErrorNamingIt(): void
    {
        $sb = Sandbox::start();
        foreach ([0, -1, 600_001] as $bad) {
            try {
                $sb->client(['idle_timeout_ms' => $bad]);
                $this->fail("idle_timeout_ms {$bad} was accepted");
            } catch (InvalidConfigException $e) {
                $this->assertSame('idle_timeout_ms', $e->field());
            }
        }
    }
}

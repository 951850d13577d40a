<?php

declare(strict_types=1);

namespace NameAuth\Tests;

use NameAuth\Testing\Sandbox;

require_once __DIR__ . '/SandboxTestCase.php';

/**
 * PHP's max_execution_time against a slow server (README "Timeouts"): on Linux it counts
 * CPU time, and a call waits for the server without spending any, so a limit shorter than
 * the wait does not take the verdict. (A call that spun while it waited would be stopped
 * by PHP's fatal error, and this suite with it.)
 */
final class TimeLimitTest extends SandboxTestCase
{
    public function testATimeLimitShorterThanTheWaitLeavesTheVerdict(): void
    {
        $sb = Sandbox::start();
        $sb->addFixture('oLate', [
            'fault' => 'slow', 'delay_ms' => 2500, 'status' => 1, 'truename' => '张三', 'creid' => self::ZS_ID,
        ]);
        $c = $sb->client(['timeout_ms' => 20_000]);
        set_time_limit(1);
        try {
            $v = $c->verify('oLate', '张三', self::ZS_ID);
        } finally {
            set_time_limit(0);
        }
        $this->assertSame('A', $v->code());
        $this->assertSame(1, $sb->hits('oLate'));
    }
}

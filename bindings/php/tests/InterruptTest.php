<?php

declare(strict_types=1);

namespace NameAuth\Tests;

use NameAuth\Testing\Sandbox;

require_once __DIR__ . '/SandboxTestCase.php';

/**
 * What PHP's own interruptions do to a call in flight: max_execution_time, and signals
 * (a queue worker's pcntl handlers, SIGCHLD from its children).
 */
final class InterruptTest extends SandboxTestCase
{
    /**
     * max_execution_time against a slow server (README "Timeouts"): on Linux it counts
     * CPU time, and a call waits for the server without spending any, so a limit shorter
     * than the wait does not take the verdict. (A call that spun while it waited would be
     * stopped by PHP's fatal error, and this suite with it.)
     */
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

    /**
     * Signals arriving every 2 ms while calls write and wait 50 ms for their answers
     * (plain HTTP and TLS), with a handler installed without SA_RESTART, so that the
     * library's system calls see EINTR: every call keeps its verdict, and each request is
     * sent exactly once.
     */
    public function testSignalsDuringCallsNeitherFailNorRepeatThem(): void
    {
        $plain = Sandbox::start();
        $tls = Sandbox::start(true);
        $clients = [];
        foreach ([$plain, $tls] as $sb) {
            $sb->addFixture('oLate', [
                'fault' => 'slow', 'delay_ms' => 50, 'status' => 1, 'truename' => '张三', 'creid' => self::ZS_ID,
            ]);
            $clients[] = [$sb, $sb->client(['timeout_ms' => 20_000])];
        }
        $signals = 0;
        pcntl_async_signals(true);
        pcntl_signal(SIGUSR1, static function () use (&$signals): void {
            $signals++;
        }, false);
        $sender = proc_open(
            ['sh', '-c', 'while kill -USR1 ' . getmypid() . ' 2>/dev/null; do sleep 0.002; done'],
            [],
            $pipes
        );
        $codes = [];
        try {
            for ($i = 0; $i < 20; $i++) {
                foreach ($clients as [, $client]) {
                    $codes[] = $client->verify('oLate', '张三', self::ZS_ID)->code();
                }
            }
        } finally {
            proc_terminate($sender, SIGKILL);
            proc_close($sender);
            pcntl_signal(SIGUSR1, SIG_DFL);
            pcntl_async_signals(false);
        }
        $this->assertSame(['A' => 40], array_count_values($codes));
        $this->assertSame([20, 20], [$plain->hits('oLate'), $tls->hits('oLate')]);
        $this->assertGreaterThan(0, $signals);
    }
}

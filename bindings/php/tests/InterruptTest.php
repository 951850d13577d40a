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

    /**
     * A pcntl handler that throws (a queue worker's job timeout) while a call waits: PHP
     * runs it the moment the call returns, before the binding has copied the native
     * verdict. The exception takes the verdict, as the handler asked, but the native
     * verdict must be freed. Measured in a process of its own (interrupted_calls.php), on
     * its C heap, with the sandbox here.
     */
    public function testAnExceptionThrownAsACallReturnsLeavesNoNativeVerdict(): void
    {
        $sb = Sandbox::start();
        $sb->addFixture('oLate', [
            'fault' => 'slow', 'delay_ms' => 1100, 'status' => 1, 'truename' => '张三', 'creid' => self::ZS_ID,
        ]);
        $args = array_map('escapeshellarg', [$sb->appid(), $sb->src(), $sb->key(), $sb->endpoint()]);
        $out = (string) shell_exec(
            escapeshellarg(PHP_BINARY) . ' ' . escapeshellarg(__DIR__ . '/interrupted_calls.php') . ' ' . implode(' ', $args)
        );
        $result = json_decode($out, true);
        $this->assertSame(['A', 'job timeout', 'A', 'job timeout', 'job timeout', 'job timeout'], $result['got'] ?? $out);
        // 3 native verdicts left behind: 1,072 bytes; none: 432 (one-off allocations of the
        // first slow calls).
        $this->assertLessThan(750, $result['growth'], 'C heap growth over 3 interrupted calls');
        $this->assertSame(6, $sb->hits('oLate'));
    }
}

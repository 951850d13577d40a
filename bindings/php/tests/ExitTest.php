<?php

declare(strict_types=1);

namespace NameAuth\Tests;

/**
 * A PHP process that exits right after its first verify: PHP unloads its FFI libraries
 * at shutdown, while the library's idle reaper (started by that verify) may not have run
 * its first instruction yet. Two guards keep any exit from crashing: the binding joins
 * the reaper at shutdown (nameauth_release_pools, Native.php), and the reaper's thread
 * holds the library mapped from before the verify returns (crates/pthread). 200 runs,
 * four at a time: with neither, about one in twenty crashed.
 */
final class ExitTest extends SandboxTestCase
{
    public function testProcessesThatExitRightAfterTheirFirstVerifyNeverCrash(): void
    {
        self::requireSandbox();
        $verify = escapeshellarg(PHP_BINARY) . ' '
            . escapeshellarg(dirname(__DIR__, 3) . '/examples/php/verify.php')
            . ' oZhangSan ' . escapeshellarg('张三') . ' ' . self::ZS_ID;
        // Four at once, each printing its exit status (a crash is 128 + the signal).
        $round = 'for i in 1 2 3 4; do (' . $verify . ' >/dev/null 2>&1; echo $?) & done; wait';
        $statuses = [];
        for ($r = 0; $r < 50; $r++) {
            $out = [];
            exec($round, $out);
            $statuses = array_merge($statuses, $out);
        }
        self::assertCount(200, $statuses);
        self::assertSame(
            ['0' => 200],
            array_count_values($statuses),
            'exit statuses of 200 runs (139: a crash)'
        );
    }
}

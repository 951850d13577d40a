<?php

/**
 * InterruptTest's measuring process: calls interrupted by a pcntl handler that throws
 * the moment each call returns, and how much this process's C heap (glibc malloc, where
 * the Rust library allocates; PHP's own objects live in mmap'd memory) grew over them.
 *
 *     php interrupted_calls.php APPID SRC KEY ENDPOINT
 *
 * The endpoint's record of oLate answers after 1.1 s. Prints one JSON line: what the
 * calls got, and the growth over the last 3 (interrupted) ones.
 */

declare(strict_types=1);

require __DIR__ . '/../autoload.php';

[, $appid, $src, $key, $endpoint] = $argv;
$libc = \FFI::cdef(
    'struct mallinfo2 { size_t arena, ordblks, smblks, hblks, hblkhd, usmblks, fsmblks,'
        . ' uordblks, fordblks, keepcost; }; struct mallinfo2 mallinfo2(void);',
    'libc.so.6'
);
$heap = static function () use ($libc): int {
    $m = $libc->mallinfo2();
    return (int) $m->uordblks + (int) $m->hblkhd;
};
$client = new \NameAuth\Client($appid, $src, $key, ['endpoint' => $endpoint, 'timeout_ms' => 20_000]);
pcntl_async_signals(true);
pcntl_signal(SIGALRM, static function (): void {
    throw new \RuntimeException('job timeout');
});
$call = static function (bool $interrupted) use ($client): string {
    // The alarm rings after 1 s, while the call waits for its 1.1 s answer.
    pcntl_alarm($interrupted ? 1 : 0);
    try {
        return $client->verify('oLate', '张三', '110101199003074477')->code();
    } catch (\RuntimeException $e) {
        return $e->getMessage();
    }
};
// Each path once, and one more call for the first calls' one-off allocations.
$got = [$call(false), $call(true), $call(false)];
$before = $heap();
array_push($got, $call(true), $call(true), $call(true));
echo json_encode(['got' => $got, 'growth' => $heap() - $before]), "\n";

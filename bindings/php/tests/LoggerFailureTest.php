<?php

declare(strict_types=1);

namespace NameAuth\Tests;

use NameAuth\InvalidInputException;

require_once __DIR__ . '/SandboxTestCase.php';
require_once __DIR__ . '/ThrowingLogger.php';

/**
 * A PSR-3 logger that throws (Monolog's StreamHandler does when its file cannot be opened)
 * takes neither the verdict nor the error, leaks nothing, and is reported through PHP's
 * error_log. Against the sandbox of tools/with_sandbox.py (make test-php).
 */
final class LoggerFailureTest extends SandboxTestCase
{
    /** @var string|false */
    private $previousErrorLog = false;

    /** @var string */
    private $errorLog = '';

    protected function setUp(): void
    {
        self::requireSandbox();
        $this->errorLog = (string) tempnam(sys_get_temp_dir(), 'nameauth-php-errlog');
        $this->previousErrorLog = ini_set('error_log', $this->errorLog);
    }

    protected function tearDown(): void
    {
        if ($this->errorLog !== '') {
            ini_set('error_log', (string) $this->previousErrorLog);
            @unlink($this->errorLog);
        }
    }

    /**
     * Bytes the C heap (glibc malloc, where the Rust library allocates) holds now. The
     * Zend engine takes its memory with mmap, so PHP's own objects do not count here.
     */
    private static function nativeHeapBytes(): int
    {
        static $libc = null;
        if ($libc === null) {
            $libc = \FFI::cdef(
                'struct mallinfo2 { size_t arena, ordblks, smblks, hblks, hblkhd, usmblks, fsmblks,'
                    . ' uordblks, fordblks, keepcost; }; struct mallinfo2 mallinfo2(void);',
                'libc.so.6'
            );
        }
        $m = $libc->mallinfo2();
        return (int) $m->uordblks + (int) $m->hblkhd;
    }

    public function testAThrowingLoggerLeavesTheVerdict(): void
    {
        $client = self::client();
        $logger = new ThrowingLogger();
        $client->setLogger($logger);
        $v = $client->verify('oZhangSan', '李四', self::ZS_ID);
        self::assertSame('B', $v->code());
        self::assertSame('name_mismatch', $v->reason());
        self::assertSame(1, $logger->calls, 'the logger is not called again once it has thrown');
        $reported = (string) file_get_contents($this->errorLog);
        self::assertStringContainsString('nameauth: the PSR-3 logger threw UnexpectedValueException', $reported);
        self::assertStringContainsString('could not be opened', $reported);
        self::assertStringContainsString('verdict', $reported);
        foreach (['李四', '张三', self::ZS_ID, 'oZhangSan', (string) getenv('NAMEAUTH_KEY')] as $secret) {
            self::assertStringNotContainsString($secret, $reported);
        }
    }

    public function testAThrowingLoggerLeavesTheError(): void
    {
        $client = self::client();
        $client->setLogger(new ThrowingLogger());
        try {
            $client->verify('oZhangSan', '张三', '110101199003074478');
            self::fail('a wrong check character gave a verdict');
        } catch (InvalidInputException $e) {
            self::assertSame('creid', $e->field());
        }
        self::assertStringContainsString(
            'nameauth: the PSR-3 logger threw UnexpectedValueException',
            (string) file_get_contents($this->errorLog)
        );
    }

    public function testAThrowingLoggerLeaksNoNativeVerdict(): void
    {
        $client = self::client();
        $client->setLogger(new ThrowingLogger());
        // The logger's exception is caught here only so that the old failure (a verdict
        // lost and leaked on every call) shows as growth rather than stopping the loop.
        $call = static function () use ($client): string {
            try {
                return $client->verify('oZhangSan', '张三', self::ZS_ID)->code();
            } catch (\UnexpectedValueException $e) {
                return 'lost';
            }
        };
        for ($i = 0; $i < 200; $i++) {
            $call();
        }
        $codes = [];
        $before = self::nativeHeapBytes();
        for ($i = 0; $i < 3000; $i++) {
            $code = $call();
            $codes[$code] = ($codes[$code] ?? 0) + 1;
        }
        $growth = self::nativeHeapBytes() - $before;
        // A leaked native verdict is about 340 bytes: 3,000 of them are about 1 MB.
        self::assertLessThan(256 * 1024, $growth, "the C heap grew by $growth bytes over 3,000 calls");
        self::assertSame(['A' => 3000], $codes);
    }
}

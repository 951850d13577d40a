<?php

declare(strict_types=1);

namespace NameAuth\Tests;

use NameAuth\Client;
use NameAuth\InvalidInputException;
use NameAuth\Testing\Sandbox;

require_once __DIR__ . '/SandboxTestCase.php';
require_once __DIR__ . '/RecordingLogger.php';

/**
 * Orders of events a careless or hostile caller can force on the binding: a refused call
 * after a logged one, a logger that takes itself off while it logs, a client built twice,
 * a client serialized or forged by unserialize(), FFI turned off, a fork with a sandbox
 * open. Each test starts its own sandbox from libnameauth_sandbox.
 */
final class MisuseTest extends SandboxTestCase
{
    /**
     * The C library checks UTF-8 before it starts a call, so the events it holds are still
     * the previous call's: a logger must not hear them again, as if about this call.
     */
    public function testACallRefusedForInvalidUtf8LogsNothingOfThePreviousCall(): void
    {
        $sb = Sandbox::start();
        $c = $sb->client();
        $log = new RecordingLogger();
        $c->setLogger($log);
        $this->assertSame('A', $c->verify('oZhangSan', '张三', self::ZS_ID)->code());
        $this->assertCount(1, $log->records);
        $bad = "\xff\xfe";
        $calls = [
            'openid' => [$bad, '张三', self::ZS_ID],
            'truename' => ['oZhangSan', $bad, self::ZS_ID],
            'creid' => ['oZhangSan', '张三', $bad],
            'cretype' => ['oZhangSan', '张三', self::ZS_ID, $bad],
        ];
        foreach ($calls as $field => $args) {
            try {
                $c->verify(...$args);
                $this->fail("invalid UTF-8 in {$field} was accepted");
            } catch (InvalidInputException $e) {
                $this->assertSame($field . ': is not valid UTF-8', $e->getMessage());
                $this->assertSame([$field, 'invalid_utf8'], [$e->field(), $e->rule()]);
                $this->assertSame(\NameAuth\Native::ffi()->NAMEAUTH_INVALID_UTF8, $e->resultCode());
            }
        }
        $this->assertCount(1, $log->records, 'a refused call was logged as the previous call');
        $this->assertSame(1, $sb->requests());
    }

    /**
     * A logger that takes itself off the client while it logs (setLogger(null) from its
     * first event) still gets the rest of that call's events, and nothing is reported as
     * a logger failure; the next call is not logged.
     */
    public function testALoggerThatUnsetsItselfWhileLoggingGetsTheWholeCall(): void
    {
        $errorLog = (string) tempnam(sys_get_temp_dir(), 'nameauth-php-errlog');
        $previous = ini_set('error_log', $errorLog);
        try {
            $sb = Sandbox::start();
            $c = $sb->client();
            $log = new class ($c) extends \Psr\Log\AbstractLogger {
                /** @var list<array{string, string}> */
                public $records = [];

                /** @var Client */
                private $client;

                public function __construct(Client $client)
                {
                    $this->client = $client;
                }

                public function log($level, $message, array $context = []): void
                {
                    $this->client->setLogger(null);
                    $this->records[] = [(string) $level, (string) $message];
                }
            };
            $c->setLogger($log);
            // Two 503s, then the verdict: a warning for each retry, then the call.
            $this->assertSame('E', $c->verify('oFlaky503', '张三', self::ZS_ID)->code());
            $this->assertSame(['warning', 'warning', 'info'], array_column($log->records, 0));
            $this->assertSame('', (string) file_get_contents($errorLog));
            $c->verify('oZhangSan', '张三', self::ZS_ID);
            $this->assertCount(3, $log->records);
        } finally {
            ini_set('error_log', (string) $previous);
            @unlink($errorLog);
        }
    }

    /**
     * FFI turned off in php.ini is named as such, not blamed on the library's path (PHP's
     * default "preload" without the preload lines is tests/fpm/run.py's case).
     */
    public function testFfiTurnedOffIsNamedNotBlamedOnTheLibrary(): void
    {
        $code = 'require ' . var_export(dirname(__DIR__) . '/autoload.php', true) . ';'
            . ' try { \NameAuth\Client::version(); } catch (\NameAuth\NameAuthException $e) {'
            . ' echo $e->field(), " ", $e->rule(), " ", $e->getMessage(); }';
        $out = (string) shell_exec(
            escapeshellarg(PHP_BINARY) . ' -d ffi.enable=0 -r ' . escapeshellarg($code) . ' 2>&1'
        );
        $this->assertStringStartsWith('ffi.enable disabled ffi.enable: FFI is disabled', $out);
    }

    /**
     * A process that forks with a sandbox open (a test of a forking worker): the child
     * inherits the object but not the server's threads, which stay the parent's. The
     * child's exit must neither stop the parent's server nor report a panic.
     */
    public function testAForkedChildLeavesItsParentsSandboxAlone(): void
    {
        $code = 'require ' . var_export(dirname(__DIR__) . '/autoload.php', true) . ';'
            . ' $sb = \NameAuth\Testing\Sandbox::start(); $c = $sb->client();'
            . ' $c->verify("oZhangSan", "张三", "' . self::ZS_ID . '");'
            . ' $pid = pcntl_fork(); if ($pid === 0) { exit(0); }'
            . ' pcntl_waitpid($pid, $status);'
            . ' echo pcntl_wexitstatus($status), " ", $c->verify("oZhangSan", "张三", "' . self::ZS_ID . '")->code(),'
            . ' " ", $sb->hits("oZhangSan");';
        $child = proc_open([PHP_BINARY, '-r', $code], [1 => ['pipe', 'w'], 2 => ['pipe', 'w']], $pipes);
        $out = (string) stream_get_contents($pipes[1]);
        $err = (string) stream_get_contents($pipes[2]);
        proc_close($child);
        $this->assertSame('0 A 2', $out);
        $this->assertSame('', $err);
    }

    /**
     * Calling the constructor again on a live client would drop its native client (its
     * connections and its key) without freeing it.
     */
    public function testALiveClientCannotBeBuiltAgain(): void
    {
        $sb = Sandbox::start();
        $c = $sb->client();
        $this->assertSame('A', $c->verify('oZhangSan', '张三', self::ZS_ID)->code());
        try {
            $c->__construct($sb->appid(), $sb->src(), $sb->key(), $sb->options());
            $this->fail('a live client was built again');
        } catch (\LogicException $e) {
            $this->assertSame('client: is already built', $e->getMessage());
        }
        $this->assertSame('A', $c->verify('oZhangSan', '张三', self::ZS_ID)->code());
        $this->assertSame(1, $sb->connections(), 'the first native client was replaced');
    }

    /**
     * A client (or a sandbox) holds a native handle, which no string can carry: serialize()
     * refuses it, open or closed, and unserialize() refuses to forge one (a forged handle
     * would reach the C library as whatever the string said).
     */
    public function testClientsAndSandboxesAreNeitherSerializedNorForged(): void
    {
        $sb = Sandbox::start();
        $open = $sb->client();
        $closed = $sb->client();
        $closed->close();
        foreach (['open client' => $open, 'closed client' => $closed, 'sandbox' => $sb] as $what => $object) {
            try {
                $text = serialize($object);
                $this->fail("a {$what} was serialized: {$text}");
            } catch (\LogicException $e) {
                $this->assertStringEndsWith(': cannot be serialized (it holds a native handle)', $e->getMessage());
            }
        }
        $forged = [
            'O:15:"NameAuth\\Client":0:{}',
            'O:15:"NameAuth\\Client":1:{s:23:"' . "\0NameAuth\\Client\0handle" . '";i:5;}',
            'O:24:"NameAuth\\Testing\\Sandbox":0:{}',
        ];
        foreach ($forged as $text) {
            try {
                $object = unserialize($text);
                $this->fail('unserialize() made a ' . get_class($object));
            } catch (\LogicException $e) {
                $this->assertStringEndsWith(': cannot be unserialized (it holds a native handle)', $e->getMessage());
            }
        }
        $this->assertSame('A', $open->verify('oZhangSan', '张三', self::ZS_ID)->code());
    }
}

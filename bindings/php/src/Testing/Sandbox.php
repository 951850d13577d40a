<?php

declare(strict_types=1);

namespace NameAuth\Testing;

use NameAuth\Client;
use NameAuth\NativeHandle;

/**
 * The nameauth sandbox in your own tests: a faithful stand-in for the WeChat Pay
 * nameautheasy server, started in this process on a free loopback port (from
 * libnameauth_sandbox.so, shipped beside libnameauth.so). Its built-in records cover every
 * verdict row and every fault; addFixture() adds your own. It stops when closed or
 * destroyed. For test suites run by the PHP CLI (FFI::cdef is allowed there).
 *
 *     $sb = Sandbox::start();
 *     $verdict = $sb->client()->verify('oZhangSan', '张三', '110101199003074477');
 *     assert($verdict->code === 'A' && $sb->hits('oZhangSan') === 1);
 */
final class Sandbox
{
    use NativeHandle;

    /** @var \FFI|null */
    private static $ffi = null;

    /** @var int the process that started the server (a forked child has none of its threads) */
    private $pid;

    private function __construct(\FFI\CData $handle)
    {
        $this->own($handle);
        $this->pid = getmypid();
    }

    /**
     * The library: NAMEAUTH_SANDBOX_LIBRARY (a path), else libnameauth_sandbox.so beside
     * NAMEAUTH_LIBRARY, else libnameauth_sandbox.so.0 from the system's library path.
     */
    private static function ffi(): \FFI
    {
        if (self::$ffi === null) {
            $library = getenv('NAMEAUTH_SANDBOX_LIBRARY') ?: null;
            $main = getenv('NAMEAUTH_LIBRARY') ?: null;
            if ($library === null && $main !== null) {
                $library = dirname($main) . '/libnameauth_sandbox.so';
            }
            try {
                self::$ffi = \FFI::cdef(
                    \NameAuth\Native::declarations('nameauth_sandbox_decls.h', 'NAMEAUTH_SANDBOX_DECLS'),
                    $library ?? 'libnameauth_sandbox.so.0'
                );
            } catch (\FFI\Exception $e) {
                throw new \RuntimeException(
                    'NAMEAUTH_SANDBOX_LIBRARY: cannot load libnameauth_sandbox (set NAMEAUTH_SANDBOX_LIBRARY'
                    . ' to the path of libnameauth_sandbox.so): ' . $e->getMessage(),
                    0,
                    $e
                );
            }
        }
        return self::$ffi;
    }

    private static function lastError(): string
    {
        $ffi = self::ffi();
        $n = $ffi->nameauth_sandbox_last_error(null, 0);
        $buf = $ffi->new('char[' . ($n + 1) . ']');
        $ffi->nameauth_sandbox_last_error($buf, $n + 1);
        return \FFI::string($buf);
    }

    /**
     * Starts a sandbox: HTTPS with a CA made at start if $tls (caFile() is the file to
     * trust), $fixtures (openid => record, as in a fixtures file) instead of the built-in
     * records, $latencyMs added to every answer.
     *
     * @param array<string, array<string, mixed>>|null $fixtures
     */
    public static function start(bool $tls = false, ?array $fixtures = null, int $latencyMs = 0): self
    {
        $ffi = self::ffi();
        $json = $fixtures === null ? null : json_encode($fixtures, JSON_UNESCAPED_UNICODE | JSON_THROW_ON_ERROR);
        $out = $ffi->new('nameauth_sandbox*');
        if ($ffi->nameauth_sandbox_start($tls, $json, max(0, $latencyMs), \FFI::addr($out)) !== 0) {
            throw new \RuntimeException(self::lastError());
        }
        return new self($out);
    }

    private function live(): \FFI\CData
    {
        if ($this->handle === null) {
            throw new \LogicException('sandbox: is closed');
        }
        return $this->handle;
    }

    /** The endpoint URL to give a client. */
    public function endpoint(): string
    {
        return self::ffi()->nameauth_sandbox_endpoint($this->live());
    }

    /** The CA file to trust (the ca_file option) when serving HTTPS, else null. */
    public function caFile(): ?string
    {
        return self::ffi()->nameauth_sandbox_ca_file($this->live());
    }

    /** The app id the sandbox accepts. */
    public function appid(): string
    {
        return self::ffi()->nameauth_sandbox_appid();
    }

    /** The src the sandbox accepts. */
    public function src(): string
    {
        return self::ffi()->nameauth_sandbox_src();
    }

    /** The key the sandbox signs with: a published test value that protects nothing. */
    public function key(): string
    {
        return self::ffi()->nameauth_sandbox_key();
    }

    /**
     * The client options that reach this sandbox: endpoint (and ca_file with HTTPS).
     *
     * @return array<string, string>
     */
    public function options(): array
    {
        $o = ['endpoint' => $this->endpoint()];
        $ca = $this->caFile();
        if ($ca !== null) {
            $o['ca_file'] = $ca;
        }
        return $o;
    }

    /**
     * A ready client for this sandbox; $options are added to (or override) its own.
     *
     * @param array<string, string|int|bool> $options
     */
    public function client(array $options = []): Client
    {
        return new Client($this->appid(), $this->src(), $this->key(), $options + $this->options());
    }

    /** HTTP requests the sandbox received. */
    public function requests(): int
    {
        return self::ffi()->nameauth_sandbox_requests($this->live());
    }

    /** TCP connections the sandbox accepted. */
    public function connections(): int
    {
        return self::ffi()->nameauth_sandbox_connections($this->live());
    }

    /** Requests that carried $openid: how often a user was really checked. */
    public function hits(string $openid): int
    {
        return self::ffi()->nameauth_sandbox_hits($this->live(), $openid);
    }

    /**
     * Adds or replaces the record of $openid, as in a fixtures file: ['status' => 1,
     * 'truename' => '张三', 'creid' => '110101199003074477'], ['error_code' => 1002], or a
     * fault: ['fault' => 'http_503', 'fail_times' => 1, 'status' => 2], ['fault' => 'slow',
     * 'delay_ms' => 2000, 'status' => 3], ['fault' => 'reset'], ... Its hit count starts
     * again.
     *
     * @param array<string, mixed> $record
     */
    public function addFixture(string $openid, array $record): void
    {
        $json = json_encode((object) $record, JSON_UNESCAPED_UNICODE | JSON_THROW_ON_ERROR);
        if (self::ffi()->nameauth_sandbox_add_fixture($this->live(), $openid, $json) !== 0) {
            throw new \InvalidArgumentException(self::lastError());
        }
    }

    /** Stops the sandbox (NativeHandle::close(); closing twice is harmless). */
    protected function freeHandle(\FFI\CData $handle): void
    {
        if (getmypid() !== $this->pid) {
            // A forked child's copy: stopping it would join threads that are only the
            // parent's. The child's memory goes with it.
            return;
        }
        self::ffi()->nameauth_sandbox_free($handle);
    }
}

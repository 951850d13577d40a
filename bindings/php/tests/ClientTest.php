<?php

declare(strict_types=1);

namespace NameAuth\Tests;

use NameAuth\Client;
use NameAuth\InvalidConfigException;
use NameAuth\InvalidInputException;
use NameAuth\ProtocolException;
use NameAuth\Testing\Sandbox;
use NameAuth\TimeoutException;
use NameAuth\TransportException;
use NameAuth\Verdict;

require_once __DIR__ . '/SandboxTestCase.php';

/**
 * The PHP binding against the sandbox. Run through tests/with_sandbox.py (make test-php),
 * which sets NAMEAUTH_ENDPOINT, NAMEAUTH_APPID, NAMEAUTH_SRC, NAMEAUTH_KEY and the HTTPS
 * sandbox's NAMEAUTH_TEST_TLS_ENDPOINT and NAMEAUTH_TEST_CA_FILE.
 */
final class ClientTest extends SandboxTestCase
{
    protected function setUp(): void
    {
        self::requireSandbox();
    }

    /** The sandbox's counters (GET /__sandbox/stats is not itself counted). */
    private static function stats(): array
    {
        $base = explode('/cgi-bin/', (string) getenv('NAMEAUTH_ENDPOINT'))[0];
        return json_decode((string) file_get_contents($base . '/__sandbox/stats'), true);
    }

    /** Resident set size of this process, in bytes. */
    private static function rss(): int
    {
        $statm = explode(' ', (string) file_get_contents('/proc/self/statm'));
        return (int) $statm[1] * 4096;
    }

    /**
     * The verdict cases of the conformance table that need no change to the environment:
     * every row of docs/SPEC.md §5, shared by every front end's tests.
     */
    public function rows(): array
    {
        $cases = json_decode((string) file_get_contents(__DIR__ . '/../../../tests/conformance/cases.json'), true);
        $rows = [];
        foreach ($cases as $case) {
            if (isset($case['expect']['code']) && $case['env'] === []) {
                $rows[$case['name']] = [$case['args'], $case['expect']];
            }
        }
        self::assertGreaterThanOrEqual(25, count($rows), 'the case table lost its verdict rows');
        return $rows;
    }

    /** @dataProvider rows */
    public function testEveryVerdictRow(array $args, array $expect): void
    {
        $v = self::client()->verify(...$args);
        self::assertSame($expect, $v->toArray());
        self::assertSame($v->code() === 'A', $v->passed());
        self::assertSame(in_array($v->errorCode(), [1000, 1001, 1002, 1007], true), $v->isConfigProblem());
        self::assertNotSame('', $v->messageZh());
        self::assertNotSame('', $v->messageEn());
        self::assertNotSame('', $v->adviceZh());
        self::assertNotSame('', $v->adviceEn());
    }

    public function testTextsAndArray(): void
    {
        $v = self::client()->verify('oZhangSan', '李四', self::ZS_ID);
        self::assertSame('姓名错误', $v->messageZh());
        self::assertSame('再次输入姓名', $v->adviceZh());
        self::assertSame(
            ['code' => 'B', 'reason' => 'name_mismatch', 'error_code' => 0, 'nameauth_status' => '1',
                'notmatch_param' => '1', 'name_mask' => '*三'],
            $v->toArray()
        );
        self::assertStringStartsWith("Verdict(code='B'", (string) $v);
    }

    public function testHttpsWithTheSandboxCa(): void
    {
        $tls = (string) getenv('NAMEAUTH_TEST_TLS_ENDPOINT');
        $trusting = self::client(['endpoint' => $tls, 'ca_file' => getenv('NAMEAUTH_TEST_CA_FILE')]);
        self::assertTrue($trusting->verify('oZhangSan', '张三', self::ZS_ID)->passed());
        $this->expectException(TransportException::class);
        $this->expectExceptionMessageMatches('/TLS/');
        self::client(['endpoint' => $tls])->verify('oZhangSan', '张三', self::ZS_ID);
    }

    public function testInvalidInputNamesTheFieldAndSendsNothing(): void
    {
        $cases = [
            [['', '张三', self::ZS_ID], 'openid: must not be empty'],
            [['o.1', '张三', self::ZS_ID], 'openid: '],
            [['oZhangSan', '张三1', self::ZS_ID], 'truename: '],
            [['oZhangSan', "张\0三", self::ZS_ID], 'truename: character 2 is a control character'],
            [['oZhangSan', '张三', '110101199003074478'], 'creid: the check character'],
            [['oZhangSan', '张三', '110105491231002'], 'creid: 15-digit'],
            [['oZhangSan', '张三', self::ZS_ID, ''], 'cretype: must not be empty'],
            [['oZhangSan', "\xff\xfe", self::ZS_ID], 'truename: is not valid UTF-8'],
        ];
        $client = self::client();
        $before = self::stats()['requests'];
        foreach ($cases as [$args, $prefix]) {
            try {
                $client->verify(...$args);
                self::fail('no exception for ' . $prefix);
            } catch (InvalidInputException $e) {
                self::assertStringStartsWith($prefix, $e->getMessage());
                self::assertSame('invalid_input', $e->kind());
                self::assertSame(explode(':', $prefix)[0], $e->field());
                self::assertNotSame('', $e->rule());
                self::assertStringNotContainsString('张三', $e->getMessage());
                self::assertStringNotContainsString(self::ZS_ID, $e->getMessage());
            }
        }
        self::assertSame($before, self::stats()['requests']);
    }

    public function testConfigurationErrors(): void
    {
        $key = (string) getenv('NAMEAUTH_KEY');
        $endpoint = (string) getenv('NAMEAUTH_ENDPOINT');
        $bad = [
            ['', 'sandbox', $key, ['endpoint' => $endpoint]],
            ['wx1', '', $key, ['endpoint' => $endpoint]],
            ['wx1', 'sandbox', '', ['endpoint' => $endpoint]],
            ['wx1', 'sandbox', $key, ['endpoint' => 'http://192.0.2.1/x']],
            ['wx1', 'sandbox', $key, ['endpoint' => $endpoint, 'timeout_ms' => 0]],
            ['wx1', 'sandbox', $key, ['endpoint' => $endpoint, 'colour' => 'blue']],
            ['wx1', 'sandbox', $key, ['endpoint' => $endpoint, 'proxy' => 'http://u:p;w@h:1']],
            ['wx1', 'sandbox', $key, ['endpoint' => $endpoint, 'ca_file' => '/nonexistent.pem']],
            ['wx1', 'sandbox', $key, ['endpoint' => $endpoint, 'retries' => 1.5]],
            ['wx1', 'sandbox', $key, ['endpoint' => $endpoint, 'retries' => [2]]],
            ['wx1', 'sandbox', $key, ['endpoint' => $endpoint, 'proxy' => null]],
            ['wx1', 'sandbox', $key, ['endpoint' => $endpoint, 7 => 'x']],
            ['wx1', 'sandbox', $key, ['endpoint' => '']],
        ];
        $fields = [
            'appid', 'src', 'key', 'endpoint', 'timeout_ms', 'options', 'endpoint', 'ca_file',
            'retries', 'retries', 'proxy', 'options', 'endpoint',
        ];
        foreach ($bad as $i => [$appid, $src, $k, $options]) {
            try {
                new Client($appid, $src, $k, $options);
                self::fail('accepted ' . json_encode($options));
            } catch (InvalidConfigException $e) {
                self::assertInstanceOf(\InvalidArgumentException::class, $e);
                self::assertInstanceOf(\NameAuth\NameAuthException::class, $e);
                self::assertSame('invalid_config', $e->kind());
                self::assertSame($fields[$i], $e->field(), $e->getMessage());
                self::assertNotSame('', $e->rule());
                self::assertStringNotContainsString($key, $e->getMessage());
            }
        }
    }

    public function testEveryFaultThrowsItsKind(): void
    {
        $ffi = \NameAuth\Native::ffi();
        $faults = [
            ['oSlow', TimeoutException::class, 'timeout', '500 ms timeout', $ffi->NAMEAUTH_TIMEOUT, 0],
            ['oReset', TransportException::class, 'transport', 'reset', $ffi->NAMEAUTH_TRANSPORT, 0],
            ['oHangup', TransportException::class, 'transport', 'closed', $ffi->NAMEAUTH_TRANSPORT, 0],
            ['oHttp500', TransportException::class, 'transport', 'HTTP status 500', $ffi->NAMEAUTH_TRANSPORT, 500],
            ['oHttp503', TransportException::class, 'transport', 'HTTP status 503', $ffi->NAMEAUTH_TRANSPORT, 503],
            ['oGarbage', ProtocolException::class, 'protocol', 'JSON', $ffi->NAMEAUTH_PROTOCOL, 0],
            ['oOversized', ProtocolException::class, 'protocol', '64 KiB', $ffi->NAMEAUTH_PROTOCOL, 0],
            ['oTruncated', ProtocolException::class, 'protocol', 'JSON', $ffi->NAMEAUTH_PROTOCOL, 0],
            ['oEmpty', ProtocolException::class, 'protocol', 'empty', $ffi->NAMEAUTH_PROTOCOL, 0],
        ];
        $client = self::client(['timeout_ms' => 500]);
        foreach ($faults as [$openid, $class, $kind, $words, $resultCode, $httpStatus]) {
            try {
                $client->verify($openid, '张三', self::ZS_ID);
                self::fail($openid . ' gave a verdict');
            } catch (\NameAuth\NameAuthException $e) {
                self::assertInstanceOf($class, $e, $openid);
                self::assertSame($kind, $e->kind());
                self::assertStringContainsString($words, $e->getMessage());
                self::assertSame($resultCode, $e->resultCode(), $openid);
                self::assertSame($httpStatus, $e->httpStatus(), $openid);
            }
        }
    }

    public function testNoNativeGrowthOver10000Calls(): void
    {
        $client = self::client();
        for ($i = 0; $i < 500; $i++) {
            $client->verify('oZhangSan', '张三', self::ZS_ID);
        }
        $before = self::rss();
        for ($i = 0; $i < 10000; $i++) {
            $v = $client->verify('oZhangSan', $i % 2 ? '李四' : '张三', self::ZS_ID);
            self::assertSame($i % 2 ? 'B' : 'A', $v->code());
            if ($i % 1000 === 0) {
                try {
                    $client->verify('oZhangSan', '张三', '110101199003074478');
                } catch (InvalidInputException $e) {
                    // errors free their native side too
                }
            }
        }
        $growth = self::rss() - $before;
        // A leaked verdict (a dozen strings) per call would be well over a megabyte.
        self::assertLessThan(1024 * 1024, $growth, "RSS grew by $growth bytes over 10,000 calls");
    }

    public function testClosedClientsRefuseAndNothingShowsTheKey(): void
    {
        $client = self::client();
        $dump = print_r($client, true) . var_export($client, true);
        self::assertStringNotContainsString((string) getenv('NAMEAUTH_KEY'), $dump);
        $client->close();
        self::assertTrue($client->isClosed());
        $this->expectException(\LogicException::class);
        $this->expectExceptionMessage('client: is closed');
        $client->verify('oZhangSan', '张三', self::ZS_ID);
    }

    public function testAClientCannotBeClonedSoItsHandleIsFreedOnce(): void
    {
        $client = self::client();
        try {
            $copy = clone $client;
            self::fail('a clone was made');
        } catch (\Error $e) {
            self::assertStringContainsString('__clone', $e->getMessage());
        }
        self::assertTrue($client->verify('oZhangSan', '张三', self::ZS_ID)->passed());
    }

    public function testOptionValuesMayHoldAnyCharacter(): void
    {
        // A proxy password with ';', '=' and '\\'; plain http through a proxy needs the opt-in.
        $client = self::client(['proxy' => 'http://user:p;a=s\\s@127.0.0.1:9', 'allow_http' => true]);
        self::assertFalse($client->isClosed());
        try {
            self::client(['proxy' => 'http://user:p;a=s@127.0.0.1:9']);
            self::fail('plain http through a proxy was accepted');
        } catch (InvalidConfigException $e) {
            self::assertSame('endpoint', $e->field());
        }
    }

    /** 'idle_timeout_ms': how long an unused keep-alive connection is kept. */
    public function testAConnectionIdlePastTheIdleTimeoutIsNotReused(): void
    {
        $sb = Sandbox::start();
        $c = $sb->client(['idle_timeout_ms' => 200]);
        self::assertSame('A', $c->verify('oZhangSan', '张三', self::ZS_ID)->code());
        usleep(600_000);
        self::assertSame('A', $c->verify('oZhangSan', '张三', self::ZS_ID)->code());
        // Kept 7 s by default, the first connection would have served both.
        self::assertSame(2, $sb->connections());
        self::assertSame(2, $sb->requests());
    }

    public function testAnIdleTimeoutOutOfRangeIsAConfigErrorNamingIt(): void
    {
        $sb = Sandbox::start();
        foreach ([0, -1, 600_001] as $bad) {
            try {
                $sb->client(['idle_timeout_ms' => $bad]);
                self::fail("idle_timeout_ms {$bad} was accepted");
            } catch (InvalidConfigException $e) {
                self::assertSame('idle_timeout_ms', $e->field());
            }
        }
    }

    public function testResidentIdCardIsANamedConstant(): void
    {
        self::assertSame('1', Client::RESIDENT_ID_CARD);
    }

    public function testFromEnvironment(): void
    {
        $client = Client::fromEnv();
        self::assertTrue($client->verify('oZhangSan', '张三', self::ZS_ID)->passed());
    }

    public function testSignAndValidateId(): void
    {
        self::assertSame(
            '248079715d01cbc57b5020835d6a11ae',
            Client::sign(
                'wx1234567890abcdef',
                'oUpF8uMuAJO_M2pxb1Q9zNjWeS6o',
                'test',
                '张三',
                '110101199003074477',
                Client::RESIDENT_ID_CARD,
                '0123456789abcdef0123456789abcdef'
            )
        );
        self::assertSame(
            '4E723559F64B68AADE732A2118DA410E',
            Client::sign(
                'wx2421b1c4370ec43b',
                'oLVPpjqs9BhvzwPj5A-vTYAX3GLc',
                'src_9',
                '阿卜杜热合曼·买买提',
                '650102198506151232',
                '1',
                'k3y-with-symbols&=?',
                'upper'
            )
        );
        try {
            Client::sign('a', 'o', 's', 'n', 'c', '1', 'k', 'Upper');
            self::fail('a bad sign case was accepted');
        } catch (InvalidInputException $e) {
            self::assertSame('sign_case', $e->field());
            self::assertSame('bad_value', $e->rule());
        }
        Client::validateId(self::ZS_ID);
        self::assertSame('0.1.0', Client::version());
        $this->expectException(InvalidInputException::class);
        $this->expectExceptionMessageMatches('/^creid: /');
        Client::validateId('11010519491231002Y');
    }

    /** The frames of a trace inside the binding, arguments included (PHPUnit's own hold test data). */
    private static function ourFrames(\Throwable $e): string
    {
        $ours = array_filter(
            $e->getTrace(),
            static function (array $frame): bool {
                $class = $frame['class'] ?? '';
                return strncmp($class, 'NameAuth\\', 9) === 0 && strncmp($class, 'NameAuth\\Tests', 14) !== 0;
            }
        );
        return print_r(array_values($ours), true);
    }

    /**
     * Every error path, every channel: output, exception messages, string forms, and stack
     * traces with their arguments (zend.exception_ignore_args=0, as many servers run).
     */
    public function testNoChannelCarriesTheKeyOrClearPersonalData(): void
    {
        $previous = ini_set('zend.exception_ignore_args', '0');
        $key = (string) getenv('NAMEAUTH_KEY');
        $name = '欧阳修梅';
        $creid = self::ZS_ID;
        $password = 'pr0xy-pa55word';
        $seen = [];
        ob_start();
        try {
            $client = self::client(['timeout_ms' => 500]);
            $seen[] = print_r($client, true) . var_export($client, true);
            foreach (
                [
                    ['oZhangSan', $name, $creid],
                    ['oZhangSan', $name . '1', $creid],
                    ['oZhangSan', $name, '110101199003074478'],
                    ['oReset', $name, $creid],
                    ['oSlow', $name, $creid],
                    ['oDuplicateKeys', $name, $creid],
                ] as $args
            ) {
                try {
                    $v = $client->verify(...$args);
                    $seen[] = (string) $v . print_r($v, true);
                } catch (\NameAuth\NameAuthException $e) {
                    $seen[] = (string) $e . $e->getTraceAsString() . self::ourFrames($e);
                }
            }
            foreach (
                [
                    [$key . "\n", []],
                    [$key, ['proxy' => "socks5://user:$password@127.0.0.1:9"]],
                    [$key, ['proxy' => "http://user:$password@127.0.0.1:9"]],
                    [$key, ['colour' => $password]],
                ] as [$k, $options]
            ) {
                try {
                    new Client('wx1', 'sandbox', $k, $options + ['endpoint' => getenv('NAMEAUTH_ENDPOINT')]);
                } catch (\NameAuth\NameAuthException $e) {
                    $seen[] = (string) $e . $e->getTraceAsString() . self::ourFrames($e);
                }
            }
            try {
                Client::sign('a', 'o', 's', $name, $creid, '1', $key . "\n");
            } catch (\NameAuth\NameAuthException $e) {
                $seen[] = (string) $e . self::ourFrames($e);
            }
        } finally {
            $seen[] = (string) ob_get_clean();
            ini_set('zend.exception_ignore_args', (string) $previous);
        }
        $all = implode("\n", $seen);
        self::assertStringContainsString('SensitiveParameterValue', $all, 'traces kept no arguments at all');
        foreach ([$key, $password, $name, $creid, '110101199003074478'] as $secret) {
            self::assertStringNotContainsString($secret, $all);
        }
    }
}

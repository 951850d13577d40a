<?php

declare(strict_types=1);

namespace NameAuth\Tests;

use NameAuth\Client;
use NameAuth\InvalidConfigException;
use NameAuth\InvalidInputException;
use NameAuth\Testing\Sandbox;
use NameAuth\TransportException;

require_once __DIR__ . '/SandboxTestCase.php';
require_once __DIR__ . '/RecordingLogger.php';

/**
 * NameAuth\Testing\Sandbox in a user's suite, the client's stats, PSR-3 logging and the
 * fallback endpoint. Each test starts its own sandbox from libnameauth_sandbox.
 */
final class EcosystemTest extends SandboxTestCase
{
    public function testTheSandboxAnswersAClient(): void
    {
        $sb = Sandbox::start();
        $this->assertSame('A', $sb->client()->verify('oZhangSan', '张三', self::ZS_ID)->code());
        $this->assertSame(1, $sb->hits('oZhangSan'));
        $this->assertSame(1, $sb->requests());
        $sb->close();
        $this->expectException(\LogicException::class);
        $sb->hits('oZhangSan');
    }

    public function testFixturesAndFaultsCanBeAdded(): void
    {
        $sb = Sandbox::start();
        $sb->addFixture('oMine', ['status' => 1, 'truename' => '王五', 'creid' => '11010519491231002X']);
        $sb->addFixture('oBusy', ['fault' => 'http_503', 'fail_times' => 1, 'status' => 2]);
        $c = $sb->client();
        $this->assertSame('A', $c->verify('oMine', '王五', '11010519491231002x')->code());
        $this->assertSame('E', $c->verify('oBusy', '王五', self::ZS_ID)->code());
        $this->assertSame(2, $sb->hits('oBusy'));
        try {
            $sb->addFixture('oBad', ['status' => 9]);
            $this->fail('a bad record was accepted');
        } catch (\InvalidArgumentException $e) {
            $this->assertStringContainsString('oBad', $e->getMessage());
        }
    }

    public function testATlsSandboxHasItsCa(): void
    {
        $sb = Sandbox::start(true);
        $this->assertStringStartsWith('https://', $sb->endpoint());
        $this->assertNotNull($sb->caFile());
        $this->assertTrue($sb->client()->verify('oZhangSan', '张三', self::ZS_ID)->passed());
        $untrusting = new Client($sb->appid(), $sb->src(), $sb->key(), ['endpoint' => $sb->endpoint()]);
        $this->expectException(TransportException::class);
        $untrusting->verify('oZhangSan', '张三', self::ZS_ID);
    }

    public function testStatsCountWhatTheClientDid(): void
    {
        $sb = Sandbox::start();
        $c = $sb->client();
        $c->verify('oZhangSan', '张三', self::ZS_ID);
        $c->verify('oFlaky503', '张三', self::ZS_ID);
        try {
            $c->verify('oZhangSan', '', self::ZS_ID);
        } catch (InvalidInputException $e) {
        }
        $s = $c->stats();
        $this->assertSame([3, 4, 2, 0], [$s['calls'], $s['requests'], $s['retries'], $s['failovers']]);
        $this->assertSame($sb->connections(), $s['connections_opened']);
        $this->assertSame(['A' => 1, 'B' => 0, 'C' => 0, 'D' => 0, 'E' => 1, 'F' => 0, 'Other' => 0], $s['verdicts']);
        $this->assertSame(1, $s['errors']['invalid_input']);
        $this->assertSame(0, $s['errors']['cancelled']);
        $this->assertCount(7, $s['errors']);
        $this->assertGreaterThan(0, $s['latency_p50_us']);
        $this->assertLessThanOrEqual($s['latency_p99_us'], $s['latency_p50_us']);
    }

    public function testTheKindCancelledIsACancelledException(): void
    {
        $cancelled = \NameAuth\Native::ffi()->NAMEAUTH_CANCELLED;
        $e = \NameAuth\Native::failure($cancelled);
        $this->assertInstanceOf(\NameAuth\CancelledException::class, $e);
        $this->assertSame('cancelled', $e->kind());
        $this->assertSame($cancelled, $e->resultCode());
    }

    public function testCallsAreLoggedMaskedToAPsr3Logger(): void
    {
        $sb = Sandbox::start();
        $c = $sb->client();
        $log = new RecordingLogger();
        $c->setLogger($log);
        $c->verify('oZhangSan', '张三', self::ZS_ID);
        $c->verify('oFlaky503', '张三', self::ZS_ID);
        try {
            $c->verify('oZhangSan', '张三', '110101199003074478');
        } catch (InvalidInputException $e) {
        }
        $levels = array_column($log->records, 0);
        $messages = array_column($log->records, 1);
        $this->assertSame(['info', 'warning', 'warning', 'info', 'info'], $levels);
        $this->assertStringStartsWith(
            'verify openid=oZh****an truename=*三 creid=110*************77 outcome=A attempts=1',
            $messages[0]
        );
        $this->assertStringStartsWith('retry: attempt 1 failed', $messages[1]);
        $this->assertStringContainsString('outcome=invalid_input', $messages[4]);
        foreach ($messages as $m) {
            foreach ([$sb->key(), self::ZS_ID, '张三', 'oZhangSan', 'sign='] as $secret) {
                $this->assertStringNotContainsString($secret, $m);
            }
        }
        $c->setLogger(null);
        $c->verify('oZhangSan', '张三', self::ZS_ID);
        $this->assertCount(5, $log->records);
        $this->expectException(InvalidConfigException::class);
        $c->setLogger(new \stdClass());
    }

    public function testTheFallbackEndpointTakesOverWhenThePrimaryIsDown(): void
    {
        $sb = Sandbox::start();
        $probe = stream_socket_server('tcp://127.0.0.1:0');
        $port = (int) substr(strrchr(stream_socket_get_name($probe, false), ':'), 1);
        fclose($probe);
        $c = $sb->client([
            'endpoint' => "http://127.0.0.1:{$port}/cgi-bin/nameauth/nameautheasy",
            'fallback_endpoint' => $sb->endpoint(),
        ]);
        $this->assertSame('A', $c->verify('oZhangSan', '张三', self::ZS_ID)->code());
        $this->assertSame(1, $c->stats()['failovers']);
        $this->assertSame(1, $sb->hits('oZhangSan'));
        try {
            $sb->client(['fallback_endpoint' => 'http://example.test/x']);
            $this->fail('a plain-http fallback to a remote host was accepted');
        } catch (InvalidConfigException $e) {
            $this->assertSame('fallback_endpoint', $e->field());
        }
    }
}

<?php

/**
 * The php-fpm test's page for one worker's life: each request builds a client with a
 * logger, makes a verdict, a transport error and two refused calls, and prints one JSON
 * line with what it got and the worker's pid and resident set size, so that run.py can
 * see a worker's memory across hundreds of requests and tell a respawned worker. With
 * ?fatal=1 the request then ends in a fatal error (memory_limit), after which PHP runs no
 * destructor.
 */

declare(strict_types=1);

header('Content-Type: application/json');
$param = static function (string $name): string {
    return (string) ($_SERVER[$name] ?? '');
};
$logger = new class {
    /** @var int */
    public $events = 0;

    /** @param array<string, mixed> $context */
    public function info(string $message, array $context = []): void
    {
        $this->events++;
    }

    /** @param array<string, mixed> $context */
    public function warning(string $message, array $context = []): void
    {
        $this->events++;
    }
};
$client = new \NameAuth\Client(
    $param('NAMEAUTH_APPID'),
    $param('NAMEAUTH_SRC'),
    $param('NAMEAUTH_KEY'),
    ['endpoint' => $param('NAMEAUTH_ENDPOINT')]
);
$client->setLogger($logger);
$got = [];
foreach (
    [
        ['oZhangSan', '李四', '110101199003074477'],
        ['oHttp500', '张三', '110101199003074477'],
        ['oZhangSan', '张三', '110101199003074478'],
        ['oZhangSan', "\xff", '110101199003074477'],
    ] as $args
) {
    try {
        $got[] = $client->verify(...$args)->code();
    } catch (\NameAuth\NameAuthException $e) {
        $got[] = $e->kind();
    }
}
$statm = explode(' ', (string) file_get_contents('/proc/self/statm'));
echo json_encode([
    'got' => $got,
    'events' => $logger->events,
    'pid' => getmypid(),
    'rss' => (int) $statm[1] * 4096,
]), "\n";
if (($_GET['fatal'] ?? '') === '1') {
    ini_set('memory_limit', '8M');
    $too_much = str_repeat('x', 16 << 20);
}

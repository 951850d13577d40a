<?php

/**
 * bench-peers, PHP: the nameauth binding (FFI) against the client a shop writes by hand
 * (a reused ext-curl handle, md5(), json_decode, the verdict table as an array).
 *
 *   php peers.php steady CALLS ROUNDS   CPU per verify of each, in interleaved blocks
 *   php peers.php first IMPL            one verify in this fresh process (nameauth, curl)
 *
 * Run by tools/bench_peers.py, which starts the sandbox and reads the JSON lines printed
 * here. CPU is this process's (getrusage: user + system).
 */

declare(strict_types=1);

$start = hrtime(true);

const USER = ['oZhangSan', '张三', '110101199003074477', '1'];

function cpu_us(): float
{
    $u = getrusage();
    return ($u['ru_utime.tv_sec'] + $u['ru_stime.tv_sec']) * 1e6
        + $u['ru_utime.tv_usec'] + $u['ru_stime.tv_usec'];
}

/** @return array{string, string, string, string} */
function settings(): array
{
    return [
        (string) getenv('NAMEAUTH_ENDPOINT'),
        (string) getenv('NAMEAUTH_APPID'),
        (string) getenv('NAMEAUTH_SRC'),
        (string) getenv('NAMEAUTH_KEY'),
    ];
}

/** The hand-written client: sign, encode, GET over one curl handle, decode, map. */
function peer(): \Closure
{
    [$endpoint, $appid, $src, $key] = settings();
    $table = [
        '0|1|' => 'A', '0|1|1' => 'B', '0|1|2' => 'C', '0|1|1|2' => 'D',
        '0|2|' => 'E', '0|3|' => 'F', '0|4|' => 'F', '0|5|' => 'F',
    ];
    $h = curl_init();
    curl_setopt_array($h, [
        CURLOPT_RETURNTRANSFER => true,
        CURLOPT_TIMEOUT_MS => 10000,
        CURLOPT_CONNECTTIMEOUT_MS => 3000,
    ]);
    return static function () use ($h, $endpoint, $appid, $src, $key, $table): string {
        [$openid, $truename, $creid, $cretype] = USER;
        $fields = [
            'appid' => $appid, 'creid' => $creid, 'cretype' => $cretype,
            'openid' => $openid, 'src' => $src, 'truename' => $truename,
        ];
        ksort($fields);
        $text = urldecode(http_build_query($fields)) . '&key=' . $key;
        $fields['sign'] = md5($text);
        $fields['type'] = 'json';
        curl_setopt($h, CURLOPT_URL, $endpoint . '?' . http_build_query($fields, '', '&', PHP_QUERY_RFC3986));
        $body = curl_exec($h);
        if (!is_string($body) || curl_getinfo($h, CURLINFO_RESPONSE_CODE) !== 200) {
            return '!';
        }
        $a = json_decode($body, true);
        $nm = str_replace('2|1', '1|2', (string) ($a['notmatch_param'] ?? ''));
        return $table[$a['error_code'] . '|' . ($a['nameauth_status'] ?? '') . '|' . $nm] ?? 'Other';
    };
}

function ours(): \Closure
{
    require_once __DIR__ . '/../../bindings/php/autoload.php';
    [$endpoint, $appid, $src, $key] = settings();
    $client = new \NameAuth\Client($appid, $src, $key, ['endpoint' => $endpoint]);
    return static function () use ($client): string {
        return $client->verify(...USER)->code();
    };
}

$mode = $argv[1] ?? '';
if ($mode === 'first') {
    $impl = $argv[2];
    $verify = $impl === 'nameauth' ? ours() : peer();
    if ($verify() !== 'A') {
        fwrite(STDERR, "peers: the verify did not give A\n");
        exit(1);
    }
    echo json_encode(['impl' => $impl, 'first_ms' => (hrtime(true) - $start) / 1e6]), "\n";
    exit(0);
}
$calls = (int) ($argv[2] ?? 5000);
$rounds = (int) ($argv[3] ?? 10);
$impls = ['nameauth' => ours(), 'curl' => peer()];
foreach ($impls as $name => $verify) {
    for ($i = 0; $i < 200; $i++) {
        if ($verify() !== 'A') {
            fwrite(STDERR, "peers: $name did not give A\n");
            exit(1);
        }
    }
}
$per = ['nameauth' => [], 'curl' => []];
$block = intdiv($calls, $rounds);
for ($r = 0; $r < $rounds; $r++) {
    $order = $r % 2 === 0 ? ['nameauth', 'curl'] : ['curl', 'nameauth'];
    foreach ($order as $name) {
        $verify = $impls[$name];
        $t0 = cpu_us();
        for ($i = 0; $i < $block; $i++) {
            $verify();
        }
        $per[$name][] = (cpu_us() - $t0) / $block;
    }
}
foreach ($per as $name => $values) {
    echo json_encode(['impl' => $name, 'cpu_us' => $values]), "\n";
}

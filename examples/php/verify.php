<?php

/**
 * verify: checks one user with nameauth and prints one JSON line (CONFORMANCE.md).
 *
 *     NAMEAUTH_APPID=... NAMEAUTH_SRC=... NAMEAUTH_KEY=... \
 *         NAMEAUTH_LIBRARY=/path/to/libnameauth.so php verify.php OPENID TRUENAME CREID [CRETYPE]
 *
 * Exit status 0 when the server answered (any verdict), 2 on any error.
 */

declare(strict_types=1);

require __DIR__ . '/../../bindings/php/autoload.php';

$emit = static function (array $line, int $status): void {
    echo json_encode($line, JSON_UNESCAPED_UNICODE | JSON_UNESCAPED_SLASHES), "\n";
    exit($status);
};

if ($argc < 4 || $argc > 5) {
    $emit(['error' => 'invalid_input', 'message' => 'usage: verify.php OPENID TRUENAME CREID [CRETYPE]'], 2);
}
try {
    // NAMEAUTH_APPID, _SRC, _KEY and one variable per option (_ENDPOINT, _TIMEOUT_MS, ...)
    $client = \NameAuth\Client::fromEnv();
    $verdict = $client->verify($argv[1], $argv[2], $argv[3], $argv[4] ?? \NameAuth\Client::RESIDENT_ID_CARD);
    $client->close();
} catch (\NameAuth\NameAuthException $e) {
    $emit(['error' => $e->kind(), 'message' => $e->getMessage()], 2);
}
$emit($verdict->toArray(), 0);

<?php

/**
 * The php-fpm test's page: verifies the user in the query string against the endpoint in
 * the FastCGI parameters, with the binding's classes preloaded (no require here), and
 * prints one JSON line as every front end does.
 */

declare(strict_types=1);

header('Content-Type: application/json');
$param = static function (string $name): string {
    return (string) ($_SERVER[$name] ?? '');
};
try {
    $client = new \NameAuth\Client(
        $param('NAMEAUTH_APPID'),
        $param('NAMEAUTH_SRC'),
        $param('NAMEAUTH_KEY'),
        ['endpoint' => $param('NAMEAUTH_ENDPOINT')]
    );
    $verdict = $client->verify((string) $_GET['openid'], (string) $_GET['truename'], (string) $_GET['creid']);
    $out = $verdict->toArray();
} catch (\NameAuth\NameAuthException $e) {
    $out = ['error' => $e->kind(), 'message' => $e->getMessage()];
}
$out['ffi_enable'] = ini_get('ffi.enable');
echo json_encode($out, JSON_UNESCAPED_UNICODE | JSON_UNESCAPED_SLASHES), "\n";

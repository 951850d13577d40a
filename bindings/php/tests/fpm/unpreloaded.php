<?php

/**
 * The php-fpm test's page for a server with PHP's default ffi.enable=preload but without
 * docs/packaging.md's preload lines: the binding, loaded by its autoloader in the request,
 * cannot use FFI there. Prints the exception's class, field and rule.
 */

declare(strict_types=1);

require __DIR__ . '/../../autoload.php';

try {
    echo \NameAuth\Client::version(), "\n";
} catch (\NameAuth\NameAuthException $e) {
    echo substr(strrchr(get_class($e), '\\'), 1), ' ', $e->field(), ' ', $e->rule(), "\n";
}

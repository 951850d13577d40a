<?php

/**
 * opcache.preload script for php-fpm: loads the binding's classes at server start, so
 * they count as preloaded code, the only code allowed to use FFI under PHP's default
 * ffi.enable=preload. Pair it with ffi.preload=.../bindings/php/nameauth_ffi.h (the
 * NAMEAUTH scope); the php.ini lines are in docs/packaging.md ("PHP under php-fpm").
 */

declare(strict_types=1);

require_once __DIR__ . '/autoload.php';

// The autoloader brings in what each class needs (interfaces, traits) first.
foreach (glob(__DIR__ . '/src/*.php') ?: [] as $file) {
    $name = 'NameAuth\\' . basename($file, '.php');
    class_exists($name) || interface_exists($name) || trait_exists($name);
}

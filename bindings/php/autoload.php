<?php

/**
 * Autoloader for NameAuth\ classes, for projects without Composer:
 * `require '/path/to/bindings/php/autoload.php';`
 */

declare(strict_types=1);

spl_autoload_register(static function (string $class): void {
    $prefix = 'NameAuth\\';
    if (strncmp($class, $prefix, strlen($prefix)) !== 0) {
        return;
    }
    $file = __DIR__ . '/src/' . str_replace('\\', '/', substr($class, strlen($prefix))) . '.php';
    if (is_file($file)) {
        require $file;
    }
});

<?php

/**
 * Proves the php-fpm test runs under PHP's default ffi.enable=preload: FFI::cdef in a
 * request's own script is refused there, so the binding must have used its preloaded scope.
 */

declare(strict_types=1);

try {
    \FFI::cdef('int abs(int);');
    echo "cdef allowed\n";
} catch (\Throwable $e) {
    echo "cdef refused\n";
}

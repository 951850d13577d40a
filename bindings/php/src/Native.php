<?php

namespace NameAuth;

/**
 * The nameauth C library through FFI, loaded once per process. Internal: use Client.
 *
 * The library is NAMEAUTH_LIBRARY (a path), or libnameauth.so.0 from the system's library
 * path. The declarations are NAMEAUTH_DECLS (a path), or nameauth_decls.h from this
 * repository's include/ or an installed include directory.
 */
final class Native
{
    /** @var \FFI|null */
    private static $ffi = null;

    public static function ffi(): \FFI
    {
        if (self::$ffi === null) {
            self::$ffi = self::load();
        }
        return self::$ffi;
    }

    private static function load(): \FFI
    {
        if (!extension_loaded('ffi')) {
            throw new ConfigException('ffi: the PHP FFI extension is not loaded (install it and set ffi.enable)');
        }
        $decls = getenv('NAMEAUTH_DECLS') ?: null;
        if ($decls === null) {
            foreach (
                [
                    __DIR__ . '/../../../include/nameauth_decls.h',
                    '/usr/local/include/nameauth_decls.h',
                    '/usr/include/nameauth_decls.h',
                ] as $candidate
            ) {
                if (is_file($candidate)) {
                    $decls = $candidate;
                    break;
                }
            }
        }
        if ($decls === null || !is_readable($decls)) {
            throw new ConfigException('NAMEAUTH_DECLS: nameauth_decls.h not found (set NAMEAUTH_DECLS to its path)');
        }
        $library = getenv('NAMEAUTH_LIBRARY') ?: 'libnameauth.so.0';
        try {
            return \FFI::cdef((string) file_get_contents($decls), $library);
        } catch (\FFI\Exception $e) {
            throw new ConfigException(
                'NAMEAUTH_LIBRARY: cannot load ' . $library . ' (set NAMEAUTH_LIBRARY to the path of libnameauth.so): '
                    . $e->getMessage()
            );
        }
    }

    /**
     * This thread's last error message from the library.
     */
    public static function lastError(): string
    {
        $ffi = self::ffi();
        $n = $ffi->nameauth_last_error(null, 0);
        $buf = $ffi->new('char[' . ($n + 1) . ']');
        $ffi->nameauth_last_error($buf, $n + 1);
        return \FFI::string($buf);
    }

    /**
     * The exception for a failed call with status $status.
     */
    public static function failure(int $status): Exception
    {
        return Exception::fromStatus($status, self::lastError());
    }

    /**
     * Refuses a string the C ABI cannot carry whole: a NUL would silently cut it short.
     * Same words as the core's rule.
     */
    public static function noNul(string $field, string $value): void
    {
        $at = strpos($value, "\0");
        if ($at !== false) {
            // Characters before the NUL: every byte that does not continue a UTF-8 sequence.
            $position = preg_match_all('/[^\x80-\xBF]/', substr($value, 0, $at)) + 1;
            throw new InvalidInputException($field . ': character ' . $position . ' is a control character', 1);
        }
    }
}

<?php

declare(strict_types=1);

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
            throw new InvalidConfigException(
                'ffi: the PHP FFI extension is not loaded (install it and set ffi.enable)',
                0,
                'ffi',
                'missing'
            );
        }
        // Under php-fpm (ffi.enable=preload) the declarations come preloaded as the scope
        // NAMEAUTH (ffi.preload=.../nameauth_ffi.h, see preload.php); elsewhere, as in the
        // CLI, they are read here.
        if (ini_get('ffi.preload')) {
            try {
                return \FFI::scope('NAMEAUTH');
            } catch (\FFI\Exception $e) {
                // Preloaded something else: fall through to cdef.
            }
        }
        $decls = self::declarations('nameauth_decls.h', 'NAMEAUTH_DECLS');
        $library = getenv('NAMEAUTH_LIBRARY') ?: 'libnameauth.so.0';
        try {
            $ffi = \FFI::cdef($decls, $library);
        } catch (\FFI\Exception $e) {
            self::refusedByIni($e);
            throw new InvalidConfigException(
                'NAMEAUTH_LIBRARY: cannot load ' . $library . ' (set NAMEAUTH_LIBRARY to the path of libnameauth.so): '
                    . $e->getMessage(),
                0,
                'NAMEAUTH_LIBRARY',
                'missing'
            );
        }
        // A library loaded here is unloaded when PHP shuts down: stop its idle-connection
        // thread first (closing its sockets), so that no code of it runs once it is gone,
        // on any glibc (crates/pthread). A preloaded one (above) stays for the process.
        register_shutdown_function(static function () use ($ffi): void {
            $ffi->nameauth_release_pools();
        });
        return $ffi;
    }

    /**
     * Names ffi.enable when it, not the library, refused FFI::cdef: off, or PHP's default
     * "preload" outside the CLI without docs/packaging.md's preload lines.
     */
    private static function refusedByIni(\FFI\Exception $e): void
    {
        if (strpos($e->getMessage(), '"ffi.enable"') === false) {
            return;
        }
        if (strtolower((string) ini_get('ffi.enable')) === 'preload') {
            throw new InvalidConfigException(
                'ffi.enable: is preload, so FFI works only in code preloaded at server start: set'
                    . ' ffi.preload to nameauth_ffi.h and opcache.preload to preload.php (docs/packaging.md)',
                0,
                'ffi.enable',
                'not_preloaded'
            );
        }
        throw new InvalidConfigException(
            'ffi.enable: FFI is disabled (set ffi.enable=preload with the preload lines of docs/packaging.md)',
            0,
            'ffi.enable',
            'disabled'
        );
    }

    /**
     * The flat C declarations of $file (written by the build beside nameauth.h, installed
     * beside it by make dist): the path in $variable, else this checkout's include/, else
     * the system's include directories.
     *
     * @internal
     */
    public static function declarations(string $file, string $variable): string
    {
        $path = getenv($variable) ?: null;
        if ($path === null) {
            foreach ([__DIR__ . '/../../../include/', '/usr/local/include/', '/usr/include/'] as $dir) {
                if (is_file($dir . $file)) {
                    $path = $dir . $file;
                    break;
                }
            }
        }
        if ($path === null || !is_readable($path)) {
            throw new InvalidConfigException(
                $variable . ': ' . $file . ' not found (set ' . $variable . ' to its path)',
                0,
                $variable,
                'missing'
            );
        }
        return (string) file_get_contents($path);
    }

    /** One snprintf-style text of this thread (a part of the last error, the captured events). */
    private static function lastErrorPart(string $function): string
    {
        $ffi = self::ffi();
        $n = $ffi->$function(null, 0);
        $buf = $ffi->new('char[' . ($n + 1) . ']');
        $ffi->$function($buf, $n + 1);
        return \FFI::string($buf);
    }

    /** The events the last verify on this thread captured (nameauth_log_captured). */
    public static function captured(): string
    {
        return self::lastErrorPart('nameauth_log_captured');
    }

    /** This thread's last error message from the library. */
    public static function lastError(): string
    {
        return self::lastErrorPart('nameauth_last_error');
    }

    /**
     * The exception for a failed call: its class from the kind the C library gives the
     * result, with the message, field, rule and HTTP status the call left.
     */
    public static function failure(int $code): NameAuthException
    {
        $kind = self::ffi()->nameauth_result_kind($code);
        $message = self::lastError();
        $field = self::lastErrorPart('nameauth_last_error_field');
        $rule = self::lastErrorPart('nameauth_last_error_rule');
        switch ($kind) {
            case InvalidInputException::KIND:
                return new InvalidInputException($message, $code, $field, $rule);
            case InvalidConfigException::KIND:
                return new InvalidConfigException($message, $code, $field, $rule);
            case TimeoutException::KIND:
                return new TimeoutException($message, $code);
            case TransportException::KIND:
                return new TransportException($message, $code, '', '', self::ffi()->nameauth_last_error_http_status());
            case ProtocolException::KIND:
                return new ProtocolException($message, $code);
            case CancelledException::KIND:
                return new CancelledException($message, $code);
            default:
                return new InternalException($message, $code);
        }
    }

    /**
     * Refuses invalid UTF-8 in an argument of verify, with the C library's own error, before
     * the call: the C library refuses it before the call starts, when the events it holds
     * for the logger are still the previous call's, and the logger would hear them again.
     */
    public static function utf8(string $field, #[\SensitiveParameter] string $value): void
    {
        if (preg_match('//u', $value) !== 1) {
            throw new InvalidInputException(
                $field . ': is not valid UTF-8',
                self::ffi()->NAMEAUTH_INVALID_UTF8,
                $field,
                'invalid_utf8'
            );
        }
    }

    /**
     * Refuses a NUL, which C would take for the end of the string (the value would be cut,
     * not refused).
     */
    public static function noNul(string $field, #[\SensitiveParameter] string $value, bool $config = false): void
    {
        $at = strpos($value, "\0");
        if ($at !== false) {
            // Characters before the NUL: every byte that does not continue a UTF-8 sequence.
            $position = preg_match_all('/[^\x80-\xBF]/', substr($value, 0, $at)) + 1;
            $message = $field . ': character ' . $position . ' is a control character';
            throw $config
                ? new InvalidConfigException($message, 0, $field, 'control_character')
                : new InvalidInputException($message, 0, $field, 'control_character');
        }
    }
}

<?php

namespace NameAuth;

/**
 * A WeChat Pay real-name client over the nameauth C library.
 *
 *     $client = new \NameAuth\Client($appid, $src, $key, ['timeout_ms' => 5000]);
 *     $verdict = $client->verify('oUpF8uMuAJO_M2pxb1Q9zNjWeS6o', '张三', '110101199003074477');
 *     if ($verdict->passed()) { ... } else { log($verdict->code(), $verdict->messageZh()); }
 *
 * Options: endpoint, timeout_ms, connect_timeout_ms, sign_case ('lower'|'upper'), retries,
 * proxy, ca_file, validate_id (bool), allow_http (bool). Every failure is a
 * \NameAuth\Exception subclass. Native handles are freed by close() or when the object goes
 * away; the key is never kept on the PHP side.
 */
final class Client
{
    /** @var \FFI\CData|null nameauth_client* */
    private $handle;

    /**
     * @param array<string, string|int|bool> $options
     */
    public function __construct(string $appid, string $src, string $key, array $options = [])
    {
        foreach (['appid' => $appid, 'src' => $src, 'key' => $key] as $field => $value) {
            if (strpos($value, "\0") !== false) {
                throw new ConfigException($field . ': contains a NUL character');
            }
        }
        $ffi = Native::ffi();
        $out = $ffi->new('nameauth_client*');
        $status = $ffi->nameauth_client_new($appid, $src, $key, self::optionString($options), \FFI::addr($out));
        if ($status !== 0) {
            throw Native::failure($status);
        }
        $this->handle = $out;
    }

    /**
     * A client from the environment of CONFORMANCE.md (NAMEAUTH_APPID, NAMEAUTH_SRC,
     * NAMEAUTH_KEY, and optionally NAMEAUTH_ENDPOINT, NAMEAUTH_TIMEOUT_MS,
     * NAMEAUTH_SIGN_CASE, NAMEAUTH_CA_FILE), with $options applied on top.
     *
     * @param array<string, string|int|bool> $options
     */
    public static function fromEnv(array $options = []): self
    {
        $ffi = Native::ffi();
        $out = $ffi->new('nameauth_client*');
        $status = $ffi->nameauth_client_new_from_env(self::optionString($options), \FFI::addr($out));
        if ($status !== 0) {
            throw Native::failure($status);
        }
        $client = (new \ReflectionClass(self::class))->newInstanceWithoutConstructor();
        $client->handle = $out;
        return $client;
    }

    /**
     * @param array<string, string|int|bool> $options
     */
    private static function optionString(array $options): ?string
    {
        if ($options === []) {
            return null;
        }
        $parts = [];
        foreach ($options as $name => $value) {
            if (is_bool($value)) {
                $value = $value ? 'true' : 'false';
            }
            $value = (string) $value;
            if (strpbrk($value, ";\n\0") !== false || strpbrk((string) $name, "=;\n\0") !== false) {
                throw new ConfigException($name . ': must not contain ";", "=", a line break or NUL');
            }
            $parts[] = $name . '=' . $value;
        }
        return implode(';', $parts);
    }

    /**
     * Verifies one user: checks every rule of docs/SPEC.md §3 (nothing is sent if one fails), signs,
     * sends and maps the answer. Returns a Verdict whenever the server answered (A-F, Other).
     *
     * @throws InvalidInputException a rule of docs/SPEC.md §3 is broken; nothing was sent
     * @throws TimeoutException      no complete answer within the timeout
     * @throws TransportException    refused, reset, TLS failure, non-2xx status
     * @throws ProtocolException     a malformed answer
     * @throws ConfigException       the client is closed
     */
    public function verify(string $openid, string $truename, string $creid, string $cretype = '1'): Verdict
    {
        foreach (['openid' => $openid, 'truename' => $truename, 'creid' => $creid, 'cretype' => $cretype] as $f => $v) {
            Native::noNul($f, $v);
        }
        if ($this->handle === null) {
            throw new ConfigException('client: is closed');
        }
        $ffi = Native::ffi();
        $out = $ffi->new('nameauth_verdict*');
        $status = $ffi->nameauth_verify($this->handle, $openid, $truename, $creid, $cretype, \FFI::addr($out));
        if ($status !== 0) {
            throw Native::failure($status);
        }
        try {
            return new Verdict([
                'code' => $ffi->nameauth_verdict_code($out),
                'reason' => $ffi->nameauth_verdict_reason($out),
                'message_zh' => $ffi->nameauth_verdict_message_zh($out),
                'message_en' => $ffi->nameauth_verdict_message_en($out),
                'advice_zh' => $ffi->nameauth_verdict_advice_zh($out),
                'advice_en' => $ffi->nameauth_verdict_advice_en($out),
                'error_code' => $ffi->nameauth_verdict_error_code($out),
                'nameauth_status' => $ffi->nameauth_verdict_nameauth_status($out),
                'notmatch_param' => $ffi->nameauth_verdict_notmatch_param($out),
                'name_mask' => $ffi->nameauth_verdict_name_mask($out),
                'passed' => $ffi->nameauth_verdict_passed($out),
                'config_problem' => $ffi->nameauth_verdict_is_config_problem($out),
            ]);
        } finally {
            $ffi->nameauth_verdict_free($out);
        }
    }

    /** True once close() has been called. */
    public function isClosed(): bool
    {
        return $this->handle === null;
    }

    /** Frees the native client (its connections and key). Idempotent. */
    public function close(): void
    {
        if ($this->handle !== null) {
            Native::ffi()->nameauth_client_free($this->handle);
            $this->handle = null;
        }
    }

    public function __destruct()
    {
        $this->close();
    }

    /**
     * What var_dump() and print_r() show: never the key (which PHP does not keep anyway).
     *
     * @return array<string, bool>
     */
    public function __debugInfo(): array
    {
        return ['closed' => $this->isClosed()];
    }

    /**
     * The signature of a request (docs/SPEC.md §2): 32 hex digits, values signed exactly as given.
     */
    public static function sign(
        string $appid,
        string $openid,
        string $src,
        string $truename,
        string $creid,
        string $key,
        string $cretype = '1',
        bool $upper = false
    ): string {
        $fields = compact('appid', 'openid', 'src', 'truename', 'creid', 'cretype');
        foreach ($fields as $f => $v) {
            Native::noNul($f, $v);
        }
        $ffi = Native::ffi();
        $out = $ffi->new('char[33]');
        $flags = $upper ? 1 : 0;
        $status = $ffi->nameauth_sign($appid, $openid, $src, $truename, $creid, $cretype, $key, $flags, $out, 33);
        if ($status !== 0) {
            throw Native::failure($status);
        }
        return \FFI::string($out);
    }

    /**
     * Checks a resident ID number (cretype 1) against every rule of docs/SPEC.md §3.
     *
     * @throws InvalidInputException naming the rule (never repeating the number)
     */
    public static function validateId(string $creid): void
    {
        Native::noNul('creid', $creid);
        $status = Native::ffi()->nameauth_validate_id($creid);
        if ($status !== 0) {
            throw Native::failure($status);
        }
    }

    /** The native library's version, e.g. "0.1.0". */
    public static function version(): string
    {
        return Native::ffi()->nameauth_version();
    }
}

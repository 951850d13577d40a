<?php

declare(strict_types=1);

namespace NameAuth;

/**
 * A WeChat Pay real-name client over the nameauth C library.
 *
 *     $client = new \NameAuth\Client($appid, $src, $key, ['timeout_ms' => 5000]);
 *     $verdict = $client->verify('oUpF8uMuAJO_M2pxb1Q9zNjWeS6o', '张三', '110101199003074477');
 *     if ($verdict->passed()) { ... } else { log($verdict->code(), $verdict->messageZh()); }
 *
 * Options, by their names in every nameauth front end: endpoint, timeout_ms,
 * connect_timeout_ms, sign_case ('lower'|'upper'), retries, proxy, ca_file, id_rules
 * (bool), allow_http (bool), fallback_endpoint, idle_timeout_ms (how long an unused
 * keep-alive connection is kept, 7000); values are strings, ints or bools and may hold any character.
 * Every failure is an exception implementing \NameAuth\NameAuthException (kind(), field(),
 * rule()); a closed client throws \LogicException. Native handles are freed by close(),
 * when the object goes away, or at the end of a request a fatal error ended; a client
 * cannot be cloned (two objects would free one handle), serialized or built twice. The
 * key is never kept on the PHP side.
 */
final class Client
{
    use NativeHandle;

    /** The document type of a resident ID card (居民身份证), cretype 1, the default. */
    public const RESIDENT_ID_CARD = '1';

    /** @var object|null a PSR-3 logger (Psr\Log\LoggerInterface), or null */
    private $logger = null;

    /**
     * @param array<string, string|int|bool> $options
     * @throws InvalidConfigException naming the field or option at fault (never showing a value)
     */
    public function __construct(
        string $appid,
        string $src,
        #[\SensitiveParameter]
        string $key,
        #[\SensitiveParameter]
        array $options = []
    ) {
        if ($this->handle !== null) {
            // A second build would drop the native client (connections, key) unfreed.
            throw new \LogicException('client: is already built');
        }
        foreach (['appid' => $appid, 'src' => $src, 'key' => $key] as $field => $value) {
            Native::noNul($field, $value, true);
        }
        $ffi = Native::ffi();
        $o = self::nativeOptions($options);
        $out = $ffi->new('nameauth_client*');
        try {
            $status = $ffi->nameauth_client_new($appid, $src, $key, $o, \FFI::addr($out));
        } finally {
            $ffi->nameauth_options_free($o);
        }
        if ($status !== $ffi->NAMEAUTH_OK) {
            throw Native::failure($status);
        }
        $this->own($out);
    }

    /**
     * A client from the environment: NAMEAUTH_APPID, NAMEAUTH_SRC, NAMEAUTH_KEY, and
     * NAMEAUTH_ plus any option's name in capitals (NAMEAUTH_ENDPOINT, NAMEAUTH_TIMEOUT_MS,
     * ...).
     */
    public static function fromEnv(): self
    {
        $ffi = Native::ffi();
        $out = $ffi->new('nameauth_client*');
        $status = $ffi->nameauth_client_new_from_env(\FFI::addr($out));
        if ($status !== $ffi->NAMEAUTH_OK) {
            throw Native::failure($status);
        }
        $client = (new \ReflectionClass(self::class))->newInstanceWithoutConstructor();
        $client->own($out);
        return $client;
    }

    /**
     * A value's text as the C library reads it; any other type is refused by name.
     *
     * @param mixed $value
     */
    private static function optionText(string $name, #[\SensitiveParameter] $value): string
    {
        if (is_bool($value)) {
            return $value ? 'true' : 'false';
        }
        if (is_int($value) || is_string($value)) {
            $text = (string) $value;
            Native::noNul($name, $text, true);
            return $text;
        }
        throw new InvalidConfigException(
            $name . ': must be a string, an int or a bool (got ' . (is_object($value) ? get_class($value) : gettype($value)) . ')',
            0,
            $name,
            'bad_type'
        );
    }

    /**
     * A nameauth_options handle holding $options (the caller frees it).
     *
     * @param array<mixed, mixed> $options
     */
    private static function nativeOptions(#[\SensitiveParameter] array $options): \FFI\CData
    {
        $ffi = Native::ffi();
        $o = $ffi->new('nameauth_options*');
        $status = $ffi->nameauth_options_new(\FFI::addr($o));
        if ($status !== $ffi->NAMEAUTH_OK) {
            throw Native::failure($status);
        }
        try {
            foreach ($options as $name => $value) {
                if (!is_string($name)) {
                    throw new InvalidConfigException('options: names must be strings', 0, 'options', 'bad_type');
                }
                Native::noNul('options', $name, true);
                $status = $ffi->nameauth_options_set($o, $name, self::optionText($name, $value));
                if ($status !== $ffi->NAMEAUTH_OK) {
                    throw Native::failure($status);
                }
            }
        } catch (\Throwable $e) {
            $ffi->nameauth_options_free($o);
            throw $e;
        }
        return $o;
    }

    /**
     * Verifies one user: checks every rule of docs/SPEC.md §3 (nothing is sent if one fails), signs,
     * sends and maps the answer. Returns a Verdict whenever the server answered (A-F, Other).
     *
     * @throws InvalidInputException a rule of docs/SPEC.md §3 is broken; nothing was sent
     * @throws TimeoutException      no complete answer within the timeout
     * @throws TransportException    refused, reset, TLS failure, non-2xx status
     * @throws ProtocolException     a malformed answer
     * @throws \LogicException       the client is closed
     */
    public function verify(
        string $openid,
        #[\SensitiveParameter]
        string $truename,
        #[\SensitiveParameter]
        string $creid,
        string $cretype = self::RESIDENT_ID_CARD
    ): Verdict {
        foreach (['openid' => $openid, 'truename' => $truename, 'creid' => $creid, 'cretype' => $cretype] as $f => $v) {
            Native::noNul($f, $v);
            Native::utf8($f, $v);
        }
        if ($this->handle === null) {
            throw new \LogicException('client: is closed');
        }
        $ffi = Native::ffi();
        // The logger of this call: one that calls setLogger() while it logs still gets
        // the rest of the call's events (the next call goes to the new one).
        $logger = $this->logger;
        $out = $ffi->new('nameauth_verdict*');
        $captured = null;
        $verdict = null;
        // The answer (verdict or exception) is taken and the native verdict freed before
        // the logger runs, so a logger that throws can neither take it nor leak it. The
        // finally also frees it when an exception is thrown the moment the call returns:
        // PHP runs a pcntl signal handler (a queue worker's job timeout) right there.
        try {
            if ($logger === null) {
                $status = $ffi->nameauth_verify($this->handle, $openid, $truename, $creid, $cretype, \FFI::addr($out));
            } else {
                // Events are captured (and formatted) natively only when someone listens.
                $ffi->nameauth_log_capture($ffi->NAMEAUTH_LOG_INFO);
                try {
                    $status = $ffi->nameauth_verify($this->handle, $openid, $truename, $creid, $cretype, \FFI::addr($out));
                } finally {
                    $ffi->nameauth_log_capture($ffi->NAMEAUTH_LOG_OFF);
                }
                $captured = Native::captured();
            }
            if ($status === $ffi->NAMEAUTH_OK) {
                $verdict = self::verdictOf($out);
            }
        } finally {
            if (!\FFI::isNull($out)) {
                $ffi->nameauth_verdict_free($out);
            }
        }
        $failure = $verdict === null ? Native::failure($status) : null;
        if ($captured !== null) {
            self::emit($logger, $captured);
        }
        if ($failure !== null) {
            throw $failure;
        }
        return $verdict;
    }

    /**
     * A verdict's fields: each is read by the C accessor nameauth_verdict_<field>
     * (nameauth_verdict_code, ..., nameauth_verdict_is_config_problem).
     */
    private const VERDICT_FIELDS = [
        'code', 'reason', 'message_zh', 'message_en', 'advice_zh', 'advice_en',
        'error_code', 'nameauth_status', 'notmatch_param', 'name_mask', 'passed', 'is_config_problem',
    ];

    /** The PHP copy of a native verdict (which the caller frees). */
    private static function verdictOf(\FFI\CData $out): Verdict
    {
        $ffi = Native::ffi();
        $fields = [];
        foreach (self::VERDICT_FIELDS as $field) {
            $fields[$field] = $ffi->{"nameauth_verdict_$field"}($out);
        }
        return new Verdict($fields);
    }

    /**
     * Sends each call's events to a PSR-3 logger (Psr\Log\LoggerInterface; Debian's
     * php-psr-log or psr/log from Composer): `info` for each call (its verdict or error),
     * `warning` for a retry or a failover. Messages are masked: no key, no name or ID number
     * in clear, no URL. Null stops logging (a call already running logs to the
     * logger it started with). The logger is duck-typed, so psr/log is not a
     * dependency of this package.
     */
    public function setLogger(?object $logger): void
    {
        if ($logger !== null && !(method_exists($logger, 'info') && method_exists($logger, 'warning'))) {
            throw new InvalidConfigException('logger: must be a PSR-3 logger (info and warning methods)', 0, 'logger', 'bad_type');
        }
        $this->logger = $logger;
    }

    /**
     * Hands one call's events to the logger. A logger that throws (Monolog's StreamHandler
     * does when its file cannot be opened) takes neither the verdict nor the error: the
     * rest of the call's events are dropped and the failure is written with error_log(),
     * PHP's channel for what cannot be thrown (the SAPI's error log; stderr in the CLI).
     * error_log() rather than trigger_error(), because frameworks and PHPUnit turn
     * warnings into exceptions, which would take the verdict again. The report names the
     * exception's class and message; the logger only ever saw masked messages, so neither
     * holds a name, an ID number or the key.
     *
     * @param object $logger   the logger set when the call started
     * @param string $captured lines of `<level digit> <message>`
     */
    private static function emit(object $logger, string $captured): void
    {
        $lines = array_values(array_filter(
            explode("\n", $captured),
            static function (string $line): bool {
                return strlen($line) >= 3;
            }
        ));
        foreach ($lines as $i => $line) {
            $message = substr($line, 2);
            try {
                if ((int) $line[0] <= 2) {
                    $logger->warning($message, ['library' => 'nameauth']);
                } else {
                    $logger->info($message, ['library' => 'nameauth']);
                }
            } catch (\Throwable $e) {
                $reason = preg_replace('/[\x00-\x1f\x7f]+/', ' ', $e->getMessage());
                error_log(sprintf(
                    'nameauth: the PSR-3 logger threw %s (%s); %d event(s) of this call not logged,'
                        . ' the verdict or error was returned as usual',
                    get_class($e),
                    $reason,
                    count($lines) - $i
                ));
                return;
            }
        }
    }

    /**
     * What this client did since it was built, the counters of every nameauth front end:
     * calls, requests, retries, connections_opened, failovers, verdicts (by code, A to F
     * and Other), errors (by kind) and latency_p50_us, latency_p90_us, latency_p99_us
     * (microseconds, of the calls that sent a request; within 12.5 %).
     *
     * @return array{calls:int,requests:int,retries:int,connections_opened:int,failovers:int,verdicts:array<string,int>,errors:array<string,int>,latency_p50_us:int,latency_p90_us:int,latency_p99_us:int}
     */
    public function stats(): array
    {
        if ($this->handle === null) {
            throw new \LogicException('client: is closed');
        }
        $ffi = Native::ffi();
        $s = $ffi->new('nameauth_stats');
        $s->size = \FFI::sizeof($s);
        $status = $ffi->nameauth_client_stats($this->handle, \FFI::addr($s));
        if ($status !== $ffi->NAMEAUTH_OK) {
            throw Native::failure($status);
        }
        $verdicts = [];
        foreach (['A', 'B', 'C', 'D', 'E', 'F', 'Other'] as $i => $code) {
            $verdicts[$code] = $s->verdicts[$i];
        }
        $errors = [];
        foreach (['invalid_input', 'invalid_config', 'timeout', 'transport', 'protocol', 'internal'] as $i => $kind) {
            $errors[$kind] = $s->errors[$i];
        }
        // Not in errors[6]: the C struct only grows at its end.
        $errors['cancelled'] = $s->cancelled;
        return [
            'calls' => $s->calls,
            'requests' => $s->requests,
            'retries' => $s->retries,
            'connections_opened' => $s->connections_opened,
            'failovers' => $s->failovers,
            'verdicts' => $verdicts,
            'errors' => $errors,
            'latency_p50_us' => $s->latency_p50_us,
            'latency_p90_us' => $s->latency_p90_us,
            'latency_p99_us' => $s->latency_p99_us,
        ];
    }

    /** True once close() has been called. */
    public function isClosed(): bool
    {
        return $this->handle === null;
    }

    /** A nameauth_client*: its connections closed, its key wiped (NativeHandle::close()). */
    protected function freeHandle(\FFI\CData $handle): void
    {
        Native::ffi()->nameauth_client_free($handle);
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
     * The signature of a request (docs/SPEC.md §2): 32 hex digits, values signed exactly as
     * given. The arguments come in the order of every nameauth front end: appid, openid, src,
     * truename, creid, cretype, key.
     */
    public static function sign(
        string $appid,
        string $openid,
        string $src,
        #[\SensitiveParameter]
        string $truename,
        #[\SensitiveParameter]
        string $creid,
        string $cretype,
        #[\SensitiveParameter]
        string $key,
        string $sign_case = 'lower'
    ): string {
        $fields = compact('appid', 'openid', 'src', 'truename', 'creid', 'cretype');
        foreach ($fields as $f => $v) {
            Native::noNul($f, $v);
        }
        Native::noNul('key', $key, true);
        $ffi = Native::ffi();
        $out = $ffi->new('char[33]');
        $cases = ['lower' => $ffi->NAMEAUTH_SIGN_CASE_LOWER, 'upper' => $ffi->NAMEAUTH_SIGN_CASE_UPPER];
        if (!isset($cases[$sign_case])) {
            throw new InvalidInputException('sign_case: must be lower or upper', $ffi->NAMEAUTH_INVALID_INPUT, 'sign_case', 'bad_value');
        }
        $status = $ffi->nameauth_sign($appid, $openid, $src, $truename, $creid, $cretype, $key, $cases[$sign_case], $out, 33);
        if ($status !== $ffi->NAMEAUTH_OK) {
            throw Native::failure($status);
        }
        return \FFI::string($out);
    }

    /**
     * Checks a resident ID number (cretype 1) against every rule of docs/SPEC.md §3.
     *
     * @throws InvalidInputException naming the rule (never repeating the number)
     */
    public static function validateId(#[\SensitiveParameter] string $creid): void
    {
        Native::noNul('creid', $creid);
        $ffi = Native::ffi();
        $status = $ffi->nameauth_validate_id($creid);
        if ($status !== $ffi->NAMEAUTH_OK) {
            throw Native::failure($status);
        }
    }

    /** The native library's version, e.g. "0.1.0". */
    public static function version(): string
    {
        return Native::ffi()->nameauth_version();
    }
}

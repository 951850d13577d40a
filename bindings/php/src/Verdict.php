<?php

declare(strict_types=1);

namespace NameAuth;

/**
 * What the server answered, mapped to docs/SPEC.md §5's verdict table: the code, the reason, the
 * texts and the raw fields. Immutable. Holds no clear personal data (nameMask() is masked by
 * the server).
 */
final class Verdict
{
    /** @var array<string, string|int|bool> */
    private $fields;

    /**
     * @param array<string, string|int|bool> $fields
     */
    public function __construct(array $fields)
    {
        $this->fields = $fields;
    }

    /** "A" … "F" or "Other". */
    public function code(): string
    {
        return (string) $this->fields['code'];
    }

    /** The reason id of docs/SPEC.md §5, e.g. "name_mismatch". */
    public function reason(): string
    {
        return (string) $this->fields['reason'];
    }

    /** True only for code A (verified). */
    public function passed(): bool
    {
        return (bool) $this->fields['passed'];
    }

    /** True for error codes 1000, 1001, 1002, 1007: fix the configuration; never retry. */
    public function isConfigProblem(): bool
    {
        return (bool) $this->fields['is_config_problem'];
    }

    /** The meaning, in Chinese. */
    public function messageZh(): string
    {
        return (string) $this->fields['message_zh'];
    }

    /** The meaning, in English. */
    public function messageEn(): string
    {
        return (string) $this->fields['message_en'];
    }

    /** What the merchant should do, in Chinese. */
    public function adviceZh(): string
    {
        return (string) $this->fields['advice_zh'];
    }

    /** What the merchant should do, in English. */
    public function adviceEn(): string
    {
        return (string) $this->fields['advice_en'];
    }

    /** The server's error_code (0 when the query ran). */
    public function errorCode(): int
    {
        return (int) $this->fields['error_code'];
    }

    /** The server's nameauth_status, "" when absent. */
    public function nameauthStatus(): string
    {
        return (string) $this->fields['nameauth_status'];
    }

    /** The server's notmatch_param, normalised to "1", "2" or "1|2", "" when absent. */
    public function notmatchParam(): string
    {
        return (string) $this->fields['notmatch_param'];
    }

    /** The server's name_mask (masked by the server), "" when absent. */
    public function nameMask(): string
    {
        return (string) $this->fields['name_mask'];
    }

    /**
     * The CONFORMANCE.md fields, in their order.
     *
     * @return array{code: string, reason: string, error_code: int, nameauth_status: string,
     *               notmatch_param: string, name_mask: string}
     */
    public function toArray(): array
    {
        // The fields __debugInfo() shows, then the one it leaves out.
        return $this->__debugInfo() + ['name_mask' => $this->nameMask()];
    }

    /**
     * Python's repr of a verdict, e.g. `Verdict(code='B', reason='name_mismatch',
     * error_code=0, nameauth_status='1', notmatch_param='1')` (Java's toString shows the same
     * fields). No name_mask: for a Latin name it is nearly the whole name; nameMask() and
     * toArray() give it to a caller who asks.
     */
    public function __toString(): string
    {
        $parts = [];
        foreach ($this->__debugInfo() as $name => $value) {
            $parts[] = $name . '=' . (is_int($value) ? (string) $value : self::quoted($value));
        }
        return 'Verdict(' . implode(', ', $parts) . ')';
    }

    /**
     * What var_dump() and print_r() show: the fields of __toString(), no name_mask.
     * (var_export() and serialize() write every field: they rebuild the value.)
     *
     * @return array{code: string, reason: string, error_code: int, nameauth_status: string,
     *               notmatch_param: string}
     */
    public function __debugInfo(): array
    {
        return [
            'code' => $this->code(),
            'reason' => $this->reason(),
            'error_code' => $this->errorCode(),
            'nameauth_status' => $this->nameauthStatus(),
            'notmatch_param' => $this->notmatchParam(),
        ];
    }

    /** A string in single quotes, quotes, backslashes and control characters escaped. */
    private static function quoted(string $value): string
    {
        return "'" . addcslashes($value, "'\\\0..\37\177") . "'";
    }
}

<?php

declare(strict_types=1);

namespace NameAuth;

/**
 * The kind, field and rule every nameauth exception carries.
 *
 * @internal
 */
trait Details
{
    /** @var string */
    private $field = '';
    /** @var string */
    private $rule = '';

    /**
     * @param string $message one line, never a secret
     * @param int    $status  the C library's status, or 0 when PHP refused the value itself
     */
    public function __construct(string $message, int $status = 0, string $field = '', string $rule = '')
    {
        parent::__construct($message, $status);
        $this->field = $field;
        $this->rule = $rule;
    }

    public function kind(): string
    {
        return self::KIND;
    }

    public function field(): string
    {
        return $this->field;
    }

    public function rule(): string
    {
        return $this->rule;
    }
}

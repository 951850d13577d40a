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
    /** @var int */
    private $httpStatus = 0;

    /**
     * @param string $message one line, never a secret
     * @param int    $resultCode the C library's result number, or 0 when PHP refused the value itself
     * @param int    $httpStatus the HTTP status of a non-2xx answer, 0 otherwise
     */
    public function __construct(
        string $message,
        int $resultCode = 0,
        string $field = '',
        string $rule = '',
        int $httpStatus = 0
    ) {
        parent::__construct($message, $resultCode);
        $this->field = $field;
        $this->rule = $rule;
        $this->httpStatus = $httpStatus;
    }

    public function resultCode(): int
    {
        return $this->getCode();
    }

    public function httpStatus(): int
    {
        return $this->httpStatus;
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

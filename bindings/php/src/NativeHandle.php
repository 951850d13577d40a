<?php

declare(strict_types=1);

namespace NameAuth;

/**
 * What an object that owns one native handle (Client, Testing\Sandbox) does with it: frees it
 * once, on close() or when the object goes away, and cannot be cloned (two objects would free
 * one handle), serialized or unserialized (no string can carry a handle). The class says how
 * its kind of handle is freed.
 *
 * @internal
 */
trait NativeHandle
{
    /** @var \FFI\CData|null the native handle; null once freed */
    private $handle;

    /** Frees the native handle (a client's connections and key; a sandbox's server). Idempotent. */
    public function close(): void
    {
        if ($this->handle !== null) {
            $this->freeHandle($this->handle);
            $this->handle = null;
        }
    }

    public function __destruct()
    {
        $this->close();
    }

    /** A clone would share the native handle, and both would free it: refused. */
    private function __clone()
    {
    }

    /**
     * No string can carry a native handle: serialize() is refused, open or closed.
     *
     * @return array<string, mixed>
     */
    public function __serialize(): array
    {
        throw new \LogicException(self::handleOwner() . ': cannot be serialized (it holds a native handle)');
    }

    /**
     * unserialize() is refused: it would forge a handle from whatever the string says.
     *
     * @param array<string, mixed> $data
     */
    public function __unserialize(array $data): void
    {
        throw new \LogicException(self::handleOwner() . ': cannot be unserialized (it holds a native handle)');
    }

    /** "client", "sandbox": how messages name the using class. */
    private static function handleOwner(): string
    {
        return strtolower(substr(strrchr('\\' . self::class, '\\'), 1));
    }

    /** Frees a live handle of the using class's kind. */
    abstract protected function freeHandle(\FFI\CData $handle): void;
}

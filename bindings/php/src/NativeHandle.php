<?php

declare(strict_types=1);

namespace NameAuth;

/**
 * What an object that owns one native handle (Client, Testing\Sandbox) does with it: frees it
 * once, on close() or when the object goes away, and cannot be cloned (two objects would free
 * one handle). The class says how its kind of handle is freed.
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

    /** Frees a live handle of the using class's kind. */
    abstract protected function freeHandle(\FFI\CData $handle): void;
}

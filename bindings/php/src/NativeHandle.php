<?php

declare(strict_types=1);

namespace NameAuth;

/**
 * What an object that owns one native handle (Client, Testing\Sandbox) does with it: frees it
 * once, on close(), when the object goes away or at the end of a request that a fatal error
 * ended, and cannot be cloned (two objects would free one handle), serialized or
 * unserialized (no string can carry a handle). The class says how its kind of handle is
 * freed.
 *
 * @internal
 */
trait NativeHandle
{
    /** @var \FFI\CData|null the native handle; null once freed */
    private $handle;

    /**
     * This request's open objects of the using class, by spl_object_id, held weakly.
     * A fatal error (memory_limit, max_execution_time) ends a request without running
     * any destructor; under php-fpm the worker lives on, and each handle would stay
     * allocated, a client's key unwiped. So the first handle of a request registers a
     * shutdown function (PHP runs those after a fatal error too) that closes what is
     * still open after one. Static properties start again with each request, also for
     * preloaded classes.
     *
     * @var array<int, \WeakReference<self>>|null null until this request's first handle
     */
    private static $open = null;

    /** Takes ownership of a new native handle. */
    private function own(\FFI\CData $handle): void
    {
        if (self::$open === null) {
            self::$open = [];
            register_shutdown_function(static function (): void {
                $fatal = E_ERROR | E_PARSE | E_CORE_ERROR | E_COMPILE_ERROR | E_USER_ERROR | E_RECOVERABLE_ERROR;
                if ((error_get_last()['type'] ?? 0) & $fatal) {
                    foreach (self::$open ?? [] as $object) {
                        $live = $object->get();
                        if ($live !== null) {
                            $live->close();
                        }
                    }
                }
            });
        }
        $this->handle = $handle;
        self::$open[spl_object_id($this)] = \WeakReference::create($this);
    }

    /** Frees the native handle (a client's connections and key; a sandbox's server). Idempotent. */
    public function close(): void
    {
        if ($this->handle !== null) {
            $this->freeHandle($this->handle);
            $this->handle = null;
            unset(self::$open[spl_object_id($this)]);
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

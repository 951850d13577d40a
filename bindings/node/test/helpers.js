// Shared by the tests: the binding (by its package name, as users require it) and the
// sandbox of nameauth/testing, which counts the requests it receives.

const ZS = ['oZhangSan', '张三', '110101199003074477'];

/** A fixture answering A after `delayMs`. */
function slow(delayMs) {
  return { fault: 'slow', delay_ms: delayMs, status: 1, truename: '张三', creid: ZS[2] };
}

/** libuv's thread pool size: at most this many verifies run (and write) at once. */
const POOL = Number(process.env.UV_THREADPOOL_SIZE || 4);

module.exports = { ZS, slow, POOL };

"""bench-peers, Python: the nameauth wheel against requests.Session + hashlib.

    python peers.py steady CALLS ROUNDS   CPU per verify of each, in interleaved blocks
    python peers.py first IMPL            one verify in this fresh process (nameauth,
                                          requests), imports included

Run by tools/bench_peers.py, which starts the sandbox and reads the JSON lines printed
here. CPU is this process's (getrusage: user + system, every thread).
"""

import time

START = time.perf_counter()

import json  # noqa: E402
import os  # noqa: E402
import resource  # noqa: E402
import sys  # noqa: E402

USER = ("oZhangSan", "张三", "110101199003074477", "1")


def cpu_us():
    u = resource.getrusage(resource.RUSAGE_SELF)
    return (u.ru_utime + u.ru_stime) * 1e6


def settings():
    return (
        os.environ[k]
        for k in ("NAMEAUTH_ENDPOINT", "NAMEAUTH_APPID", "NAMEAUTH_SRC", "NAMEAUTH_KEY")
    )


def peer():
    """The hand-written loop of benches/python_vs_requests.py, as a one-argument call."""
    import requests

    sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
    from python_vs_requests import requests_verify

    endpoint, appid, src, key = settings()
    session = requests.Session()
    return lambda: requests_verify(session, endpoint, appid, src, key, *USER)[0]


def ours():
    import nameauth

    endpoint, appid, src, key = settings()
    client = nameauth.Client(appid, src, key, endpoint=endpoint)
    return lambda: client.verify(*USER).code


def main():
    mode = sys.argv[1]
    if mode == "first":
        impl = sys.argv[2]
        verify = ours() if impl == "nameauth" else peer()
        assert verify() == "A"
        print(json.dumps({"impl": impl, "first_ms": (time.perf_counter() - START) * 1e3}))
        return
    calls, rounds = int(sys.argv[2]), int(sys.argv[3])
    impls = {"nameauth": ours(), "requests": peer()}
    for verify in impls.values():
        for _ in range(200):
            assert verify() == "A"
    per = {name: [] for name in impls}
    block = calls // rounds
    for r in range(rounds):
        order = list(impls) if r % 2 == 0 else list(reversed(impls))
        for name in order:
            verify = impls[name]
            t0 = cpu_us()
            for _ in range(block):
                verify()
            per[name].append((cpu_us() - t0) / block)
    for name, values in per.items():
        print(json.dumps({"impl": name, "cpu_us": values}))


if __name__ == "__main__":
    main()

"""``idle_timeout_ms``: how long an unused keep-alive connection is kept (issue 17 item
20), passed through like every other option."""

import time

import pytest

import nameauth
from nameauth.testing import sandbox

ZS_ID = "110101199003074477"


def test_a_connection_idle_past_idle_timeout_ms_is_not_reused():
    with sandbox() as sb:
        client = sb.client(idle_timeout_ms=200)
        assert client.verify("oZhangSan", "张三", ZS_ID).passed
        time.sleep(0.6)
        assert client.verify("oZhangSan", "张三", ZS_ID).passed
        # Kept 7 s by default, the first connection would have served both.
        assert sb.stats()["connections"] == 2
        assert sb.stats()["requests"] == 2


@pytest.mark.parametrize("bad", [0, -1, 600_001])
def test_idle_timeout_ms_out_of_range_is_a_config_error_naming_it(bad):
    with pytest.raises(nameauth.InvalidConfigError) as e:
        nameauth.Client("wx1", "s", "k", endpoint="http://127.0.0.1:9/x", idle_timeout_ms=bad)
    assert e.value.field == "idle_timeout_ms"

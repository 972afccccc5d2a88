"""The fast TOML reader (store/tomlr.py) gives what tomllib gives, date-times included."""

from __future__ import annotations

import copy
import datetime as dt
import pickle
import tomllib

import pytest

from pokrovsk_tui.store import tomlr

DOC = """
created = 2026-11-30T21:34:04+00:00
updated = 2026-11-30T21:34:21Z
note = "not a date-time: 2026-01-01T00:00:00+02:00 inside a string"
local = 2026-01-01T08:00:00

[[turns]]
turn = 1
values = [1, 2, 3]

[[turns]]
turn = 2
events = [{why = {at = 2026-01-02t06:30:00.250-05:30, list = [1.5, 2.5]}}]

[deep.a.b]
when = [2026-01-03 07:00:00+03:00, 2026-01-04T07:00:00z]
"""


def _zones(o, out):
    if isinstance(o, dict):
        for v in o.values():
            _zones(v, out)
    elif isinstance(o, list):
        for v in o:
            _zones(v, out)
    elif isinstance(o, dt.datetime) and o.tzinfo is not None:
        out.append(o)
    return out


@pytest.mark.parametrize("text", [DOC, DOC.replace("created = 2026-11-30T21:34:04+00:00", ""),
                                  "a = 1\n" + "\n".join(f"[[t]]\nx = {i}" for i in range(300))
                                  + "\n[[t]]\nwhen = 2026-01-05T00:00:00+01:00\n"])
def test_the_same_data_as_tomllib_with_plain_time_zones(text):
    data = tomlr.loads(text)
    assert data == tomllib.loads(text)
    found = _zones(data, [])
    assert found, "the document's offset date-times are there"
    # every one carries a datetime.timezone, as tomllib's do: copied and pickled without error
    assert all(type(d.tzinfo) is dt.timezone for d in found)
    assert copy.deepcopy(data) == data
    assert pickle.loads(pickle.dumps(data)) == data


def test_a_date_time_without_seconds_toml_1_1_is_made_plain_too():
    if not tomlr.FAST:
        pytest.skip("only rtoml reads TOML 1.1")
    data = tomlr.loads("[x]\nwhen = [2026-01-05T10:15+01:00]\n")
    when = data["x"]["when"][0]
    assert when == dt.datetime(2026, 1, 5, 10, 15, tzinfo=dt.timezone(dt.timedelta(hours=1)))
    assert type(when.tzinfo) is dt.timezone

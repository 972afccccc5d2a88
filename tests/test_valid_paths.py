"""Validation's and compiling's quicker paths give what the plain ones give: ``targets_among``
hex by hex (a few hexes) equals it on arrays (many), ``target_refusal`` names the first failing
rule of ``conditions``, a move path written as the map writes it is normalised as one written
otherwise, and ``compile_orders`` writes a slot's later order over an earlier one as writing
them one by one would."""

from __future__ import annotations

import numpy as np

from pokrovsk_tui.rules import legal
from pokrovsk_tui.rules.engine import context
from pokrovsk_tui.rules.legal import MAX_PATH
from pokrovsk_tui.rules.orders import G_MOVE, Order, compile_orders, validate
from pokrovsk_tui.rules.view import view
from test_batches import situations
from test_orders import UNITS
from worlds import world_and_state


def test_few_hexes_one_at_a_time_equal_the_array_form():
    world, states = situations("all-roles")
    nb = world.grid.neighbours
    rng = np.random.default_rng(7)
    checked = set()
    for state in states[::3]:
        for side in (0, 1):
            v = view(world, state, side)
            for u in [None, *(int(u) for u in v.own_units)]:
                for kind in legal.KINDS:
                    if legal.TARGET_OF[kind] != "hex" or kind == "move":
                        continue
                    around = nb[int(v.hex[u])] if u is not None else nb[int(rng.integers(world.grid.n))]
                    few = np.concatenate([around, [-1, int(rng.integers(world.grid.n))]])
                    assert few.size <= legal.FEW_HEXES
                    many = np.concatenate([few, few])          # past FEW_HEXES: the array form
                    assert many.size > legal.FEW_HEXES
                    got = legal.targets_among(v, u, kind, few)
                    want = legal.targets_among(v, u, kind, many)[:few.size]
                    assert got.tolist() == want.tolist(), (state.turn, side, u, kind)
                    assert got.shape == few.shape and got.dtype == bool
                    two = legal.targets_among(v, u, kind, few[:6].reshape(2, 3))
                    assert two.tolist() == want[:6].reshape(2, 3).tolist()
                    for h in few.tolist():
                        if h >= 0:
                            first = next(((c.rule, c.reason(h)) for c in legal.conditions(v, u, kind)
                                          if not c.ok(h)), None)
                            assert legal.target_refusal(v, u, kind, h) == first
                    if got.any():
                        checked.add(kind)
                    if not got.all():
                        checked.add(f"not {kind}")
    assert {"assault", "strike", "not assault", "not strike"} <= checked


def test_a_path_written_otherwise_is_normalised_the_same():
    w, st = world_and_state(UNITS)
    ctx = context(w, st, 0)
    plain = Order(kind="move", unit="ua-inf", path=("0403", "0402", "0401"))
    spaced = Order(kind="move", unit="ua-inf", path=(" 0403", "0402 ", "0401"))
    (a,), _ = validate(ctx, [plain])
    (b,), _ = validate(ctx, [spaced])
    assert a == b and a.path == ("0402", "0401") and a.target == "0401"
    done = Order(kind="move", unit="ua-inf", path=("0402", "0401"), target="0401")
    (c,), _ = validate(ctx, [done])
    assert c is done                       # already in the normal form: the same order


def test_a_later_order_of_a_slot_is_written_over_an_earlier_one():
    w, _ = world_and_state(UNITS)
    u = w.unit_index["ua-inf"]
    g = w.grid
    long = Order(kind="move", unit="ua-inf", path=("0402", "0401", "0501"))
    short = Order(kind="move", unit="ua-inf", path=("0303",))
    co = compile_orders(w, {0: [long, short, Order(kind="hold", unit="ua-art")]})
    assert co.ground[u] == G_MOVE and co.target[u] == g.index("0303")
    want = [g.index("0303"), g.index("0401"), g.index("0501")] + [-1] * (MAX_PATH - 3)
    assert co.path[u].tolist() == want
    co = compile_orders(w, {0: [Order(kind="assault", unit="ua-inf", target="0503"), Order(kind="hold", unit="ua-inf")]})
    assert co.ground[u] == 0 and co.target[u] == g.index("0503")     # a hold keeps the target written


def test_hex_ids_written_otherwise_compile_to_the_same_hexes():
    w, _ = world_and_state(UNITS)
    plain = compile_orders(w, {0: [Order(kind="strike", unit="ua-fpv", target="0503"),
                                   Order(kind="assault", unit="ua-inf", target="0503")]})
    other = compile_orders(w, {0: [Order(kind="strike", unit="ua-fpv", target=" 0503"),
                                   Order(kind="assault", unit="ua-inf", target="0503 ")]})
    assert plain.m_hex.tolist() == other.m_hex.tolist() == [w.grid.index("0503")]
    assert plain.target.tolist() == other.target.tolist()

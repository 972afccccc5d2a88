"""Each phase of the turn, checked on small hand-made situations."""

import numpy as np
import pytest

from pokrovsk_tui.rules.dice import Dice
from pokrovsk_tui.rules.engine import resolve_turn
from pokrovsk_tui.rules.montecarlo import replicate
from pokrovsk_tui.rules.orders import Order
from pokrovsk_tui.rules.params import WEATHERS
from pokrovsk_tui.rules.world import CAUSES
from worlds import unit, world_and_state

D = CAUSES.index("drone")


def idx(w, uid):
    return w.unit_index[uid]


def test_weather_follows_script_then_markov():
    w, st = world_and_state(weather={"script": ["snow", "fog"], "initial": "frost",
                                     "markov": {x: {"thaw": 1.0} for x in WEATHERS}})
    days = []
    for _ in range(4):
        st, ev = resolve_turn(w, st, {}, Dice(1))
        days.append(WEATHERS[int(st.weather)])
    assert days == ["snow", "fog", "thaw", "thaw"]


def test_recon_raises_detection():
    units = [unit("ua-fpv", "ua", "fpv", "0103"), unit("ua-inf", "ua", "infantry", "0203"),
             unit("ru-ag", "ru", "assault", "0703", entrenchment=2)]
    w, st = world_and_state(units)
    ru = idx(w, "ru-ag")
    base = replicate(w, st, {}, Dice(5), 2000).detected[:, 0, ru].mean()
    rec = replicate(w, st, {0: [Order(kind="recon", unit="ua-fpv", target="0703", count=10)]}, Dice(5), 2000)
    p = rec.detected[:, 0, ru].mean()
    assert p > base + 0.3
    # P = 1 - exp(-k * effort * signature * concealment * v): recon 10 + patrol share
    assert 0.5 < p < 1.0
    assert not rec.detected[:, 1, ru].any()          # nobody "detects" their own unit


def test_strike_damage_matches_binomial_and_entrenchment():
    units = [unit("ua-fpv", "ua", "fpv", "0103"), unit("ru-ag", "ru", "assault", "0703", entrenchment=2)]
    w, st = world_and_state(units)
    ru = idx(w, "ru-ag")
    b = replicate(w, st, {0: [Order(kind="strike", unit="ua-fpv", target="0703", count=10)]}, Dice(2), 4000)
    loss = b.casualties[:, 1, D]
    # undetected target: p = 0.35 * 0.25; damage 1.5 per hit, x(1 - 0.15*2)
    expected = 10 * 0.35 * 0.25 * 1.5 * 0.7
    assert abs(loss.mean() - expected) < 0.1
    hits = loss / (1.5 * 0.7)
    assert np.allclose(hits, np.rint(hits))
    assert (b.strength[:, ru] >= 0).all()


def test_radio_drones_are_jammed_fibre_are_not():
    def mean_loss(drone_type):
        units = [unit("ua-d", "ua", drone_type, "0103"), unit("ru-ag", "ru", "assault", "0703"),
                 unit("ru-ew", "ru", "ew", "0803")]
        w, st = world_and_state(units)
        orders = [Order(kind="strike", unit="ua-d", target="0703", count=8)]
        spare = 12 - 8 if drone_type == "fpv" else 0
        if spare:   # no patrol: its detection effort would sometimes spot the target
            orders.append(Order(kind="recon", unit="ua-d", target="0101", count=spare))
        b = replicate(w, st, {0: orders}, Dice(9), 4000)
        return b.casualties[:, 1, D].mean()
    radio, fibre = mean_loss("fpv"), mean_loss("fibre")
    assert radio == pytest.approx(8 * 0.35 * 0.25 * 0.6 * 1.5, rel=0.1)
    assert fibre == pytest.approx(8 * 0.35 * 0.25 * 1.5, rel=0.1)


def test_glide_bombs_hit_harder_in_cities_and_strip_entrenchment():
    units = [unit("ua-inf", "ua", "infantry", "0403", entrenchment=3), unit("ru-ag", "ru", "assault", "0703")]
    terrain = ["........", "........", "...U....", "........", "........", "........"]
    for ter, mult in ((None, 1.0), (terrain, 1.5)):
        kw = {"deliveries": {"ru_glide_bombs": 6}}
        if ter:
            kw["map.terrain"] = ter
        w, st = world_and_state(units, **kw)
        b = replicate(w, st, {1: [Order(kind="bomb", target="0403", count=6)]}, Dice(4), 3000)
        loss = b.casualties[:, 0, CAUSES.index("glide_bomb")]
        ua = idx(w, "ua-inf")
        hits = np.rint(loss / (6.0 * mult * (1 - 0.15 * 3))).astype(int)
        assert abs(hits.mean() - 6 * 0.6 * 0.25) < 0.1
        # two or more hits strip one level (the unit holds, no dig-in)
        assert (b.entrench[hits >= 2, ua] == 2).all() and (b.entrench[hits < 2, ua] == 3).all()


def test_movement_stops_in_zone_of_control_and_before_enemy():
    units = [unit("ua-inf", "ua", "infantry", "0103"), unit("ru-ag", "ru", "assault", "0503")]
    w, st = world_and_state(units)
    st2, ev = resolve_turn(w, st, {0: [Order(kind="move", unit="ua-inf", path=("0203", "0303", "0403"))]}, Dice(1))
    # road hexes cost 0.5: it could reach 0403, but 0403 is next to the enemy at 0503
    assert w.grid.hex_id(st2.hex[idx(w, "ua-inf")]) == "0403"
    st3, ev = resolve_turn(w, st2, {0: [Order(kind="move", unit="ua-inf", path=("0503", "0603"))]}, Dice(1))
    assert w.grid.hex_id(st3.hex[idx(w, "ua-inf")]) == "0403"       # blocked by the enemy hex
    assert any("blocked" in e.text for e in ev)


def test_zoc_stop_even_with_mp_left():
    units = [unit("ua-inf", "ua", "infantry", "0101"), unit("ru-ag", "ru", "assault", "0303")]
    w, st = world_and_state(units)
    st2, _ = resolve_turn(w, st, {0: [Order(kind="move", unit="ua-inf", path=("0201", "0202", "0302"))]}, Dice(1))
    assert w.grid.hex_id(st2.hex[idx(w, "ua-inf")]) == "0202"        # 0202 touches 0303


def test_weather_slows_off_road_movement():
    units = [unit("ua-inf", "ua", "infantry", "0101")]
    w, st = world_and_state(units, weather={"script": ["thaw"] * 5})
    st2, _ = resolve_turn(w, st, {0: [Order(kind="move", unit="ua-inf", path=("0201", "0301", "0401"))]}, Dice(1))
    # mud doubles off-road cost: 2 MP a hex, 3 MP: one hex only
    assert w.grid.hex_id(st2.hex[0]) == "0201"


def test_kill_zone_attrition_from_interdiction():
    units = [unit("ua-inf", "ua", "infantry", "0103"), unit("ru-fpv", "ru", "fpv", "0803")]
    w, st = world_and_state(units)
    orders = {1: [Order(kind="interdict", unit="ru-fpv", target="0203", count=10)],
              0: [Order(kind="move", unit="ua-inf", path=("0203", "0303"))]}
    st2, ev = resolve_turn(w, st, orders, Dice(1))
    assert st2.fire_control[1, w.grid.index("0203")] == pytest.approx(10.0)
    lost = st2.casualties[0, D]
    assert lost > 100 * (1 - np.exp(-0.08 * 10 * 0.5 * 1.5)) * 0.99
    # fire control halves each day
    st3, _ = resolve_turn(w, st2, {}, Dice(1))
    assert st3.fire_control[1, w.grid.index("0203")] == pytest.approx(5.0)


def seen_by(w, st, side: int, uid: str):
    """The state with ``uid`` seen by ``side`` yesterday where it stands (recon done)."""
    u = idx(w, uid)
    seen_hex, seen_turn = st.seen_hex.copy(), st.seen_turn.copy()
    seen_hex[side, u], seen_turn[side, u] = st.hex[u], st.turn - 1
    return st.copy_with(seen_hex=seen_hex, seen_turn=seen_turn)


def test_overwhelming_assault_drives_the_defender_back():
    units = [unit("ua-inf", "ua", "infantry", "0403", strength=20, entrenchment=0)] + [
        unit(f"ru-ag{i}", "ru", "assault", h) for i, h in enumerate(["0503", "0502", "0504"])]
    w, st = world_and_state(units)
    st = seen_by(w, st, 1, "ua-inf")           # not a blind assault
    orders = {1: [Order(kind="assault", unit=f"ru-ag{i}", target="0403") for i in range(3)]}
    b = replicate(w, st, orders, Dice(3), 500)
    ua = idx(w, "ua-inf")
    left = b.hex[:, ua] != w.grid.index("0403")
    assert left.mean() > 0.6
    # retreat goes away from the attack (westward) and attackers take the hex
    moved_cols = w.grid.col[b.hex[left, ua]]
    assert (moved_cols <= 3).all()
    taken = (b.control[:, w.grid.index("0403")] == 1)
    assert taken.mean() > 0.6
    assert (b.strength >= 0).all()


def test_raid_hurts_without_moving():
    units = [unit("ua-inf", "ua", "infantry", "0403"), unit("ru-ag", "ru", "assault", "0503")]
    w, st = world_and_state(units)
    b = replicate(w, st, {0: [Order(kind="raid", unit="ua-inf", target="0503")]}, Dice(3), 300)
    assert (b.hex[:, idx(w, "ua-inf")] == w.grid.index("0403")).all()
    assert b.casualties[:, 1, CAUSES.index("ground")].mean() > 0


def test_isolated_units_wither():
    # a UA unit cut off on the Russian side of the map
    units = [unit("ua-inf", "ua", "infantry", "0703")]
    w, st = world_and_state(units)
    for _ in range(3):
        st, _ = resolve_turn(w, st, {}, Dice(1))
    u = idx(w, "ua-inf")
    assert st.isolated[u] == 3
    assert st.supply[u] == pytest.approx(70 - 3 * 8)
    # 3% x days isolated: 1, 2 then 3 days, x (0.25 + 0.75 x lack) where lack = 1 - supply/30;
    # supply stays above 30 (62, 54, 46): a quarter of it, and no hunger
    p = w.params
    assert st.cohesion[u] == pytest.approx(100 - 3 * 5 * p.isolation_fed)
    assert st.strength[u] == pytest.approx(100 * (1 - 0.03 * p.isolation_fed) * (1 - 0.06 * p.isolation_fed)
                                           * (1 - 0.09 * p.isolation_fed))


def test_supply_delivered_near_source_and_ugv_adds():
    units = [unit("ua-inf", "ua", "infantry", "0203", supply=50), unit("ua-ugv", "ua", "ugv", "0103"),
             unit("ua-inf2", "ua", "infantry", "0403", supply=50)]
    w, st = world_and_state(units)
    st2, ev = resolve_turn(w, st, {0: [Order(kind="resupply", unit="ua-ugv", target_unit="ua-inf2", count=2)]}, Dice(1))
    near = st2.supply[idx(w, "ua-inf")]
    # cost of one road hex is 0.5: 20 * exp(-0.5/12) - 8
    assert near == pytest.approx(50 + 20 * np.exp(-0.5 / 12) - 8, rel=1e-6)
    far = st2.supply[idx(w, "ua-inf2")]
    assert far > 50 + 20 * np.exp(-1.5 / 12) - 8 + 14      # two robot runs of 15 (nothing fires here)


def test_dig_in_rest_and_reinforcements():
    units = [unit("ua-inf", "ua", "infantry", "0203", cohesion=50)]
    w, st = world_and_state(units, reinforcements=[{"turn": 2, "unit": unit("ua-new", "ua", "infantry", "0103")}])
    u = idx(w, "ua-inf")
    new = idx(w, "ua-new")
    assert not st.on_map[new]
    for _ in range(4):
        st, _ = resolve_turn(w, st, {0: [Order(kind="dig_in", unit="ua-inf")]}, Dice(1))
    assert st.entrench[u] == 3
    assert st.on_map[new] and w.grid.hex_id(st.hex[new]) == "0103"
    st, _ = resolve_turn(w, st, {0: [Order(kind="rest", unit="ua-inf")]}, Dice(1))
    assert st.cohesion[u] == pytest.approx(50 + 4 * 5 + 10)


def test_control_vp_and_sudden_death():
    units = [unit("ua-inf", "ua", "infantry", "0203"), unit("ru-ag", "ru", "assault", "0403")]
    objectives = [{"id": "a", "name": "A", "hexes": ["0203", "0303"], "vp": 2},
                  {"id": "road", "name": "T0504", "kind": "road", "hexes": ["0603", "0703"], "vp": 1}]
    w, st = world_and_state(units, objectives=objectives, victory={
        "margin": 100, "talks_turn": 2,
        "sudden_death": [{"id": "sd", "name": "West falls", "side": "ru", "kind": "control_all", "hexes": ["0303"]}]})
    st, _ = resolve_turn(w, st, {}, Dice(1))
    # UA holds both hexes of A (0303 is UA ground), RU holds the road
    assert st.vp.tolist() == [2.0, 1.0]
    st, _ = resolve_turn(w, st, {1: [Order(kind="move", unit="ru-ag", path=("0303",))]}, Dice(1))
    assert st.control[w.grid.index("0303")] == 1
    assert int(st.winner) == 1 and int(st.end_reason) == 0 and st.over


def test_last_turn_margin_decides():
    w, st = world_and_state(objectives=[{"id": "a", "name": "A", "hexes": ["0103"], "vp": 5}],
                            victory={"margin": 20})
    for _ in range(5):
        st, ev = resolve_turn(w, st, {}, Dice(1))
    assert st.vp[0] == 25 and int(st.winner) == 0 and int(st.end_reason) == -2
    with pytest.raises(ValueError):
        resolve_turn(w, st, {}, Dice(1))


def test_removal_below_ten_percent():
    units = [unit("ua-inf", "ua", "infantry", "0203", strength=12, cohesion=3), unit("ru-ag", "ru", "assault", "0803")]
    w, st = world_and_state(units)
    # isolation is not it: the unit is supplied; cohesion 3 survives a day, strength 12 of 100 stands
    st2, _ = resolve_turn(w, st, {}, Dice(1))
    assert st2.on_map[0]
    st3, _ = resolve_turn(w, st2.copy_with(strength=np.array([9.0, 60.0])), {}, Dice(1))
    assert not st3.on_map[0] and st3.lost[0] and st3.strength[0] == 0


def test_blocked_reinforcement_waits_and_arrives_later():
    units = [unit("ru-ag", "ru", "assault", "0203")]
    w, st = world_and_state(units, **{"map.control": ["rrrrrrrr"] * 6},
                            reinforcements=[{"turn": 1, "unit": unit("ua-new", "ua", "infantry", "0203")}])
    new = idx(w, "ua-new")
    st, ev = resolve_turn(w, st, {}, Dice(1))
    assert not st.on_map[new] and not st.lost[new]
    assert any(e.kind == "no_entry" for e in ev)
    st, ev = resolve_turn(w, st, {1: [Order(kind="move", unit="ru-ag", path=("0303", "0403"))]}, Dice(1))
    assert st.on_map[new] and w.grid.hex_id(st.hex[new]) == "0203"
    assert any(e.kind == "arrives" for e in ev)

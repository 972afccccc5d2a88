"""The model's levers, rule by rule, on small maps: each test checks the direction a rule must
move the battle (the whole-game sizes are measured with `pokrovsk whatif`, see
benchmarks/levers.py and the README's "What if?" table)."""

import numpy as np

from pokrovsk_tui.rules.dice import Dice
from pokrovsk_tui.rules.engine import resolve_turn
from pokrovsk_tui.rules.montecarlo import replicate
from pokrovsk_tui.rules.orders import Order
from pokrovsk_tui.rules.world import CAUSES
from worlds import unit, world_and_state

K = 400


def idx(w, uid):
    return w.unit_index[uid]


def seen(w, st, side, uid):
    u = idx(w, uid)
    sh, stn = st.seen_hex.copy(), st.seen_turn.copy()
    sh[side, u], stn[side, u] = st.hex[u], st.turn - 1
    return st.copy_with(seen_hex=sh, seen_turn=stn)


# ----------------------------------------------------------------------------- supply

def _isolated_company(runs: int):
    """A UA company cut off behind Russian lines (enemy ground all round) with a robot section
    next to it; after three days, its strength."""
    units = [unit("ua-inf", "ua", "infantry", "0603", supply=20), unit("ua-ugv", "ua", "ugv", "0602"),
             unit("ru-ag", "ru", "assault", "0805")]
    w, st = world_and_state(units)
    orders = {0: [Order(kind="resupply", unit="ua-ugv", target_unit="ua-inf", count=runs)]} if runs else {}
    for _ in range(3):
        st, _ = resolve_turn(w, st, orders, Dice(1))
    u = idx(w, "ua-inf")
    assert st.isolated[u] > 0
    return float(st.strength[u]), float(st.supply[u])


def test_robots_slow_the_decline_of_an_isolated_company():
    starved, s0 = _isolated_company(0)
    fed, s1 = _isolated_company(3)
    assert s1 > s0
    assert fed > starved + 1.0          # the robots keep the garrison alive


def _road_open_and_shut(units, seed: int):
    """The day's result with the T0504 open, and under standing Russian fire control 5."""
    open_, st = world_and_state(units)
    shut, _ = world_and_state(units, standing_fire=[{"side": "ru", "road": "T0504", "level": 5}],
                              rules={"supply_block_fc": 1.0})
    return resolve_turn(open_, st, {}, Dice(seed))[0], resolve_turn(shut, st, {}, Dice(seed))[0], open_


def test_trucks_stop_at_fire_control_but_the_unit_is_not_cut_off():
    a, b, w = _road_open_and_shut([unit("ua-inf", "ua", "infantry", "0403", supply=50)], 1)
    u = idx(w, "ua-inf")
    assert b.supply[u] < a.supply[u] - 3         # the road under fire carries little or nothing
    assert b.isolated[u] == 0                    # still connected: robots and feet can reach it


def test_an_hq_relays_only_what_reaches_it():
    """Three companies round their HQ, fed by a source with little to give: the HQ receives
    little, so it relays little, however large its capacity (no supply created at the relay)."""
    units = [unit(f"ua-inf{i}", "ua", "infantry", h, supply=40) for i, h in enumerate(["0703", "0702", "0704"])]
    units.append(unit("ua-hq", "ua", "hq", "0603"))
    sources = [{"name": "west", "side": "ua", "hex": "0103", "capacity": 6},
               {"name": "east", "side": "ru", "hex": "0803", "capacity": 200}]
    w, st = world_and_state(units, supply_sources=sources, **{"map.control": ["uuuuuuur"] * 6})
    _, events = resolve_turn(w, st, {}, Dice(2))
    got = next(e for e in events if e.kind == "supply" and e.visible_to == ("ua",)).why["by_unit"]
    cap = w.t_hq_capacity[w.u_type[idx(w, "ua-hq")]]
    relay = cap * got["ua-hq"][0] / w.params.supply_base
    assert relay < 0.2 * cap
    relayed = sum(got[f"ua-inf{i}"][0] for i in range(3))
    assert 0 < relayed <= relay + 1e-9                     # no more than reached the HQ
    full = world_and_state(units, **{"map.control": ["uuuuuuur"] * 6})
    _, events = resolve_turn(*full, {}, Dice(2))
    plenty = next(e for e in events if e.kind == "supply" and e.visible_to == ("ua",)).why["by_unit"]
    assert sum(plenty[f"ua-inf{i}"][0] for i in range(3)) > 3 * relayed      # a well-fed HQ relays more


def test_destroyed_robots_are_not_casualties_of_people():
    units = [unit("ua-inf", "ua", "infantry", "0403", supply=20), unit("ua-ugv", "ua", "ugv", "0103")]
    w, st = world_and_state(units, standing_fire=[{"side": "ru", "road": "T0504", "level": 40}])
    b = replicate(w, st, {0: [Order(kind="resupply", unit="ua-ugv", target_unit="ua-inf", count=3)]}, Dice(3), K)
    r = idx(w, "ua-ugv")
    assert (b.strength[:, r] < st.strength[r]).mean() > 0.5      # robots were lost
    assert np.allclose(b.casualties[:, 0, CAUSES.index("drone")], 0.0)


# ----------------------------------------------------------------------------- EW

def test_jamming_thins_the_radio_kill_zone_and_stacks():
    """Enemy EW over a hex cuts the radio drones' patrol field there (fibre is immune), and two
    posts jam more than one."""
    def kill_zone(n_ew, drone="fpv"):
        units = [unit("ru-d", "ru", drone, "0703"), unit("ua-inf", "ua", "infantry", "0103")]
        units += [unit(f"ua-ew{i}", "ua", "ew", "0303") for i in range(n_ew)]
        w, st = world_and_state(units)
        orders = {0: [Order(kind="move", unit="ua-inf", path=("0203", "0303", "0403"))]}
        b = replicate(w, st, orders, Dice(4), K)
        return float(b.casualties[:, 0, CAUSES.index("drone")].mean())
    none, one, two = kill_zone(0), kill_zone(1), kill_zone(2)
    assert none > one > two
    assert kill_zone(0, "fibre") > 0 and abs(kill_zone(2, "fibre") - kill_zone(0, "fibre")) < 1e-9


# ----------------------------------------------------------------------------- weather

def test_mud_stalls_the_advance_into_an_empty_hex():
    units = [unit("ru-ag", "ru", "assault", "0502")]             # off the road (row 03 is the T0504)
    orders = {1: [Order(kind="assault", unit="ru-ag", target="0402")]}
    took = {}
    for wx in ("frost", "thaw", "snow"):
        w, st = world_and_state(units, **{"weather": {"script": [wx] * 5}})
        b = replicate(w, st, orders, Dice(5), K)
        took[wx] = float((b.hex[:, idx(w, "ru-ag")] == w.grid.index("0402")).mean())
    assert took["frost"] == 1.0
    p = w.params.weather
    for wx in ("thaw", "snow"):                      # the going holds with chance 1 / off-road cost
        assert abs(took[wx] - 1.0 / p[wx].offroad_mp_mult) < 0.07


def test_crossing_the_kill_zone_costs_more_in_mud():
    units = [unit("ua-inf", "ua", "infantry", "0403"), unit("ru-d", "ru", "fpv", "0703")]
    orders = {0: [Order(kind="move", unit="ua-inf", path=("0402", "0401"))]}
    loss = {}
    for wx in ("frost", "thaw"):
        w, st = world_and_state(units, **{"weather": {"script": [wx] * 5}},
                                rules={"weather": {"frost": {"offroad_mp_mult": 1.0, "visibility": 1.0, "attack_mod": 0,
                                                             "infiltration_mod": 0, "bad_weather": False},
                                                   "thaw": {"offroad_mp_mult": 2.0, "visibility": 1.0, "attack_mod": -1,
                                                            "infiltration_mod": -1, "bad_weather": True},
                                                   "snow": {"offroad_mp_mult": 1.5, "visibility": 0.6, "attack_mod": -1,
                                                            "infiltration_mod": -1, "bad_weather": True},
                                                   "fog": {"offroad_mp_mult": 1.0, "visibility": 0.3, "attack_mod": 0,
                                                           "infiltration_mod": 1, "bad_weather": False}}})
        b = replicate(w, st, orders, Dice(6), K)
        loss[wx] = float(b.casualties[:, 0, CAUSES.index("drone")].mean())
    assert loss["thaw"] > loss["frost"] > 0


# ----------------------------------------------------------------------------- recon, glide bombs

def _assault(seen_first: bool):
    units = [unit("ua-inf", "ua", "infantry", "0403", strength=40, entrenchment=1)] + [
        unit(f"ru-ag{i}", "ru", "assault", h) for i, h in enumerate(["0503", "0502", "0504"])]
    w, st = world_and_state(units)
    if seen_first:
        st = seen(w, st, 1, "ua-inf")
    orders = {1: [Order(kind="assault", unit=f"ru-ag{i}", target="0403") for i in range(3)]}
    b = replicate(w, st, orders, Dice(7), K)
    ru_lost = float(b.casualties[:, 1].sum(axis=1).mean())
    taken = float((b.control[:, w.grid.index("0403")] == 1).mean())
    return ru_lost, taken


def test_a_blind_assault_pays_for_it():
    blind_loss, blind_take = _assault(False)
    seen_loss, seen_take = _assault(True)
    assert blind_loss > seen_loss * 1.15
    assert blind_take < seen_take


def test_glide_bombs_shake_the_defenders_and_open_the_city():
    units = [unit("ua-inf", "ua", "infantry", "0403", entrenchment=3)] + [
        unit(f"ru-ag{i}", "ru", "assault", h) for i, h in enumerate(["0503", "0502", "0504"])]
    w, st = world_and_state(units, **{"deliveries": {"ru_glide_bombs": 12}})
    st = seen(w, st, 1, "ua-inf")
    bombs = [Order(kind="bomb", target="0403", count=12)]
    attack = [Order(kind="assault", unit=f"ru-ag{i}", target="0403") for i in range(3)]
    b = replicate(w, st, {1: bombs}, Dice(8), K)
    u = idx(w, "ua-inf")
    assert b.cohesion[:, u].mean() < st.cohesion[u] - 10
    # a day of bombing first, then the assault: the hex falls more often than without the bombs
    after, _ = resolve_turn(w, st, {1: bombs}, Dice(9))
    after = seen(w, after, 1, "ua-inf")
    fresh = seen(w, st.copy_with(turn=after.turn), 1, "ua-inf")
    with_b = replicate(w, after, {1: attack}, Dice(10), K)
    without = replicate(w, fresh, {1: attack}, Dice(10), K)
    # the shaken company defends worse: the same assault costs it more
    lost_with = (after.strength[u] - with_b.strength[:, u]).mean()
    lost_without = (fresh.strength[u] - without.strength[:, u]).mean()
    assert lost_with > lost_without


# ----------------------------------------------------------------------------- fortifications

def _walk_past(entrenchment: int, position_fire: float = 0.03, weather: str = "frost") -> float:
    """Ground losses of a Russian assault group stepping next to a Ukrainian company dug in to
    ``entrenchment`` (no assault: only the fire of the position)."""
    units = [unit("ua-inf", "ua", "infantry", "0402", entrenchment=entrenchment),   # off the road
             unit("ru-ag", "ru", "assault", "0602")]
    w, st = world_and_state(units, rules={"position_fire": position_fire},
                            **{"weather": {"script": [weather] * 5}})
    after, _ = resolve_turn(w, st, {1: [Order(kind="move", unit="ru-ag", path=("0502",))]}, Dice(3))
    assert after.hex[idx(w, "ru-ag")] == w.grid.index("0502")
    return float(after.casualties[1, CAUSES.index("ground")])


def test_dug_in_positions_make_walking_past_them_cost_people():
    assert _walk_past(0) == 0.0
    hasty, prepared, fortified = _walk_past(1), _walk_past(2), _walk_past(3)
    assert 0.0 < hasty < prepared < fortified
    assert _walk_past(3, position_fire=0.0) == 0.0              # the default rules: off
    assert _walk_past(2, weather="thaw") > prepared              # the approach takes longer in mud


def _against_a_line(dug: int, line_hold: int, kind: str) -> tuple[bool, list]:
    """A Russian assault group standing next to a Ukrainian company dug in to ``dug`` tries to
    step (``kind`` "move") or walk (an attack on the empty hex) into another hex of Ukrainian
    ground next to the company. Whether it got there, and the day's events."""
    w0, _ = world_and_state([])
    g = w0.grid
    ua, start = g.index("0302"), g.index("0402")
    nb_ua = {int(x) for x in g.neighbours[ua] if x >= 0}
    nb_start = {int(x) for x in g.neighbours[start] if x >= 0}
    assert start in nb_ua
    target = g.hex_id(min((nb_ua & nb_start) - {ua}))     # next to both: along the line
    units = [unit("ua-inf", "ua", "infantry", "0302", entrenchment=dug),
             unit("ru-ag", "ru", "assault", "0402")]
    w, st = world_and_state(units, rules={"line_hold": line_hold})
    order = (Order(kind="move", unit="ru-ag", path=(target,)) if kind == "move"
             else Order(kind="assault", unit="ru-ag", target=target))
    after, events = resolve_turn(w, st, {1: [order]}, Dice(3))
    return bool(after.hex[idx(w, "ru-ag")] == w.grid.index(target)), events


def test_a_held_line_stops_units_stepping_along_it():
    for kind in ("move", "assault"):
        assert _against_a_line(2, 0, kind)[0], kind           # the default rules: off
        assert _against_a_line(1, 2, kind)[0], kind           # hasty: no line in the main scenario
        got_there, events = _against_a_line(2, 2, kind)       # prepared: the line holds
        assert not got_there, kind
        said = [e for e in events if e.phase in ("movement", "combat") and "ru-ag" in e.units]
        assert any("held by the fire of dug-in positions" in e.text or "the line holds" in e.text
                   for e in said), [e.text for e in said]
        assert not _against_a_line(3, 2, kind)[0], kind         # fortified holds too


def test_a_unit_on_a_held_line_can_still_fall_back():
    units = [unit("ua-inf", "ua", "infantry", "0302", entrenchment=2),
             unit("ru-ag", "ru", "assault", "0402")]
    w, st = world_and_state(units, rules={"line_hold": 2})
    after, _ = resolve_turn(w, st, {1: [Order(kind="move", unit="ru-ag", path=("0502",))]}, Dice(3))
    assert after.hex[idx(w, "ru-ag")] == w.grid.index("0502")

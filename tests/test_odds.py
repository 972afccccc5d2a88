"""The order previews (rules/odds.py) read today's situation as the side knows it."""

from __future__ import annotations

import dataclasses

import numpy as np

from pokrovsk_tui.ai.plans import assault_outlook
from pokrovsk_tui.ai.situation import situation
from pokrovsk_tui.rules import odds
from pokrovsk_tui.rules.orders import Order
from pokrovsk_tui.rules.view import view
from worlds import unit, world_and_state

UNITS = [unit("ua-inf", "ua", "infantry", "0403"), unit("ua-fpv", "ua", "fpv", "0303"),
         unit("ua-ugv", "ua", "ugv", "0203"), unit("ru-ag", "ru", "assault", "0503"),
         unit("ru-ew", "ru", "ew", "0703"), unit("ru-fpv", "ru", "fpv", "0803")]


def seen(world, state, side=0, units=("ru-ag",)):
    """The state with the side seeing these enemy units now."""
    det = state.detected.copy()
    for u in units:
        det[side, world.unit_index[u]] = True
    return dataclasses.replace(state, detected=det, seen_hex=np.where(det, state.hex[None, :], -1),
                               seen_turn=np.where(det, state.turn - 1, -1),
                               seen_strength=np.where(det, state.strength[None, :], 0.0))


def test_the_preview_uses_todays_forecast_not_yesterdays_weather():
    w, s = world_and_state(UNITS, **{"weather": {"script": ["fog", "frost", "frost", "frost", "frost"]}})
    s = seen(w, dataclasses.replace(s, weather=np.array(1)))       # yesterday snow; today fog
    strike = odds.mission_odds(view(w, s, 0), [], "ua-fpv", "strike", "0503", 4, replications=500)
    assert strike.weather_known and "fog" in strike.weather and "snow" not in strike.weather
    w2, s2 = world_and_state(UNITS, **{"weather": {"script": ["frost"] * 5}})
    clear = odds.mission_odds(view(w2, seen(w2, s2), 0), [], "ua-fpv", "strike", "0503", 4, replications=500)
    assert strike.p_hit < clear.p_hit * 0.6          # fog's visibility 0.3 against frost's 1.0


def test_markov_weather_is_drawn_and_said_to_be_unknown():
    w, s = world_and_state(UNITS, **{"weather": {"initial": "frost", "markov": {
        "frost": {"frost": 0.5, "snow": 0.5}, "snow": {"snow": 1.0}, "thaw": {"thaw": 1.0}, "fog": {"fog": 1.0}}}})
    o = odds.assault_odds(view(w, seen(w, s), 0), [], ["ua-inf"], "0503", replications=800)
    assert not o.weather_known and "frost" in o.weather and "snow" in o.weather


def test_same_day_recon_raises_the_hit_chance_and_is_reported():
    w, s = world_and_state(UNITS)
    v = view(w, seen(w, s), 0)          # seen yesterday; today's detection is drawn again
    bare = odds.mission_odds(v, [], "ua-fpv", "strike", "0503", 4, replications=800)
    recon = [Order(kind="recon", unit="ua-fpv", target="0503", count=6)]
    looked = odds.mission_odds(v, recon, "ua-fpv", "strike", "0503", 4, replications=800)
    assert bare.recon_today == 0 and looked.recon_today == 6
    assert looked.p_detected > bare.p_detected + 0.2 and looked.p_hit > bare.p_hit


def test_unknowns_name_unseen_enemy_ew_and_the_unseen_defender_estimate():
    w, s = world_and_state(UNITS)
    o = odds.mission_odds(view(w, seen(w, s), 0), [], "ua-fpv", "strike", "0503", 2, replications=300)
    assert any("enemy EW unknown" in u for u in o.unknowns)
    o2 = odds.mission_odds(view(w, seen(w, s, units=("ru-ag", "ru-ew", "ru-fpv")), 0), [], "ua-fpv", "strike",
                           "0503", 2, replications=300)
    assert not any("EW unknown" in u for u in o2.unknowns) and o2.jamming > 0   # the seen EW jams
    a = odds.assault_odds(view(w, s, 0), [], ["ua-inf"], "0503", replications=300)
    assert any("unseen defender" in u or "no unseen enemy defender" in u for u in a.unknowns)


def test_robot_runs_state_their_risk_and_read_the_payload_from_the_scenario():
    w, s = world_and_state(UNITS, rules={"ugv_payload": 9.0, "ugv_loss_coeff": 0.5})
    r = odds.resupply_odds(view(w, seen(w, s, units=("ru-fpv",)), 0), [], "ua-ugv", "ua-inf", 3, replications=600)
    assert r.payload == 9.0 and 0 < r.p_arrive < 1
    assert abs(sum(r.arrived_probs) - 1) < 1e-9
    assert abs(r.supply_mean - 9.0 * sum(i * q for i, q in enumerate(r.arrived_probs))) < 1e-6


def test_the_undetected_factor_comes_from_the_scenario():
    a, sa = world_and_state(UNITS, rules={"undetected_factor": 0.25})
    b, sb = world_and_state(UNITS, rules={"undetected_factor": 0.75})
    pa = odds.mission_odds(view(a, sa, 0), [], "ua-fpv", "strike", "0503", 2, replications=400, seed=3)
    pb = odds.mission_odds(view(b, sb, 0), [], "ua-fpv", "strike", "0503", 2, replications=400, seed=3)
    assert pb.p_hit > pa.p_hit * 1.5


def test_the_computer_player_and_the_preview_agree_on_an_assault():
    """The AI's closed-form outlook and the preview's replications use the same helpers and
    the same assumptions about a seen defender: their chances agree within sampling error."""
    units = [unit("ua-inf", "ua", "infantry", "0403", strength=90), unit("ru-ag", "ru", "assault", "0503")]
    for weather in ("frost", "snow", "fog"):
        w, s = world_and_state(units, **{"weather": {"script": [weather] * 5}})
        v = view(w, seen(w, s, side=0), 0)
        ai = assault_outlook(situation(v), [w.unit_index["ua-inf"]], w.grid.index("0503"), "assault")
        pv = odds.assault_odds(v, [], ["ua-inf"], "0503", replications=4000, seed=1)
        for i, r in enumerate("REDX"):
            assert abs(ai["p"][i] - pv.result_probs[r]) < 0.035, (weather, r, ai["p"], pv.result_probs)
        assert abs(ai["att_loss"] - pv.attacker_loss_mean) < 0.1 * ai["att_loss"] + 0.2

"""The computer commander: fair play (it sees only its view), legal orders, an intent, and
determinism; the tournament runner's statistics and its independence from --jobs."""

import csv
import json
import math
import re

import numpy as np
import pytest

from pokrovsk_tui.ai.commander import COMMANDERS, Commander, sectors
from pokrovsk_tui.ai.determinise import sample_batch
from pokrovsk_tui.ai.levels import LEVELS
from pokrovsk_tui.ai.policies import POLICIES, policy_rng
from pokrovsk_tui.ai.situation import situation
from pokrovsk_tui.cli import main
from pokrovsk_tui.game import tournament
from pokrovsk_tui.game.loop import decide
from pokrovsk_tui.game.sim import play_game
from pokrovsk_tui.rules.dice import Dice
from pokrovsk_tui.rules.engine import resolve_turn
from pokrovsk_tui.rules.orders import validate
from pokrovsk_tui.rules.state import initial_state
from pokrovsk_tui.rules.view import view
from pokrovsk_tui.rules.world import build_world
from pokrovsk_tui.store.scenarios import load_scenario

LEVEL_NAMES = ("easy", "normal", "hard")


@pytest.fixture(scope="module")
def tutorial():
    return build_world(load_scenario("tutorial-hryshyne"))


@pytest.fixture(scope="module")
def main_world():
    return build_world(load_scenario("pokrovsk-winter-2026"))


def states_of(world, seed, turns, ua="random", ru="random"):
    """States met in a game between two policies (the initial one included)."""
    state = initial_state(world)
    dice = Dice(seed)
    out = [state]
    for _ in range(turns):
        if state.over:
            break
        orders = {s: POLICIES[p](view(world, state, s), policy_rng(seed, state.turn, s)) for s, p in ((0, ua), (1, ru))}
        state, _ = resolve_turn(world, state, orders, dice)
        out.append(state)
    return out


def move_hidden(world, state, side, rng):
    """A copy of the state with every enemy unit the side does not detect moved elsewhere."""
    hidden = np.flatnonzero((world.u_side != side) & state.on_map & ~state.detected[side])
    hexes = state.hex.copy()
    free = np.flatnonzero(world.passable)
    hexes[hidden] = rng.choice(free, hidden.size)
    strength = state.strength.copy()
    strength[hidden] *= 0.5
    return state.copy_with(hex=hexes, strength=strength), hidden.size


@pytest.mark.parametrize("level", LEVEL_NAMES)
@pytest.mark.parametrize("seed", [1, 2])
def test_orders_ignore_undetected_enemy_units(tutorial, level, seed):
    rng = np.random.default_rng(seed)
    for state in states_of(tutorial, seed, 4)[1:]:
        for side in (0, 1):
            moved, n = move_hidden(tutorial, state, side, rng)
            a = COMMANDERS[level].decide(view(tutorial, state, side), policy_rng(seed, state.turn, side))
            b = COMMANDERS[level].decide(view(tutorial, moved, side), policy_rng(seed, state.turn, side))
            assert a.orders == b.orders and a.intent == b.intent, (level, side, n)


def test_orders_ignore_undetected_enemy_units_main_scenario(main_world):
    state = states_of(main_world, 5, 3, "easy", "easy")[-1]
    rng = np.random.default_rng(5)
    for side in (0, 1):
        moved, n = move_hidden(main_world, state, side, rng)
        assert n > 10
        a = COMMANDERS["normal"].decide(view(main_world, state, side), policy_rng(5, state.turn, side))
        b = COMMANDERS["normal"].decide(view(main_world, moved, side), policy_rng(5, state.turn, side))
        assert a.orders == b.orders and a.intent == b.intent


@pytest.mark.parametrize("level", LEVEL_NAMES)
def test_orders_always_validate(tutorial, level):
    for seed in (3, 4, 5):
        for state in states_of(tutorial, seed, 5)[::2]:
            if state.over:
                continue
            for side in (0, 1):
                v = view(tutorial, state, side)
                d = COMMANDERS[level].decide(v, policy_rng(seed, state.turn, side))
                ok, bad = validate(v.context(), d.orders)
                assert not bad, [str(r) for r in bad]
                assert ok == d.orders


def test_main_scenario_orders_validate_and_intent_is_concrete(main_world):
    state = states_of(main_world, 2, 2, "easy", "easy")[-1]
    hex_id = re.compile(r"\b\d{4}\b")
    for side in (0, 1):
        v = view(main_world, state, side)
        d = COMMANDERS["normal"].decide(v, policy_rng(2, state.turn, side))
        ok, bad = validate(v.context(), d.orders)
        assert not bad and len(ok) > 20
        text = " ".join(d.intent)
        assert d.intent and hex_id.search(text), d.intent
        assert any(uid in text for uid in main_world.unit_ids), d.intent
        assert "Monte Carlo" in text          # normal chooses among plans by simulation


@pytest.mark.parametrize("level", LEVEL_NAMES)
def test_intent_names_hexes_and_units(tutorial, level):
    state = states_of(tutorial, 7, 2)[-1]
    for side in (0, 1):
        orders, intent = decide(level, view(tutorial, state, side), policy_rng(7, state.turn, side))
        assert intent and all(isinstance(x, str) and x for x in intent)
        text = " ".join(intent)
        assert re.search(r"\b\d{4}\b", text), intent
        assert any(uid in text for uid in tutorial.unit_ids), intent


def test_decision_is_a_function_of_view_and_rng(tutorial):
    state = states_of(tutorial, 8, 2)[-1]
    v = view(tutorial, state, 1)
    for level in LEVEL_NAMES:
        a = COMMANDERS[level].decide(v, policy_rng(8, 3, 1))
        b = Commander(level).decide(v, policy_rng(8, 3, 1))
        assert a.orders == b.orders and a.intent == b.intent
        if level == "easy":          # the one way to ask gives the commander's own decision
            assert decide(level, v, policy_rng(8, 3, 1)) == (list(a.orders), list(a.intent))
    assert decide("random", v, policy_rng(8, 3, 1))[1] == []          # a policy without intent


def test_levels_are_policies_and_documented():
    for name in LEVEL_NAMES:
        assert name in POLICIES and name in LEVELS
    assert LEVELS["easy"].draws == 0 and not LEVELS["easy"].features.hidden_odds
    assert 0 < LEVELS["normal"].draws * LEVELS["normal"].reps < LEVELS["hard"].draws * LEVELS["hard"].reps
    assert len(LEVELS["hard"].candidates) > len(LEVELS["normal"].candidates) > len(LEVELS["easy"].candidates)
    assert LEVELS["hard"].lookahead > LEVELS["normal"].lookahead


def test_play_game_keeps_intents_per_turn_and_side(tutorial):
    rec = play_game(tutorial, (POLICIES["normal"], POLICIES["random"]), seed=3, keep_history=True)
    assert rec.turns
    for tr in rec.turns:
        assert set(tr.intents) == {0}
        assert tr.intents[0][0].startswith(f"UA day {tr.turn}")


def test_samples_copy_own_units_and_place_enemies_on_enemy_ground(main_world):
    state = states_of(main_world, 4, 2, "easy", "easy")[-1]
    for side in (0, 1):
        v = view(main_world, state, side)
        sit = situation(v)
        b = sample_batch(sit, np.random.default_rng(1), 4)
        own = v.own
        assert (b.hex[:, own] == v.hex[own]).all() and (b.strength[:, own] == v.strength[own]).all()
        enemy = (main_world.u_side != side) & b.on_map[0]
        seen = {main_world.unit_index[c.unit] for c in v.contacts}
        unseen = np.flatnonzero(enemy & ~np.isin(np.arange(main_world.n_units), list(seen)))
        assert unseen.size and (v.control[b.hex[0, unseen]] != side).all()


def test_sectors_cover_the_front(main_world):
    sit = situation(view(main_world, initial_state(main_world), 1))
    sec = sectors(sit, 3)
    assert set(np.unique(sec[sit.border])) == {0, 1, 2}


# ---------------------------------------------------------------- tournaments

def test_simulate_json_identical_whatever_jobs(capsys):
    base = ["simulate", "tutorial-hryshyne", "--ua", "normal", "--ru", "easy", "--games", "3", "--seed", "9", "--json"]
    assert main(base + ["--jobs", "1"]) == 0
    one = capsys.readouterr().out
    assert main(base + ["--jobs", "2"]) == 0
    two = capsys.readouterr().out
    assert one == two
    data = json.loads(one)
    assert [g["seed"] for g in data["games"]] == [9, 10, 11]
    assert set(data["games"][0]) == {"seed", "winner", "turns", "vp", "casualties", "hexes"}


def test_simulate_csv_and_calibration(tmp_path, capsys):
    out = tmp_path / "games.csv"
    assert main(["simulate", "tutorial-hryshyne", "--ua", "easy", "--ru", "random", "--games", "3",
                 "--csv", str(out), "--calibration"]) == 0
    text = capsys.readouterr().out
    assert "VP margin" in text and "95% interval" in text
    for _lo, _hi, what in tournament.BANDS.values():     # each figure named whole, beside its band
        assert what in text
    rows = list(csv.DictReader(out.open()))
    assert len(rows) == 3 and rows[0]["ua_policy"] == "easy" and rows[0]["seed"] == "1"
    assert set(tournament.CSV_FIELDS) == set(rows[0])
    assert main(["simulate", "tutorial-hryshyne", "--ua", "easy", "--ru", "random", "--games", "2",
                 "--json", "--calibration"]) == 0
    cal = json.loads(capsys.readouterr().out)["calibration"]
    assert set(cal) == set(tournament.BANDS)


def test_wilson_and_sign_test():
    lo, hi = tournament.wilson(50, 100)
    assert lo == pytest.approx(0.404, abs=1e-3) and hi == pytest.approx(0.596, abs=1e-3)
    assert tournament.wilson(0, 10)[0] == 0.0 and tournament.wilson(10, 10)[1] == 1.0
    assert tournament.binom_sf(0, 10) == pytest.approx(1.0)
    assert tournament.binom_sf(9, 10) == pytest.approx(11 / 1024)


def test_progress_is_quiet_on_a_pipe_for_short_runs():
    import io

    from pokrovsk_tui.cli.progress import RunProgress

    buf = io.StringIO()
    p = RunProgress("x", stream=buf, min_seconds=1e9)
    for i in range(1, 11):
        p(i, 10)
    assert buf.getvalue() == ""
    p = RunProgress("x", stream=buf, min_seconds=0.0)
    for i in range(1, 11):
        p(i, 10)
    assert "10/10 games" in buf.getvalue()
    assert "\x1b" not in buf.getvalue()                  # a pipe gets no control codes


def test_progress_on_a_terminal_is_a_rich_bar_closed_at_the_end():
    import io

    from pokrovsk_tui.cli.progress import RunProgress

    class Tty(io.StringIO):
        def isatty(self):
            return True

    buf = Tty()
    with RunProgress("easy vs hold", stream=buf) as p:
        for i in range(1, 4):
            p(i, 3)
        assert p._bar is None                             # stopped once every game is done
    out = buf.getvalue()
    assert "easy vs hold" in out and "3/3" in out


def test_statistics_match_their_textbook_values():
    """scipy.stats behind the tournament's figures: Wilson's interval (z = 1.96), the exact
    binomial tail, a percentile bootstrap that is the same from run to run."""
    lo, hi = tournament.wilson(7, 20)
    p, z = 7 / 20, 1.959964
    c = (p + z * z / 40) / (1 + z * z / 20)
    h = z * (p * (1 - p) / 20 + z * z / 1600) ** 0.5 / (1 + z * z / 20)
    assert (lo, hi) == pytest.approx((c - h, c + h), abs=1e-6)
    assert tournament.binom_sf(15, 20) == pytest.approx(sum(math.comb(20, i) for i in range(15, 21)) / 2**20)
    assert tournament.binom_sf(0, 5) == 1.0 and tournament.binom_sf(6, 5) == 0.0
    x = [3.0, 1.0, 4.0, 1.0, 5.0, 9.0, 2.0, 6.0]
    m, a, b = tournament.bootstrap_ci(x)
    assert m == 3.5 and a < m < b and (m, a, b) == tournament.bootstrap_ci(x)
    assert tournament.bootstrap_ci([2.0]) == (2.0, 2.0, 2.0)


@pytest.mark.parametrize("level", ["easy", "normal"])
def test_hq_and_robots_step_back_out_of_the_truck_standoff(level):
    """With a truck standoff, an HQ or a robot section standing where trucks no longer drive
    (next to enemy ground) walks back to where the trucks reach it; one already there stays."""
    from worlds import unit, world_and_state
    units = [unit("ua-inf", "ua", "infantry", "0403"), unit("ua-hq", "ua", "hq", "0302"),
             unit("ua-ugv", "ua", "ugv", "0304"), unit("ua-ugv-back", "ua", "ugv", "0101"),
             unit("ru-ag", "ru", "assault", "0603")]
    world, state = world_and_state(units, rules={"truck_standoff": 2})
    d = COMMANDERS[level].decide(view(world, state, 0), policy_rng(1, 1, 0))
    moves = {o.unit: o.path for o in d.orders if o.kind == "move"}
    for uid in ("ua-hq", "ua-ugv"):
        assert uid in moves, (uid, d.orders)
        end = world.grid.index(moves[uid][-1])
        assert world.grid.dist_from([end])[0][world.grid.index("0503")] > world.grid.hex_distance(
            world.grid.index("0503"), int(state.hex[world.unit_index[uid]])), (uid, moves[uid])
    assert "ua-ugv-back" not in moves

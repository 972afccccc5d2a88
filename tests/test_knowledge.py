"""One rule of what a side knows (rules/view.py): which enemy units it can name, and the
events, results, replay and report texts built from it. A side's text never names an enemy
unit it has not detected (ids that are prefixes of others included); a detected unit is named;
the app and the replay/report apply the same rule."""

from __future__ import annotations

import re
import tomllib

import numpy as np
import pytest

from pokrovsk_tui.game import persist
from pokrovsk_tui.game.session import new_session
from pokrovsk_tui.report.aar import render, story
from pokrovsk_tui.rules.events import Event, ref
from pokrovsk_tui.rules.events import render as render_template
from pokrovsk_tui.rules.scenario import SIDES
from pokrovsk_tui.rules.view import (
    LAST_SEEN_TURNS,
    UNDETECTED,
    event_for,
    events_for,
    knowledge,
    name_unit,
    view,
)
from pokrovsk_tui.store import tomlw
from pokrovsk_tui.store.migrations import template_of
from pokrovsk_tui.store.replay import verify
from pokrovsk_tui.store.savefmt import FORMAT_VERSION
from pokrovsk_tui.store.saves import SaveError, load_save
from pokrovsk_tui.tui import describe as D
from pokrovsk_tui.tui.review import Review, Step

SCENARIO = "pokrovsk-winter-2026"
SEEDS = (1, 2, 3)
TURNS = 4


def seen(world, state, side: int, units: dict[str, int]):
    """``state`` with ``side`` having last seen each unit on the given turn (detected now when
    that is the latest resolved turn)."""
    st = state.copy_with(detected=state.detected.copy(), seen_hex=state.seen_hex.copy(),
                         seen_turn=state.seen_turn.copy())
    for uid, turn in units.items():
        u = world.unit_index[uid]
        st.seen_hex[side, u] = state.hex[u]
        st.seen_turn[side, u] = turn
        st.detected[side, u] = turn == state.turn - 1
    return st


@pytest.fixture(scope="module")
def session0():
    return new_session(SCENARIO, mode="watch", ai_level="random", seed=0)


# ----- the rule on made-up knowledge -----------------------------------------------------------

@pytest.mark.parametrize("known, text", [
    ("ru-ag-10", "UA holds: an undetected enemy assault group and ru-ag-10 attack; ru-ag-10 -3.0"),
    ("ru-ag-1", "UA holds: ru-ag-1 and an undetected enemy assault group attack; an undetected enemy assault group -3.0"),
])
def test_ids_that_are_prefixes_of_others_are_masked_whole(session0, known, text):
    w = session0.world
    st = session0.state.copy_with(turn=8)
    # the other one was seen long ago: its type is remembered, not its id
    other = "ru-ag-1" if known == "ru-ag-10" else "ru-ag-10"
    k = knowledge(view(w, seen(w, st, 0, {known: 7, other: 1}), 0))
    e = Event(turn=7, phase="combat", kind="assault", text="",
              template=f"UA holds: {ref(0)} and {ref(1)} attack; {ref(1)} -3.0",
              units=("ru-ag-1", "ru-ag-10"),
              why={"attackers": ["ru-ag-1", "ru-ag-10"], "losses": {"ru-ag-1": 1.0, "ru-ag-10": 2.0, "ru-ag-3": 4.0}})
    assert e.text == "UA holds: ru-ag-1 and ru-ag-10 attack; ru-ag-10 -3.0"
    mine = event_for(k, e)
    assert mine.text == text
    assert "unit0" not in mine.text and "unit1" not in mine.text
    assert mine.why["attackers"] == [name_unit(k, "ru-ag-1"), name_unit(k, "ru-ag-10")]
    assert known in mine.why["attackers"] and other not in mine.why["attackers"]
    # masked dict keys stay distinct (a never-seen unit and a remembered one)
    assert list(mine.why["losses"].values()) == [1.0, 2.0, 4.0]
    assert UNDETECTED in mine.why["losses"] and known in mine.why["losses"]
    assert mine.units == (name_unit(k, "ru-ag-1"), name_unit(k, "ru-ag-10"))
    assert event_for(None, e) is e                # the truth reads every id


def test_naming_tiers_detected_last_seen_faded_never(session0):
    w = session0.world
    st = session0.state.copy_with(turn=10)
    last = st.turn - 1
    st = seen(w, st, 1, {"ua-101-1": last, "ua-101-2": last - (LAST_SEEN_TURNS - 1), "ua-101-3": last - LAST_SEEN_TURNS})
    k = knowledge(view(w, st, 1))
    assert [k.status(u) for u in ("ua-101-1", "ua-101-2", "ua-101-3", "ua-102-1", "ru-ag-1")] == \
        ["detected", "last_seen", "type_known", "undetected", "own"]
    assert name_unit(k, "ua-101-1") == "ua-101-1" and name_unit(k, "ua-101-2") == "ua-101-2"
    assert name_unit(k, "ua-101-3").startswith("an undetected enemy ") and "ua-101" not in name_unit(k, "ua-101-3")
    assert name_unit(k, "ua-102-1") == UNDETECTED
    assert name_unit(None, "ua-102-1") == "ua-102-1"
    # the same from the view itself, and a description starting a text gets a capital
    v = view(w, st, 1)
    assert name_unit(v, "ua-102-1") == UNDETECTED
    e = Event(turn=9, phase="fires", kind="hit", text="", template=f"{ref(0)} hit", units=("ua-102-1",))
    assert event_for(v, e).text == "An undetected enemy unit hit"


def test_old_texts_become_templates_at_exact_token_boundaries():
    units = ["ru-ag-10", "ru-ag-1"]
    t = template_of("UA assault on 2213 {x}: ru-ag-1 and ru-ag-10; ru-ag-1-ish ru-ag-100", units)
    assert t == "UA assault on 2213 {{x}: {1} and {0}; ru-ag-1-ish ru-ag-100"
    assert render_template(t, units) == "UA assault on 2213 {x}: ru-ag-1 and ru-ag-10; ru-ag-1-ish ru-ag-100"


# ----- whole games of the main scenario --------------------------------------------------------

@pytest.fixture(scope="module")
def games(tmp_path_factory):
    out = []
    for seed in SEEDS:
        s = new_session(SCENARIO, mode="watch", ai_level="random", seed=seed)
        for _ in range(TURNS):
            s.resolve()
        path = persist.write(s, tmp_path_factory.mktemp(f"g{seed}") / "game.toml")
        out.append((s, path))
    return out


def id_pattern(world, side: int) -> re.Pattern:
    ids = sorted((u for i, u in enumerate(world.unit_ids) if world.u_side[i] != side), key=len, reverse=True)
    return re.compile(r"(?<![A-Za-z0-9_-])(" + "|".join(map(re.escape, ids)) + r")(?![A-Za-z0-9_-])")


def may_name(world, history, i: int, side: int) -> set[str]:
    """Enemy ids ``side`` detected on turn i's or the LAST_SEEN_TURNS - 1 turns before
    (straight from the states' ``detected``, not from rules.view)."""
    out = set()
    for rec in history[max(0, i - LAST_SEEN_TURNS + 1):i + 1]:
        out |= {world.unit_ids[u] for u in np.flatnonzero(rec.state.detected[side])}
    return out


def texts_of(events) -> list[str]:
    return [e.text for e in events] + [D.why_text(e).plain for e in events] + \
        [str(u) for e in events for u in e.units]


def side_texts(session, review, i: int, side: int) -> dict[str, list[str]]:
    rec = session.history[i]
    who = SIDES[side]
    step = Step(rec.turn, "results")
    sur = review.surprises(step, who)
    f = review.frame(step)
    return {
        "app": texts_of(session.events_for(side, rec))
        + [D.results_summary(session, side, rec, session.previous_state(rec)).plain],
        "replay": texts_of(review.events(step, who)) + [s["text"] for s in sur]
        + [review.surprise_text(s).plain for s in sur] + [review.day_text(step, who).plain]
        + [review.day_text(Step(rec.turn, "orders"), who).plain],
        "report": story(f, who),
    }


@pytest.mark.parametrize("side", [0, 1], ids=SIDES)
def test_a_side_never_reads_the_id_of_an_enemy_unit_it_did_not_detect(games, side):
    masked = 0
    for session, path in games:
        w = session.world
        pat = id_pattern(w, side)
        review = Review(load_save(path), path)
        for i, rec in enumerate(session.history):
            allowed = may_name(w, session.history, i, side)
            for where, texts in side_texts(session, review, i, side).items():
                for text in texts:
                    named = set(pat.findall(text))
                    assert named <= allowed, (f"seed {session.seed}, turn {rec.turn}, {where}: "
                                              f"{sorted(named - allowed)} named in {text!r}")
            # the truth of the same turn does name units this side could not: the check bites
            truth = [str(x) for e in rec.events if SIDES[side] in e.visible_to for x in (e.units, e.why)]
            masked += sum(1 for t in truth if set(pat.findall(t)) - allowed)
        report = render(load_save(path), "md", who=SIDES[side])
        everything = set().union(*(may_name(w, session.history, i, side) for i in range(len(session.history))))
        assert set(pat.findall(report)) <= everything
        assert f"Written for | {SIDES[side].upper()}" in report or f"**Written for:** {SIDES[side].upper()}" in report
    assert masked > 0


@pytest.mark.parametrize("side", [0, 1], ids=SIDES)
def test_a_detected_enemy_unit_is_named(games, side):
    named_spotted = named_attackers = 0
    for session, _ in games:
        for rec in session.history:
            k = knowledge(view(session.world, rec.state, side))
            for e in session.events_for(side, rec):
                if e.kind == "detected":
                    assert e.units[0] in e.text and k.status(e.units[0]) == "detected"
                    named_spotted += 1
            for e in rec.events:
                if e.kind in ("assault", "infiltration", "raid"):
                    mine = event_for(k, e)
                    for a, shown in zip(e.why["attackers"], mine.why["attackers"], strict=True):
                        if k.status(a) == "detected":
                            assert shown == a
                            named_attackers += 1
    assert named_spotted > 0 and named_attackers > 0


def names_in(v) -> list[str]:
    """Every string in a why (values and keys, in order); numbers differ by the save's rounding."""
    if isinstance(v, str):
        return [v]
    if isinstance(v, dict):
        return [x for k, y in v.items() for x in [str(k), *names_in(y)]]
    if isinstance(v, list | tuple):
        return [x for y in v for x in names_in(y)]
    return []


def test_the_app_and_the_replay_and_report_agree(games):
    for session, path in games:
        review = Review(load_save(path), path)
        for i, rec in enumerate(session.history):
            step = Step(rec.turn, "results")
            f = review.frame(step)
            for side, who in enumerate(SIDES):
                app = session.events_for(side, rec)
                replay = review.events(step, who)
                assert [(e.kind, e.text, e.units, names_in(e.why)) for e in app] == \
                    [(e.kind, e.text, e.units, names_in(e.why)) for e in replay]
                k_app, k_rep = knowledge(session.view(side) if i == len(session.history) - 1
                                         else view(session.world, rec.state, side)), f.knowledge(who)
                assert (k_app.named, k_app.detected, k_app.typed) == (k_rep.named, k_rep.detected, k_rep.typed)
                assert [e.text for e in events_for(k_rep, rec.events)] == [e.text for e in app]


def test_format_1_saves_load_verify_and_mask_the_same(games, tmp_path):
    _, path = games[0]
    new = load_save(path)
    data = tomllib.loads(path.read_text())
    assert data["format_version"] == FORMAT_VERSION
    data["format_version"] = 1
    for t in data["turns"]:
        for group in t["events"].values():
            for e in group:
                e["text"] = render_template(e["text"], e.get("units", []))
    old_path = tmp_path / "old.toml"
    old_path.write_text(tomlw.dumps(data))
    old = load_save(old_path)
    assert old.format_version == FORMAT_VERSION and verify(old).ok
    assert [t.events for t in old.turns] == [t.events for t in new.turns]


def test_a_placeholder_without_its_unit_is_a_clear_problem(games, tmp_path):
    _, path = games[0]
    text = path.read_text()
    m = re.search(r'text="(\{0\})', text)
    assert m is not None
    bad = tmp_path / "bad.toml"
    bad.write_text(text[:m.start(1)] + "{7}" + text[m.end(1):])
    with pytest.raises(SaveError) as e:
        load_save(bad)
    lines = [str(p) for p in e.value.problems]
    assert any(".events." in x and "text refers to unit {7}" in x for x in lines), lines


def test_report_cli_writes_a_side_report(games, capsys):
    from pokrovsk_tui.cli import main

    session, path = games[1]
    pat = id_pattern(session.world, 1)
    assert main(["report", str(path), "--side", "ru"]) == 0
    side_report = capsys.readouterr().out
    assert main(["report", str(path)]) == 0
    truth_report = capsys.readouterr().out
    assert "**Written for:** RU" in side_report and "Written for" not in truth_report
    everything = set().union(*(may_name(session.world, session.history, i, 1) for i in range(len(session.history))))
    assert set(pat.findall(side_report)) <= everything
    with pytest.raises(SystemExit) as e:
        main(["report", str(path), "--side", "nato"])
    assert e.value.code == 2 and "invalid choice: 'nato'" in capsys.readouterr().err

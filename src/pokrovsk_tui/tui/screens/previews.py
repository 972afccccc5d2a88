"""The game screen's order previews: the odds of each kind of order, as text, from
rules/odds.py (the engine's own phases on what the side knows)."""

from __future__ import annotations

from rich.text import Text

from pokrovsk_tui.rules.odds import (
    Preview,
    assault_odds,
    interdict_odds,
    mission_odds,
    resupply_odds,
)
from pokrovsk_tui.rules.params import RESULTS

RESULT_NAMES = {"R": "repulsed", "E": "engaged (hex contested)", "D": "defender retreats", "X": "defender routed"}

class OrderPreviews:
    """Mixed into GameScreen: needs ``session``, ``side``, ``book()`` and ``current_view()``."""

    PREVIEW_REPS = 1000    # replications behind each order preview (about ±1.5% on a chance)

    @staticmethod
    def _memo(fn):
        """A count dialog's preview, worked out once per count."""
        done: dict[int, Text] = {}

        def get(c: int) -> Text:
            if c not in done:
                done[c] = fn(c)
            return done[c]
        return get

    def _odds(self, fn, *args):
        """Run a preview from rules/odds.py for the side to move, with its orders so far."""
        return fn(self.current_view(), list(self.book().orders), *args,
                  replications=self.PREVIEW_REPS, seed=self.session.seed)

    @staticmethod
    def _preview_head(t: Text, odds: Preview, target_word: str = "the target") -> None:
        t.append(f"\n{odds.weather[0].upper()}{odds.weather[1:]}.")
        if odds.recon_today:
            t.append(f"\nSame-day recon counted: {odds.recon_today} sortie(s) on or next to {target_word}.")
        else:
            t.append(f"\nNo recon ordered on or next to {target_word} today (recon ordered first is counted).")

    @staticmethod
    def _preview_unknowns(t: Text, odds: Preview) -> None:
        if odds.unknowns:
            t.append("\n\nNot known to this preview:", style="dim")
            for u in odds.unknowns:
                t.append(f"\n  - {u}", style="dim")
        t.append(f"\n({odds.replications} replications by the engine's own rules)", style="dim")

    def assault_preview(self, kind: str, uid: str, target: str) -> Text:
        p = self.session.world.params
        book = self.book()
        joining = [o.unit for o in book.orders if o.kind == kind and o.target == target and o.unit != uid]
        attackers = joining + [uid]
        odds = self._odds(assault_odds, attackers, target, kind)
        t = Text()
        t.append(f"Attackers: {', '.join(attackers)}", style="bold")
        self._preview_head(t, odds)
        t.append(f"\nAttack {odds.attack:.0f} against defence {odds.defence:.0f}"
                 f" ({odds.defenders_seen} defending unit(s) seen now)")
        if odds.p_defended <= 0.0:
            t.append("\nNobody seen there and no unseen defender expected: the attack walks in.", style="bold")
        elif odds.p_defended < 1.0:
            t.append(f"\nNobody seen there: defended in {odds.p_defended:.0%} of the replications "
                     "(the estimate of unseen defenders); otherwise the attack walks in.", style="bold")
        if odds.p_defended > 0.0 and odds.defenders_seen == 0:
            t.append(f"\nDefenders you have not seen make it a blind attack: die {p.blind_assault_mod:+d}, "
                     f"your losses ×{p.blind_loss_mult:g} (recon the hex first).")
        if odds.column_probs:
            cols = ", ".join(f"{c} {q:.0%}" for c, q in odds.column_probs.items())
            t.append(f"\nColumn: {cols};  die modifier {odds.modifier:+d} (weather)")
        t.append("\n\nChance of each result:", style="bold")
        for r in RESULTS:
            q = odds.result_probs.get(r, 0.0)
            bar = "█" * int(round(q * 30))
            t.append(f"\n  {r} {RESULT_NAMES[r]:<24} {q:5.0%} {bar}")
        if kind != "raid":
            t.append(f"\n  your units end the day on the hex: {odds.p_advance:.0%}"
                     + (" (in snow or mud the going may stop them)" if odds.p_advance + 0.005 <
                        1.0 - odds.result_probs.get("R", 0.0) else ""))
        t.append("\n\nExpected losses:", style="bold")
        t.append(f"\n  yours {odds.attacker_loss_mean:.1f} (1 in 10: {odds.attacker_loss_p90:.0f}+)")
        t.append(f"\n  theirs {odds.defender_loss_mean:.1f} (1 in 10: {odds.defender_loss_p90:.0f}+)")
        if kind == "raid":
            t.append(f"\nA raid comes back: a D costs the defenders {p.raid_d_loss:.0%} more instead of a retreat, "
                     f"an X {p.rout_loss:.0%}.")
        self._preview_unknowns(t, odds)
        return t

    def strike_preview(self, kind: str, uid: str | None, target: str, count: int) -> Text:
        p = self.session.world.params
        odds = self._odds(mission_odds, uid, kind, target, count)
        t = Text()
        t.append(f"Chance each {'bomb' if kind == 'bomb' else 'round' if kind == 'fire' else 'sortie'} hits: "
                 f"{odds.p_hit:.0%}", style="bold")
        t.append(f"  (target detected today in {odds.p_detected:.0%} of the replications; "
                 f"undetected: ×{p.undetected_factor:g})")
        self._preview_head(t, odds)
        t.append(f"\nExpected damage {odds.damage_mean:.1f} strength, {odds.loss_mean:.1f} lost by the enemy "
                 "on the hex after entrenchment")
        probs = odds.hits_probs
        t.append("\nHits: ")
        shown = [(i, q) for i, q in enumerate(probs) if q >= 0.005][:8]
        t.append(", ".join(f"{i}: {q:.0%}" for i, q in shown))
        if kind in ("strike", "hunt"):
            t.append(f"\nJamming over the target from the EW seen: {odds.jamming:.0%} (radio drones only; "
                     "fibre-optic drones are immune).", style="dim")
        if kind == "hunt":
            t.append("\nHunt touches only drone, EW and UGV units.", style="dim")
        if kind == "bomb":
            t.append(f"\nGlide bombs: ×{p.glide_urban_mult:g} damage on urban hexes; {p.glide_entrench_hits}+ hits "
                     f"strip an entrenchment level ({odds.p_strip:.0%} chance).", style="dim")
        self._preview_unknowns(t, odds)
        return t

    def interdict_preview(self, uid: str, target: str, count: int) -> Text:
        p = self.session.world.params
        odds = self._odds(interdict_odds, uid, target, count)
        t = Text()
        t.append(f"Fire control on {target} after today: {odds.f_mean:.2f} from interdiction, "
                 f"{odds.f_total_mean:.2f} with your patrols", style="bold")
        self._preview_head(t, odds, target)
        if odds.threshold is not None:
            t.append(f"\nRoad objective: held under fire control (F ≥ {odds.threshold:g}) with chance {odds.p_over:.0%}.")
        t.append(f"\nEnemy supply through the hex costs ×{odds.supply_cost:.2f}; an enemy robot run crossing it is "
                 f"lost with chance {odds.run_loss:.0%}; a typical enemy unit moving in loses {odds.move_loss:.1%} "
                 f"of its strength. Interdiction fire control loses {p.fire_control_decay:.0%} a day.")
        self._preview_unknowns(t, odds)
        return t

    def runs_preview(self, uid: str, target_unit: str, count: int) -> Text:
        odds = self._odds(resupply_odds, uid, target_unit, count)
        t = Text()
        t.append(f"{count} run(s) of {odds.payload:g} supply each: each arrives with chance {odds.p_arrive:.0%}",
                 style="bold")
        t.append(f"\nExpected supply delivered {odds.supply_mean:.0f}; runs arriving: "
                 + ", ".join(f"{i}: {q:.0%}" for i, q in enumerate(odds.arrived_probs) if q >= 0.005))
        self._preview_head(t, odds, target_unit)
        t.append("\nA run is lost to the enemy fire control on the line to the unit.", style="dim")
        self._preview_unknowns(t, odds)
        return t

"""The game screen's order entry: an order key, choosing its target (rules/legal.py says
which), the odds or count dialog, giving, editing and deleting orders, undo and redo."""

from __future__ import annotations

from rich.text import Text
from textual import work
from textual.widgets import OptionList

from pokrovsk_tui.rules.belief import recon_effort
from pokrovsk_tui.rules.legal import (
    actions_for,
    no_target_reason,
    path_to,
    resupply_candidates,
)
from pokrovsk_tui.rules.orders import Order

from .. import describe as D
from ..order_keys import ACTIONS
from .dialogs import (
    CountScreen,
    PickScreen,
    PreviewScreen,
)


class OrderEntry:
    """Mixed into GameScreen: needs ``session``, ``side``, ``map``, ``book()``, ``current_view()``
    and the previews (previews.OrderPreviews)."""

    def action_order(self, kind: str) -> None:
        if not self.playing:
            return
        v = self.current_view()
        assert v is not None and self.side is not None
        w = self.session.world
        if kind == "bomb":
            if not actions_for(v, None):
                self.refuse("your side has no glide bombs")
                return
            self.start_targeting(kind, None)
            return
        unit = self.selected
        if unit is None:
            here = self.own_units_at(self.map.cursor)
            if here:
                unit = here[0]
                self.selected = unit
        if unit is None:
            self.notify("Select one of your units first: Enter on it, a click, or Tab.", title="No unit selected",
                        severity="warning")
            return
        if kind not in actions_for(v, unit):
            probe = Order(kind=kind, unit=w.unit_ids[unit], target=w.grid.hex_id(self.map.cursor),
                          path=(w.grid.hex_id(self.map.cursor),), target_unit=w.unit_ids[unit])
            r = self.session.try_order(self.side, probe)
            self.refuse(r.reason if r else f"{w.unit_ids[unit]} cannot be given a {kind} order")
            return
        if ACTIONS[kind][2] == "none":
            self.give(Order(kind=kind, unit=w.unit_ids[unit]))
            return
        self.start_targeting(kind, unit)

    def start_targeting(self, kind: str, unit: int | None) -> None:
        reason = no_target_reason(self.current_view(), unit, kind)
        if reason is not None:           # nothing to aim at: say so, stay out of target mode
            self.editing = None
            self.notify(reason, title=f"No target for {ACTIONS[kind][1].lower()}", severity="warning")
            return
        self.action = kind
        self.action_unit = unit
        self.map.focus()
        self.refresh_all()

    def refuse(self, reason: str) -> None:
        self.notify(reason, title="Order refused", severity="error")

    def give(self, order: Order) -> bool:
        assert self.side is not None
        if self.editing is not None:
            r = self.session.replace(self.side, self.editing, order)
        else:
            r = self.session.give(self.side, order)
        if r is not None:
            self.refuse(r.reason)
            return False
        self.editing = None
        self.action = None
        self.action_unit = None
        self.refresh_all()
        return True

    def confirm_target(self, h: int) -> None:
        kind = self.action
        unit = self.action_unit
        if kind is None:
            return
        self.order_flow(kind, unit, h)

    @work(exclusive=True, group="order")
    async def order_flow(self, kind: str, unit: int | None, h: int) -> None:
        try:
            await self._order_flow(kind, unit, h)
        except Exception as e:        # an order that cannot be worked out is refused, never a crash
            self.action = None
            self.action_unit = None
            self.editing = None
            self.refuse(f"could not prepare the order ({type(e).__name__}: {e})")
            self.refresh_all()

    async def _order_flow(self, kind: str, unit: int | None, h: int) -> None:
        s = self.session
        w = s.world
        v = self.current_view()
        assert v is not None and self.side is not None
        g = w.grid
        uid = w.unit_ids[unit] if unit is not None else None
        target = g.hex_id(h)
        if kind == "move":
            path = path_to(v, unit, h)
            self.give(Order(kind="move", unit=uid, path=tuple(g.ids(path))))
            return
        if kind in ("assault", "infiltrate", "raid"):
            order = Order(kind=kind, unit=uid, target=target)
            r = s.try_order(self.side, order)
            if r is not None:
                self.refuse(r.reason)
                return
            body = self.assault_preview(kind, uid, target)
            ok = await self.app.push_screen_wait(PreviewScreen(f"{ACTIONS[kind][1]} on {target}: the odds", body))
            if ok:
                self.give(order)
            return
        if kind == "resupply":
            cands = resupply_candidates(v, unit, h)
            if not cands:
                self.refuse(f"no unit of yours at {target} within {uid}'s range to resupply")
                return
            pick = cands[0]
            if len(cands) > 1:
                chosen = await self.app.push_screen_wait(PickScreen(
                    f"Resupply which unit at {target}?",
                    [(w.unit_ids[u], D.unit_line(w, int(u), float(v.strength[u]), f"supply {v.supply[u]:.0f}"))
                     for u in cands]))
                if chosen is None:
                    return
                pick = w.unit_index[chosen]
            probe = Order(kind="resupply", unit=uid, target_unit=w.unit_ids[pick], count=1)
            r = s.try_order(self.side, probe)
            if r is not None:
                self.refuse(r.reason)
                return
            left = self._left(kind, unit, probe)
            n = await self.app.push_screen_wait(CountScreen(
                f"{uid}: resupply {w.unit_ids[pick]}", "runs", left, left,
                self._memo(lambda c, pick=w.unit_ids[pick]: self.runs_preview(uid, pick, c))))
            if n:
                self.give(probe.model_copy(update={"count": n}))
            return
        # missions, fires, bombs: a count, with odds for the ones that hit
        probe = Order(kind=kind, unit=uid, target=target, count=1)
        r = s.try_order(self.side, probe)
        if r is not None:
            self.refuse(r.reason)
            return
        left = self._left(kind, unit, probe)
        if left < 1:
            self.refuse("over budget: nothing left today")
            return
        what = {"fire": "fires", "bomb": "glide bombs", "resupply": "runs"}.get(kind, "sorties")
        preview = None
        if kind in ("strike", "hunt", "fire", "bomb"):
            def preview(c, kind=kind, uid=uid, target=target):
                return self.strike_preview(kind, uid, target, c)
            preview = self._memo(preview)
        elif kind == "recon":
            def preview(c):
                on_t, on_nb = recon_effort(w.params, c)
                return Text(f"{c} recon sortie(s) today: detection effort {on_t:g} on {target} and {on_nb:g} on "
                            "each hex next to it, counted by today's strikes, fires and glide bombs there.")
        elif kind == "interdict":
            def preview(c, uid=uid, target=target):
                return self.interdict_preview(uid, target, c)
            preview = self._memo(preview)
        start = {"fire": left, "bomb": min(left, 4), "interdict": min(left, 3)}.get(kind, max(1, left // 2))
        n = await self.app.push_screen_wait(CountScreen(
            f"{ACTIONS[kind][1]} {target}" + (f" with {uid}" if uid else ""), what, left, start, preview))
        if n:
            self.give(probe.model_copy(update={"count": n}))

    def _left(self, kind: str, unit: int | None, probe: Order) -> int:
        return self.session.count_left(self.side, unit, kind, probe, self.editing)

    def action_delete_order(self) -> None:
        if not self.playing:
            return
        book = self.book()
        ol = self.query_one("#orders", OptionList)
        idx = None
        if ol.has_focus and ol.highlighted is not None:
            opt = ol.get_option_at_index(ol.highlighted)
            idx = int(opt.id) if opt.id is not None else None
        elif self.selected is not None:
            uid = self.session.world.unit_ids[self.selected]
            mine = [i for i, o in enumerate(book.orders) if o.unit == uid]
            idx = mine[-1] if mine else None
        elif book.orders:
            idx = len(book.orders) - 1
        if idx is None:
            self.notify("Nothing to delete: highlight an order in the list (o) or select a unit with orders.")
            return
        o = self.session.remove_order(self.side, idx)
        self.notify(f"Deleted: {o.describe()}", title="Order deleted")
        self.refresh_all()

    def action_undo(self) -> None:
        if self.playing and self.session.undo(self.side):
            self.refresh_all()

    def action_redo(self) -> None:
        if self.playing and self.session.redo(self.side):
            self.refresh_all()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        if event.option_list.id == "orders":
            event.stop()
            if event.option.id is None or not self.playing:
                return
            o = self.book().orders[int(event.option.id)]
            self.edit_order(o)
        elif event.option_list.id == "log":
            event.stop()
            if event.option.id is not None:
                self.show_why(self.log_events[int(event.option.id)])

    def edit_order(self, o: Order) -> None:
        w = self.session.world
        unit = w.unit_index[o.unit] if o.unit else None
        if unit is not None:
            self.select_unit(unit)
        if ACTIONS[o.kind][2] == "none":
            self.notify("Press another order key to replace it, or x to delete it.", title=o.describe())
            return
        self.editing = o
        if o.target:
            self.map.move_cursor(w.grid.index(o.target))
        self.start_targeting(o.kind, unit)
        self.notify("Choose the new target; Esc keeps the order as it is.", title=f"Editing: {o.describe()}")

    # ----- overlays, zoom, focus ---------------------------------------------------------

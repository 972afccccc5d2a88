"""The orders one side is writing for the coming turn, with undo and redo (no validation:
``GameSession`` checks orders against the rules before they enter a book)."""

from __future__ import annotations

from pokrovsk_tui.rules.orders import GROUND_KINDS, Order


class OrderBook:
    """The orders one side is writing for the coming turn, with undo and redo.

    A ground order (hold, move, assault, ...) replaces the unit's earlier ground order; a
    support order (a mission, a resupply, a fire, a bomb) replaces an earlier one of the same
    unit, kind and target, and is added otherwise.
    """

    def __init__(self, orders: list[Order] | None = None):
        self.orders: list[Order] = list(orders or [])
        self._undo: list[list[Order]] = []
        self._redo: list[list[Order]] = []

    def __len__(self) -> int:
        return len(self.orders)

    def __iter__(self):
        return iter(self.orders)

    @staticmethod
    def same_slot(a: Order, b: Order) -> bool:
        if a.unit != b.unit:
            return False
        if a.kind in GROUND_KINDS and b.kind in GROUND_KINDS:
            return a.unit is not None
        return a.kind == b.kind and a.target == b.target and a.target_unit == b.target_unit

    def with_order(self, order: Order) -> tuple[list[Order], int | None]:
        """The list as it would be with ``order`` in it, and the index it replaced (or None)."""
        out = list(self.orders)
        for i, o in enumerate(out):
            if self.same_slot(o, order):
                out[i] = order
                return out, i
        out.append(order)
        return out, None

    def _push(self) -> None:
        self._undo.append(list(self.orders))
        self._redo.clear()

    def add(self, order: Order) -> int | None:
        new, replaced = self.with_order(order)
        self._push()
        self.orders = new
        return replaced

    def remove(self, index: int) -> Order:
        self._push()
        return self.orders.pop(index)

    def clear(self) -> None:
        if self.orders:
            self._push()
            self.orders = []

    def replace_all(self, orders: list[Order]) -> None:
        self._push()
        self.orders = list(orders)

    @property
    def can_undo(self) -> bool:
        return bool(self._undo)

    @property
    def can_redo(self) -> bool:
        return bool(self._redo)

    def undo(self) -> bool:
        if not self._undo:
            return False
        self._redo.append(self.orders)
        self.orders = self._undo.pop()
        return True

    def redo(self) -> bool:
        if not self._redo:
            return False
        self._undo.append(self.orders)
        self.orders = self._redo.pop()
        return True

    def for_unit(self, unit: str) -> list[Order]:
        return [o for o in self.orders if o.unit == unit]

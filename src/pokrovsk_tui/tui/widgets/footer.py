"""The key footer, rebuilt only when the keys it shows change.

Textual's ``Footer`` rebuilds all its keys (``recompose``) for every "bindings changed" signal,
and a screen sends several as it opens (pushed, focus given, focus given again after the first
refresh) and one for every later change of focus: the title screen's footer was built three
times before it settled. Each new key also starts compact and is then told it is not,
restyling itself twice. This footer shows the same keys with those costs taken out: signals
that arrive while a rebuild is pending share it, a rebuild that would show the keys already
shown is skipped, and each key starts with the footer's own compactness."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.screen import Screen
from textual.widgets import Footer


class KeysFooter(Footer):
    """``Footer`` rebuilt once per change of the keys shown (same keys, same look)."""

    _rebuild_pending = False
    _ready = False                  # a bindings signal has come: the keys can be shown
    _composed: tuple | None = None  # what the keys on screen were built from

    def _shown(self) -> tuple | None:
        """Everything the footer's keys are built from (Footer.compose reads the same)."""
        if not self._ready:
            return None
        app = self.app
        keys = tuple((b.key, app.get_key_display(b), b.description, b.action, b.group, enabled, tooltip)
                     for (_, b, enabled, tooltip) in self.screen.active_bindings.values() if b.show)
        palette = None
        if self.show_command_palette and app.ENABLE_COMMAND_PALETTE:
            found = self.screen.active_bindings.get(app.COMMAND_PALETTE_BINDING)
            if found is not None:
                _, b, enabled, _tooltip = found
                palette = (b.key, app.get_key_display(b), b.description, b.action, enabled, b.tooltip)
        return keys, palette

    def bindings_changed(self, screen: Screen) -> None:
        self._ready = True
        if self._rebuild_pending and screen is self.screen:
            return          # the pending rebuild reads the bindings when it runs
        if screen.app.app_focus and self.is_attached and screen is self.screen:
            self._rebuild_pending = True
        super().bindings_changed(screen)

    async def recompose(self) -> None:
        self._rebuild_pending = False
        if not self.is_attached:
            return          # removed (its screen closed) before the rebuild came round
        if self.is_mounted and self._composed is not None and self._shown() == self._composed:
            return          # the same keys: nothing to rebuild
        await super().recompose()

    def compose(self) -> ComposeResult:
        self._composed = self._shown()
        compact = self.compact
        for widget in super().compose():
            if type(widget).__name__ == "FooterKey":
                # start as the footer is, so the key's data binding changes nothing on mount
                widget.set_reactive(type(widget).compact, compact)
                widget.set_class(compact, "-compact", update=False)
            yield widget

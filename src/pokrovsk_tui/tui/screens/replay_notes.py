"""The replay's instructor notes: add, edit, delete, list and go to a note, written to the save
without losing another writer's change."""

from __future__ import annotations

from rich.text import Text

from pokrovsk_tui.store.savefmt import Annotation

from .dialogs import ConfirmScreen


class ReplayNotes:
    """Mixed into ReplayScreen (replay.py)."""

    def _check_note(self, values: dict, index: int | None = None) -> str | None:
        from pokrovsk_tui.store.annotations import AnnotationError, make_annotation

        turn = self.step.turn if index is None else self.review.save.annotations[index].turn
        try:
            make_annotation(self.review.save, turn, values["text"], values["hex"] or None, values["author"])
        except AnnotationError as e:
            return f"{e.field}: {e.message}"
        return None

    def action_note(self) -> None:
        from .replay_dialogs import NoteScreen

        step = self.step
        hid = self.review.world.grid.hex_id(self.map.cursor)
        author = getattr(self.app, "note_author", "")
        self.app.push_screen(NoteScreen(f"A note on day {step.turn} (saved into the save file)", hex=hid,
                                        author=author, check=self._check_note), self._note_written)

    def _note_written(self, values: dict | None) -> None:
        if values is None:
            return
        from pokrovsk_tui.store.annotations import add_annotation

        self.app.note_author = values["author"]
        turn = self.step.turn
        if self._change_notes(lambda save: add_annotation(save, turn, values["text"], values["hex"] or None,
                                                         values["author"])):
            self.notify(f"Note on day {turn}{' hex ' + values['hex'] if values['hex'] else ''} saved into "
                        f"{self._path_name()}.", title="Note saved")

    def edit_note(self, index: int, then=None) -> None:
        from .replay_dialogs import NoteScreen

        a = self.review.save.annotations[index]

        def done(values: dict | None) -> None:
            if values is not None:
                from pokrovsk_tui.store.annotations import edit_annotation, find_note

                if self._change_notes(lambda save: edit_annotation(save, find_note(save, a), text=values["text"],
                                                                   hex=values["hex"] or None,
                                                                   author=values["author"])):
                    self.notify(f"Note #{index + 1} changed and saved.", title="Note saved")
            if then is not None:
                then()

        self.app.push_screen(NoteScreen(f"Edit note #{index + 1} ({'set-up' if a.turn == 0 else f'day {a.turn}'})",
                                        text=a.text, hex=a.hex or "", author=a.author,
                                        check=lambda v: self._check_note(v, index)), done)

    def delete_note(self, index: int, then=None) -> None:
        a = self.review.save.annotations[index]

        def done(ok: bool | None) -> None:
            if ok:
                from pokrovsk_tui.store.annotations import delete_annotation, find_note

                if self._change_notes(lambda save: delete_annotation(save, find_note(save, a))):
                    self.notify(f"Note #{index + 1} deleted.", title="Note deleted")
            if then is not None:
                then()

        self.app.push_screen(ConfirmScreen(f"Delete note #{index + 1}?", Text(a.text), yes="Delete it",
                                           no="Keep it"), done)

    def goto_note(self, a: Annotation) -> None:
        self.goto_turn(max(a.turn, self.review.first))
        if a.hex:
            try:
                self.map.move_cursor(self.review.world.grid.index(a.hex), center=True)
            except (ValueError, KeyError):
                pass

    def _path_name(self) -> str:
        return self.review.path.name if self.review.path else "the save"

    def _change_notes(self, change) -> bool:
        """Apply a change to the notes and write the save back atomically, merged with the
        notes another writer (annotate, another tab) wrote meanwhile (``change_notes``); on
        any failure the change is not made, the notes on screen are those on disk, and the
        problem is said."""
        from pokrovsk_tui.store.annotations import AnnotationError, change_notes

        save = self.review.save
        ok = True
        try:
            if self.review.path is not None:
                change_notes(save, self.review.path, change)
            else:
                change(save)
        except (AnnotationError, OSError) as e:
            self.notify(f"The note was not saved: {e}", severity="error", title="Note", timeout=10)
            ok = False
        self._note_turns = self.review.note_turns()
        self.show()
        return ok

    def action_notes(self, keep: int | None = None) -> None:
        from .replay_dialogs import NotesScreen

        self.app.push_screen(NotesScreen(self.review.save.annotations, keep), self._notes_choice)

    def _notes_choice(self, choice: tuple[str, int | None, int | None] | None) -> None:
        """Do what was asked of the notes list; after an edit or a deletion, the list again."""
        if choice is None:
            return
        what, index, keep = choice
        if what == "new":
            self.action_note()
        elif index is None:
            return
        elif what == "goto":
            self.goto_note(self.review.save.annotations[index])
        elif what == "edit":
            self.edit_note(index, then=lambda: self.action_notes(keep))
        elif what == "delete":
            self.delete_note(index, then=lambda: self.action_notes(keep))

    # ----- charts, exports, screenshot ---------------------------------------------------

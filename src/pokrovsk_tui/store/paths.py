"""Where saves live; light enough to import at start-up (no engine, no pydantic)."""

from __future__ import annotations

import os
from pathlib import Path

SAVE_DIR_ENV = "POKROVSK_SAVE_DIR"


def default_save_dir() -> Path:
    """``$POKROVSK_SAVE_DIR`` if set, else ``./saves``."""
    return Path(os.environ.get(SAVE_DIR_ENV) or "saves")

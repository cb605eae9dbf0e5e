"""Prose for the pages, kept as markdown files in ``dashboard/content`` rather than in page code."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import streamlit as st

CONTENT = Path(__file__).resolve().parent.parent / "content"


@lru_cache(maxsize=32)
def text(name: str) -> str:
    return (CONTENT / f"{name}.md").read_text(encoding="utf-8").strip()


def show(name: str) -> None:
    st.markdown(text(name))

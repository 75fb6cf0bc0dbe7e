"""A plan's own wording (presentation, action texts) as paragraphs and lists. The seed
plans are typed with one line per idea and "- " bullets, as in the documents: CommonMark
(markdown-it-py, already required by rich) reads them, each line break kept. Raw HTML
is escaped, images and HTML blocks are off: user text is never trusted as markup."""

from __future__ import annotations

import functools
import re

from markdown_it import MarkdownIt

_ITEM = re.compile(r"^\s*([-*+]|\d+[.)])\s")


@functools.cache
def _parser() -> MarkdownIt:
    md = MarkdownIt("commonmark", {"html": False, "breaks": True, "linkify": False})
    # Headings would outrank the page's own; images would be fetched from anywhere.
    return md.disable(["image", "heading", "lheading", "html_block", "html_inline"])


def render(text: str) -> str:
    """HTML of `text`: paragraphs, lists, emphasis, links; everything else escaped."""
    return _parser().render(_closed_lists(text.strip())) if text.strip() else ""


def _closed_lists(text: str) -> str:
    """A line that follows a bullet without being one starts a new paragraph: the seeds
    write "Pilotage :\n- comités\n- bilans\nMise en œuvre :" where CommonMark would
    read "Mise en œuvre" as the end of the last bullet (a lazy continuation line)."""
    out: list[str] = []
    for line in text.splitlines():
        follows_item = out and _ITEM.match(out[-1]) and not _ITEM.match(line)
        if follows_item and line.strip() and not line.startswith((" ", "\t")):
            out.append("")
        out.append(line)
    return "\n".join(out)

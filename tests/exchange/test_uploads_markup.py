"""Text uploads: markup is looked for in the whole file, not only its first 4 KB."""

from __future__ import annotations

import pytest

from observatoire.exchange import files


def test_markup_after_the_first_4_kb_is_refused() -> None:
    rows = "".join(f"6249{i % 10};Lens;{i},5\n" for i in range(400)).encode()
    assert len(rows) > 4096
    content = b"commune;nom;taux\n" + rows + b"<script>alert(document.cookie)</script>\n"
    with pytest.raises(files.UploadError, match="une page HTML"):
        files.check(files.in_memory("tableau.csv", content))
    assert files.check(files.in_memory("tableau.csv", content[:-41])).kind.code == "csv"

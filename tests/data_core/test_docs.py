"""The documentation is checked against the code (datasette style)."""

from __future__ import annotations

import re
from pathlib import Path

from click.testing import CliRunner

from observatoire.cli import main
from observatoire.indicators.catalog import catalog

ROOT = Path(__file__).resolve().parents[2]


def test_every_indicator_is_documented_in_methods() -> None:
    text = (ROOT / "docs/methodes.md").read_text(encoding="utf-8")
    documented = set(re.findall(r"^\| `([a-z0-9_]+)` \|", text, flags=re.M))
    assert documented == set(catalog())


def test_readme_commands_exist() -> None:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    used = set(re.findall(r"^observatoire ([a-z]+)", text, flags=re.M))
    assert used >= {"value", "indicators", "sources", "import", "build"}
    runner = CliRunner()
    for command in used:
        result = runner.invoke(main, [command, "--help"])
        assert result.exit_code == 0, command
        assert "Usage" in result.output


def test_readme_test_command_is_what_ci_runs() -> None:
    assert "make test" in (ROOT / ".ci/run").read_text()
    assert "make test" in (ROOT / "README.md").read_text(encoding="utf-8")

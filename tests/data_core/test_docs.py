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
    used = set(re.findall(r"^observatoire ([a-z][a-z-]*)", text, flags=re.M))
    assert used >= {"value", "indicators", "sources", "import", "build"}
    runner = CliRunner()
    for command in used:
        result = runner.invoke(main, [command, "--help"])
        assert result.exit_code == 0, command
        assert "Usage" in result.output


def test_readme_test_command_is_what_ci_runs() -> None:
    assert "make test" in (ROOT / ".ci/run").read_text()
    assert "make test" in (ROOT / "README.md").read_text(encoding="utf-8")


def test_contributing_names_only_files_that_exist() -> None:
    text = (ROOT / "CONTRIBUTING.md").read_text(encoding="utf-8")
    # Paths (with a folder): `sources/schema.py`, `tests/matrix/`; not URLs (`/api/v1/`).
    named = set(re.findall(r"`(\w[\w.<>-]*/[\w./<>-]*)`", text))
    assert len(named) > 15
    roots = [ROOT, ROOT / "src" / "observatoire"]
    missing = [
        name
        for name in sorted(named)
        if "<" not in name
        and not name.startswith("var/")  # made by the tests themselves
        and not any((root / name).exists() for root in roots)
    ]
    assert missing == []


def test_contributing_markers_and_contracts_are_the_real_ones() -> None:
    import tomllib

    text = (ROOT / "CONTRIBUTING.md").read_text(encoding="utf-8")
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    markers = {m.split(":")[0] for m in config["tool"]["pytest"]["ini_options"]["markers"]}
    assert set(re.findall(r"-m (\w+)", text)) <= markers
    assert {"serial", "embedded"} <= markers
    # Every declared port is named in the guide.
    contracts = config["tool"]["importlinter"]["contracts"]
    ports = {
        rule.split("-> ")[1].removeprefix("observatoire.")
        for c in contracts
        for rule in c.get("ignore_imports", [])
    }
    assert ports and all(f"`{port}`" in text for port in ports)

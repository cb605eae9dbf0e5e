"""Fetch the official files: ``python -m data_access download [--mirror BASE]``.

With ``--mirror BASE`` every file named in ``geodata/sources.toml`` is fetched from
``BASE/<name>`` (a copy of the publishers' files laid out under their expected names, such as
an organisation's file share, or the loopback server the tests run). Without it, each dataset
marked ``direct = true`` is fetched from its publisher URL; the others are named with the page
to download them from by hand. Each file is written to ``<name>.part`` and renamed when
complete; its sha256 and size are recorded in ``downloads.json``; then the store is built
from the download folder.
"""

from __future__ import annotations

import json
import os
import sys
import urllib.error
import urllib.request
from datetime import datetime, timezone
from pathlib import Path
from urllib.parse import quote

from tqdm import tqdm

from data_access.config import download_dir
from data_access.sources import load_datasets, sha256_of

CHUNK = 1 << 16
TIMEOUT_S = 60


class DownloadError(Exception):
    """A file could not be fetched; nothing partial is left under its name."""


def fetch(url: str, dest: Path, label: str, quiet: bool = False) -> None:
    dest.parent.mkdir(parents=True, exist_ok=True)
    part = dest.with_name(dest.name + ".part")
    try:
        with urllib.request.urlopen(url, timeout=TIMEOUT_S) as response, open(part, "wb") as out:
            total = int(response.headers.get("Content-Length") or 0) or None
            with tqdm(total=total, unit="B", unit_scale=True, desc=label, disable=quiet, file=sys.stderr, leave=False) as bar:
                for chunk in iter(lambda: response.read(CHUNK), b""):
                    out.write(chunk)
                    bar.update(len(chunk))
        os.replace(part, dest)
    except (urllib.error.URLError, OSError, ValueError) as exc:
        part.unlink(missing_ok=True)
        raise DownloadError(f"Could not fetch {label} from {url}: {exc}") from exc


def download(
    mirror: str | None = None,
    dest: Path | None = None,
    store: Path | None = None,
    build_after: bool = True,
    quiet: bool = False,
) -> Path:
    """Fetch every file into ``dest`` (default ``geodata/downloads``), then build the store."""
    dest = Path(dest or download_dir())
    records, manual = [], []
    datasets = load_datasets()
    names = [(ds, name) for ds in datasets.values() for name in ds.files]
    for i, (ds, name) in enumerate(names, 1):
        label = f"[{i}/{len(names)}] {name}"
        if mirror:
            url = mirror.rstrip("/") + "/" + quote(name)
        elif ds.direct:
            url = ds.url
        else:
            manual.append((ds, name))
            continue
        fetch(url, dest / name, label, quiet=quiet)
        path = dest / name
        records.append({"dataset": ds.id, "file": name, "url": url, "bytes": path.stat().st_size, "sha256": sha256_of(path)})
        if not quiet:
            print(f"{label}  {path.stat().st_size:,} bytes  sha256 {records[-1]['sha256'][:16]}…", file=sys.stderr)
    (dest / "downloads.json").write_text(
        json.dumps({"downloaded_at": datetime.now(timezone.utc).isoformat(timespec="seconds"), "files": records}, indent=2)
    )
    if manual:
        pages = "\n".join(sorted({f"  {ds.id}: {ds.url}" for ds, _ in manual}))
        raise DownloadError(
            f"{len(manual)} files have no direct download; fetch them from these pages into {dest} "
            f"under the names in geodata/sources.toml, or use --mirror:\n{pages}"
        )
    if build_after:
        from data_access.build import build

        build(dest, store, quiet=quiet)
    return dest

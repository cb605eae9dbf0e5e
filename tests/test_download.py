"""The download command, against the reference copies served from a loopback HTTP server."""

from __future__ import annotations

import functools
import json
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer

import pytest

from data_access.download import DownloadError, download
from data_access.sources import load_datasets, sha256_of
from data_access.store import ReferenceStore


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, *args):  # keep the test output clean
        pass


@pytest.fixture
def mirror(reference_dir):
    handler = functools.partial(_QuietHandler, directory=str(reference_dir))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    server.server_close()


def test_download_from_mirror_then_build(mirror, reference_dir, tmp_path, capsys):
    dest = download(mirror=mirror, dest=tmp_path / "downloads", store=tmp_path / "store")
    files = [name for ds in load_datasets().values() for name in ds.files]
    for name in files:
        assert sha256_of(dest / name) == sha256_of(reference_dir / name)
    record = json.loads((dest / "downloads.json").read_text())
    assert len(record["files"]) == len(files) == 33
    assert all(r["url"].startswith("http://127.0.0.1:") for r in record["files"])
    assert not list(dest.rglob("*.part"))
    store = ReferenceStore(tmp_path / "store")
    assert store.build_info()["lsoa21_by_region"] == {"NENC": 1889, "BNSSG": 581}
    err = capsys.readouterr().err
    assert "[33/33]" in err and "sha256" in err


def test_download_failure_names_the_file_and_leaves_nothing_partial(mirror, tmp_path):
    with pytest.raises(DownloadError, match=r"imd2025/humaniverse_imd2025_england_lsoa21_NENC_BNSSG\.csv.*404"):
        download(mirror=mirror + "/no-such-folder", dest=tmp_path / "d", store=tmp_path / "s", quiet=True)
    assert not (tmp_path / "s").exists()
    assert not list((tmp_path / "d").rglob("*.part"))

"""Command line: ``python -m data_access {build,download,migrate}`` (the area summary is ``python -m dashboard summary``)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path



def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m data_access", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)

    b = sub.add_parser("build", help="build the reference store from the official source files")
    b.add_argument("--sources", type=Path, help="source folder (default: PAIR_ATLAS_SOURCES or ../shared/reference)")
    b.add_argument("--store", type=Path, help="store folder (default: PAIR_ATLAS_STORE or geodata/store)")
    b.add_argument("--if-missing", action="store_true", help="do nothing when a store is already built")
    b.add_argument("--quiet", action="store_true")

    d = sub.add_parser("download", help="fetch the official files from their publishers (or a mirror), then build")
    d.add_argument("--mirror", help="base URL serving the files under their expected names")
    d.add_argument("--dest", type=Path, help="download folder (default: PAIR_ATLAS_DOWNLOADS or geodata/downloads)")
    d.add_argument("--store", type=Path)
    d.add_argument("--no-build", action="store_true")

    sub.add_parser("migrate", help="create or upgrade the database schema (Alembic)")

    args = parser.parse_args(argv)
    try:
        return _run(args)
    except Exception as exc:  # a clear one-line message, not a traceback
        from data_access.build import BuildError
        from data_access.sources import SourceError
        from data_access.store import StoreMissing
        from data_access.download import DownloadError

        if isinstance(exc, (BuildError, SourceError, StoreMissing, DownloadError)):
            print(f"error: {exc}", file=sys.stderr)
            return 2
        raise


def _run(args) -> int:
    if args.command == "build":
        from data_access.build import build
        from data_access.store import ReferenceStore

        if args.if_missing and ReferenceStore(args.store).is_current():
            print(f"Reference store already built at {ReferenceStore(args.store).path}", file=sys.stderr)
            return 0
        build(args.sources, args.store, quiet=args.quiet)
        return 0
    if args.command == "download":
        from data_access.download import download

        download(mirror=args.mirror, dest=args.dest, store=args.store, build_after=not args.no_build)
        return 0
    if args.command == "migrate":
        from data_access.db import get_engine, migrate

        engine = get_engine()
        migrate(engine)
        print(f"Database schema is up to date at {engine.url.render_as_string(hide_password=True)}", file=sys.stderr)
        return 0
    return 1  # pragma: no cover


if __name__ == "__main__":
    sys.exit(main())

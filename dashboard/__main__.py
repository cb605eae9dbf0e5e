"""Command line: ``python -m dashboard summary``: LSOAs, infants aged 0 and the share of LSOAs in
England's most deprived decile, by ICB and local authority (the Overview page's table)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from dashboard.overview import area_summary, format_summary
from dashboard.vocabulary import DEFAULT_INDEX, INDEXES


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m dashboard", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    s = sub.add_parser("summary", help="LSOAs, infants and most-deprived-decile share by ICB and local authority")
    s.add_argument("--format", choices=["table", "csv", "json"], default="table")
    s.add_argument("--index", choices=sorted(INDEXES), default=DEFAULT_INDEX)
    s.add_argument("--store", type=Path)
    args = parser.parse_args(argv)

    from data_access.store import ReferenceStore, StoreMissing

    try:
        table = area_summary(ReferenceStore(args.store).lsoas(args.index))
    except StoreMissing as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    if args.format == "csv":
        table.to_csv(sys.stdout, index=False)
    elif args.format == "json":
        print(table.to_json(orient="records", indent=2))
    else:
        print(f"{INDEXES[args.index].label} ({args.index}); infants aged 0: ONS mid-2020 estimates")
        print(format_summary(table))
    return 0


if __name__ == "__main__":
    sys.exit(main())

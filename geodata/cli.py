"""``python -m geodata``: the dataset toolkit's command line (no Qt)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from geodata.errors import DatasetError
from geodata.loader import BUNDLED_DATASET, load_dataset


def _validate(args: argparse.Namespace) -> int:
    try:
        dataset = load_dataset(args.path)
    except DatasetError as error:
        print(error.report(limit=10_000))
        return 1
    stays = dataset.stays
    excerpts = sum(len(stay.excerpts) for stay in stays)
    print(
        f"{args.path}: OK — {len(dataset.places)} places, {len(stays)} stays, {excerpts} excerpts, "
        f"{len(dataset.sources)} sources"
    )
    return 0


def _basemap(args: argparse.Namespace) -> int:
    from geodata.basemap import build_basemap

    try:
        counts = build_basemap(args.source, args.output, precision=args.precision)
    except (OSError, ValueError, KeyError) as error:
        print(f"{args.source}: cannot build the basemap: {error}", file=sys.stderr)
        return 1
    print(f"{args.output}: " + ", ".join(f"{value} {name}" for name, value in counts.items()))
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m geodata", description="Check, export and geocode map datasets.")
    commands = parser.add_subparsers(dest="command", required=True)
    validate = commands.add_parser("validate", help="check a dataset's schema and meaning")
    validate.add_argument("path", nargs="?", type=Path, default=BUNDLED_DATASET)
    validate.set_defaults(run=_validate)
    basemap = commands.add_parser("basemap", help="build the offline basemap from a world-atlas TopoJSON")
    basemap.add_argument("source", type=Path, help="countries-50m.json from the npm package world-atlas")
    basemap.add_argument("output", type=Path, help="GeoJSON to write (e.g. resources/basemap/countries-50m.geojson)")
    basemap.add_argument("--precision", type=int, default=3, help="decimals kept in coordinates")
    basemap.set_defaults(run=_basemap)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    status: int = args.run(args)
    return status

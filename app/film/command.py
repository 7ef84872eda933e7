"""``trotsky-map --export-video``: check the film's arguments, then film offscreen with a progress
line on a terminal (and only the film's path when the output is not a terminal)."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path
from typing import TextIO

from app.film.plan import (
    DEFAULT_FPS,
    DEFAULT_GIF_FPS,
    DEFAULT_SIZE,
    FilmFormatError,
    FilmSpec,
    default_seconds,
    film_format,
    parse_size,
    span_days,
)
from geodata.dates import PartialDate, day_number, format_day, from_day_number, parse_partial_date
from geodata.model import Dataset
from geodata.names import find_place, unknown_place_message
from geodata.queries import day_bounds

MAX_SECONDS = 3600.0
MAX_FPS = 60


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """The film's options on the app's command line."""
    film = parser.add_argument_group("film (with --export-video)")
    film.add_argument(
        "--export-video",
        type=Path,
        metavar="OUT.mp4|OUT.gif",
        help="film the map as the date runs and exit (H.264 MP4 or a looping GIF)",
    )
    film.add_argument("--from", dest="film_from", type=_date, metavar="DATE", help="first date (default: the birth)")
    film.add_argument(
        "--to", dest="film_to", type=_date, metavar="DATE", help="last date (default: the last stay's end)"
    )
    film.add_argument(
        "--seconds",
        type=float,
        help="length of the film (default: a minute for the whole life, a span in proportion)",
    )
    film.add_argument(
        "--fps", type=int, help=f"frames per second (default: {DEFAULT_FPS}; {DEFAULT_GIF_FPS} for a GIF)"
    )
    film.add_argument(
        "--size",
        default=f"{DEFAULT_SIZE[0]}x{DEFAULT_SIZE[1]}",
        metavar="WxH",
        help="frame size in pixels, both even (default: %(default)s)",
    )


def _date(text: str) -> PartialDate:
    try:
        return parse_partial_date(text)
    except ValueError as error:
        raise argparse.ArgumentTypeError(str(error)) from None


def film_spec(parser: argparse.ArgumentParser, args: argparse.Namespace, dataset: Dataset) -> FilmSpec:
    """The film asked for, or a usage error (exit 2) that says which argument is wrong and why."""
    out: Path = args.export_video
    try:
        kind = film_format(out)
    except FilmFormatError as error:
        parser.error(f"--export-video: {error}")
    folder = out.parent if str(out.parent) else Path(".")
    if not folder.is_dir():
        parser.error(f"--export-video: cannot write {out}: the folder {folder} does not exist")
    if not os.access(folder, os.W_OK | os.X_OK):
        parser.error(f"--export-video: cannot write {out}: permission denied in {folder}")
    if out.is_dir():
        parser.error(f"--export-video: {out} is a folder")
    life_first, life_last = day_bounds(dataset)
    first = day_number(args.film_from.first_day()) if args.film_from is not None else None
    last = day_number(args.film_to.last_day()) if args.film_to is not None else None
    for name, day in (("--from", first), ("--to", last)):
        if day is not None and not life_first <= day <= life_last:
            parser.error(
                f"{name} is outside the life's dates ({format_day(from_day_number(life_first))} – "
                f"{format_day(from_day_number(life_last))})"
            )
    first, last = span_days(dataset, first, last)
    if last <= first:
        parser.error(
            f"--to {format_day(from_day_number(last))} is not after --from {format_day(from_day_number(first))}"
        )
    try:
        width, height = parse_size(args.size)
    except ValueError as error:
        parser.error(f"--size {error}")
    fps = args.fps if args.fps is not None else (DEFAULT_GIF_FPS if kind == "gif" else DEFAULT_FPS)
    if not 1 <= fps <= MAX_FPS:
        parser.error(f"--fps {fps}: expected 1 to {MAX_FPS} frames per second")
    seconds = args.seconds if args.seconds is not None else default_seconds(dataset, first, last)
    if not 0 < seconds <= MAX_SECONDS or seconds * fps < 2:
        parser.error(f"--seconds {seconds:g}: expected more than 0 and at most {MAX_SECONDS:g}, two frames at least")
    place = find_place(dataset, args.place) if args.place else None
    if args.place and place is None:
        parser.error(f"--place: {unknown_place_message(dataset, args.place)}")
    return FilmSpec(first, last, seconds, fps, width, height, place.id if place else "")


class Progress:
    """A progress line on a terminal ("Filming 42% (756/1800 frames)"); nothing otherwise."""

    def __init__(self, stream: TextIO | None = None) -> None:
        self._stream = stream if stream is not None else sys.stdout
        isatty = getattr(self._stream, "isatty", None)
        self.interactive = bool(isatty and isatty())
        self._shown = -1

    def update(self, done: int, total: int) -> None:
        if not self.interactive:
            return
        percent = done * 100 // max(1, total)
        if percent == self._shown and done != total:
            return
        self._shown = percent
        bar = "#" * (percent // 5)
        self._stream.write(f"\rFilming [{bar:<20}] {percent:3d}% ({done}/{total} frames)")
        self._stream.flush()

    def end(self) -> None:
        if self.interactive and self._shown >= 0:
            self._stream.write("\n")

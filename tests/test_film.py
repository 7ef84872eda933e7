"""The film's plan (days, camera, captions), its encoder and its command-line contract; no Qt.
Rendering real frames is in ``test_film_gui.py``."""

from __future__ import annotations

import io
import itertools
import math
import subprocess
import sys
from pathlib import Path
from typing import Any

import av
import numpy as np
import pytest

from app.film.command import Progress
from app.film.encode import FilmWriter
from app.film.plan import (
    MAX_ZOOM_OUT,
    FilmFormatError,
    FilmSpec,
    base_zoom,
    camera_path,
    caption,
    default_seconds,
    film_format,
    frame_days,
    parse_size,
    span_days,
)
from geodata.dates import day_number, parse_partial_date


def day(text: str) -> int:
    return day_number(parse_partial_date(text).first_day())


def life_spec(bundled: Any, width: int = 1280, height: int = 720, fps: int = 30) -> FilmSpec:
    first, last = span_days(bundled, None, None)
    return FilmSpec(first, last, default_seconds(bundled, first, last), fps, width, height)


# -- the plan -----------------------------------------------------------------------------------


def test_the_whole_life_is_a_minute_from_the_birth_to_the_last_stay(bundled: Any) -> None:
    spec = life_spec(bundled)
    assert spec.first_day == day("1879-11-07")
    assert spec.last_day == max(stay.days[1] for stay in bundled.stays)
    assert spec.seconds == 60.0 and spec.frame_count == 1800
    days = frame_days(spec)
    assert days[0] == spec.first_day and days[-1] == spec.last_day
    steps = {b - a for a, b in itertools.pairwise(days)}
    assert max(steps) - min(steps) <= 1  # steady: the same number of days per frame
    twelve = default_seconds(bundled, day("1905-01-01"), day("1916-12-31"))
    assert 11.5 < twelve < 12  # twelve years of a life of 61: twelve seconds, in proportion
    assert default_seconds(bundled, day("1917-03-01"), day("1917-03-31")) == 2.0  # a month: the shortest


def test_the_camera_never_jumps_and_zooms_out_to_travel(bundled: Any) -> None:
    spec = life_spec(bundled)
    cameras = camera_path(bundled, frame_days(spec), spec)
    zoom = base_zoom(spec.width, spec.height)
    assert all(zoom - MAX_ZOOM_OUT - 1e-6 <= camera.zoom <= zoom + 1e-6 for camera in cameras)

    def pixel(camera: Any) -> tuple[float, float]:  # on screen at the base zoom
        scale = 256 * 2**zoom
        y = math.log(math.tan(math.pi / 4 + math.radians(camera.lat) / 2))
        return (camera.lon + 180) / 360 * scale, (1 - y / math.pi) / 2 * scale

    moves = []
    for before, after in itertools.pairwise(cameras):
        (x0, y0), (x1, y1) = pixel(before), pixel(after)
        # what moves on screen is the distance at the zoom shown
        moves.append(math.hypot(x1 - x0, y1 - y0) / 2 ** (zoom - min(before.zoom, after.zoom)))
    assert max(moves) < spec.width * 0.12  # no cut: never more than an eighth of the frame at once
    assert min(camera.zoom for camera in cameras) < zoom - 1  # the long moves are flown over
    assert sum(camera.zoom > zoom - 0.1 for camera in cameras) > 0.6 * len(cameras)  # and only they


def test_at_sea_the_camera_follows_the_crossing(bundled: Any) -> None:
    spec = FilmSpec(day("1916-12-20"), day("1917-01-20"), 10, 30, 1280, 720)
    cameras = camera_path(bundled, frame_days(spec), spec)
    lons = [camera.lon for camera in cameras]
    assert lons[0] > -10 and lons[-1] < -70  # Spain, then New York
    assert all(b <= a + 1e-9 for a, b in itertools.pairwise(lons))  # westward all the way


def test_captions_say_the_date_and_where_he_is(bundled: Any) -> None:
    words = caption(bundled, day("1917-04-15"), days_per_frame=12)
    assert (words.date, words.where) == ("April 1917", "Amherst Internment Camp")
    assert words.chapter
    assert caption(bundled, day("1916-12-30"), 12).where == "At sea: Spain → New York City"
    assert caption(bundled, day("1916-12-30"), 0.5).date == "30 December 1916"  # a slow film: the day


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("1280x", "not a size"),
        ("641x360", "must be even"),
        ("100x50", "too small"),
        ("8000x4000", "too large"),
        ("-2x4", "not a size"),
    ],
)
def test_a_bad_size_is_refused(text: str, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        parse_size(text)
    assert parse_size("640X360") == (640, 360)


# -- the encoder --------------------------------------------------------------------------------


def frames(count: int, width: int = 320, height: int = 180) -> list[np.ndarray]:
    out = []
    for index in range(count):
        image = np.full((height, width, 4), 235, dtype=np.uint8)
        image[:, : (index + 1) * width // count, :3] = (192, 57, 43)
        image[80:90, :, :3] = (31, 95, 139)
        out.append(image)
    return out


@pytest.mark.parametrize("suffix", [".mp4", ".gif"])
def test_a_film_has_its_size_frames_and_length(tmp_path: Path, suffix: str) -> None:
    out = tmp_path / f"film{suffix}"
    writer = FilmWriter(out, 320, 180, 10, [(31, 95, 139)])
    for frame in frames(20):
        writer.write(frame)
    assert not out.exists()  # written under a temporary name until complete
    assert writer.close() == out
    with av.open(str(out)) as film:
        stream = film.streams.video[0]
        decoded = [frame.to_ndarray(format="rgb24") for frame in film.decode(video=0)]
        assert (stream.width, stream.height) == (320, 180)
        assert film.duration is not None and abs(film.duration / 1e6 - 2.0) < 0.11
        if suffix == ".mp4":
            assert stream.codec_context.name == "h264" and stream.codec_context.pix_fmt == "yuv420p"
    assert len(decoded) == 20
    # the shared palette keeps the map's colours; the last frame is not the first
    assert np.abs(decoded[-1][85, 10].astype(int) - (31, 95, 139)).max() <= 12
    assert np.abs(decoded[0].astype(int) - decoded[-1].astype(int)).mean() > 20
    assert sorted(path.name for path in tmp_path.iterdir()) == [out.name]


def test_a_gif_loops(tmp_path: Path) -> None:
    from PIL import Image

    out = tmp_path / "loop.gif"
    writer = FilmWriter(out, 160, 90, 10)
    for frame in frames(3, 160, 90):
        writer.write(frame)
    writer.close()
    with Image.open(out) as image:
        assert image.info.get("loop") == 0 and getattr(image, "n_frames", 1) == 3


def test_an_aborted_film_leaves_nothing_and_keeps_the_old_one(tmp_path: Path) -> None:
    out = tmp_path / "film.mp4"
    out.write_bytes(b"an earlier film")
    writer = FilmWriter(out, 320, 180, 10)
    for frame in frames(5):
        writer.write(frame)
    writer.abort()
    assert out.read_bytes() == b"an earlier film"
    assert [path.name for path in tmp_path.iterdir()] == ["film.mp4"]


def test_a_frame_of_the_wrong_size_is_refused(tmp_path: Path) -> None:
    writer = FilmWriter(tmp_path / "film.mp4", 320, 180, 10)
    with pytest.raises(ValueError, match="a frame of 160x90 for a film of 320x180"):
        writer.write(frames(1, 160, 90)[0])
    writer.abort()


def test_only_mp4_and_gif_are_films() -> None:
    assert film_format(Path("a.MP4")) == "mp4" and film_format(Path("a.gif")) == "gif"
    with pytest.raises(FilmFormatError, match=r"a film is \.mp4 or \.gif, not \.avi"):
        film_format(Path("a.avi"))


def test_progress_shows_on_a_terminal_only() -> None:
    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    terminal = Terminal()
    progress = Progress(terminal)
    for done in range(1, 201):
        progress.update(done, 200)
    progress.end()
    text = terminal.getvalue()
    assert "\rFilming [##########          ]  50% (100/200 frames)" in text and text.endswith("100% (200/200 frames)\n")
    assert text.count("\r") == 101  # once per percent (0 to 100), not once per frame
    piped = io.StringIO()
    Progress(piped).update(1, 2)
    assert piped.getvalue() == ""


# -- the command line ---------------------------------------------------------------------------


def film_command(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "app", *args],
        capture_output=True,
        text=True,
        encoding="utf-8",
        stdin=subprocess.DEVNULL,
        check=False,
        timeout=60,
    )


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["OUT.avi"], "a film is .mp4 or .gif, not .avi"),
        (["OUT.mp4", "--from", "1917", "--to", "1905"], "--to 31 December 1905 is not after --from 1 January 1917"),
        (["OUT.mp4", "--size", "641x360"], "width and height must be even"),
        (["OUT.gif", "--size", "120x60"], "is too small"),
        (["OUT.mp4", "--from", "1850"], "--from is outside the life's dates"),
        (["OUT.mp4", "--fps", "0"], "--fps 0: expected 1 to 60"),
        (["OUT.mp4", "--seconds", "-1"], "--seconds -1: expected more than 0"),
        (["OUT.mp4", "--place", "nowhere"], "--place: no place 'nowhere' in"),
        (["missing-folder/OUT.mp4"], "missing-folder does not exist"),
    ],
)
def test_bad_film_arguments_are_usage_errors(tmp_path: Path, args: list[str], message: str) -> None:
    out, *rest = args
    done = film_command("--export-video", str(tmp_path / out), *rest)
    assert done.returncode == 2, done.stderr
    assert message in done.stderr and "Traceback" not in done.stderr
    assert list(tmp_path.iterdir()) == []

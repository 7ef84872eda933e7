"""Write frames to a film file as they come: H.264 MP4 (yuv420p) or a looping GIF. Qt-free.

PyAV (BSD; its wheels carry FFmpeg with libx264, GPL) encodes both, one frame at a time, so a film
is never held in memory. A GIF has one palette for every frame, made with Pillow from the first
frame and the map's own colours (a per-frame palette would flicker and a later palette could not
hold colours that were not on the first frame, such as a crossing's blue line).

The film is written to a hidden temporary file next to the target and renamed over it only when
complete: a cancelled or failed export leaves nothing behind, and an earlier film of the same name
survives until the new one is whole.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterable
from fractions import Fraction
from pathlib import Path
from typing import Any

import av
import numpy as np
from PIL import Image

from app.film.plan import film_format

#: libx264's speed/size trade-off: "superfast" leaves the 2 cores to the page at 720p (the file is about
#: twice the size of "veryfast"'s, 2 MB for ten seconds of 720p, for about a tenth more frames a second)
X264_OPTIONS = {"preset": "superfast", "crf": "23"}


def rgb_colours(hex_colours: Iterable[str]) -> list[tuple[int, int, int]]:
    """``#c0392b`` → (192, 57, 43)."""
    out = []
    for text in hex_colours:
        value = text.lstrip("#")
        if len(value) == 6:
            out.append((int(value[0:2], 16), int(value[2:4], 16), int(value[4:6], 16)))
    return out


def _umask() -> int:
    """The process's file-creation mask (read by setting it, then put back)."""
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


class FilmWriter:
    """Encodes ``width``×``height`` frames (``numpy`` arrays of uint8, RGB or RGBA) into
    ``out`` at ``fps``; :meth:`close` finishes the file, :meth:`abort` removes it.

    ``palette_colours`` (GIF): colours the shared palette must hold exactly, besides the first
    frame's (the map's marker and line colours).
    """

    def __init__(
        self, out: Path, width: int, height: int, fps: int, palette_colours: Iterable[tuple[int, int, int]] = ()
    ) -> None:
        self.out = out
        self.kind = film_format(out)
        self.width, self.height, self.fps = width, height, fps
        self.frames = 0
        self._palette_colours = list(palette_colours)
        handle, name = tempfile.mkstemp(prefix=f".{out.stem}.", suffix=f".part{out.suffix}", dir=out.parent)
        os.close(handle)
        self._temp = Path(name)
        try:
            # "+faststart": the index goes first, so a browser plays the film before it has all of it
            muxer = {"movflags": "+faststart"} if self.kind == "mp4" else {}
            self._container: Any = av.open(str(self._temp), mode="w", format=self.kind, options=muxer)
            if self.kind == "mp4":
                stream = self._container.add_stream("libx264", rate=fps)
                stream.pix_fmt = "yuv420p"
                stream.options = dict(X264_OPTIONS)
            else:
                stream = self._container.add_stream("gif", rate=fps)
                stream.pix_fmt = "pal8"
            stream.width, stream.height = width, height
            stream.time_base = Fraction(1, fps)
            self._stream = stream
        except BaseException:
            self._temp.unlink(missing_ok=True)
            raise
        self._palette: Image.Image | None = None
        self._palette_array: np.ndarray | None = None
        self._closed = False

    def write(self, pixels: np.ndarray) -> None:
        """Encode one frame: exactly ``height`` × ``width`` × 3 (RGB) or × 4 (RGBA, as Qt's
        ``Format_RGBX8888`` lays it out, which the encoder converts itself)."""
        height, width = pixels.shape[:2]
        channels = pixels.shape[2] if pixels.ndim == 3 else 0
        if (height, width) != (self.height, self.width) or channels not in (3, 4):
            raise ValueError(f"a frame of {width}x{height} for a film of {self.width}x{self.height}")
        if self.kind == "mp4":
            frame = av.VideoFrame.from_ndarray(pixels, format="rgb24" if channels == 3 else "rgba")
        else:
            rgb = pixels if channels == 3 else np.ascontiguousarray(pixels[:, :, :3])
            # PyAV takes (indices, palette) for pal8; its type hints know only single arrays
            frame = av.VideoFrame.from_ndarray(self._indexed(rgb), format="pal8")  # type: ignore[arg-type]
        frame.pts = self.frames
        for packet in self._stream.encode(frame):
            self._container.mux(packet)
        self.frames += 1

    def _indexed(self, rgb: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """The frame in the shared palette: (indices, 256 × ARGB palette) for PyAV's ``pal8``."""
        image = Image.fromarray(rgb, "RGB")
        if self._palette is None:
            self._palette, self._palette_array = self._shared_palette(image)
        assert self._palette_array is not None
        indices = np.asarray(image.quantize(palette=self._palette, dither=Image.Dither.NONE), dtype=np.uint8)
        return indices, self._palette_array

    def _shared_palette(self, first: Image.Image) -> tuple[Image.Image, np.ndarray]:
        """A palette from the first frame, with the required colours in it (a swatch strip of them
        is quantized along with the frame, large enough to win their own entries)."""
        extra = self._palette_colours
        strip = 64
        sample = Image.new("RGB", (first.width, first.height + strip * max(1, len(extra) > 0)))
        sample.paste(first, (0, 0))
        if extra:
            band = first.width // len(extra) or 1
            for index, colour in enumerate(extra):
                sample.paste(colour, (index * band, first.height, (index + 1) * band, first.height + strip))
        palette_image = sample.quantize(colors=256, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE)
        values = palette_image.getpalette() or []
        # PyAV reads each row of a pal8 palette as alpha, red, green, blue
        table = np.zeros((256, 4), dtype=np.uint8)
        rgb = np.array(values[: 256 * 3], dtype=np.uint8).reshape(-1, 3)
        table[:, 0] = 255
        table[: len(rgb), 1:] = rgb
        return palette_image, table

    def close(self) -> Path:
        """Flush the encoder, finish the file and move it into place; returns the film's path."""
        if self._closed:
            return self.out
        try:
            for packet in self._stream.encode():
                self._container.mux(packet)
            self._container.close()
            self._closed = True
            os.chmod(self._temp, 0o666 & ~_umask())  # a temporary file is private; a film is not
            os.replace(self._temp, self.out)
        except BaseException:
            self.abort()
            raise
        return self.out

    def abort(self) -> None:
        """Stop and remove the partial file (the target, if it existed, is untouched)."""
        if not self._closed:
            self._closed = True
            with contextlib.suppress(Exception):  # the file is thrown away: its errors do not matter
                self._container.close()
        self._temp.unlink(missing_ok=True)


class BackgroundWriter:
    """A :class:`FilmWriter` fed through a short queue by a thread of its own: PyAV encodes without
    holding Python's lock, so a frame is encoded while the page draws the next one. At most
    ``depth`` frames wait (a slow disk holds the producer back instead of filling memory).

    An error in the thread comes back from the next :meth:`write` or from :meth:`close`.
    """

    _STOP = object()

    def __init__(self, writer: FilmWriter, depth: int = 3) -> None:
        import queue
        import threading

        self.writer = writer
        self._queue: queue.Queue[object] = queue.Queue(maxsize=depth)
        self._error: BaseException | None = None
        self._thread = threading.Thread(target=self._run, name="film-encoder", daemon=True)
        self._thread.start()

    @property
    def out(self) -> Path:
        return self.writer.out

    def _run(self) -> None:
        while True:
            item = self._queue.get()
            if item is self._STOP:
                return
            if self._error is None:
                try:
                    self.writer.write(item)  # type: ignore[arg-type]
                except BaseException as error:
                    self._error = error

    def _raise(self) -> None:
        if self._error is not None:
            error, self._error = self._error, None
            raise error

    def write(self, pixels: np.ndarray) -> None:
        self._raise()
        self._queue.put(pixels)

    def close(self) -> Path:
        """Encode what is queued, then finish the file (see :meth:`FilmWriter.close`)."""
        self._queue.put(self._STOP)
        self._thread.join()
        try:
            self._raise()
        except BaseException:
            self.writer.abort()
            raise
        return self.writer.close()

    def abort(self) -> None:
        """Drop what is queued and remove the partial file."""
        self._error = self._error or RuntimeError("aborted")
        self._queue.put(self._STOP)
        self._thread.join()
        self.writer.abort()

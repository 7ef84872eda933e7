"""``trotsky-map --install-desktop-entry``: the menu entry, icons and metainfo land under $XDG_DATA_HOME,
the entry starts the very script that was run, and none of it needs Qt."""

from __future__ import annotations

import configparser
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from app import cli, desktop_entry
from app.desktop_entry import APP_ID, ICON_SIZES

ROOT = Path(__file__).resolve().parent.parent


def read_desktop_file(path: Path) -> configparser.SectionProxy:
    parser = configparser.ConfigParser(interpolation=None)
    parser.optionxform = str  # type: ignore[assignment,method-assign]  # keys are case-sensitive
    parser.read_string(path.read_text(encoding="utf-8"))
    assert parser.sections() == ["Desktop Entry"]
    return parser["Desktop Entry"]


STRING_ESCAPES = {"s": " ", "n": "\n", "t": "\t", "r": "\r", "\\": "\\"}


def unescape_string(value: str) -> str:
    """A desktop entry string value as its text: ``\\s``, ``\\n``, ``\\t``, ``\\r`` and ``\\\\``."""
    text, characters = [], iter(value)
    for character in characters:
        if character == "\\":
            escaped = next(characters)
            assert escaped in STRING_ESCAPES, f"{value!r}: an unknown escape \\{escaped}"
            character = STRING_ESCAPES[escaped]
        text.append(character)
    return "".join(text)


def exec_arguments(value: str) -> list[str]:
    """An ``Exec`` value read back as the Desktop Entry Specification says: the string escapes first,
    then the arguments (split at spaces; a double-quoted one has ``"`` `` ` `` ``$`` ``\\`` escaped by a
    backslash), then ``%%`` is one ``%``."""
    arguments: list[str] = []
    current: list[str] = []
    started = quoted = False
    characters = iter(unescape_string(value))
    for character in characters:
        if quoted:
            if character == "\\":
                character = next(characters)
                assert character in '"`$\\', f"{value!r}: \\{character} inside quotes"
            elif character == '"':
                quoted = False
                continue
            current.append(character)
        elif character == " ":
            if started:
                arguments.append("".join(current))
            current, started = [], False
        elif character == '"':
            assert not current, f"{value!r}: a quote inside an argument"
            quoted = started = True
        else:
            assert character not in "\"'`$\\<>~|&;*?#()\t\n", f"{value!r}: {character!r} unquoted"
            current.append(character)
            started = True
    assert not quoted, f"{value!r}: an unclosed quote"
    if started:
        arguments.append("".join(current))
    return [argument.replace("%%", "%") for argument in arguments]


def expected_files(home: Path) -> list[Path]:
    icons = home / "icons" / "hicolor"
    return [
        home / "applications" / f"{APP_ID}.desktop",
        *(icons / f"{size}x{size}" / "apps" / f"{APP_ID}.png" for size in ICON_SIZES),
        icons / "scalable" / "apps" / f"{APP_ID}.svg",
        home / "metainfo" / f"{APP_ID}.metainfo.xml",
    ]


def fake_script(folder: Path) -> Path:
    folder.mkdir(parents=True)
    script = folder / "trotsky-map"
    script.write_text("#!/bin/sh\n", encoding="utf-8")
    script.chmod(0o755)
    return script


def test_the_shipped_entry_names_the_app_its_icon_and_no_file_argument() -> None:
    entry = read_desktop_file(desktop_entry.DESKTOP_FILE)
    assert entry["Type"] == "Application"
    assert entry["Exec"] == "trotsky-map"  # the app takes no file as its one argument (only --dataset PATH)
    assert entry["Icon"] == APP_ID
    assert entry["StartupWMClass"] == "trotsky-map"  # Qt's WM_CLASS is the application name
    assert f"<id>{APP_ID}</id>" in desktop_entry.METAINFO_FILE.read_text(encoding="utf-8")
    assert f">{APP_ID}.desktop</launchable>" in desktop_entry.METAINFO_FILE.read_text(encoding="utf-8")
    for size in ICON_SIZES:
        assert desktop_entry.icon_png(size).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
        assert int.from_bytes(desktop_entry.icon_png(size).read_bytes()[16:20], "big") == size  # IHDR width


def test_install_through_the_command_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    home = tmp_path / "data"
    script = fake_script(tmp_path / "odd $HOME (100%) 'bin'\\")
    monkeypatch.setenv("XDG_DATA_HOME", str(home))
    monkeypatch.setattr(sys, "argv", [str(script), "--install-desktop-entry"])
    assert cli.main(["--install-desktop-entry"]) == 0

    out = capsys.readouterr().out
    for path in expected_files(home):
        assert f"Wrote {path}\n" in out
        assert path.is_file()
    written = sorted(path for path in home.rglob("*") if path.is_file())
    assert written == sorted(expected_files(home))  # nothing else (no temporary files left)
    assert (home / "metainfo" / f"{APP_ID}.metainfo.xml").read_bytes() == desktop_entry.METAINFO_FILE.read_bytes()
    assert (home / "icons/hicolor/scalable/apps" / f"{APP_ID}.svg").read_bytes() == desktop_entry.ICON_SVG.read_bytes()
    for size in ICON_SIZES:
        installed = home / f"icons/hicolor/{size}x{size}/apps/{APP_ID}.png"
        assert installed.read_bytes() == desktop_entry.icon_png(size).read_bytes()

    entry = read_desktop_file(home / "applications" / f"{APP_ID}.desktop")
    assert exec_arguments(entry["Exec"]) == [str(script)]
    assert unescape_string(entry["TryExec"]) == str(script)
    assert entry["Icon"] == APP_ID
    shipped = read_desktop_file(desktop_entry.DESKTOP_FILE)
    assert {key: value for key, value in entry.items() if key not in {"Exec", "TryExec"}} == {
        key: value for key, value in shipped.items() if key not in {"Exec", "TryExec"}
    }


def test_installing_again_replaces_the_files(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    home = tmp_path / "data"
    monkeypatch.setenv("XDG_DATA_HOME", str(home))
    assert desktop_entry.main(str(fake_script(tmp_path / "old"))) == 0
    assert desktop_entry.main(str(fake_script(tmp_path / "new"))) == 0
    entry = read_desktop_file(home / "applications" / f"{APP_ID}.desktop")
    assert exec_arguments(entry["Exec"]) == [str(tmp_path / "new" / "trotsky-map")]
    assert sorted(path for path in home.rglob("*") if path.is_file()) == sorted(expected_files(home))


@pytest.mark.parametrize("xdg_data_home", [None, "", "relative/share"])
def test_without_a_valid_xdg_data_home_it_is_the_home_folders(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, xdg_data_home: str | None
) -> None:
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.chdir(tmp_path)
    if xdg_data_home is None:
        monkeypatch.delenv("XDG_DATA_HOME", raising=False)
    else:
        monkeypatch.setenv("XDG_DATA_HOME", xdg_data_home)
    assert desktop_entry.data_home() == tmp_path / ".local" / "share"
    assert desktop_entry.main(str(fake_script(tmp_path / "bin"))) == 0
    assert all(path.is_file() for path in expected_files(tmp_path / ".local" / "share"))
    assert not (tmp_path / "relative").exists()


def test_run_as_python_m_app_the_entry_runs_this_interpreter() -> None:
    assert desktop_entry.launch_command(str(ROOT / "app" / "__main__.py")) == [sys.executable, "-m", "app"]
    assert desktop_entry.launch_command("trotsky-map-that-is-not-here") == [sys.executable, "-m", "app"]


@pytest.mark.parametrize(
    "command",
    [
        ["/usr/bin/trotsky-map"],
        ["/home/a b/.local/bin/trotsky-map"],
        ["/opt/$x/`y`/\"q\"/'s'/back\\slash/100%/trotsky-map"],
        ["/p y/python3", "-m", "app"],
    ],
)
def test_exec_values_read_back_as_the_command(command: list[str]) -> None:
    value = desktop_entry.exec_value(command)
    assert exec_arguments(value) == command
    assert "%" not in value.replace("%%", "")  # no field code


def test_a_control_character_in_the_path_is_refused() -> None:
    with pytest.raises(desktop_entry.DesktopEntryError, match="control character"):
        desktop_entry.exec_value(["/tmp/a\nb/trotsky-map"])


def run_install(tmp_path: Path, code: str, **env_changes: str) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, PYTHONPATH=str(ROOT), **env_changes)
    env.pop("QT_QPA_PLATFORM", None)
    return subprocess.run(
        [sys.executable, "-c", code],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        stdin=subprocess.DEVNULL,
    )


NO_QT = """
import sys
sys.argv[0] = sys.argv[1] if len(sys.argv) > 1 else sys.argv[0]
from app.cli import main
status = main(["--install-desktop-entry"])
qt = sorted(name for name in sys.modules if name.split(".")[0] in {"PySide6", "shiboken6"})
assert not qt, qt
sys.exit(status)
"""


def test_it_needs_no_qt(tmp_path: Path) -> None:
    result = run_install(tmp_path, NO_QT, XDG_DATA_HOME=str(tmp_path / "data"))
    assert result.returncode == 0, result.stderr
    assert all(path.is_file() for path in expected_files(tmp_path / "data"))
    assert f"The menu entry starts: {sys.executable} -m app" in result.stdout


def test_an_unwritable_folder_is_named_without_a_traceback(tmp_path: Path) -> None:
    blocked = tmp_path / "not-a-folder"
    blocked.write_text("a file where the data folder should be\n", encoding="utf-8")
    result = run_install(tmp_path, NO_QT, XDG_DATA_HOME=str(blocked))
    assert result.returncode == 1
    assert result.stderr.startswith(f"trotsky-map: cannot write {blocked / 'applications'}: "), result.stderr
    assert "Traceback" not in result.stderr
    assert result.stdout == ""


def test_the_installed_script_names_itself(tmp_path: Path) -> None:
    script = Path(sys.executable).with_name("trotsky-map")
    if not script.is_file():
        pytest.skip(f"no console script beside {sys.executable} (not installed with pip)")
    env = dict(os.environ, XDG_DATA_HOME=str(tmp_path / "data"))
    result = subprocess.run(
        [str(script), "--install-desktop-entry"], cwd=tmp_path, env=env, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    entry = read_desktop_file(tmp_path / "data" / "applications" / f"{APP_ID}.desktop")
    assert exec_arguments(entry["Exec"]) == [os.path.abspath(script)]


@pytest.mark.skipif(shutil.which("desktop-file-validate") is None, reason="desktop-file-utils is not installed")
def test_the_installed_entry_validates(tmp_path: Path) -> None:
    written = desktop_entry.install(tmp_path, ["/home/a b/$weird/trotsky-map"])
    result = subprocess.run(["desktop-file-validate", str(written[0])], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0 and result.stdout == "", result.stdout + result.stderr


@pytest.mark.skipif(shutil.which("appstreamcli") is None, reason="appstream is not installed")
def test_the_metainfo_validates() -> None:
    result = subprocess.run(
        ["appstreamcli", "validate", "--no-net", str(desktop_entry.METAINFO_FILE)],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stdout + result.stderr

"""An export's files, read by name from a ZIP in memory, a folder, or one file, within caps.

Only the files a reader asks for by name are ever opened: an export's credential files
(TV Time's access_token.csv, auth-prod-login.csv) are never read, printed or kept. A ZIP is
read whole into memory and never extracted, so an entry's path (``../../x``) means nothing;
every entry read is capped in size and in its compression ratio, so a ZIP bomb stops at the
cap instead of filling memory.
"""

from __future__ import annotations

import io
import os
import stat
import zipfile
import zlib
from pathlib import Path, PurePosixPath

from hstracker.errors import InvalidInput

MAX_ARCHIVE_BYTES = 512 * 1024 * 1024  # the ZIP itself
MAX_ENTRIES = 20_000  # entries listed in its directory
MAX_FILE_BYTES = 256 * 1024 * 1024  # one file, once uncompressed (100k episodes is ~20 MB)
MAX_RATIO = 200  # uncompressed bytes per compressed byte: a CSV is nearer 10
_CHUNK = 1 << 20
_AES = 99  # the compression method WinZip's AES encryption records


class NeedsPassword(InvalidInput):
    """The ZIP is encrypted and no password was given."""


class Bundle:
    """The files of one export, found by base name (case aside) wherever they sit in it."""

    def __init__(self, path: Path, password: bytes | None = None) -> None:
        self.path = path
        self.password = password
        self._zip: zipfile.ZipFile | None = None
        self._found: dict[str, str] = {}  # lowercased base name -> entry or file path
        if path.is_dir():
            self._index_folder(path)
        elif _is_regular(path):
            head = _read_capped(path, 4, whole=False)
            if head.startswith((b"PK\x03\x04", b"PK\x05\x06")):
                self._open_zip(path)
            else:
                self._found[path.name.lower()] = str(path)
        else:
            raise InvalidInput(f"{path} is not a file or folder hstracker can read.")

    def _index_folder(self, folder: Path) -> None:
        """Every regular file in folder and the folders under it, two levels deep at most
        (an unzipped export has one folder of its own), by base name."""
        for pattern in ("*", "*/*", "*/*/*"):
            for entry in sorted(folder.glob(pattern)):
                if len(self._found) >= MAX_ENTRIES:
                    break
                if _is_regular(entry):
                    self._found.setdefault(entry.name.lower(), str(entry))

    def _open_zip(self, path: Path) -> None:
        data = _read_capped(path, MAX_ARCHIVE_BYTES)
        try:
            archive = zipfile.ZipFile(io.BytesIO(data))
        except (zipfile.BadZipFile, OSError, ValueError) as exc:
            raise InvalidInput(f"{path} is a damaged ZIP: {exc}.") from None
        infos = archive.infolist()
        if len(infos) > MAX_ENTRIES:
            raise InvalidInput(f"{path} lists {len(infos)} files; the limit is {MAX_ENTRIES}.")
        for info in infos:
            if info.is_dir():
                continue
            name = PurePosixPath(info.filename.replace("\\", "/")).name.lower()
            self._found.setdefault(name, info.filename)
        self._zip = archive

    @property
    def is_zip(self) -> bool:
        return self._zip is not None

    def names(self) -> list[str]:
        """The lowercased base names of every file (names only: nothing is opened)."""
        return sorted(self._found)

    def has(self, name: str) -> bool:
        return name.lower() in self._found

    def encrypted(self) -> bool:
        """True when any entry of the ZIP is encrypted."""
        return self._zip is not None and any(i.flag_bits & 0x1 for i in self._zip.infolist())

    def read(self, name: str) -> bytes | None:
        """The bytes of the file with this base name, or None when the export has none."""
        where = self._found.get(name.lower())
        if where is None:
            return None
        if self._zip is None:
            return _read_capped(Path(where), MAX_FILE_BYTES)
        return self._read_entry(self._zip.getinfo(where))

    def _read_entry(self, info: zipfile.ZipInfo) -> bytes:
        label = f"{PurePosixPath(info.filename).name} in {self.path.name}"
        if info.compress_type == _AES:
            raise InvalidInput(
                f"{self.path.name} is encrypted with AES, which Python's zipfile cannot read.",
                hint="Unzip it with 7-Zip or your system's archive tool, then import the folder.",
            )
        if info.flag_bits & 0x1 and self.password is None:
            raise NeedsPassword(
                f"{self.path.name} is encrypted.",
                hint="Give its password at the prompt, or with --password-file FILE.",
            )
        limit = min(MAX_FILE_BYTES, max(info.compress_size, 1) * MAX_RATIO)
        assert self._zip is not None
        chunks: list[bytes] = []
        total = 0
        try:
            with self._zip.open(info, pwd=self.password) as stream:
                while chunk := stream.read(_CHUNK):
                    total += len(chunk)
                    if total > limit:
                        raise InvalidInput(
                            f"{label} unpacks to more than {limit} bytes "
                            f"({MAX_RATIO}x its packed size at most); it was not read."
                        )
                    chunks.append(chunk)
        except RuntimeError as exc:  # zipfile's word for a wrong password
            if "password" in str(exc).lower():
                raise InvalidInput(f"the password for {self.path.name} is wrong.") from None
            raise InvalidInput(f"{label} cannot be read: {exc}.") from None
        except NotImplementedError as exc:
            raise InvalidInput(f"{label} uses a method Python cannot read: {exc}.") from None
        except (zipfile.BadZipFile, zlib.error, OSError, EOFError, ValueError) as exc:
            raise InvalidInput(f"{label} is damaged: {exc}.") from None
        return b"".join(chunks)


def _is_regular(path: Path) -> bool:
    """A regular file, not a link (an export never holds one) nor a device."""
    try:
        return stat.S_ISREG(os.lstat(path).st_mode)
    except OSError:
        return False


def _read_capped(path: Path, limit: int, *, whole: bool = True) -> bytes:
    """Up to limit bytes of path; whole: the file must fit in them."""
    try:
        with open(path, "rb") as handle:
            data = handle.read(limit + 1)
    except OSError as exc:
        raise InvalidInput(f"{path} cannot be read: {exc.strerror or exc}.") from None
    if not whole:
        return data[:limit]
    if len(data) > limit:
        raise InvalidInput(f"{path} is over {limit} bytes, more than an export holds.")
    return data

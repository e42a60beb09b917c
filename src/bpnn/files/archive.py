"""Archives of plain arrays and JSON: what model files and checkpoints are made of.

An archive is a zip of ``NAME.npy`` arrays and a JSON member, written to a
temporary file that is then renamed (a crash never leaves half a file). Reading
trusts nothing: a member's size is checked before it is read, an array's header
against the shape and dtype the JSON promises before its data is used, the zip's
checksums catch flipped bytes, and nothing is ever unpickled. Whatever is wrong
becomes one ``ModelFileError`` that names the file and the problem.
"""

from __future__ import annotations

import json
import os
import tempfile
import zipfile
import zlib
from pathlib import Path

import numpy as np

from ..engine.resources import check_memory, check_regular_file
from ..errors import InputError, ModelFileError

#: no config.json is bigger than this; a larger one is not ours
MAX_CONFIG_BYTES = 1 << 20
#: a member may unpack to at most this many times its stored size (weights
#: barely compress; a zip bomb unpacks a thousandfold) ...
MAX_RATIO = 64
#: ... unless it is this small anyway
_SMALL = 1 << 20
#: room for the .npy header in front of an array's data
_NPY_HEADER_MAX = 1 << 16
#: what a damaged zip can raise while it is opened or read
_ZIP_ERRORS = (
    zipfile.BadZipFile,
    zipfile.LargeZipFile,
    OSError,
    EOFError,
    zlib.error,
    NotImplementedError,
    RuntimeError,
    ValueError,
    UnicodeDecodeError,
)


def atomic_write(path, write):
    """Call ``write(file_object)`` on a temporary file beside ``path``, then
    rename it over ``path``: readers see the old file or the new, never half.
    A symbolic link is written through: its target is replaced, the link kept."""
    path = Path(path)
    if path.is_symlink():
        path = Path(os.path.realpath(path))
    if path.is_dir():
        raise InputError(f"{path} is a folder: give a file name to write to")
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as f:
            write(f)
            f.flush()
            os.fsync(f.fileno())
        # mkstemp makes the file private (0600); give it the mode a plain open
        # would have: the old file's, else what the umask allows
        os.chmod(tmp, _mode_for(path))
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise
    _fsync_dir(path.parent)


def _mode_for(path):
    try:
        return path.stat().st_mode & 0o777
    except OSError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask


def _fsync_dir(folder):
    """Make the rename itself durable (POSIX); harmless where unsupported."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def write_archive(path, config, arrays):
    """Write ``config`` as config.json and ``arrays`` as NAME.npy, atomically."""
    for name, arr in arrays.items():
        if arr.dtype.kind == "f" and not np.isfinite(arr).all():
            raise InputError(f"cannot save {path}: array {name} holds NaN or inf")

    def write(f):
        with zipfile.ZipFile(f, "w", compression=zipfile.ZIP_STORED) as zf:
            zf.writestr("config.json", json.dumps(config, indent=2))
            for name, arr in arrays.items():
                with zf.open(f"{name}.npy", "w") as member:
                    np.lib.format.write_array(
                        member, np.ascontiguousarray(arr), allow_pickle=False
                    )

    atomic_write(path, write)


def open_archive(path) -> zipfile.ZipFile:
    """The zip behind a model (or checkpoint) file, or a ModelFileError."""
    path = Path(path)
    try:
        check_regular_file(path, "model file", ModelFileError)
    except FileNotFoundError:
        raise ModelFileError(f"{path}: no such model file") from None
    try:
        return zipfile.ZipFile(path)
    except FileNotFoundError:
        raise ModelFileError(f"{path}: no such model file") from None
    except _ZIP_ERRORS as err:
        raise ModelFileError(f"{path}: not a readable model file ({err})") from None


def read_json(zf, path, fmt, version_max, member="config.json"):
    """The JSON ``member`` of an archive, checked for format and version."""
    try:
        info = zf.getinfo(member)
        if info.file_size > MAX_CONFIG_BYTES:
            raise ModelFileError(f"{path}: {member} is implausibly large")
        check_member(path, info, member)
        config = json.loads(
            zf.read(member), parse_constant=_no_constant, parse_float=_finite
        )
    except KeyError:
        raise ModelFileError(f"{path}: not a bpnn file (no {member})") from None
    except (json.JSONDecodeError, _NotJson) as err:
        raise ModelFileError(f"{path}: {member} is not valid JSON ({err})") from None
    except RecursionError:
        raise ModelFileError(f"{path}: {member} is nested too deeply") from None
    except _ZIP_ERRORS as err:
        raise ModelFileError(f"{path}: damaged {member} ({err})") from None
    if not isinstance(config, dict) or config.get("format") != fmt:
        raise ModelFileError(f"{path}: not a {fmt} file")
    version = config.get("format_version")
    if isinstance(version, bool) or not isinstance(version, int) or version < 1:
        raise ModelFileError(f"{path}: bad format_version {version!r}")
    if version > version_max:
        raise ModelFileError(
            f"{path}: written by a newer bpnn (format {version}; this bpnn reads up "
            f"to {version_max}): upgrade bpnn to load it"
        )
    return config


class _Counted:
    """A file's ``read``, counting the bytes it gave (the .npy header's size)."""

    def __init__(self, f):
        self.f, self.count = f, 0

    def read(self, n=-1):
        data = self.f.read(n)
        self.count += len(data)
        return data


class _NotJson(ValueError):
    pass


def _no_constant(name):
    """NaN and Infinity are not JSON: no field of ours may hold them."""
    raise _NotJson(f"{name} is not a JSON number")


def _finite(text):
    """A JSON number too large for a float (1e400) is no value of ours either."""
    value = float(text)
    if value in (float("inf"), float("-inf")):
        raise _NotJson(f"{text} is too large for a number")
    return value


def check_member(path, info, what):
    """A member must fit in memory and unpack to no more than ``MAX_RATIO``
    times its stored size: its declared size is checked, not trusted."""
    check_memory(f"{path}: {what}", info.file_size, 1, ModelFileError)
    if info.file_size > max(_SMALL, MAX_RATIO * info.compress_size):
        raise ModelFileError(
            f"{path}: {what} would unpack {info.compress_size} bytes to "
            f"{info.file_size} (over {MAX_RATIO} times): not a bpnn file"
        )


def read_array(zf, path, key, shape, dtype) -> np.ndarray:
    """Array ``key`` of an archive, which must have ``shape`` and ``dtype``.

    The member's size is checked before it is read, and its header before its
    data is used, so a lying file cannot make us allocate or read more.
    """
    dtype = np.dtype(dtype)
    shape = tuple(int(d) for d in shape)
    nbytes = check_memory(f"{path}: array {key}", shape, dtype.itemsize, ModelFileError)
    try:
        info = zf.getinfo(f"{key}.npy")
    except KeyError:
        raise ModelFileError(f"{path}: array {key} is missing") from None
    if not nbytes <= info.file_size <= nbytes + _NPY_HEADER_MAX:
        raise ModelFileError(
            f"{path}: array {key} holds {info.file_size} bytes; the config "
            f"promises shape {shape} of {dtype} ({nbytes} bytes of data)"
        )
    check_member(path, info, f"array {key}")
    try:
        with zf.open(info) as member:
            header = _Counted(member)
            major, _ = np.lib.format.read_magic(header)
            read_header = (
                np.lib.format.read_array_header_1_0
                if major == 1
                else np.lib.format.read_array_header_2_0
            )
            got_shape, fortran, got_dtype = read_header(header)
            if got_shape != shape or got_dtype != dtype:
                raise ModelFileError(
                    f"{path}: array {key} has shape {got_shape} and dtype "
                    f"{got_dtype}; the config says {shape} {dtype}"
                )
            if info.file_size - header.count != nbytes:
                raise ModelFileError(
                    f"{path}: array {key} has {info.file_size - header.count} "
                    f"bytes of data, expected {nbytes}"
                )
            # read straight into the array: one copy of the data in memory
            arr = np.empty(shape, dtype, order="F" if fortran else "C")
            view = memoryview(arr.reshape(-1, order="A")).cast("B")
            got = 0
            while got < nbytes:
                k = member.readinto(view[got:])
                if not k:
                    break
                got += k
    except _ZIP_ERRORS as err:
        raise ModelFileError(f"{path}: damaged array {key} ({err})") from None
    if got != nbytes:
        raise ModelFileError(
            f"{path}: array {key} has {got} bytes of data, expected {nbytes}"
        )
    if arr.dtype.kind == "f" and not np.isfinite(arr).all():
        raise ModelFileError(f"{path}: array {key} holds NaN or inf")
    return np.ascontiguousarray(arr)

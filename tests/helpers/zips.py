"""Model files and checkpoints are zip archives: read their members, write
them back changed, to test what loading makes of a damaged or old file."""

from __future__ import annotations

import json
import zipfile


def members(path) -> dict:
    """{name: bytes} of every member of the archive at ``path``."""
    with zipfile.ZipFile(path) as zf:
        return {name: zf.read(name) for name in zf.namelist()}


def rewrite(path, content, compression=zipfile.ZIP_STORED):
    """The archive at ``path`` made of ``content`` ({name: bytes or text})."""
    with zipfile.ZipFile(path, "w", compression=compression) as zf:
        for name, data in content.items():
            zf.writestr(name, data)
    return path


def edit_config(path, change):
    """config.json of the archive replaced by ``change(text)``, which returns
    new text or a dict written as JSON."""
    content = members(path)
    text = change(content["config.json"].decode())
    content["config.json"] = text if isinstance(text, str) else json.dumps(text)
    return rewrite(path, content)

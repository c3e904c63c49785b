"""Hard-link a folder's files into another folder, one named file last.

Only the standard library, so that ``python -I link_copy.py SOURCE TARGET LAST`` runs it as
a process of its own without importing briefgen (output.py starts it after a first build to
make the output's spare folder in the background).
"""

from __future__ import annotations

import os
import sys
from pathlib import Path


def link_copy(source: Path, target: Path, last: str) -> bool:
    """Hard-link every file under ``source`` into the folder ``target`` at the same relative
    path, the file ``last`` (directly under ``source``) after all others: its presence in
    ``target`` says the copy is whole. Symlinks are linked as symlinks. False, and ``last``
    not linked, if a file could not be."""
    try:
        pending = [(source, target)]
        while pending:
            folder, into = pending.pop()
            into.mkdir(parents=True, exist_ok=True)
            with os.scandir(folder) as entries:
                for entry in entries:
                    if entry.is_dir(follow_symlinks=False):
                        pending.append((Path(entry.path), into / entry.name))
                    elif not (folder == source and entry.name == last):
                        os.link(entry.path, into / entry.name, follow_symlinks=False)
        os.link(source / last, target / last, follow_symlinks=False)
    except OSError:
        return False
    return True


if __name__ == "__main__":
    whole = link_copy(Path(sys.argv[1]), Path(sys.argv[2]), sys.argv[3])
    sys.exit(0 if whole else 1)

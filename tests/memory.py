"""Where tests keep files whose syncs to disk are not under test: memory (tmpfs), if any."""

import os
import shutil
from pathlib import Path


def memory_folder() -> str | None:
    """A folder in memory (tmpfs) with room to spare, if the machine has one; else None."""
    shm = Path("/dev/shm")
    if shm.is_dir() and os.access(shm, os.W_OK) and shutil.disk_usage(shm).free > 2**30:
        return str(shm)
    return None

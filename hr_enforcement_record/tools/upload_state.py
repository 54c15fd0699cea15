"""The state of a resumable upload, kept beside its bytes (R18.2, R22.3).

An upload is a JSON sidecar and a .part file in the evidence store's `tus` directory, so
that any worker, and the hourly job, can take it up. Its `state` is what makes finishing
happen exactly once:

- `receiving`: chunks are appended;
- `finishing`: the last byte is in; the file is hashed and registered by whoever holds the
  part's lock (a request, or the hourly job when the request's worker died);
- `finished`: registered; `result` holds what the last answer said (the record ids), given
  again to any client that asks until the upload expires.

The lock is an advisory `flock` on the .part file: held while a chunk is appended and for
the whole of finishing, released by the kernel when its process dies."""

import contextlib
import fcntl
import json
import os

RECEIVING, FINISHING, FINISHED = "receiving", "finishing", "finished"


def paths(directory, token):
    """(sidecar, part) paths of the upload `token`, or (None, None) for a malformed one."""
    if not token or not all(char in "0123456789abcdef" for char in token):
        return None, None
    base = os.path.join(directory, token)
    return base + ".json", base + ".part"


def read(meta_path):
    """The upload's state, or None when it is gone or unreadable."""
    try:
        with open(meta_path, encoding="utf-8") as handle:
            return json.load(handle)
    except (OSError, ValueError):
        return None


def write(meta_path, meta):
    """Replace the upload's state atomically (a crash leaves the old or the new one)."""
    tmp_path = meta_path + ".tmp"
    try:
        with open(tmp_path, "w", encoding="utf-8") as handle:
            json.dump(meta, handle)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp_path, meta_path)
    finally:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp_path)


@contextlib.contextmanager
def locked(part_path):
    """The part file opened for appending under an exclusive lock, or None when another
    process holds it (or the part is gone)."""
    try:
        handle = open(part_path, "r+b")  # noqa: SIM115 - closed below, after the lock
    except FileNotFoundError:
        yield None
        return
    try:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            yield None
            return
        yield handle
    finally:
        handle.close()


def is_complete(meta, part_path):
    """All the bytes are in (whether or not the upload is registered yet)."""
    try:
        return os.path.getsize(part_path) >= meta["length"]
    except OSError:
        return False

"""A resumable upload hashed while its chunks arrive (R22.3), so that its last chunk does not
wait for the whole file to be read and hashed again.

Chunks land on whichever worker takes the request, and a hash's running state cannot pass
from one process to another. So one thread, in the process that took the first chunk (or any
later one when none runs), follows the upload's part file: it reads and hashes each chunk
once the request that appended it has acknowledged it (the offset in `<token>.acked`, written
after the chunk is synced: never bytes that a failing append may still cut off), from the page
cache, on a core of its own, while the client sends the next chunks. Files beside the part:

- `<token>.acked`: the offset acknowledged to the client, as its size (an empty, sparse
  file: a truncate sets it at once, a stat reads it whole, never half written);
- `<token>.hashing`: the follower's claim, its modification time a heartbeat;
- `<token>.hashed`: the result once every byte is hashed (size, head, digests).

Whoever finishes the upload waits for the result while the follower is alive, and hashes the
file itself when there is none (its process died, the node restarted): a fallback, never a
second answer. Plain Python, no Odoo."""

import contextlib
import functools
import json
import logging
import os
import threading
import time

from . import upload_state
from .evidence_bytes import CHUNK, HEAD_BYTES, IngestSink

_logger = logging.getLogger(__name__)

POLL_SECONDS = 0.01
HEARTBEAT_SECONDS = 1
STALE_SECONDS = 10  # no heartbeat for this long: the follower is gone
IDLE_SECONDS = 3600  # nothing acknowledged for this long: the follower stops

_followers = {}
_followers_lock = threading.Lock()


@functools.cache  # a process lives within one boot
def boot_id():
    """This boot of the machine, or None where it cannot be told: a copy never synced is
    hashed only in the boot that wrote it (a crash may have cut its last bytes)."""
    try:
        with open("/proc/sys/kernel/random/boot_id", encoding="ascii") as boot:
            return boot.read().strip() or None
    except OSError:
        return None


def side_paths(part_path):
    """(acked, hashing, hashed) paths beside `part_path`."""
    base = part_path[: -len(".part")]
    return base + ".acked", base + ".hashing", base + ".hashed"


def _replace(path, text):
    tmp_path = f"{path}.{os.getpid()}.{threading.get_ident()}.tmp"
    with open(tmp_path, "w", encoding="utf-8") as handle:
        handle.write(text)
    os.replace(tmp_path, path)


def acknowledge(part_path, offset, length, limit):
    """The chunk ending at `offset` is synced and acknowledged: the follower may hash it
    (started here when none runs). A failure here costs only speed: the finisher hashes."""
    acked_path, claim_path, _hashed = side_paths(part_path)
    with _followers_lock:
        claimed = False
        try:
            _set_acked(acked_path, offset)
            follower = _followers.get(part_path)
            if (follower and follower.is_alive()) or _is_alive(claim_path):
                return
            _replace(claim_path, json.dumps({"pid": os.getpid()}))
            claimed = True
            _followers[part_path] = Follower(part_path, length, limit)
            _followers[part_path].start()
        except (OSError, RuntimeError):  # RuntimeError: no thread can be started now
            if claimed:
                _followers.pop(part_path, None)
                remove_claim(claim_path)


def _set_acked(acked_path, offset):
    try:
        os.truncate(acked_path, offset)
    except FileNotFoundError:
        descriptor = os.open(acked_path, os.O_WRONLY | os.O_CREAT, 0o600)
        try:
            os.ftruncate(descriptor, offset)
        finally:
            os.close(descriptor)


def remove_claim(claim_path):
    with contextlib.suppress(FileNotFoundError):
        os.unlink(claim_path)


def _is_alive(claim_path):
    try:
        return time.time() - os.path.getmtime(claim_path) < STALE_SECONDS
    except OSError:
        return False


def wait_for_result(part_path):
    """The follower's result ({size, head, sha256, sm3}) once every acknowledged byte is
    hashed, or None when no follower is alive to give one."""
    _acked, claim_path, hashed_path = side_paths(part_path)
    while True:
        result = upload_state.read(hashed_path)
        if result is not None:
            return result
        if not _is_alive(claim_path):
            return upload_state.read(hashed_path)  # it may have finished just now
        time.sleep(POLL_SECONDS)


def remove(part_path):
    """Forget the upload's hashing (its files; a follower stops on its own)."""
    for path in side_paths(part_path):
        with contextlib.suppress(FileNotFoundError):
            os.unlink(path)


def discard(part_path):
    """Remove the part file itself and its hashing."""
    with contextlib.suppress(FileNotFoundError):
        os.unlink(part_path)
    remove(part_path)


class Follower(threading.Thread):
    """Reads and hashes a part file up to its acknowledged offset, until `length`."""

    def __init__(self, part_path, length, limit):
        super().__init__(daemon=True, name=f"hr_enforcement hashing {os.path.basename(part_path)}")
        self.part_path, self.length = part_path, length
        self.sink = IngestSink(None, limit)
        self.offset = 0  # hashed so far

    def run(self):
        acked_path, claim_path, hashed_path = side_paths(self.part_path)
        try:
            with open(self.part_path, "rb") as handle:
                if self._follow(handle, acked_path, claim_path):
                    digests = self.sink.finish()
                    result = {
                        "size": self.sink.size,
                        "head": self.sink.head[:HEAD_BYTES].hex(),
                        "sha256": digests["sha256"],
                        "sm3": digests.get("sm3", False),
                    }
                    _replace(hashed_path, json.dumps(result))
                    if not os.path.exists(self.part_path):  # discarded meanwhile
                        remove(self.part_path)
        except (OSError, ValueError, OverflowError) as error:  # the finisher hashes the file
            _logger.debug("Hashing of %s stopped: %s", self.part_path, error)
        finally:
            self.sink.abort()
            remove_claim(claim_path)
            with _followers_lock:
                if _followers.get(self.part_path) is self:
                    del _followers[self.part_path]

    def _follow(self, handle, acked_path, claim_path):
        """True once `length` bytes are hashed; False when the upload went away or idled."""
        beat = idle_since = time.monotonic()
        while self.offset < self.length:
            now = time.monotonic()
            if now - beat >= HEARTBEAT_SECONDS:
                os.utime(claim_path)  # gone (upload removed): OSError, stop
                beat = now
            try:
                acked = min(os.stat(acked_path).st_size, self.length)
            except FileNotFoundError:
                return False
            if acked > self.offset:
                block = handle.read(min(CHUNK, acked - self.offset))
                if not block:
                    raise OSError(f"{self.part_path} is shorter than acknowledged")
                self.sink.write(block)
                if self.sink.failure is not None:
                    raise self.sink.failure
                self.offset += len(block)
                idle_since = now
            elif now - idle_since > IDLE_SECONDS:
                return False
            else:
                time.sleep(POLL_SECONDS)
        return True

"""An incoming evidence file's bytes, plain Python (no Odoo): clean names, the formats taken
as evidence and their leading bytes, hashing on two cores, and the sink that stores and hashes
the bytes as they arrive (R22.3, R22.4)."""

import contextlib
import hashlib
import os
import queue
import threading
import unicodedata
import weakref

CHUNK = 1024 * 1024
MAX_NAME_CHARS = 200
HEAD_BYTES = 16  # what the signature check reads
WRITEBACK_BYTES = 8 * 1024 * 1024


def clean_filename(name):
    """A file name safe to store and to send back in a header: no control or format
    characters (NUL, CR, LF, …), no path, at most 200 characters."""
    name = unicodedata.normalize("NFC", str(name or ""))
    kinds = [(c, unicodedata.category(c)[0]) for c in name]
    name = "".join(" " if kind == "Z" else c for c, kind in kinds if kind != "C")
    name = name.replace("/", "_").replace("\\", "_").strip(" .")
    if len(name) > MAX_NAME_CHARS:
        stem, dot, ext = name.rpartition(".")
        ext = ext[:16] if dot else ""
        name = (stem if dot else name)[: MAX_NAME_CHARS - len(ext) - 1] + (f".{ext}" if ext else "")
    return name or "file"


# Leading bytes of the formats accepted as evidence, by extension (content must match name).
SIGNATURES = {
    ".jpg": [b"\xff\xd8\xff"],
    ".jpeg": [b"\xff\xd8\xff"],
    ".png": [b"\x89PNG\r\n\x1a\n"],
    ".tif": [b"II*\x00", b"MM\x00*"],
    ".tiff": [b"II*\x00", b"MM\x00*"],
    ".pdf": [b"%PDF-"],
    ".ofd": [b"PK\x03\x04"],
    ".mp3": [b"ID3", b"\xff\xfb", b"\xff\xf3", b"\xff\xf2"],
    ".wav": [b"RIFF"],
    ".mp4": [b"ftyp"],
    ".mov": [b"ftyp", b"moov", b"wide", b"mdat"],
}
MIMETYPES = {
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".png": "image/png",
    ".tif": "image/tiff",
    ".tiff": "image/tiff",
    ".pdf": "application/pdf",
    ".ofd": "application/ofd",
    ".mp3": "audio/mpeg",
    ".wav": "audio/wav",
    ".mp4": "video/mp4",
    ".mov": "video/quicktime",
}


class MultiHasher:
    """SHA-256 in the calling thread, every other digest in a thread of its own: hashlib
    releases the GIL on large buffers, so SM3 costs no extra wall time on a second core.
    Queues are short, so memory stays a few chunks whatever the file size."""

    def __init__(self, names):
        self.main = hashlib.sha256()
        self.others = {name: hashlib.new(name) for name in names}
        self.queues = {name: queue.Queue(maxsize=4) for name in self.others}
        self.threads = [
            threading.Thread(target=self._consume, args=(name,), daemon=True)
            for name in self.others
        ]
        for thread in self.threads:
            thread.start()

    def _consume(self, name):
        hasher, chunks = self.others[name], self.queues[name]
        while (chunk := chunks.get()) is not None:
            hasher.update(chunk)

    def update(self, chunk):
        for chunks in self.queues.values():
            chunks.put(chunk)
        self.main.update(chunk)

    def close(self):
        for chunks in self.queues.values():
            chunks.put(None)
        for thread in self.threads:
            thread.join()
        self.queues = {}

    def hexdigests(self):
        self.close()
        return dict(
            {"sha256": self.main.hexdigest()},
            **{name: hasher.hexdigest() for name, hasher in self.others.items()},
        )


def new_hasher():
    """SHA-256, and SM3 (GB/T 32905) where OpenSSL offers it."""
    return MultiHasher(["sm3"] if "sm3" in hashlib.algorithms_available else [])


class LocalPart:
    """A temporary file of the local filestore that a sink fills. Every WRITEBACK_BYTES the
    kernel is told to start writing what came (and may drop it from its cache: nobody reads
    a new file back now), so the disk works while the next bytes arrive and the final fsync
    waits only for the last ones. `close()` returns its path, synced; `abort()` removes it."""

    def __init__(self, path, writeback=WRITEBACK_BYTES):
        self.path, self.writeback = path, writeback
        self.fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        self.size = self.flushed = 0

    @classmethod
    def appending(cls, path, writeback=WRITEBACK_BYTES):
        """An existing file (a resumable upload's part), written from its end on; `abort()`
        then closes it and leaves it, bytes included, to its owner."""
        part = cls.__new__(cls)
        part.path, part.writeback = None, writeback
        part.fd = os.open(path, os.O_WRONLY | os.O_APPEND)
        part.size = part.flushed = os.fstat(part.fd).st_size
        return part

    def append(self, data):
        view = memoryview(data)
        while view:  # a write may take less than asked
            written = os.write(self.fd, view)
            view = view[written:]
            self.size += written
        if self.size - self.flushed >= self.writeback:
            with contextlib.suppress(OSError):  # a hint: the final fsync is what counts
                os.posix_fadvise(
                    self.fd, self.flushed, self.size - self.flushed, os.POSIX_FADV_DONTNEED
                )
            self.flushed = self.size

    def close(self):
        os.fsync(self.fd)
        os.close(self.fd)
        self.fd = None
        return self.path

    def abort(self):
        if self.fd is not None:
            os.close(self.fd)
            self.fd = None
        if self.path and os.path.exists(self.path):
            os.unlink(self.path)


class IngestSink:
    """Where an incoming file's bytes go as they arrive, written by whoever reads them (our
    stream loop, or werkzeug's form parser writing the file part of a request): stored by
    `target` (a LocalPart, an object-store writer, or None to only hash) and hashed at once,
    in blocks of CHUNK, so that nothing is spooled or read twice.

    A write never raises: past `limit`, after a refused head (`check_head`, called once with
    the first HEAD_BYTES) or a storage error, the sink keeps nothing more, frees what it
    stored and remembers why; `failure` tells it. A form parser thus reads the body to its
    end and the route answers in the user's language."""

    def __init__(self, target, limit, check_head=None, key=None):
        self.target, self.limit, self.check_head = target, limit, check_head
        self.key = key  # the object's key when the target is an object-store writer
        self.hasher = new_hasher()
        self.size, self.head, self.failure = 0, b"", None
        self.pending, self.pending_size = [], 0
        # a sink dropped unfinished (a request cut short before its route ran) stops its
        # hashing thread and removes what it stored when it is collected
        self.abort = weakref.finalize(self, _release, self.hasher, [target] if target else [])

    # a stream's write, not a model's: nothing to call super() on
    def write(self, data):  # pylint: disable=method-required-super
        if self.failure is None:
            try:
                self._take(data)
            except Exception as error:  # noqa: BLE001 - told by finish(), see the class
                self.fail(error)
        return len(data)

    def _take(self, data):
        self.size += len(data)
        if self.size > self.limit:
            raise OverflowError(self.limit)
        if len(self.head) < HEAD_BYTES:
            self.head += data[: HEAD_BYTES - len(self.head)]
            if len(self.head) == HEAD_BYTES and self.check_head:
                self.check_head(self.head)
        self.pending.append(data)
        self.pending_size += len(data)
        if self.pending_size >= CHUNK:
            self._flush()

    def _flush(self):
        if not self.pending:
            return
        block = self.pending[0] if len(self.pending) == 1 else b"".join(self.pending)
        self.pending, self.pending_size = [], 0
        self.hasher.update(block)
        if self.target is not None:
            self.target.append(block)

    def fill(self, chunks):
        """Write `chunks` until they end or the sink fails; a reader's error (the client
        broke off) leaves nothing stored and is raised."""
        try:
            for chunk in chunks:
                self.write(chunk)
                if self.failure is not None:
                    break
        except BaseException:
            self.abort()
            raise

    def seek(self, offset, whence=os.SEEK_SET):
        """werkzeug rewinds a file part it has written: nothing to rewind, nothing kept."""
        return 0

    def fail(self, error):
        """Keep nothing more, and free what was stored."""
        self.failure = self.failure or error
        self.pending = []
        self.abort()

    def finish(self):
        """The digests, once every byte is stored (what `target.close()` returned, under
        "kept"); raises the failure instead, leaving nothing stored."""
        if self.failure is None and len(self.head) < HEAD_BYTES and self.check_head:
            try:
                self.check_head(self.head)
            except Exception as error:  # noqa: BLE001 - raised below
                self.fail(error)
        if self.failure is not None:
            raise self.failure
        try:
            self._flush()
            kept = self.target.close() if self.target is not None else None
        except BaseException:
            self.abort()
            raise
        self.abort.detach()  # stored: nothing to remove
        self.target = None
        return dict(self.hasher.hexdigests(), kept=kept)

    # werkzeug's FileStorage closes its stream when the request ends
    def close(self):
        self.abort()


def _release(hasher, targets):
    """Stop a sink's hashing and remove what it stored (its `abort()`)."""
    hasher.close()
    for target in targets:
        target.abort()

"""Evidence on an S3 object store with Object Lock (R22.3, R22.4): write-once versions that
not even the store's own credentials may delete or shorten before their retention ends.

Plain boto3, no Odoo: the filestore model, the benchmark and the outsider use the same code.
An object is named in the database as ``s3:<key>@<version id>`` and always read at that
version, so an overwrite (a newer version) or a delete (a delete marker) never changes what
is served: the check names them as an alteration attempt instead.
"""

import errno
import io
import logging
import threading
import uuid
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timezone

import boto3
from botocore.config import Config
from botocore.exceptions import BotoCoreError, ClientError

SCHEME = "s3:"
MIN_PART_BYTES = 5 * 1024 * 1024  # S3's smallest part, except the last
# what we send when we choose: against Ceph RGW on loopback a 1 GiB upload grew the process
# by 42 MiB with 2 × 6 MiB parts in flight, by 64 MiB with 3 × 8 MiB, and was no slower
PART_BYTES = 6 * 1024 * 1024
PARTS_IN_FLIGHT = 2  # parts sent at once: memory stays about PART_BYTES × (this + 2)
READ_BUFFER = 1024 * 1024
# "permanent" retention: the furthest date a store is asked to keep (Ceph keeps the date in
# 32-bit seconds: 2106-02-07 at most; a later one wraps round to an earlier date)
PERMANENT_UNTIL = datetime(2105, 12, 31, tzinfo=timezone.utc)
NOT_FOUND = {"404", "NoSuchKey", "NoSuchVersion", "NoSuchBucket"}

_logger = logging.getLogger(__name__)

_clients = {}
_clients_lock = threading.Lock()


class ObjectStoreError(OSError):
    """The store refused or failed; `problem` says which way (for a message in the user's
    language): unreachable, no_bucket, no_versioning, no_object_lock, refused."""

    def __init__(self, problem, detail=""):
        super().__init__(errno.EIO, f"object store {problem}: {detail}")
        self.problem = problem
        self.detail = detail


def _code(error):
    if isinstance(error, ClientError):
        return str(error.response.get("Error", {}).get("Code", ""))
    return ""


def is_stored_there(store_fname):
    return bool(store_fname) and store_fname.startswith(SCHEME)


def location(key, version):
    return f"{SCHEME}{key}@{version}"


def parse(store_fname):
    """(key, version id) of an object's name in the database."""
    key, _at, version = store_fname[len(SCHEME) :].rpartition("@")
    return key, version


def client(endpoint, access_key, secret_key, region="us-east-1"):
    """One boto3 client per configuration and process (clients are thread-safe and slow to
    make); path-style addressing, which Ceph RGW and MinIO answer without DNS names."""
    key = (endpoint, access_key, secret_key, region)
    with _clients_lock:
        if key not in _clients:
            _clients[key] = boto3.session.Session().client(
                "s3",
                endpoint_url=endpoint,
                aws_access_key_id=access_key,
                aws_secret_access_key=secret_key,
                region_name=region,
                config=Config(
                    s3={"addressing_style": "path"},
                    signature_version="s3v4",
                    retries={"max_attempts": 3, "mode": "standard"},
                    connect_timeout=5,
                    read_timeout=120,
                    max_pool_connections=PARTS_IN_FLIGHT * 4,
                    # the trailing checksums of newer SDKs are not spoken by every gateway;
                    # our own SHA-256 and SM3 are the proof that matters
                    request_checksum_calculation="when_required",
                    response_checksum_validation="when_required",
                ),
            )
        return _clients[key]


class ObjectStore:
    def __init__(self, s3, bucket):
        self.s3 = s3
        self.bucket = bucket

    def _call(self, method, **kwargs):
        try:
            return getattr(self.s3, method)(Bucket=self.bucket, **kwargs)
        except ClientError as error:
            if _code(error) in NOT_FOUND:
                raise FileNotFoundError(f"{self.bucket}: {kwargs.get('Key', '')}") from error
            raise ObjectStoreError("refused", f"{method}: {error}") from error
        except BotoCoreError as error:
            raise ObjectStoreError("unreachable", f"{method}: {error}") from error

    # ------------------------------------------------------------------ configuration
    def check_bucket(self):
        """Refuse a bucket that could lose or rewrite a version: versioning and Object Lock
        must be on (they are set when the bucket is created and never turned off)."""
        try:
            versioning = self.s3.get_bucket_versioning(Bucket=self.bucket)
        except ClientError as error:
            if _code(error) in NOT_FOUND:
                raise ObjectStoreError("no_bucket", self.bucket) from error
            raise ObjectStoreError("refused", str(error)) from error
        except BotoCoreError as error:
            raise ObjectStoreError("unreachable", str(error)) from error
        if versioning.get("Status") != "Enabled":
            raise ObjectStoreError("no_versioning", self.bucket)
        try:
            lock = self.s3.get_object_lock_configuration(Bucket=self.bucket)
        except ClientError as error:
            raise ObjectStoreError("no_object_lock", self.bucket) from error
        if lock.get("ObjectLockConfiguration", {}).get("ObjectLockEnabled") != "Enabled":
            raise ObjectStoreError("no_object_lock", self.bucket)

    # ------------------------------------------------------------------ writing
    @staticmethod
    def new_key(prefix="evidence"):
        today = datetime.now(timezone.utc)
        return f"{prefix}/{today:%Y/%m}/{uuid.uuid4().hex}"

    def writer(self, key):
        return ObjectWriter(self, key)

    # ------------------------------------------------------------------ reading
    def size(self, key, version):
        """The byte count of that version, or None when it does not exist."""
        try:
            return self._call("head_object", Key=key, VersionId=version)["ContentLength"]
        except FileNotFoundError:
            return None

    def iter_bytes(self, key, version, chunk=READ_BUFFER):
        """The version's bytes, streamed (never the whole object in memory)."""
        body = self._call("get_object", Key=key, VersionId=version)["Body"]
        try:
            yield from body.iter_chunks(chunk)
        except BotoCoreError as error:
            raise ObjectStoreError("unreachable", str(error)) from error
        finally:
            body.close()

    def open(self, key, version):
        """A seekable binary file over that version, read by ranges as it is read."""
        size = self.size(key, version)
        if size is None:
            raise FileNotFoundError(f"{self.bucket}: {key}@{version}")
        return io.BufferedReader(RangeReader(self, key, version, size), READ_BUFFER)

    def intruders(self, key, version):
        """Every other version and delete marker on our key (each key is written once, so
        any is an overwrite or a delete attempt), oldest first."""
        found, marker = [], {}
        while True:
            page = self._call("list_object_versions", Prefix=key, **marker)
            for kind, entries in (("version", "Versions"), ("delete marker", "DeleteMarkers")):
                for entry in page.get(entries, []):
                    if entry["Key"] == key and entry["VersionId"] != version:
                        found.append((entry["LastModified"], kind, entry["VersionId"]))
            if not page.get("IsTruncated"):
                break
            marker = {
                "KeyMarker": page["NextKeyMarker"],
                "VersionIdMarker": page["NextVersionIdMarker"],
            }
        return sorted(found)

    # ------------------------------------------------------------------ locks
    def retention(self, key, version):
        try:
            answer = self._call("get_object_retention", Key=key, VersionId=version)
        except ObjectStoreError:
            return None  # no retention set yet
        return answer.get("Retention", {}).get("RetainUntilDate")

    def extend_retention(self, key, version, until):
        """COMPLIANCE retention until `until` unless the version is kept longer already;
        returns the date now in force. The store itself refuses any shortening."""
        current = self.retention(key, version)
        if current and current >= until:
            return current
        self._call(
            "put_object_retention",
            Key=key,
            VersionId=version,
            Retention={"Mode": "COMPLIANCE", "RetainUntilDate": until},
        )
        return until

    def set_legal_hold(self, key, version, on):
        self._call(
            "put_object_legal_hold",
            Key=key,
            VersionId=version,
            LegalHold={"Status": "ON" if on else "OFF"},
        )

    def legal_hold(self, key, version):
        try:
            answer = self._call("get_object_legal_hold", Key=key, VersionId=version)
        except ObjectStoreError:
            return False
        return answer.get("LegalHold", {}).get("Status") == "ON"

    def delete_version(self, key, version):
        """Remove a version whose retention has ended (disposal); the store refuses
        earlier."""
        self._call("delete_object", Key=key, VersionId=version)


class ObjectWriter:
    """Bytes appended in order become one object: parts of PART_BYTES are sent while the
    next ones arrive (a few at once), a small file is one PUT. `close()` returns the new
    version id; `abort()` leaves nothing behind."""

    def __init__(self, store, key):
        self.store, self.key = store, key
        self.buffer = bytearray()
        self.upload_id = None
        self.parts, self.futures = [], []
        self.pool = None

    def append(self, data):
        self.buffer += data
        while len(self.buffer) >= PART_BYTES:
            with memoryview(self.buffer) as view:
                part = bytes(view[:PART_BYTES])  # one copy, handed to the sender thread
            del self.buffer[:PART_BYTES]
            self._send(part)

    def _send(self, part):
        if self.upload_id is None:
            self.upload_id = self.store._call("create_multipart_upload", Key=self.key)["UploadId"]
            self.pool = ThreadPoolExecutor(PARTS_IN_FLIGHT)
        # bounded: wait for the oldest part before queueing more
        while len([f for f in self.futures if not f.done()]) >= PARTS_IN_FLIGHT:
            next(f for f in self.futures if not f.done()).result()
        number = len(self.futures) + 1
        self.futures.append(self.pool.submit(self._upload_part, number, part))

    def _upload_part(self, number, part):
        answer = self.store._call(
            "upload_part", Key=self.key, UploadId=self.upload_id, PartNumber=number, Body=part
        )
        return {"PartNumber": number, "ETag": answer["ETag"]}

    def close(self):
        if self.upload_id is None:
            answer = self.store._call("put_object", Key=self.key, Body=bytes(self.buffer))
            return answer["VersionId"]
        if self.buffer or not self.futures:
            self._send(bytes(self.buffer))
            self.buffer = bytearray()
        try:
            parts = [future.result() for future in self.futures]
        finally:
            self.pool.shutdown()
        answer = self.store._call(
            "complete_multipart_upload",
            Key=self.key,
            UploadId=self.upload_id,
            MultipartUpload={"Parts": parts},
        )
        return answer["VersionId"]

    def abort(self):
        self.buffer = bytearray()
        if self.upload_id is None:
            return
        for future in self.futures:
            future.cancel()
        self.pool.shutdown()
        try:
            self.store._call("abort_multipart_upload", Key=self.key, UploadId=self.upload_id)
        except (ObjectStoreError, FileNotFoundError) as error:
            # the store's own lifecycle rules remove incomplete uploads
            _logger.warning(
                "Multipart upload %s of %s not aborted: %s", self.upload_id, self.key, error
            )


class RangeReader(io.RawIOBase):
    """A version read by byte ranges, for readers that seek (image headers, MP4 boxes)."""

    def __init__(self, store, key, version, size):
        super().__init__()
        self.store, self.key, self.version, self.length = store, key, version, size
        self.position = 0

    def readable(self):
        return True

    def seekable(self):
        return True

    def tell(self):
        return self.position

    def seek(self, offset, whence=io.SEEK_SET):
        base = {io.SEEK_SET: 0, io.SEEK_CUR: self.position, io.SEEK_END: self.length}[whence]
        self.position = max(0, base + offset)
        return self.position

    def readinto(self, buffer):
        if self.position >= self.length or not len(buffer):
            return 0
        end = min(self.position + len(buffer), self.length) - 1
        body = self.store._call(
            "get_object",
            Key=self.key,
            VersionId=self.version,
            Range=f"bytes={self.position}-{end}",
        )["Body"]
        data = body.read()
        body.close()
        buffer[: len(data)] = data
        self.position += len(data)
        return len(data)

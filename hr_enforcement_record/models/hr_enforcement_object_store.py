import hashlib
import logging
from datetime import datetime, time, timedelta, timezone

from odoo import _, api, models
from odoo.exceptions import UserError
from odoo.tools import SQL

from ..tools import object_store
from ..tools.object_store import ObjectStoreError

_logger = logging.getLogger(__name__)

PARAM = "hr_enforcement.object_store_"
SETTINGS = ("endpoint", "bucket", "access_key", "secret_key")
DEFAULT_LOCK_DAYS = 3653  # ten years, the shortest period of the retention schedule


class HrEnforcementObjectStore(models.AbstractModel):
    """Evidence on an S3 object store with Object Lock: each file is one write-once version
    under COMPLIANCE retention, only ever extended, and a legal hold while a disposal hold
    is set (R18.3, R22.3, R22.4; 档案法 第二十一条: no file destroyed without authority).

    Chosen by system parameters ``hr_enforcement.object_store_endpoint``, ``…_bucket``,
    ``…_access_key``, ``…_secret_key`` (and ``…_region``, default us-east-1); without them
    evidence stays in the local filestore. A bucket without versioning and Object Lock is
    refused when the parameters are saved.
    """

    _name = "hr.enforcement.object.store"
    _description = "Evidence Object Store"

    @api.model
    def _settings(self):
        params = self.env["ir.config_parameter"].sudo()
        values = {name: (params.get_param(PARAM + name) or "").strip() for name in SETTINGS}
        values["region"] = (params.get_param(PARAM + "region") or "us-east-1").strip()
        return values

    @api.model
    def _get(self):
        """The configured store, or None when evidence stays in the local filestore."""
        settings = self._settings()
        if not all(settings[name] for name in SETTINGS):
            return None
        s3 = object_store.client(
            settings["endpoint"],
            settings["access_key"],
            settings["secret_key"],
            settings["region"],
        )
        return object_store.ObjectStore(s3, settings["bucket"])

    @api.model
    def _require(self):
        store = self._get()
        if store is None:
            raise UserError(
                _("This file is on the object store, which is not configured on this server.")
            )
        return store

    @api.model
    def _problem_message(self, error):
        bucket = self._settings()["bucket"]
        messages = {
            "unreachable": _("The object store cannot be reached: %(detail)s"),
            "no_bucket": _("The bucket %(bucket)s does not exist on the object store."),
            "no_versioning": _(
                "The bucket %(bucket)s does not keep versions: evidence needs a bucket created "
                "with versioning and Object Lock (R22.4)."
            ),
            "no_object_lock": _(
                "The bucket %(bucket)s has no Object Lock: evidence needs a bucket created "
                "with Object Lock, so that no one can delete or rewrite a file (R22.4)."
            ),
            "refused": _("The object store refused: %(detail)s"),
        }
        message = messages.get(error.problem, messages["refused"])
        return message % {"bucket": bucket, "detail": error.detail}

    @api.model
    def _check_configuration(self):
        """Refuse a configuration whose bucket could lose or rewrite evidence."""
        store = self._get()
        if store is None:
            return
        try:
            store.check_bucket()
        except ObjectStoreError as error:
            raise UserError(self._problem_message(error)) from error

    # ------------------------------------------------------------------ locks
    @api.model
    def _initial_until(self):
        days = int(
            self.env["ir.config_parameter"]
            .sudo()
            .get_param("hr_enforcement.object_lock_days", DEFAULT_LOCK_DAYS)
        )
        return datetime.now(timezone.utc) + timedelta(days=days)

    @api.model
    def _lock_new(self, store_fname):
        """A new version is kept at least the shortest retention period from today; the
        case file's own period replaces it at archiving (only ever longer)."""
        key, version = object_store.parse(store_fname)
        return self._require().extend_retention(key, version, self._initial_until())

    @api.model
    def _retain(self, store_fnames, until_date, hold):
        """Keep these versions until `until_date` (a date; None: permanently) and set or
        release their legal hold. Retention and a new hold apply at once (were the
        transaction lost, they only keep more); a hold is released after commit, so that a
        rolled-back release never leaves a file unheld. Returns {store_fname: error} for
        the versions the store refused, each failing alone."""
        store = self._require()
        until = (
            datetime.combine(until_date, time.min, tzinfo=timezone.utc)
            if until_date
            else object_store.PERMANENT_UNTIL
        )
        failures, release = {}, []
        for store_fname in store_fnames:
            key, version = object_store.parse(store_fname)
            try:
                store.extend_retention(key, version, until)
                held = store.legal_hold(key, version)
                if hold and not held:
                    store.set_legal_hold(key, version, True)
                elif held and not hold:
                    release.append((key, version))
            except (ObjectStoreError, FileNotFoundError) as error:
                _logger.warning("Object Lock of %s not applied: %s", store_fname, error)
                failures[store_fname] = str(error)
        if release:

            @self.env.cr.postcommit.add
            def release_holds():
                for key, version in release:
                    try:
                        store.set_legal_hold(key, version, False)
                    except (ObjectStoreError, FileNotFoundError):
                        _logger.exception("Legal hold of %s@%s not released", key, version)

        return failures

    @api.model
    def _delete(self, store_fname):
        key, version = object_store.parse(store_fname)
        self._require().delete_version(key, version)

    # ------------------------------------------------------------------ reading
    @api.model
    def _fixity_of(self, store_fname, sha256, file_size=None):
        """As the filestore's: "missing" when our version is gone, "altered" when another
        version or a delete marker was put on its key (an alteration attempt: the version
        we registered is still what is served) or its bytes differ."""
        key, version = object_store.parse(store_fname)
        try:
            store = self._require()
            size = store.size(key, version)
            if size is None:
                return "missing"
            intruders = store.intruders(key, version)
            if intruders:
                _logger.warning(
                    "Evidence object %s: alteration attempt on its key: %s",
                    store_fname,
                    ", ".join(f"{kind} {vid} at {when}" for when, kind, vid in intruders),
                )
                return "altered"
            if file_size is not None:
                return "ok" if size == int(file_size) else "altered"
            digest = hashlib.sha256()
            for chunk in store.iter_bytes(key, version):
                digest.update(chunk)
        except (ObjectStoreError, UserError, FileNotFoundError) as error:
            _logger.warning("Evidence object %s cannot be read: %s", store_fname, error)
            return "missing" if isinstance(error, FileNotFoundError) else "unreadable"
        return "ok" if digest.hexdigest() == sha256 else "altered"

    @api.model
    def _open(self, store_fname):
        key, version = object_store.parse(store_fname)
        return self._require().open(key, version)

    @api.model
    def _iter_bytes(self, store_fname):
        key, version = object_store.parse(store_fname)
        return self._require().iter_bytes(key, version)

    # ------------------------------------------------------------------ moving in
    @api.model
    def _cron_move_to_object_store(self, batch_size=20):
        """Move evidence from the local filestore to the configured object store, a batch
        per run (R22.4). Each stored file is re-hashed on disk first (a damaged one stays
        where it is and is named), copied, read back from the store and compared, and only
        then are its records pointed at the new version, in one statement, with an event on
        each case. The local copy stays until the administrator removes it after a backup.
        Returns (moved, failed, remaining)."""
        store = self._get()
        if store is None:
            return 0, 0, 0
        names = self._local_names(batch_size)
        moved = failed = 0
        for store_fname, sha256 in names:
            try:
                with self.env.cr.savepoint():
                    self._move_one(store_fname, sha256)
                moved += 1
            except (UserError, OSError) as error:
                failed += 1
                _logger.warning("Evidence %s not moved to the object store: %s", store_fname, error)
                # a damaged file is recorded and alerted as the fixity check does it
                self.env["hr.enforcement.evidence.file"].sudo().search(
                    [("store_fname", "=", store_fname)]
                )._verify()
        remaining = self._local_names(count=True)
        self.env["ir.cron"]._notify_progress(done=moved, remaining=remaining)
        return moved, failed, remaining

    @api.model
    def _local_names(self, limit=None, count=False):
        """(store_fname, sha256) of the files still in the local filestore, or how many.
        A file the fixity check found damaged (or disposed of) waits until it is restored
        and found intact again: it is not retried, nor alerted, every hour."""
        stored = SQL(
            """FROM (
                   SELECT store_fname, sha256 FROM hr_enforcement_evidence_file
                   UNION SELECT store_fname, sha256 FROM hr_enforcement_av_clip
               ) stored
               WHERE store_fname IS NOT NULL AND store_fname NOT LIKE %s
                 AND NOT EXISTS (
                     SELECT 1 FROM hr_enforcement_evidence_file damaged
                      WHERE damaged.store_fname = stored.store_fname
                        AND damaged.fixity_state != 'ok')""",
            object_store.SCHEME + "%",
        )
        if count:
            self.env.cr.execute(SQL("SELECT count(*) %s", stored))
            return self.env.cr.fetchone()[0]
        self.env.cr.execute(
            SQL("SELECT store_fname, sha256 %s ORDER BY store_fname LIMIT %s", stored, limit)
        )
        return self.env.cr.fetchall()

    @api.model
    def _move_one(self, store_fname, sha256):
        filestore = self.env["hr.enforcement.filestore"]
        if filestore._fixity_of(store_fname, sha256) != "ok":
            raise UserError(
                _("%(name)s is not intact in the filestore and is not moved.", name=store_fname)
            )
        store = self._require()
        key = store.new_key()
        writer = store.writer(key)
        try:
            with open(filestore._full_path(store_fname), "rb") as handle:
                while chunk := handle.read(object_store.PART_BYTES):
                    writer.append(chunk)
            version = writer.close()
        except BaseException:
            writer.abort()
            raise
        target = object_store.location(key, version)
        self._lock_new(target)
        if self._fixity_of(target, sha256) != "ok":
            raise UserError(_("%(name)s was not stored intact; it stays local.", name=store_fname))
        for table in ("hr_enforcement_evidence_file", "hr_enforcement_av_clip"):
            # SQL on purpose: archived and sealed records refuse every ORM write, and the
            # content does not change, only where it is kept (each case logs the move)
            self.env.cr.execute(
                SQL(
                    "UPDATE %s SET store_fname = %s WHERE store_fname = %s RETURNING id",
                    SQL.identifier(table),
                    target,
                    store_fname,
                )
            )
            ids = [row[0] for row in self.env.cr.fetchall()]
            if table == "hr_enforcement_evidence_file" and ids:
                files = self.env["hr.enforcement.evidence.file"].sudo().browse(ids)
                files.invalidate_recordset(["store_fname"])
                for evidence in files:
                    self.env["hr.enforcement.event"]._log(
                        evidence.case_id,
                        "verified",
                        evidence,
                        _(
                            "%(name)s moved to the object store, SHA-256 %(sha)s re-checked",
                            name=evidence.name,
                            sha=sha256,
                        ),
                    )
        self.env["hr.enforcement.av.clip"].sudo().invalidate_model(["store_fname"])
        return target

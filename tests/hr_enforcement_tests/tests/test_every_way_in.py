"""Adversarial tests generated from the registry (R3.1, R18.3, R20.1, R21.1, R22.3).

Every model of the three addons is attacked the way an outside client would — a call per
role, as over RPC — so that a model added later is covered without anyone remembering to:
the test fails while a model has no fixture, and attacks every field it declares.
"""

import base64
import io
from datetime import date, datetime, timedelta

from freezegun import freeze_time
from psycopg2 import Error as DatabaseError

from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged
from odoo.tools import mute_logger

from odoo.addons.hr_enforcement_archive.tests.common import ArchiveCase
from odoo.addons.hr_enforcement_record.tests.test_evidence import PDF, make_mp4

ADDONS = ("hr_enforcement_record", "hr_enforcement_service", "hr_enforcement_archive")
FORGED_TEXT = "forged by a client"
REFUSED = (AccessError, UserError, DatabaseError)
# supervision about a case (violations and their rectification) goes on after it is archived
SUPERVISION_MODELS = ("hr.enforcement.violation",)
MAGIC_FIELDS = ("id", "display_name", "create_uid", "create_date", "write_uid", "write_date")


def enforcement_models(env):
    """Every concrete, stored model that one of the three addons defines."""
    names = set(
        env["ir.model.data"]
        .sudo()
        .search([("module", "in", ADDONS), ("model", "=", "ir.model")])
        .mapped(lambda d: env["ir.model"].browse(d.res_id).model)
    )
    return [
        env[name]
        for name in sorted(names)
        if name in env
        and not env[name]._abstract
        and not env[name]._transient
        and env[name]._auto
        and env[name]._original_module in ADDONS
    ]


def case_path(Model):
    """The field path from `Model` to its case ("" for the case), or None."""
    if Model._name == "hr.enforcement.case":
        return ""
    path = getattr(Model, "_guard_case_field", "case_id")
    Target = Model
    for part in (path or "").split("."):
        field = Target._fields.get(part)
        if not field or field.type != "many2one":
            return None
        Target = Model.env[field.comodel_name]
    return path if Target._name == "hr.enforcement.case" else None


def owned_fields(Model, creating=False):
    """Fields the application owns: declared readonly in the model by one of our addons,
    stored or related (so that a write would persist or pass on to another record). On
    create, the readonly fields that a user names once (`_guard_create_fields`) are left
    out: they are refused on write only."""
    return [
        field
        for name, field in Model._fields.items()
        if (field._module or "") in ADDONS
        and field.readonly
        and (field.store or field.related)
        and field.type not in ("one2many", "binary", "properties", "many2one_reference")
        and name not in MAGIC_FIELDS
        and not (creating and name in getattr(Model, "_guard_create_fields", ()))
    ] + [
        field
        for field in Model._fields.values()
        if field.type == "many2one_reference"
        and field.readonly
        and field.store
        and not (creating and field.name in getattr(Model, "_guard_create_fields", ()))
    ]


@tagged("post_install", "-at_install")
class EveryWayIn(ArchiveCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.admin = cls.env.ref("base.user_admin")
        cls.cleared = cls.env.ref("hr_enforcement_archive.group_cleared")
        cls.roles = {
            "officer": cls.officer,
            "colleague": cls.officer2,
            "other department": cls.outsider,
            "reviewer": cls.reviewer,
            "legal review": cls.legal,
            "approver": cls.approver,
            "supervisor": cls.supervisor,
            "archivist": cls.archivist,
            "manager": cls.manager,
            "administrator": cls.admin,
        }

    # ------------------------------------------------------------------ fixtures
    def _world(self):
        """A case with something of every model hanging off it, ended, with its case file
        checked but not archived; plus a case at review & decision with a deliberation."""
        deciding = self._open_case()
        self._add_step(deciding)
        self._preserved_and_handled(deciding)
        self._excuse_missing(deciding)
        deciding.action_to_decision()
        self.env["hr.enforcement.deliberation"].with_user(self.legal).create(
            {
                "case_id": deciding.id,
                "kind": "legal_review",
                "participant_ids": [(6, 0, self.legal.employee_id.ids)],
                "opinion": "Lawful.",
                "conclusion": "agree",
            }
        )
        case, decision = self._served_case(prepare=self._penalty_procedure)
        service = self._service(
            case, decision, "direct", signer_name="Zhou", signer_relation="recipient", signed=True
        )
        service.action_issue_receipt()
        self._scan(service.receipt_code)
        service.action_register_served()  # a case is archived with its services done
        # ... and its signed receipt back (民事诉讼法 第八十七条)
        service.with_user(self.officer).action_register_return(
            self._return_values(), PDF, "signed-receipt.pdf"
        )
        self.env["hr.enforcement.payment"].with_user(self.officer).create(
            {"amount_id": case.amount_ids.id, "amount": 600, "receipt_number": "Bank 1"}
        )
        self._scan("HRE-NOT-A-CODE")
        self.env["hr.enforcement.execution.step"].with_user(self.officer).create(
            {"case_id": case.id, "kind": "performance", "performance": "full"}
        )
        clip = self._av_with_file(case)
        self.env["hr.enforcement.access.request"].with_user(self.officer).create(
            {
                "case_id": case.id,
                "requester_id": self.recipient.id,
                "purpose": "Consult the evidence.",
                "av_record_ids": [(6, 0, clip.ids)],
                "expiry_date": date(2099, 1, 1),
            }
        )
        evidence = clip.file_ids[:1]
        self.env["hr.enforcement.violation"]._record(
            "fixity", [(evidence._name, evidence.id, case.id, None, "test")]
        )
        self._document(case)
        self._end_enforcement(case)
        self.env["hr.enforcement.deadline.notice"]._claim("archive", case, "t7")
        case_file = self._case_file(case)
        case_file.action_check()
        self.env["hr.enforcement.event.head"]._cron_record_head()
        self._station_clip()
        self._application()
        self._work_injury_suspended()
        self._transferred_and_listed()
        return case, case_file

    def _transferred_and_listed(self):
        """Another case's file archived and handed to an archive, and a disposal list in
        appraisal (R18.3)."""
        # its own file names: the need-to-know test looks for the world case's
        other = self._case_file(self._ended_case(PDF + b"%other\n", "other-notice.pdf"))
        other.action_archive_file()
        transfer, failures = (
            self.env["hr.enforcement.case.file.transfer"]
            .with_user(self.archivist)
            ._transfer(other, "District Archives")
        )
        self.assertTrue(transfer, failures)
        self.env["hr.enforcement.disposal"].with_user(self.archivist).create(
            {"appraisal_opinion": "Retention ended.", "case_file_ids": [(6, 0, other.ids)]}
        )

    def _penalty_procedure(self, case):
        """At review & decision: a fine that gives a hearing (the province's larger amount
        set low by the manager), the notice issued and served, a statement re-examined, the
        hearing requested and abandoned by the party, the written waiver recorded."""
        self.env.ref("hr_enforcement_record.procedure_setting_penalty").with_user(
            self.manager
        ).write({"hearing_fine_organisation": 5000})
        case.write({"penalty_kind": "fine", "fine_amount": 6000})
        self.env["hr.enforcement.amount"].with_user(self.officer).create(
            {"case_id": case.id, "kind": "fine", "amount": 6000}
        )
        notice = (
            self.env["hr.enforcement.penalty.notice"]
            .with_user(self.officer)
            .create({"case_id": case.id, "proposed_decision": "A fine.", "reasons": "R"})
        )
        self._evidence_of(case)
        notice.action_issue_document()
        today = date.today()
        notice.write({"date_served": today})
        self.env["hr.enforcement.statement"].with_user(self.officer).create(
            {
                "notice_id": notice.id,
                "content": "We object.",
                "reexamination": "Not founded.",
                "adopted": "rejected",
            }
        )
        hearing = (
            self.env["hr.enforcement.hearing"]
            .with_user(self.officer)
            .create(
                {
                    "notice_id": notice.id,
                    "request_date": today,
                    "presiding_id": self.approver.employee_id.id,
                    "hearing_notice_date": today,
                    "hearing_datetime": datetime.now() + timedelta(days=30),
                    "venue": "Room 1",
                }
            )
        )
        hearing.action_notify()
        hearing.write({"abandon_reason": "The party did not come."})
        with freeze_time(today + timedelta(days=31)):
            hearing.action_abandon()
        kind = self.env.ref("hr_enforcement_record.document_type_rights_waiver")
        waiver = self._text(case, kind, name="Waiver", certificate_ids=[])
        self._upload(waiver, PDF, "waiver.pdf")
        notice.write({"waiver_record_id": waiver.id})
        notice.action_record_waiver()

    def _application(self, matter="matter_hr_service"):
        """An application of `matter` received at the counter, with its checklist, accepted."""
        application = (
            self.env["hr.enforcement.application"]
            .with_user(self.officer)
            .create(
                {
                    "applicant_id": self.party.id,
                    "matter_id": self.env.ref(f"hr_enforcement_record.{matter}").id,
                    "reviewer_id": self.reviewer.employee_id.id,
                    "approver_id": self.approver.employee_id.id,
                }
            )
        )
        application.material_ids.write({"received": True})
        application.action_accept()
        return application

    def _preserved_and_handled(self, case):
        """Evidence registered and preserved with approval, its notice issued, handled."""
        preservation = (
            self.env["hr.enforcement.preservation"]
            .with_user(self.officer)
            .create({"case_id": case.id, "items": "Payroll 2026", "reason": "May be destroyed."})
        )
        self._approve(preservation, "preservation")
        self._issue_from(preservation.with_user(self.officer).action_issue_notice())
        preservation.with_user(self.officer).write(
            {"handling": "released", "handling_note": "Copied, returned."}
        )
        preservation.with_user(self.officer).action_record_handling()

    def _work_injury_suspended(self):
        """A work-injury determination accepted, suspended awaiting an award and resumed."""
        case = self._application("matter_work_injury").case_id
        self._excuse_missing(case)
        case.with_user(self.officer).action_start_investigation()
        self.env["hr.enforcement.suspension"].with_user(self.officer).create(
            {"case_id": case.id, "awaited": "Arbitration award", "reason": "Relationship denied."}
        )
        case.with_user(self.officer).action_resume()

    def _station_clip(self):
        """A docking station and a clip it pushed, waiting in the inbox."""
        station = (
            self.env["hr.enforcement.station"]
            .with_user(self.manager)
            .create({"name": "Station W", "code": "W01"})
        )
        captured = datetime(2026, 3, 2, 1, 15)
        facts = self.env["hr.enforcement.filestore"]._ingest(
            io.BytesIO(make_mp4(captured)), "station.mp4"
        )
        values = {"device_id": self.device.id, "officer_id": False, "capture_start": captured}
        return station.sudo()._receive_clip(facts, "station.mp4", values)

    def _fixture(self, Model, case):
        """A record of `Model` that belongs to `case` where the model holds case content,
        else the newest one."""
        Model = Model.sudo()
        path = getattr(Model, "_guard_case_field", None)
        if Model._name == "hr.enforcement.case":
            return case
        if path and path.split(".")[0] in Model._fields:
            found = Model.search([(path, "=", case.id)], order="id desc", limit=1)
            if found:
                return found
        return Model.search([], order="id desc", limit=1)

    def _forged_value(self, record, field, creating=False):
        """A value of the field's type that differs from the record's (from the default
        when `creating`: a new record given its default forges nothing), or None."""
        current = record[field.name]
        if field.type in ("char", "text", "html"):
            return FORGED_TEXT
        if field.type in ("integer", "float", "monetary"):
            return 987654 if field.type != "integer" or field.name != "res_id" else record.id + 1
        if field.type == "boolean":
            if creating:
                return not record.default_get([field.name]).get(field.name, False)
            return not current
        if field.type == "date":
            return date(2099, 1, 1)
        if field.type == "datetime":
            return datetime(2099, 1, 1)
        if field.type == "selection":
            keys = [key for key, _label in field._description_selection(self.env)]
            others = [key for key in keys if key != current]
            return others[-1] if others else None
        if field.type == "many2one_reference":
            return (current or 0) + 1
        if field.type in ("many2one", "many2many"):
            Comodel = self.env[field.comodel_name].sudo()
            other = Comodel.search([("id", "not in", current.ids)], limit=1)
            if not other:
                return None
            return other.id if field.type == "many2one" else [(4, other.id)]
        return None

    def _persisted(self, record, field, value):
        record.invalidate_recordset()
        stored = record.sudo()[field.name]
        if field.type == "many2one":
            return stored.id == value
        if field.type == "many2many":
            return value[0][1] in stored.ids
        if field.type in ("date", "datetime"):
            return stored == value
        return stored == value

    # ------------------------------------------------------------------ attacks
    def _attempt(self, call):
        """Run `call` as a client would: refused (True) or done (False). A refused call
        leaves nothing behind."""
        try:
            with mute_logger("odoo.sql_db"), self.env.cr.savepoint():
                call()
        except REFUSED:
            return True
        return False

    def test_r22_3_application_owned_fields_refused_on_write_for_every_role(self):
        """R3.1, R21.1, R22.3: no role writes a field the application owns, on any model."""
        case, _case_file = self._world()
        breaches = []
        for Model in enforcement_models(self.env):
            record = self._fixture(Model, case)
            self.assertTrue(record, f"no fixture for {Model._name}: add one to _world()")
            for field in owned_fields(Model):
                value = self._forged_value(record, field)
                if value is None:
                    continue
                for role, user in self.roles.items():
                    target = record.with_user(user)
                    self._attempt(lambda t=target, f=field.name, v=value: t.write({f: v}))
                    if self._persisted(record, field, value):
                        breaches.append(f"{Model._name}.{field.name} written by {role}")
                        break
        self.assertFalse(breaches, "\n".join(breaches))

    def test_r22_3_application_owned_fields_refused_on_create_for_every_role(self):
        """R3.1, R22.3: a new record never starts with a value the application owns (a
        request already approved, a case file already archived, a service returned)."""
        case, _case_file = self._world()
        breaches = []
        for Model in enforcement_models(self.env):
            record = self._fixture(Model, case)
            self.assertTrue(record, f"no fixture for {Model._name}: add one to _world()")
            base = record.copy_data()[0]
            base = {k: v for k, v in base.items() if k in Model._fields}
            for field in owned_fields(Model, creating=True):
                value = self._forged_value(record, field, creating=True)
                if value is None:
                    continue
                for role, user in self.roles.items():
                    created = []
                    vals = dict(base, **{field.name: value})
                    self._attempt(
                        lambda u=user, v=vals, M=Model, c=created: c.append(
                            M.with_user(u).create(v)
                        )
                    )
                    if created and self._persisted(created[0], field, value):
                        breaches.append(f"{Model._name}.{field.name} created by {role}")
                        break
        self.assertFalse(breaches, "\n".join(breaches))

    def test_r18_3_archived_case_everything_refuses_change_for_every_role(self):
        """R18.3, R22.3: once a case is archived, nothing that hangs off it — records, files,
        services, steps, requests, its case file, catalog and checks, their attachments and
        chatter — is added, changed or deleted, by anyone, administrators included."""
        case, case_file = self._world()
        case_file.action_archive_file()
        self.assertTrue(case.archived)
        breaches = []
        attackers = {"officer": self.officer, "manager": self.manager, "admin": self.admin}
        for Model in enforcement_models(self.env):
            path = case_path(Model)
            if path is None or Model._name in SUPERVISION_MODELS:
                continue
            records = Model.sudo().search([(path or "id", "=", case.id)])
            for record in records[:3]:
                freezes = record._guard_freezes() if hasattr(record, "_guard_freezes") else []
                allowed = set().union(*(f.allowed for f in freezes))
                allowed |= getattr(Model, "_guard_always_writable", set())
                writable = [
                    f
                    for f in Model._fields.values()
                    if f.store
                    and not f.readonly
                    and f.type in ("char", "text")
                    and (f._module or "") in ADDONS
                    and f.name not in allowed
                ]
                for role, user in attackers.items():
                    mine = record.with_user(user)
                    label = f"{record._name},{record.id} by {role}"
                    for field in writable[:1]:
                        self._attempt(lambda m=mine, f=field.name: m.write({f: FORGED_TEXT}))
                        if self._persisted(record, field, FORGED_TEXT):
                            breaches.append(f"{label}: wrote {field.name}")
                    if not self._attempt(mine.unlink) or not record.exists():
                        breaches.append(f"{label}: deleted")
                    attachment = {
                        "name": "added.txt",
                        "res_model": record._name,
                        "res_id": record.id,
                        "datas": base64.b64encode(b"added"),
                    }
                    Attachment = self.env["ir.attachment"].with_user(user)
                    if not self._attempt(lambda a=Attachment, v=attachment: a.create(v)):
                        breaches.append(f"{label}: attachment added")
                    if "message_ids" not in Model._fields:
                        continue
                    if not self._attempt(
                        lambda m=mine: m.message_post(
                            body="forged", attachments=[("x.txt", b"x")], message_type="comment"
                        )
                    ):
                        breaches.append(f"{label}: message with attachment posted")
                    for message in record.message_ids[:2]:
                        as_user = message.with_user(user)
                        if not self._attempt(lambda m=as_user: m.sudo().write({"body": "forged"})):
                            breaches.append(f"{label}: message {message.id} edited")
                        if not self._attempt(lambda m=as_user: m.sudo().unlink()):
                            breaches.append(f"{label}: message {message.id} deleted")
                    # an internal note stays possible (access rights aside: sudo)
                    if self._attempt(
                        lambda r=record: r.sudo().message_post(
                            body="Consulted.", subtype_xmlid="mail.mt_note"
                        )
                    ):
                        breaches.append(f"{label}: an internal note was refused")
                    values = record.message_ids.tracking_value_ids[:1].with_user(user)
                    if values and not self._attempt(lambda v=values: v.sudo().unlink()):
                        breaches.append(f"{label}: tracking value deleted")
        self.assertFalse(breaches, "\n".join(breaches))

    def test_r21_1_no_client_forges_a_message_on_any_model(self):
        """R21.1, R22.3: on every model with a chatter, no role posts a notification, a
        message in another's name, with a subtype other than a note or a comment, with a
        date of its choosing or with tracking values — through message_post or
        mail.message.create — nor rewrites who wrote a message; administrators move no
        message onto a record and add no tracking value to its history. A note in one's
        own name stays possible."""
        case, _case_file = self._world()
        other_subtype = self.env.ref("mail.mt_activities").id
        attackers = {"officer": self.officer, "manager": self.manager, "admin": self.admin}
        Fields = self.env["ir.model.fields"].sudo()
        breaches = []
        for Model in enforcement_models(self.env):
            if "message_ids" not in Model._fields:
                continue
            record = self._fixture(Model, case)
            field = Fields.search([("model", "=", Model._name), ("name", "=", "create_date")])
            tracking = {"field_id": field.id, "old_value_char": "a", "new_value_char": "b"}
            forged = {
                "a notification": {"message_type": "notification"},
                "another author": {"author_id": self.approver.partner_id.id},
                "tracking values": {"tracking_value_ids": [(0, 0, tracking)]},
                "a subtype": {"subtype_id": other_subtype},
                "a date": {"date": datetime(2020, 1, 1)},
            }
            for role, user in attackers.items():
                label = f"{Model._name},{record.id} by {role}"
                Message = self.env["mail.message"].with_user(user)
                for what, values in forged.items():
                    post = dict({"message_type": "comment"}, **values)
                    mine = record.with_user(user)
                    if not self._attempt(lambda r=mine, v=post: r.message_post(body="forged", **v)):
                        breaches.append(f"{label}: message_post with {what}")
                    created = dict(post, model=record._name, res_id=record.id, body="forged")
                    if not self._attempt(lambda M=Message, v=created: M.create(v)):
                        breaches.append(f"{label}: mail.message.create with {what}")
                elsewhere = self.env["mail.message"].create(
                    {"model": "res.partner", "res_id": user.partner_id.id, "body": "elsewhere"}
                )
                moved = {"model": record._name, "res_id": record.id}
                theirs = elsewhere.with_user(user)
                if not self._attempt(lambda m=theirs, v=moved: m.write(v)):
                    breaches.append(f"{label}: a message moved onto it")
                for message in record.message_ids[:2]:
                    mine = message.with_user(user)
                    author = {"author_id": self.approver.partner_id.id}
                    if not self._attempt(lambda m=mine, v=author: m.sudo().write(v)):
                        breaches.append(f"{label}: message {message.id} given another author")
                    value = dict(tracking, mail_message_id=message.id)
                    Tracking = self.env["mail.tracking.value"].with_user(user)
                    if not self._attempt(lambda T=Tracking, v=value: T.create(v)):
                        breaches.append(f"{label}: tracking value added to {message.id}")
        note = case.with_user(self.officer).message_post(
            body="Consulted.", message_type="comment", subtype_xmlid="mail.mt_note"
        )
        self.assertEqual(note.author_id, self.officer.partner_id, "one's own note stays possible")
        self.assertFalse(breaches, "\n".join(breaches))

    def test_r20_1_every_wizard_row_is_its_authors_alone(self):
        """R20.1: every dialog of the enforcement addons (taken from the registry, so that a
        wizard added later is covered) is found, read and written by its author only — not
        by a colleague, a manager or an administrator."""
        case, _case_file = self._world()
        wizards = [
            self.env[name]
            for name in self.env.registry
            if self.env[name]._transient and (self.env[name]._original_module or "") in ADDONS
        ]
        self.assertGreaterEqual(len(wizards), 3)
        breaches = []
        users = (self.officer, self.approver, self.manager, self.officer2, self.admin)
        for Model in wizards:
            # its author: the first role that may use it; every other role tries to reach it
            author = next(u for u in users if Model.with_user(u).has_access("create"))
            stored = [name for name, field in Model._fields.items() if field.store]
            defaults = Model.with_user(author).sudo().default_get(stored)
            values = {k: v for k, v in defaults.items() if not isinstance(v, (list, tuple))}
            for field in Model._fields.values():
                if not field.required or field.name in MAGIC_FIELDS or values.get(field.name):
                    continue
                if field.type == "many2one" and field.comodel_name == case._name:
                    values[field.name] = case.id  # the case of the world's officer
                elif field.type == "many2one":  # something its author may read
                    Comodel = self.env[field.comodel_name]
                    found = Comodel.with_user(author).search([], limit=1)
                    values[field.name] = (found or Comodel.sudo().search([], limit=1)).id
                elif field.type == "selection":
                    values[field.name] = field._description_selection(self.env)[0][0]
                elif field.type in ("char", "text"):
                    values[field.name] = "draft"
                elif field.type == "binary":
                    values[field.name] = base64.b64encode(b"a scan")
                elif field.type in ("date", "datetime"):
                    values[field.name] = datetime(2026, 12, 1)
                elif field.type in ("integer", "float", "monetary"):
                    values[field.name] = 1
            # created in its author's name, whatever the wizard's own checks on values
            values["create_uid"] = author.id  # its author (create() would set it)
            data = {"stored": values, "inherited": {}, "protected": set()}
            row = Model.with_user(author).sudo()._create([data])
            row = Model.browse(row.id)
            self.assertEqual(Model.with_user(author).search([("id", "=", row.id)]), row)
            for user in (u for u in users if u != author):
                role = user.login
                try:
                    found = Model.with_user(user).search([("id", "=", row.id)])
                except AccessError:  # a role without the wizard at all
                    found = Model
                if found:
                    breaches.append(f"{Model._name}: found by the {role}")
                theirs = row.with_user(user)
                if not self._attempt(lambda r=theirs: r.read(["create_uid"])):
                    breaches.append(f"{Model._name}: read by the {role}")
        self.assertFalse(breaches, "\n".join(breaches))

    def test_r20_1_confidential_case_content_is_need_to_know_on_every_model(self):
        """R20.1: a user who may not read a confidential case learns nothing of it — not a
        record, a name, a file name or a hash — through search_read, read_group,
        name_search or export, on any model that holds case content."""
        case, _case_file = self._world()
        case.with_user(self.officer).write({"confidentiality": "work_secret"})
        outsiders = {
            "other department": self.outsider,
            "supervisor": self.supervisor,
            "archivist": self.archivist,
        }
        export = self.env.ref("base.group_allow_export")
        for user in outsiders.values():
            user.groups_id = [(4, export.id)]  # so that export itself is attempted
        file_name = (
            self.env["hr.enforcement.evidence.file"]
            .sudo()
            .search([("case_id", "=", case.id)], limit=1)
            .name
        )
        leaks = []
        Guard = self.env["hr.enforcement.guard"]
        checked = [Model._name for Model, _path in Guard._need_to_know_models()]
        for name in (
            "hr.enforcement.evidence.file",
            "hr.enforcement.event",
            "hr.enforcement.approval",
        ):
            self.assertIn(name, checked)
        for Model, path in Guard._need_to_know_models():
            domain = [(path, "=", case.id)] if path else [("id", "=", case.id)]
            ids = Model.sudo().search(domain).ids
            if not ids:
                continue
            names = [n for n in Model.sudo().browse(ids).mapped("display_name") if n][:2]
            for role, user in outsiders.items():
                As = Model.with_user(user)
                label = f"{Model._name} to {role}"
                probes = {
                    "search_read": lambda a=As, d=domain: a.search_read(d, ["id"]),
                    "read_group": lambda a=As, d=domain: [
                        g for g in a.read_group(d, ["id:count"], []) if g.get("__count")
                    ],
                    "name_search": lambda a=As, n=names, i=ids: [
                        r for name in n for r, _label in a.name_search(name, limit=50) if r in i
                    ],
                    "export": lambda a=As, i=ids: a.search([("id", "in", i)]).export_data(["id"])[
                        "datas"
                    ],
                    "read by id": lambda a=As, i=ids: a.browse(i).read(["display_name"]),
                }
                for probe, call in probes.items():
                    found = []
                    self._attempt(lambda c=call, f=found: f.extend(c()))
                    if found:
                        leaks.append(f"{label}: {probe}")
        Followers = self.env["mail.followers"]
        case_followers = Followers.sudo().search(
            [("res_model", "=", case._name), ("res_id", "=", case.id)]
        )
        self.assertTrue(case_followers)
        Event = self.env["hr.enforcement.event"]
        for role, user in outsiders.items():
            if Followers.with_user(user).search(
                [("res_model", "=", case._name), ("res_id", "=", case.id)]
            ):
                leaks.append(f"followers of the case found by {role}")
            if not self._attempt(lambda u=user: case_followers.with_user(u).read(["partner_id"])):
                leaks.append(f"followers of the case read by {role}")
            if Event.with_user(user).search_count([("description", "ilike", file_name)]):
                leaks.append(f"event description search by {role} names {file_name}")
        self.assertFalse(leaks, "\n".join(leaks))

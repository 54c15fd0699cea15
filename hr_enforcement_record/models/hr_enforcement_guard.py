from collections import defaultdict, namedtuple

from odoo import api, fields, models, tools
from odoo.exceptions import UserError
from odoo.tools.pdf import merge_pdf

APP_KEY = "hr_enforcement_app"
# set by the thread API around the messages it creates, once its public entry points have
# checked what a client gave them (mail.message create trusts nothing else)
THREAD_KEY = "hr_enforcement_thread"
IMPORT_KEY = "hr_enforcement_import"
# Context keys that change how a write is recorded: honoured on guarded models only when
# the application sets them (R22.3), never when a client sends them.
GUARDED_CONTEXT_KEYS = ("tracking_disable", "mail_notrack", "mail_create_nolog")
# Bookkeeping that the framework itself keeps current on any record, frozen or not.
BOOKKEEPING_FIELDS = frozenset({"message_main_attachment_id", "activity_ids"})
MAGIC_FIELDS = frozenset(
    {"id", "display_name", "create_uid", "create_date", "write_uid", "write_date"}
)

# Date groups of reports (read_group) as Chinese writes them
CHINESE_DATE_LABELS = {
    "day": lambda d: f"{d.year}年{d.month}月{d.day}日",
    "month": lambda d: f"{d.year}年{d.month}月",
    "quarter": lambda d: f"{d.year}年第{(d.month - 1) // 3 + 1}季度",
    "year": lambda d: f"{d.year}年",
}

# Why a record can't change: `allowed` fields stay writable (by the application, since users
# never write application-owned fields); `only`, when given, limits the freeze to those
# fields; `inherit` passes it on to children, attachments and chatter.
Freeze = namedtuple("Freeze", "message allowed only inherit", defaults=(frozenset(), None, True))


class AppToken:
    """The application's marker for writing fields that users may not write. A Python object
    that JSON-RPC and XML-RPC cannot carry, scoped to named models so that opening one model
    does not unlock the others in nested calls."""

    __slots__ = ("models",)

    def __init__(self, model_names):
        self.models = frozenset(model_names)

    def __repr__(self):
        return f"AppToken({sorted(self.models)})"


class GuardError(UserError):
    """A rule of the full-process recording refused the change (R22.3)."""


class HrEnforcementGuard(models.AbstractModel):
    """One guard for every model of the enforcement addons (R3.1, R21.1, R22.3).

    - Fields owned by the application — declared `readonly=True` in the model, computed
      without `readonly=False`, or listed in `_guard_app_fields` — are refused on create,
      write and copy from any user, administrators included; `_guard_create_fields` are
      readonly fields a user gives once, on create.
    - `_guard_immutable_fields` are given on create and never change.
    - The reasons a record is frozen come from one hook chain, `_guard_own_freezes()`, and
      are inherited from the parents named in `_guard_parent_fields` (the child lock); a
      child is created, changed or deleted only by someone who may change its parent.
    - Context keys that change behaviour are ignored unless the application set them.
    - Every export of a model holding case content leaves an event on each case (R22.2).

    The application's own writes go through `_app()`.
    """

    _name = "hr.enforcement.guard"
    _description = "Enforcement Guard"

    _guard_app_fields = frozenset()
    _guard_create_fields = frozenset()
    _guard_immutable_fields = frozenset()
    _guard_parent_fields = ()
    # fields the application may still write whatever freezes the record (fixity, …)
    _guard_always_writable = frozenset()
    # written once by the application, then never changed nor deleted by anyone (logs)
    _guard_append_only = False
    # records made and removed only by the application (checklists drawn from configuration)
    _guard_app_creates = False
    # the case stages in which records of this model may change (None: any stage)
    _guard_open_stages = None
    # the values of `state` in which a record may change (None: any); once it has left them,
    # only `_guard_closed_writable` fields are still written, by the application
    _guard_open_states = None
    _guard_closed_writable = frozenset()
    # the requirements that the guard's refusals on this model cite
    _guard_rule_ref = "R22.3"
    # the field leading to the case whose content this model holds (exports, need-to-know)
    _guard_case_field = "case_id"
    # event types that the creation and the deletion of a record leave in its case's log
    # (R21.1: the log holds every step of the process, not only its outcome)
    _guard_event_on_create = None
    _guard_event_on_unlink = None

    # ------------------------------------------------------------------ marker
    def _app(self, *model_names):
        """This recordset, allowed to write the fields the application owns on its own
        model (and on `model_names`)."""
        token = self.env.context.get(APP_KEY)
        names = set(model_names) | {self._name}
        if isinstance(token, AppToken):
            names |= token.models
        return self.with_context(**{APP_KEY: AppToken(names)})

    def _guard_is_app(self):
        return self._guard_is_app_for(self._name)

    def _guard_is_app_for(self, model_name):
        token = self.env.context.get(APP_KEY)
        return isinstance(token, AppToken) and model_name in token.models

    # ------------------------------------------------------------------ declarations
    @api.model
    @tools.ormcache()
    def _guard_get_app_fields(self):
        """Names of the fields only the application writes (per model, cached with the
        registry: the declarations do not change at run time)."""
        owned = set(self._guard_app_fields)
        for name, field in self._fields.items():
            if name in MAGIC_FIELDS or not (field._module or "").startswith("hr_enforcement"):
                continue
            if field.readonly:  # readonly in the model: computed, related or system-set
                owned.add(name)
        return frozenset(owned - set(self._guard_create_fields))

    @api.model
    def _prepare_app_values(self, vals_list):
        """Hook: fill the application-owned values of new records (references, stage…),
        after the caller's values were checked; returns `vals_list`."""
        return vals_list

    def _guard_own_freezes(self):
        """Hook chain: the reasons this record (ensure_one) is frozen, as `Freeze` tuples.
        Each model and each sibling addon adds its own by extending this method; the
        declared open states and case stages are the first two."""
        self.ensure_one()
        freezes = []
        if self._guard_open_states is not None and self.state not in self._guard_open_states:
            label = dict(self._fields["state"]._description_selection(self.env))[self.state]
            freezes.append(
                Freeze(
                    self.env._(
                        "it is %(state)s and no longer changes (%(ref)s)",
                        state=label,
                        ref=self._guard_rule_ref,
                    ),
                    allowed=self._guard_closed_writable,
                )
            )
        case = self._guard_get_cases()[:1] if self._guard_open_stages is not None else None
        if case and case.stage not in self._guard_open_stages:
            labels = case._stage_labels()
            freezes.append(
                Freeze(
                    self.env._(
                        "%(what)s is recorded while the case is at %(stages)s and frozen "
                        "afterwards (R3.1, R22.3)",
                        what=self._description,
                        stages=", ".join(labels[s] for s in self._guard_open_stages),
                    )
                )
            )
        return freezes

    def _guard_parents(self):
        """The records this one hangs off; their inheritable freezes apply to it."""
        self.ensure_one()
        parents = []
        for name in self._guard_parent_fields:
            parent = self[name]
            if parent:
                parents.append(parent)
        return parents

    @api.model
    def _guard_parents_from_vals(self, vals):
        """The parents that the values of a new record name."""
        parents = []
        for name in self._guard_parent_fields:
            if vals.get(name):
                parents.append(self.env[self._fields[name].comodel_name].browse(vals[name]))
        return parents

    def _guard_freezes(self):
        """Own freezes and those inherited from the parents, for one record."""
        self.ensure_one()
        freezes = list(self._guard_own_freezes())
        for parent in self._guard_parents():
            if hasattr(parent, "_guard_freezes"):
                freezes += [f for f in parent.sudo()._guard_freezes() if f.inherit]
        return freezes

    def _guard_frozen_for(self, field_names=None):
        """The first (record, freeze) that forbids writing `field_names` (or any change when
        None: create, delete, attachments), or None."""
        names = None if field_names is None else set(field_names) - BOOKKEEPING_FIELDS
        if names is not None and not names:
            return None
        for record in self.sudo():  # sudo: a freeze holds whatever the user may read
            for freeze in record._guard_freezes():
                if names is None:
                    if freeze.only is None:
                        return record, freeze
                    continue
                blocked = (
                    names & freeze.only
                    if freeze.only is not None
                    else names - freeze.allowed - self._guard_always_writable
                )
                if blocked:
                    return record, freeze
        return None

    def _guard_check_frozen(self, field_names=None, adding=False):
        """Refuse to change `field_names` (any change when None) of frozen records, or to
        add new records (`adding`) that their parents or their own state forbid."""
        if (
            self._guard_append_only
            and self
            and not adding
            and (field_names is None or set(field_names) - self._guard_always_writable)
        ):
            raise GuardError(
                self.env._(
                    "%(model)s is written once by the application and never changed or "
                    "deleted (R22.3).",
                    model=self._description,
                )
            )
        found = self._guard_frozen_for(field_names)
        if found:
            record, freeze = found
            if adding:
                message = self.env._("%(record)s cannot be added: %(reason)s")
            else:
                message = self.env._("%(record)s is locked: %(reason)s")
            raise GuardError(message % {"record": record.display_name, "reason": freeze.message})

    # ------------------------------------------------------------------ checks
    def _guard_clean_context(self):
        """Drop the behaviour-changing context keys a client sent, and the `default_*` keys
        of application-owned fields."""
        context = self.env.context
        owned = self._guard_get_app_fields()
        drop = {key for key in GUARDED_CONTEXT_KEYS if context.get(key)}
        drop |= {k for k in context if k.startswith("default_") and k[8:] in owned}
        if not drop:
            return self
        clean = {key: value for key, value in context.items() if key not in drop}
        return self.with_context(clean)  # pylint: disable=context-overridden

    def _guard_field_labels(self, names):
        return ", ".join(self._fields[n].get_description(self.env)["string"] for n in sorted(names))

    def _guard_check_create_vals(self, vals):
        owned = self._guard_get_app_fields() & set(vals)
        if not owned:
            return
        defaults = self.default_get(list(owned))
        refused = {
            name for name in owned if vals[name] and vals[name] != defaults.get(name, vals[name])
        }
        refused |= {name for name in owned if vals[name] and name not in defaults}
        if refused:
            raise GuardError(
                self.env._(
                    "%(fields)s of %(model)s are set by the application, not by hand (%(ref)s).",
                    fields=self._guard_field_labels(refused),
                    model=self._description,
                    ref=self._guard_rule_ref,
                )
            )

    def _guard_check_write_vals(self, vals):
        refused = (self._guard_get_app_fields() | self._guard_immutable_fields) & set(vals)
        refused |= self._guard_create_fields & set(vals)
        if refused:
            raise GuardError(
                self.env._(
                    "%(fields)s of %(model)s are set by the application or when it is "
                    "created, and never changed by hand (%(ref)s).",
                    fields=self._guard_field_labels(refused),
                    model=self._description,
                    ref=self._guard_rule_ref,
                )
            )

    def _guard_check_app_creates(self):
        if self._guard_app_creates:
            raise GuardError(
                self.env._(
                    "%(model)s are made and removed by the application only (%(ref)s).",
                    model=self._description,
                    ref=self._guard_rule_ref,
                )
            )

    def _guard_check_parent_access(self, operation="write"):
        """The child lock: only someone who may change a parent changes or removes what
        hangs off it (`operation`: write or unlink; on create see `create()`)."""
        for record in self:
            for parent in record._guard_parents():
                parent.check_access("write")

    # ------------------------------------------------------------------ CRUD
    @api.model_create_multi
    def create(self, vals_list):
        app = self._guard_is_app()
        model = self if app else self._guard_clean_context()
        if not app:
            model._guard_check_app_creates()
            for vals in vals_list:
                model._guard_check_create_vals(vals)
                # before creating: a new child may make its creator one of the case's people
                for parent in model._guard_parents_from_vals(vals):
                    parent.check_access("write")
        vals_list = model._prepare_app_values(vals_list)
        records = super(HrEnforcementGuard, model).create(vals_list)
        records._guard_check_frozen(adding=True)
        if self._guard_event_on_create:
            records._guard_log_events(self._guard_event_on_create)
        return records

    def write(self, vals):
        records = self
        if not self._guard_is_app():
            ours = any(
                (self._fields[n]._module or "").startswith("hr_enforcement")
                for n in vals
                if n in self._fields
            )
            if ours:  # the framework's own bookkeeping writes keep their context
                records = self._guard_clean_context()
            records._guard_check_write_vals(vals)
            records._guard_check_parent_access()
        records._guard_check_frozen(vals)
        return super(HrEnforcementGuard, records).write(vals)

    def unlink(self):
        if not self._guard_is_app():
            self._guard_check_app_creates()
            self._guard_check_parent_access("unlink")
        self._guard_check_frozen()
        if self._guard_event_on_unlink:
            self._guard_log_events(self._guard_event_on_unlink)
        # a record that may go takes its own chatter with it (mail.thread deletes it first)
        return super(HrEnforcementGuard, self._app("mail.message")).unlink()

    def message_post(self, **kwargs):
        """A client posts comments and notes in its own name (R21.1, R22.3)."""
        Message = self.env["mail.message"]
        if not Message._enforcement_is_trusted():
            Message._enforcement_check_authored(kwargs, default_type="notification")
        return super().message_post(**kwargs)

    def message_notify(self, **kwargs):
        Message = self.env["mail.message"]
        if not Message._enforcement_is_trusted():
            Message._enforcement_check_authored(kwargs, default_type="comment")
        return super().message_notify(**kwargs)

    def _message_create(self, values_list):
        token = AppToken({"mail.message"})
        return super(HrEnforcementGuard, self.with_context(**{THREAD_KEY: token}))._message_create(
            values_list
        )

    def _message_update_content(self, message, *args, **kwargs):
        """A frozen record's messages are part of it: no edits (R22.3)."""
        self._guard_check_frozen()
        return super()._message_update_content(message, *args, **kwargs)

    def _creation_message(self):
        """(mail.thread) The document's name in the language of the sentence around it:
        without a language in the context, Odoo's sentence takes the user's and the
        model's name stayed English ("Enforcement Case 创建")."""
        lang = self.env.lang or self.env.user.lang
        return super(HrEnforcementGuard, self.with_context(lang=lang))._creation_message()

    # ------------------------------------------------------------------ event log
    def _guard_event_texts(self):
        """Hook: (description, purpose) of the event this record (ensure_one) leaves in its
        case's log when it is created or deleted."""
        self.ensure_one()
        return self.display_name, ""

    def _guard_log_events(self, event_type):
        Event = self.env["hr.enforcement.event"]
        for record in self:
            description, purpose = record._guard_event_texts()
            for case in record._guard_get_cases():
                Event._log(case, event_type, record, description[:500], purpose=purpose)

    # ------------------------------------------------------------------ reporting
    def _read_group_format_result(self, rows_dict, lazy_groupby):
        """Date groups as Chinese readers write them (2026年8月, not Odoo's "八月 2026"), in
        lists, pivots and the dashboard's charts alike."""
        super()._read_group_format_result(rows_dict, lazy_groupby)
        if not (self.env.lang or "").startswith("zh"):
            return
        for group in lazy_groupby:
            field_name, _sep, granularity = group.partition(":")
            granularity = granularity or "month"
            field = self._fields.get(field_name.split(".")[0])
            if not field or field.type not in ("date", "datetime"):
                continue
            for row in rows_dict:
                bounds = (row.get("__range") or {}).get(group)
                if bounds and granularity in CHINESE_DATE_LABELS:
                    start = fields.Datetime.to_datetime(bounds["from"])
                    if field.type == "datetime" and self.env.context.get("tz"):
                        start = fields.Datetime.context_timestamp(self, start)
                    row[group] = CHINESE_DATE_LABELS[granularity](start)

    # ------------------------------------------------------------------ printouts
    def _render_reportlab_pdf(self, report_name):
        """Hook: the PDF (bytes) of report `report_name` for this record (ensure_one), for
        the reports whose report_file is "hr_enforcement_reportlab"."""
        raise NotImplementedError(report_name)

    # reports whose PDF comes out signed (PDF/A and sealed by the model): printed one record
    # at a time and handed over as they are
    _reportlab_sealed_reports = frozenset()

    def _render_reportlab_batch(self, report_name):
        """The PDF of report `report_name` for all of `self`: each record's, merged; a model
        that prints many at once (receipts) draws them in one document instead."""
        pdfs = [record._render_reportlab_pdf(report_name) for record in self]
        return pdfs[0] if len(pdfs) == 1 else merge_pdf(pdfs)

    # ------------------------------------------------------------------ data files
    @api.model
    def load(self, fields, data):
        """A user's import obeys the guard like any other way in."""
        importing = self.with_context(**{IMPORT_KEY: AppToken(())})
        return super(HrEnforcementGuard, importing).load(fields, data)

    def _guard_from_data_file(self):
        # the module's own data files reach _load_records() directly, never through load()
        return not isinstance(self.env.context.get(IMPORT_KEY), AppToken)

    @api.model
    def _load_records_create(self, vals_list):
        model = self._app() if self._guard_from_data_file() else self
        return super(HrEnforcementGuard, model)._load_records_create(vals_list)

    def _load_records_write(self, values):
        records = self._app() if self._guard_from_data_file() else self
        return super(HrEnforcementGuard, records)._load_records_write(values)

    # ------------------------------------------------------------------ exports
    def _guard_get_cases(self):
        path = self._guard_case_field
        if not path:
            return self.env["hr.enforcement.case"]
        if self._name == "hr.enforcement.case":
            return self
        return self.sudo().mapped(path)

    def export_data(self, fields_to_export):
        """R22.2: every export leaves one event per case, naming what left the system."""
        result = super().export_data(fields_to_export)
        by_case = defaultdict(list)
        for record in self.sudo():  # sudo: the link to the case, whatever the user reads
            for case in record._guard_get_cases():
                by_case[case].append(record.display_name)
        Event = self.env["hr.enforcement.event"]
        for case, names in by_case.items():
            Event._log(
                case,
                "exported",
                None,
                self.env._(
                    "%(model)s: %(records)s",
                    model=self._description,
                    records=", ".join(names)[:450],
                ),
            )
        return result

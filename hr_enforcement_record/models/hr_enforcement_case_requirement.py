from odoo import api, fields, models, tools
from odoo.tools import SQL

from ..tools.articles import article_label
from .hr_enforcement_case import case_selection


class HrEnforcementCaseRequirement(models.Model):
    """The completeness matrix of every case, as a database view (no stored copy to drift):
    each applicable requirement is present, excused or missing. Read by whoever reads the
    case; pivot and graph views give managers the compliance picture (R22.1)."""

    _name = "hr.enforcement.case.requirement"
    _description = "Case Requirement Status"
    _auto = False
    _order = "case_id, stage_sequence, requirement_id"
    _depends = {
        "hr.enforcement.case": [
            "enforcement_type",
            "origin",
            "company_id",
            "department_id",
            "decision_kind",
            "hearing_held",
            "legal_review_required",
            "collective_required",
        ],
        "hr.enforcement.deliberation": ["case_id", "kind"],
        "hr.enforcement.text.record": ["case_id", "document_type_id"],
        "hr.enforcement.av.record": ["case_id", "media_type"],
        "hr.enforcement.document.type": ["is_decision"],
        "hr.enforcement.requirement": [
            "active",
            "enforcement_type",
            "origin",
            "stage",
            "document_type_id",
            "media_type",
            "deliberation_kind",
            "condition",
            "requirement_ref",
        ],
        "hr.enforcement.requirement.excuse": ["case_id", "requirement_id", "reason"],
    }

    case_id = fields.Many2one("hr.enforcement.case", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    department_id = fields.Many2one("hr.department", readonly=True)
    enforcement_type = fields.Selection(
        case_selection("enforcement_type"),
        readonly=True,
    )
    requirement_id = fields.Many2one("hr.enforcement.requirement", readonly=True)
    requirement_ref = fields.Char("Requirement IDs", readonly=True)
    article = fields.Char(
        compute="_compute_article", help="The articles of the regulation this line enforces."
    )
    stage = fields.Selection(
        lambda self: (
            self.env["hr.enforcement.requirement"]._fields["stage"]._description_selection(self.env)
        ),
        readonly=True,
    )
    stage_sequence = fields.Integer(readonly=True)
    status = fields.Selection(
        [("present", "Present"), ("excused", "Excused"), ("missing", "Missing")], readonly=True
    )
    excuse_reason = fields.Text(readonly=True)

    @api.depends("requirement_ref")
    @api.depends_context("lang")
    def _compute_article(self):
        for line in self:
            line.article = article_label(line.requirement_ref, self.env.lang)

    def init(self):
        tools.drop_view_if_exists(self.env.cr, self._table)
        self.env.cr.execute(
            SQL(
                """
                CREATE VIEW %s AS (
                    SELECT c.id::bigint * 100000 + r.id AS id,
                           c.id AS case_id,
                           c.company_id,
                           c.department_id,
                           c.enforcement_type,
                           r.id AS requirement_id,
                           r.requirement_ref,
                           r.stage,
                           r.stage_sequence,
                           CASE
                               WHEN EXISTS (
                                   -- a decision line is met by any decision document
                                   SELECT 1 FROM hr_enforcement_text_record t
                                     JOIN hr_enforcement_document_type td
                                       ON td.id = t.document_type_id
                                     JOIN hr_enforcement_document_type rd
                                       ON rd.id = r.document_type_id
                                    WHERE t.case_id = c.id
                                      AND (t.document_type_id = r.document_type_id
                                           OR (td.is_decision AND rd.is_decision))
                               ) OR EXISTS (
                                   SELECT 1 FROM hr_enforcement_av_record a
                                    WHERE a.case_id = c.id
                                      AND a.media_type = r.media_type
                               ) OR EXISTS (
                                   SELECT 1 FROM hr_enforcement_deliberation d
                                    WHERE d.case_id = c.id
                                      AND d.kind = r.deliberation_kind
                               ) THEN 'present'
                               WHEN x.id IS NOT NULL THEN 'excused'
                               ELSE 'missing'
                           END AS status,
                           x.reason AS excuse_reason
                      FROM hr_enforcement_case c
                      JOIN hr_enforcement_requirement r
                        ON r.active
                       AND (r.enforcement_type IS NULL OR r.enforcement_type = c.enforcement_type)
                       AND (r.origin IS NULL OR r.origin = c.origin)
                       -- R13.2, R13.4, R16.1: the lines of the penalty procedure apply
                       -- when their condition holds for the case
                       AND (r.condition IS NULL
                            OR (r.condition IN ('penalty', 'treatment')
                                AND r.condition = c.decision_kind)
                            OR (r.condition = 'hearing' AND c.hearing_held)
                            OR (r.condition = 'legal_review' AND c.legal_review_required)
                            OR (r.condition = 'collective' AND c.collective_required))
                 LEFT JOIN hr_enforcement_requirement_excuse x
                        ON x.case_id = c.id AND x.requirement_id = r.id
                )
                """,
                SQL.identifier(self._table),
            )
        )

    def action_excuse(self):
        """Open the excuse form for this missing requirement."""
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": "hr.enforcement.requirement.excuse",
            "view_mode": "form",
            "target": "new",
            "context": {
                "default_case_id": self.case_id.id,
                "default_requirement_id": self.requirement_id.id,
            },
        }

from odoo import _, api, models
from odoo.exceptions import UserError


class BasePartnerMergeAutomaticWizard(models.TransientModel):
    """Odoo's contact merge rewrites every link to the merged contacts by SQL and copies their
    values onto the one kept: on a contact named by enforcement records it would change a
    decided case's party, complainant or recipient and its ID number without any event. Such
    contacts are refused for everyone, administrators included (R22.3)."""

    _inherit = "base.partner.merge.automatic.wizard"

    @api.model
    def _enforcement_partner_links(self):
        """(model, field) of every stored link to a contact in the enforcement models, from
        the registry: a model added later is covered."""
        links = []
        for name, model in self.env.registry.items():
            if not name.startswith("hr.enforcement.") or model._abstract or not model._auto:
                continue
            links += [
                (name, field.name)
                for field in model._fields.values()
                if field.type == "many2one" and field.comodel_name == "res.partner" and field.store
            ]
        return links

    def _merge(self, partner_ids, dst_partner=None, extra_checks=True):
        partners = self.env["res.partner"].browse(partner_ids) | (
            dst_partner or self.env["res.partner"]
        )
        for model_name, field_name in self._enforcement_partner_links():
            # sudo: whether any record names them, whoever merges
            records = (
                self.env[model_name].sudo().search([(field_name, "in", partners.ids)], limit=1)
            )
            if records:
                raise UserError(
                    _(
                        "%(partner)s is named by %(record)s (%(model)s): contacts of enforcement "
                        "records are never merged, their records would change without a trace "
                        "(R22.3).",
                        partner=records[field_name].display_name,
                        record=records.display_name,
                        model=self.env["ir.model"]._get(model_name).name,
                    )
                )
        return super()._merge(partner_ids, dst_partner=dst_partner, extra_checks=extra_checks)

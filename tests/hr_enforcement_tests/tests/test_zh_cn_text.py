"""Every string a person reads is Chinese (issue: a day's work in the Chinese web client).

For every model of the three addons, in zh_CN, as a user of the bureau would see it: the
labels of its form, list and search views (attributes, texts, field labels, selection
values), its menu and action names, and for the demo records: their names, their chatter
(messages and tracking) and their activities. A Latin word outside the allow-list (codes
such as ZF2026-00001, R-IDs, units and acronyms of the trade) fails the test, naming where.
"""

import re

from lxml import etree

from odoo.tests import TransactionCase, tagged
from odoo.tools import html2plaintext

from .test_every_way_in import ADDONS, enforcement_models

LATIN_WORD = re.compile(r"[A-Za-z][A-Za-z'’]+")
# codes, units and acronyms a Chinese bureau writes in Latin letters
ALLOWED = {
    "AV", "CA", "DER", "EMS", "GB", "GiB", "ID", "KB", "KiB", "MB", "MiB", "PDF", "QR",
    "RFC", "SHA", "SM", "TSA", "UTC", "URL", "USCC", "Base", "HTTP", "JSON", "PEM", "CN",
    "DA", "DSJ", "HIK", "CD", "DS", "ZF", "HRE", "API", "PKCS", "PNG", "PAdES", "XMP",
}  # fmt: skip
CODE = re.compile(r"\b(?:R\d+(?:\.\d+)?|ZF\d{4}-\d+|[A-Z]{1,4}\d[\w-]*|\w+@[\w.]+)\b")
VISIBLE_ATTRIBUTES = ("string", "placeholder", "help", "confirm", "title", "sum")


def latin_words(text):
    text = CODE.sub(" ", text or "")
    # addresses, file names and technical identifiers (system parameters, models)
    text = re.sub(
        r"https?://\S+|\S*\.(?:py|xml|json|pdf|pem|mp4|mov|jpg|png|mp3|wav|p12|pfx)\b|\b[a-z_]+(?:\.[a-z_]+)+\b|\{[a-z_]+\}",
        " ",
        text,
    )
    return sorted({word for word in LATIN_WORD.findall(text) if word not in ALLOWED})


@tagged("post_install", "-at_install")
class TestChineseEverywhere(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, lang="zh_CN"))
        cls.found = []

    def _check(self, where, text):
        words = latin_words(text)
        if words:
            self.found.append(f"{where}: {', '.join(words)} — {text.strip()[:120]!r}")

    def _check_views(self, Model):
        views = Model.get_views([(False, "list"), (False, "form"), (False, "search")])
        for view_type, view in views["views"].items():
            arch = etree.fromstring(view["arch"])
            for node in arch.iter():
                # the root's and the sheet's own strings are not shown (the action names
                # the screen)
                shown = node is not arch and node.tag != "sheet"
                attributes = VISIBLE_ATTRIBUTES if shown else ("help",)
                for attribute in attributes:
                    if node.get(attribute):
                        self._check(f"{Model._name} {view_type} @{attribute}", node.get(attribute))
                if node.text and node.text.strip():
                    self._check(f"{Model._name} {view_type} text", node.text)
            for model_name, info in views["models"].items():
                self._check_fields(self.env[model_name], info.get("fields", info))

    def _check_fields(self, Target, names):
        """Labels, help and values of the fields our addons declare (Odoo's own are its)."""
        if not Target._name.startswith("hr.enforcement."):
            return
        ours = [
            name
            for name in names
            if name in Target._fields
            and (Target._fields[name]._module or "").startswith("hr_enforcement")
        ]
        described = Target.fields_get(ours, ["string", "help", "selection"])
        for name, description in described.items():
            where = f"{Target._name}.{name}"
            self._check(f"{where} label", description.get("string"))
            self._check(f"{where} help", description.get("help"))
            for _key, label in description.get("selection") or []:
                self._check(f"{where} value", label)

    def _check_records(self, Model):
        records = Model.search([], limit=20)
        for record in records:
            self._check(f"{Model._name}({record.id}) name", record.display_name)
        if "message_ids" in Model._fields:
            for message in records.message_ids:
                where = f"{Model._name}({message.res_id}) chatter"
                self._check(where, html2plaintext(message.body or ""))
                self._check(where + " subject", message.subject)
                for value in message.sudo().tracking_value_ids:
                    self._check(where + " tracking", value.field_id.field_description)
        if "activity_ids" in Model._fields:
            for activity in records.activity_ids:
                self._check(f"{Model._name}({activity.res_id}) activity", activity.summary)
                self._check(
                    f"{Model._name}({activity.res_id}) activity type",
                    activity.activity_type_id.name,
                )

    def test_every_string_a_person_reads_is_chinese(self):
        # the archivist runs the four checks on the demo case waiting for her, in Chinese
        archivist = self.env.ref("hr_enforcement_record.user_archivist_chen_demo")
        case = self.env.ref("hr_enforcement_record.case_annual_review_demo").with_user(archivist)
        action = case.action_open_case_file()
        case_file = (
            self.env["hr.enforcement.case.file"].with_user(archivist).browse(action["res_id"])
        )
        case_file.action_check()
        self._check("four checks report", case_file.last_check_id.report)
        self._check("case file, last check", case_file.last_check_id.display_name)
        for Model in enforcement_models(self.env):
            self._check_views(Model)
            self._check_records(Model)
        menus = self.env["ir.ui.menu"].search([])
        for menu in menus.filtered(lambda m: m.get_external_id()[m.id].split(".")[0] in ADDONS):
            self._check(f"menu {menu.complete_name}", menu.name)
        crons = self.env["ir.model.data"].search(
            [("module", "in", ADDONS), ("model", "=", "ir.cron")]
        )
        for data in crons:
            self._check(f"job {data.name}", self.env["ir.cron"].browse(data.res_id).name)
        unique = sorted(set(self.found))
        self.assertFalse(
            unique, f"{len(unique)} Latin word(s) in the zh_CN UI:\n" + "\n".join(unique)
        )

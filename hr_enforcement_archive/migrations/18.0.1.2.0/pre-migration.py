import logging

from odoo.tools import SQL

_logger = logging.getLogger(__name__)

# (table, column) holding a confidentiality level
LEVEL_COLUMNS = [
    ("hr_enforcement_case", "confidentiality"),
    ("hr_enforcement_text_record", "confidentiality"),
    ("hr_enforcement_text_record", "confidentiality_raised"),
    ("hr_enforcement_av_record", "confidentiality"),
    ("hr_enforcement_av_record", "confidentiality_raised"),
    ("hr_enforcement_evidence_file", "confidentiality"),
    ("hr_enforcement_event", "confidentiality"),
    ("hr_enforcement_case_file", "confidentiality"),
    ("hr_enforcement_approval", "new_confidentiality"),
]


def migrate(cr, version):
    """The level "state secret" is gone: this system may not hold state secrets
    (保守国家秘密法 (2024) 第三十一条(三); R20.1). What was marked so becomes a work secret,
    still confidential, and the cases are named in the log for the secrecy officer, who
    removes any state-secret content and registers it as a paper file."""
    for table, column in LEVEL_COLUMNS:
        cr.execute(
            "SELECT 1 FROM information_schema.columns WHERE table_name = %s AND column_name = %s",
            (table, column),
        )
        if not cr.fetchone():
            continue
        cr.execute(
            SQL(
                "UPDATE %s SET %s = %s WHERE %s = %s RETURNING id",
                SQL.identifier(table),
                SQL.identifier(column),
                "work_secret",
                SQL.identifier(column),
                "state_secret",
            )
        )
        ids = [row[0] for row in cr.fetchall()]
        if ids:
            _logger.warning(
                "%s.%s: %d record(s) marked state secret are now work secrets; the secrecy "
                "officer reviews them (ids %s)",
                table,
                column,
                len(ids),
                ids,
            )

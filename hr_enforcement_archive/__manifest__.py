# Copyright 2026 hr_enforcement contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
{
    "name": "Enforcement Full-Process Recording: Archiving",
    "summary": "Case files, archiving deadlines, access requests, confidentiality "
    "and accountability reporting",
    "version": "18.0.1.3.0",
    "category": "Human Resources/Enforcement",
    "website": "https://github.com/hr-enforcement/hr_enforcement",
    "author": "hr_enforcement contributors",
    "maintainers": ["hr-enforcement"],
    "license": "LGPL-3",
    "depends": ["hr_enforcement_service", "spreadsheet_dashboard"],
    "external_dependencies": {"python": ["reportlab", "bagit"]},
    "data": [
        "security/hr_enforcement_archive_groups.xml",
        "security/ir.model.access.csv",
        "security/hr_enforcement_archive_security.xml",
        "data/hr_enforcement_rules_data.xml",
        "data/hr_enforcement_archive_data.xml",
        "data/hr_enforcement_retention_rule_data.xml",
        "data/hr_enforcement_document_type_data.xml",
        "data/ir_cron_data.xml",
        "views/hr_enforcement_case_file_views.xml",
        "views/hr_enforcement_retention_rule_views.xml",
        "views/hr_enforcement_disposal_views.xml",
        "report/hr_enforcement_archive_reports.xml",
        "views/hr_enforcement_case_views.xml",
        "views/hr_enforcement_text_record_views.xml",
        "views/hr_enforcement_av_record_views.xml",
        "views/hr_enforcement_violation_views.xml",
        "wizard/hr_enforcement_violation_order_views.xml",
        "wizard/hr_enforcement_case_file_transfer_wizard_views.xml",
        "views/hr_enforcement_case_file_transfer_views.xml",
        "views/hr_enforcement_access_request_views.xml",
        "views/hr_enforcement_approval_views.xml",
        "views/hr_enforcement_archive_menus.xml",
        "data/spreadsheet_dashboard_data.xml",
    ],
    "demo": ["demo/hr_enforcement_archive_demo.xml"],
    "assets": {
        "spreadsheet.o_spreadsheet": [
            "hr_enforcement_archive/static/src/dashboard/*.js",
        ],
        "web.assets_tests": [
            "hr_enforcement_archive/static/tests/tours/**/*",
        ],
    },
}

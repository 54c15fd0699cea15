# Copyright 2026 hr_enforcement contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
{
    "name": "Enforcement Full-Process Recording: Cases",
    "summary": "Administrative enforcement cases, certified officers, "
    "handler-reviewer-approver chain and statutory deadlines",
    "version": "18.0.1.0.0",
    "category": "Human Resources/Enforcement",
    "website": "https://github.com/hr-enforcement/hr_enforcement",
    "author": "hr_enforcement contributors",
    "maintainers": ["hr-enforcement"],
    "license": "LGPL-3",
    "application": True,
    "depends": ["hr", "mail"],
    "external_dependencies": {
        "python": [
            "python-stdnum",
            "Pillow",
            "pytz",
            "asn1crypto",
            "cryptography",
            "requests",
            "reportlab",
        ]
    },
    "data": [
        "security/hr_enforcement_record_groups.xml",
        "security/ir.model.access.csv",
        "security/hr_enforcement_case_security.xml",
        "security/res_partner_security.xml",
        "data/ir_sequence_data.xml",
        "data/hr_enforcement_holiday_data.xml",
        "data/mail_activity_type_data.xml",
        "data/hr_enforcement_document_type_data.xml",
        "data/hr_enforcement_requirement_data.xml",
        "data/hr_enforcement_matter_data.xml",
        "data/ir_cron_data.xml",
        "views/hr_enforcement_approval_views.xml",
        "views/hr_enforcement_text_record_views.xml",
        "views/hr_enforcement_av_record_views.xml",
        "views/hr_enforcement_av_clip_views.xml",
        "views/hr_enforcement_station_views.xml",
        "views/hr_enforcement_application_views.xml",
        "wizard/hr_enforcement_document_issue_views.xml",
        "views/hr_enforcement_investigation_views.xml",
        "views/hr_enforcement_deliberation_views.xml",
        "views/hr_enforcement_event_views.xml",
        "views/hr_enforcement_event_head_views.xml",
        "views/hr_enforcement_requirement_views.xml",
        "views/hr_enforcement_case_views.xml",
        "views/hr_enforcement_certificate_views.xml",
        "views/hr_enforcement_holiday_views.xml",
        "views/hr_employee_views.xml",
        "views/res_partner_views.xml",
        "views/hr_enforcement_record_menus.xml",
        "report/hr_enforcement_case_reports.xml",
    ],
    "demo": [
        "demo/hr_enforcement_demo.xml",
    ],
    "assets": {
        "web.assets_backend": [
            "hr_enforcement_record/static/src/evidence_upload/*",
        ],
        "web.assets_tests": [
            "hr_enforcement_record/static/tests/tours/*.js",
        ],
    },
}

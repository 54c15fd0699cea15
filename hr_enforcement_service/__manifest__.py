# Copyright 2026 hr_enforcement contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
{
    "name": "Enforcement Full-Process Recording: Service of Documents",
    "summary": "Service of enforcement documents by every statutory method, QR-coded "
    "service receipts scanned on return, execution follow-up",
    "version": "18.0.1.2.0",
    "category": "Human Resources/Enforcement",
    "website": "https://github.com/hr-enforcement/hr_enforcement",
    "author": "hr_enforcement contributors",
    "maintainers": ["hr-enforcement"],
    "license": "LGPL-3",
    "depends": ["hr_enforcement_record", "barcodes"],
    "external_dependencies": {"python": ["qrcode", "reportlab"]},
    "data": [
        "security/ir.model.access.csv",
        "security/hr_enforcement_service_security.xml",
        "data/hr_enforcement_document_type_data.xml",
        "views/hr_enforcement_service_views.xml",
        "views/hr_enforcement_execution_step_views.xml",
        "views/hr_enforcement_case_views.xml",
        "views/hr_enforcement_receipt_scan_views.xml",
        "wizard/hr_enforcement_receipt_return_views.xml",
    ],
    "demo": ["demo/hr_enforcement_service_demo.xml"],
    "assets": {
        "web.assets_backend": [
            "hr_enforcement_service/static/src/**/*",
        ],
        "web.assets_tests": [
            "hr_enforcement_service/static/tests/tours/**/*",
        ],
    },
}

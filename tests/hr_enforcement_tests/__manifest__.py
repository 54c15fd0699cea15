# Copyright 2026 hr_enforcement contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
{
    "name": "Enforcement Full-Process Recording: Integration Tests",
    "summary": "Cross-addon and end-to-end tests of the hr_enforcement suite (CI only)",
    "version": "18.0.1.0.0",
    "category": "Hidden/Tests",
    "website": "https://github.com/hr-enforcement/hr_enforcement",
    "author": "hr_enforcement contributors",
    "license": "LGPL-3",
    "depends": ["hr_enforcement_record", "hr_enforcement_service", "hr_enforcement_archive"],
    "assets": {
        "web.assets_tests": [
            "hr_enforcement_tests/static/tests/tours/*.js",
        ],
    },
}

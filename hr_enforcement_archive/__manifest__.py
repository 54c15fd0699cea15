# Copyright 2026 hr_enforcement contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
{
    "name": "Enforcement Full-Process Recording: Archiving",
    "summary": "Case files, archiving deadlines, access requests, confidentiality "
    "and accountability reporting",
    "version": "18.0.1.0.0",
    "category": "Human Resources/Enforcement",
    "website": "https://github.com/hr-enforcement/hr_enforcement",
    "author": "hr_enforcement contributors",
    "maintainers": ["hr-enforcement"],
    "license": "LGPL-3",
    "depends": ["hr_enforcement_record"],
}

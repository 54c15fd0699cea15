# ruff: noqa: F821  (`env` is given by odoo-bin shell)
# Run inside `odoo-bin shell` on a demo database: 300 more cases to list and read, and an
# AV record per upload client on a demo case under investigation.
officer = env.ref("hr_enforcement_record.employee_officer_zhang_demo")
template = env.ref("hr_enforcement_record.case_wage_arrears_demo")
Case = env["hr.enforcement.case"].with_user(officer.user_id)
Case.create(
    [
        {
            "subject": f"Wage arrears, construction site {n}",
            "enforcement_type": "penalty",
            "origin": "complaint",
            "partner_id": template.partner_id.id,
            "department_id": template.department_id.id,
            "handler_id": officer.id,
            "reviewer_id": template.reviewer_id.id,
            "approver_id": template.approver_id.id,
            "facts": "Wages unpaid for three months. " * 5,
        }
        for n in range(300)
    ]
)
device = env["hr.enforcement.av.device"].create(
    {
        "name": "Bench body camera",
        "device_type": "bodycam",
        "serial_number": "BENCH-PROD-1",
        "holder_id": officer.id,
    }
)
records = (
    env["hr.enforcement.av.record"]
    .with_user(officer.user_id)
    .create(
        [
            {
                "case_id": template.id,
                "name": f"Benchmark video {n}",
                "media_type": "video",
                "device_id": device.id,
                "officer_id": officer.id,
            }
            for n in range(22)
        ]
    )
)
env.cr.commit()
print("AV_RECORD_IDS=" + ",".join(map(str, records.ids)))
print("CASE_IDS=" + ",".join(map(str, env["hr.enforcement.case"].search([]).ids)))
key = env["res.users.apikeys"].with_user(officer.user_id).sudo()._generate(None, "bench", None)
env.cr.commit()
print(f"API_KEY={key}")

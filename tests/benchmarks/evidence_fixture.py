# ruff: noqa: F821  (`env` is given by odoo-bin shell)
# Run inside `odoo-bin shell`: an AV record on a demo case under investigation.
officer = env.ref("hr_enforcement_record.employee_officer_zhang_demo")
case = env.ref("hr_enforcement_record.case_wage_arrears_demo")
device = env["hr.enforcement.av.device"].create(
    {
        "name": "Bench body camera",
        "device_type": "bodycam",
        "serial_number": "BENCH-1",
        "holder_id": officer.id,
    }
)
record = (
    env["hr.enforcement.av.record"]
    .with_user(officer.user_id)
    .create(
        {
            "case_id": case.id,
            "name": "Benchmark video",
            "media_type": "video",
            "device_id": device.id,
            "officer_id": officer.id,
        }
    )
)
key = env["res.users.apikeys"].with_user(officer.user_id).sudo()._generate(None, "bench", None)
env.cr.commit()
print(f"AV_RECORD_ID={record.id} API_KEY={key}")

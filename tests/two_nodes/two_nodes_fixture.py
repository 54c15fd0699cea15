# ruff: noqa: F821  (`env` is given by odoo-bin shell)
# Run inside `odoo-bin shell` on a demo database: evidence on the Ceph gateway whose address
# and keys are in S3_*, Odoo's own attachments in the database (no node's disk holds what
# another needs), and an AV record of 张伟's demo case to upload onto.
import os
import uuid

import boto3
from botocore.config import Config

bucket = f"evidence-{uuid.uuid4().hex[:12]}"
boto3.session.Session().client(
    "s3",
    endpoint_url=os.environ["S3_ENDPOINT"],
    aws_access_key_id=os.environ["S3_ACCESS_KEY"],
    aws_secret_access_key=os.environ["S3_SECRET_KEY"],
    region_name="us-east-1",
    config=Config(s3={"addressing_style": "path"}),
).create_bucket(Bucket=bucket, ObjectLockEnabledForBucket=True)
params = env["ir.config_parameter"].sudo()
params.set_param("hr_enforcement.object_store_endpoint", os.environ["S3_ENDPOINT"])
params.set_param("hr_enforcement.object_store_access_key", os.environ["S3_ACCESS_KEY"])
params.set_param("hr_enforcement.object_store_secret_key", os.environ["S3_SECRET_KEY"])
params.set_param("hr_enforcement.object_store_bucket", bucket)
params.set_param("ir_attachment.location", "db")
env["ir.attachment"].sudo().force_storage()
officer = env.ref("hr_enforcement_record.employee_officer_zhang_demo")
case = env.ref("hr_enforcement_record.case_wage_arrears_demo")
record = (
    env["hr.enforcement.av.record"]
    .with_user(officer.user_id)
    .create(
        {
            "case_id": case.id,
            "name": "Two nodes: site video",
            "media_type": "video",
            "officer_id": officer.id,
            "device_id": env.ref("hr_enforcement_record.av_device_bodycam_zhang_demo").id,
        }
    )
)
env.cr.commit()
print(f"RECORD_ID={record.id}")

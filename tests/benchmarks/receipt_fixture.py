# ruff: noqa: F821, E501  (`env` is given by odoo-bin shell; the template lines are long)
# Run inside `odoo-bin shell`: N services with issued receipt codes on the demo case that is
# in its service stage, and a QWeb (wkhtmltopdf) report of the same receipts to compare with.
import io
import os

count = int(os.environ.get("BENCH_RECEIPTS", "500"))
officer = env.ref("hr_enforcement_record.employee_officer_zhang_demo")
case = env.ref("hr_enforcement_record.case_annual_review_demo")
document = env["hr.enforcement.text.record"].create(
    {
        "case_id": case.id,
        "name": "行政处理决定书",
        "document_type_id": env.ref("hr_enforcement_record.document_type_other").id,
        "author_id": officer.id,
    }
)
# a 文号 is the numbering's alone (R22.3): the fixture writes one as the application would
document._app().write({"document_number": "金普人社监理〔2026〕7号"})
env["hr.enforcement.evidence.file"]._create_from_stream(
    io.BytesIO(b"%PDF-1.4 decision"), "decision.pdf", document
)
document.action_seal()
partner = env["res.partner"].create({"name": "大连某某建筑劳务有限公司"})
services = env["hr.enforcement.service"].create(
    [
        {
            "case_id": case.id,
            "document_id": document.id,
            "recipient_id": partner.id,
            "method": "direct",
            "place": f"大连市金普新区某某路{index}号",
            "server_id": officer.id,
        }
        for index in range(count)
    ]
)
services.action_issue_receipt()

# Scan lookup: how many queries resolving a scanned code costs, and their plan.
Service = env["hr.enforcement.service"]
code = services[-1].receipt_code
Service._lookup_receipt(code)  # warm the registry and the secret
env.invalidate_all()
before = env.cr.sql_log_count
found, result = Service._lookup_receipt(code)
print(f"SCAN lookup of {code}: {result}, {env.cr.sql_log_count - before} query")
env.cr.execute(
    "EXPLAIN SELECT id, receipt_version, receipt_doc_hash, returned FROM hr_enforcement_service "
    "WHERE id = %s",
    [found.id],
)
print("SCAN plan: " + " / ".join(row[0].strip() for row in env.cr.fetchall()))

# The same receipt, as Odoo prints a document: a QWeb template in the company's external
# layout rendered by wkhtmltopdf, with the QR code from Odoo's own /report/barcode route.
PAGE = """
      <t t-set="labels" t-value="doc._get_receipt_labels()"/>
      <t t-set="data" t-value="doc._get_receipt_data()"/>
      <div class="page" style="font-family: 'WenQuanYi Micro Hei'; page-break-after: always;">
        <h4 style="text-align:center" t-out="data['authority']"/>
        <h2 style="text-align:center" t-out="labels['title']"/>
        <img style="float:right;width:32mm"
             t-att-src="'/report/barcode/?barcode_type=QR&amp;width=240&amp;height=240&amp;value=%s' % data['code']"/>
        <p><span t-out="labels['case']"/>: <span t-out="data['case']"/></p>
        <table style="width:100%;border-collapse:collapse" border="1">
          <tr><td style="width:42mm" t-out="labels['document']"/><td t-out="data['document']"/></tr>
          <tr><td t-out="labels['recipient']"/><td t-out="data['recipient']"/></tr>
          <tr><td t-out="labels['place']"/><td t-out="data['place']"/></tr>
          <tr><td t-out="labels['method']"/><td t-out="data['method']"/></tr>
          <tr style="height:30mm"><td t-out="labels['recipient_sign']"/><td/></tr>
          <tr style="height:24mm"><td t-out="labels['proxy_sign']"/><td/></tr>
          <tr style="height:24mm"><td t-out="labels['server_sign']"/><td t-out="data['server']"/></tr>
          <tr style="height:24mm"><td t-out="labels['witness_sign']"/><td t-out="data['witness']"/></tr>
          <tr style="height:46mm"><td t-out="labels['remarks']"/><td t-out="data['remarks']"/></tr>
        </table>
        <p t-out="data['footer']"/>
      </div>
"""
VARIANTS = {
    # the page alone in Odoo's report container
    "report_receipt_plain": PAGE,
    # as Odoo prints a business document: in the company's external layout
    "report_receipt_layout": f'<t t-call="web.external_layout">{PAGE}</t>',
}
for name, body in VARIANTS.items():
    key = f"hr_enforcement_bench.{name}"
    arch = (
        f'<t t-name="{key}"><t t-call="web.html_container">'
        f'<t t-foreach="docs" t-as="doc">{body}</t></t></t>'
    )
    view = env["ir.ui.view"].create({"name": key, "type": "qweb", "arch": arch, "key": key})
    env["ir.model.data"].create(
        {"module": "hr_enforcement_bench", "name": name, "model": "ir.ui.view", "res_id": view.id}
    )
    env["ir.actions.report"].create(
        {
            "name": key,
            "model": "hr.enforcement.service",
            "report_type": "qweb-pdf",
            "report_name": key,
        }
    )
env.cr.commit()
print(f"SERVICE_IDS={','.join(map(str, services.ids))}")

/** @odoo-module **/

import { registry } from "@web/core/registry";

registry.category("web_tour.tours").add("hr_enforcement_evidence_upload_tour", {
    steps: () => [
        {
            content: "Choose a scanned PDF in the upload button of the AV record",
            trigger: ".o_hr_enforcement_evidence_upload",
            run() {
                const pdf = "%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n";
                const file = new File([pdf], "tour-scan.pdf", { type: "application/pdf" });
                const transfer = new DataTransfer();
                transfer.items.add(file);
                const input = this.anchor.querySelector("input[type=file]");
                input.files = transfer.files;
                input.dispatchEvent(new Event("change", { bubbles: true }));
            },
        },
        {
            content: "The stored file is listed with its SHA-256",
            trigger: ".o_field_widget[name=file_ids] .o_data_row:contains(tour-scan.pdf)",
        },
    ],
});

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

// The same bytes, name and date before and after the reload: the browser's key of the upload.
const RESUME_NAME = "tour-video.pdf";
const RESUME_DATE = 1764547200000;
function resumeFile() {
    const body = "%PDF-1.4\n" + "0123456789abcdef".repeat(4096) + "\n%%EOF\n";
    return new File([body], RESUME_NAME, { type: "application/pdf", lastModified: RESUME_DATE });
}

registry.category("web_tour.tours").add("hr_enforcement_evidence_resume_tour", {
    steps: () => [
        {
            content: "An upload started earlier sent its first half, then the page was closed",
            trigger: ".o_hr_enforcement_evidence_upload",
            async run() {
                const recordId = window.location.pathname.split("/").pop();
                const file = resumeFile();
                const half = Math.floor(file.size / 2);
                const tus = { "Tus-Resumable": "1.0.0" };
                const created = await fetch(`/hr_enforcement/tus/hr.enforcement.av.record/${recordId}`, {
                    method: "POST",
                    headers: {
                        ...tus,
                        "Upload-Length": String(file.size),
                        "Upload-Metadata": `filename ${btoa(RESUME_NAME)}`,
                    },
                });
                const location = created.headers.get("Location");
                // a first half the server keeps as it came (marked, so the test sees it is kept)
                const sent = "%PDF-1.4\n" + "X".repeat(half - 9);
                await fetch(location, {
                    method: "PATCH",
                    headers: {
                        ...tus,
                        "Upload-Offset": "0",
                        "Content-Type": "application/offset+octet-stream",
                    },
                    body: sent,
                });
                const key = [
                    "hr_enforcement_tus",
                    "hr.enforcement.av.record",
                    recordId,
                    RESUME_NAME,
                    file.size,
                    RESUME_DATE,
                ].join(":");
                localStorage.setItem(key, location);
                window.location.reload();
            },
        },
        {
            content: "After the reload, choose the same file again",
            trigger: ".o_hr_enforcement_evidence_upload",
            run() {
                const transfer = new DataTransfer();
                transfer.items.add(resumeFile());
                const input = this.anchor.querySelector("input[type=file]");
                input.files = transfer.files;
                input.dispatchEvent(new Event("change", { bubbles: true }));
            },
        },
        {
            content: "It was resumed and stored",
            trigger: `.o_field_widget[name=file_ids] .o_data_row:contains(${RESUME_NAME})`,
        },
    ],
});

/** @odoo-module **/

import { Component, useState } from "@odoo/owl";
import { registry } from "@web/core/registry";
import { useService } from "@web/core/utils/hooks";
import { standardWidgetProps } from "@web/views/widgets/standard_widget_props";

/**
 * Sends each chosen file as the raw body of one request to the streaming evidence route, so
 * the browser streams it from disk and the server hashes it while storing it (R22.3, R22.4):
 * no base64, no size limit of the stock attachment upload.
 */
export class EvidenceUpload extends Component {
    static template = "hr_enforcement_record.EvidenceUpload";
    static props = { ...standardWidgetProps };

    setup() {
        this.notification = useService("notification");
        this.state = useState({ busy: false, current: "" });
    }

    async onFilesChosen(ev) {
        const record = this.props.record;
        const files = [...ev.target.files];
        ev.target.value = "";
        if (!files.length || !(await record.save())) {
            return;
        }
        this.state.busy = true;
        try {
            for (const file of files) {
                this.state.current = file.name;
                const url =
                    `/hr_enforcement/evidence/upload/${record.resModel}/${record.resId}` +
                    `?filename=${encodeURIComponent(file.name)}`;
                const response = await fetch(url, {
                    method: "POST",
                    body: file,
                    headers: { "Content-Type": "application/octet-stream" },
                });
                const result = await response.json();
                this.notification.add(`${file.name}: ${result.message}`, {
                    type: response.ok ? "success" : "danger",
                    sticky: !response.ok,
                });
            }
        } finally {
            this.state.busy = false;
            this.state.current = "";
            await record.load();
        }
    }
}

registry.category("view_widgets").add("hr_enforcement_evidence_upload", {
    component: EvidenceUpload,
});

/** @odoo-module **/

import { Component, useState } from "@odoo/owl";
import { _t } from "@web/core/l10n/translation";
import { registry } from "@web/core/registry";
import { useService } from "@web/core/utils/hooks";
import { standardWidgetProps } from "@web/views/widgets/standard_widget_props";

const TUS = { "Tus-Resumable": "1.0.0" };
const CHUNK = 8 * 1024 * 1024; // each chunk is a short request, within the workers' limits
const RETRIES = 5;

function base64(text) {
    return btoa(String.fromCharCode(...new TextEncoder().encode(text)));
}

function sleep(ms) {
    return new Promise((resolve) => setTimeout(resolve, ms));
}

/**
 * Uploads each chosen file with the tus protocol to the evidence store (R18.2, R22.3, R22.4):
 * chunk after chunk at the offset the server holds, with a progress bar, pause and resume;
 * a dropped network is retried from where the server stands, and choosing the same file
 * again after a page reload resumes it. The server hashes and registers the file at its
 * last byte.
 */
export class EvidenceUpload extends Component {
    static template = "hr_enforcement_record.EvidenceUpload";
    static props = { ...standardWidgetProps };

    setup() {
        this.notification = useService("notification");
        this.state = useState({ busy: false, current: "", progress: 0, paused: false });
    }

    storageKey(record, file) {
        return [
            "hr_enforcement_tus",
            record.resModel,
            record.resId,
            file.name,
            file.size,
            file.lastModified,
        ].join(":");
    }

    togglePause() {
        this.state.paused = !this.state.paused;
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
                await this.uploadFile(record, file);
            }
        } finally {
            Object.assign(this.state, { busy: false, current: "", progress: 0, paused: false });
            await record.load();
        }
    }

    async serverOffset(location) {
        const response = await fetch(location, { method: "HEAD", headers: TUS });
        return response.ok ? Number(response.headers.get("Upload-Offset")) : null;
    }

    async uploadFile(record, file) {
        this.state.current = file.name;
        const key = this.storageKey(record, file);
        let location = localStorage.getItem(key);
        let offset = location ? await this.serverOffset(location) : null;
        if (offset === null) {
            const created = await fetch(`/hr_enforcement/tus/${record.resModel}/${record.resId}`, {
                method: "POST",
                headers: {
                    ...TUS,
                    "Upload-Length": String(file.size),
                    "Upload-Metadata": `filename ${base64(file.name)}`,
                },
            });
            if (created.status !== 201) {
                this.fail(file, await created.text());
                return;
            }
            location = created.headers.get("Location");
            localStorage.setItem(key, location);
            offset = 0;
        }
        let failures = 0;
        while (offset < file.size) {
            if (this.state.paused) {
                await sleep(300);
                continue;
            }
            this.state.progress = Math.floor((offset * 100) / file.size);
            let response;
            try {
                response = await fetch(location, {
                    method: "PATCH",
                    headers: {
                        ...TUS,
                        "Upload-Offset": String(offset),
                        "Content-Type": "application/offset+octet-stream",
                    },
                    body: file.slice(offset, offset + CHUNK),
                });
            } catch {
                response = null; // the network dropped: ask the server where it stands
            }
            if (response && response.ok) {
                failures = 0;
                offset = Number(response.headers.get("Upload-Offset"));
                continue;
            }
            // 423: the server is registering the file; ask again
            if (response && ![409, 423, 460, 502, 503, 504].includes(response.status)) {
                localStorage.removeItem(key);
                this.fail(file, await response.text());
                return;
            }
            if (++failures > RETRIES) {
                this.state.paused = true; // the user resumes when the network is back
                this.notification.add(_t("%s: upload paused, the network is down.", file.name), {
                    type: "warning",
                });
                failures = 0;
            }
            await sleep(1000 * failures);
            const known = await this.serverOffset(location).catch(() => null);
            offset = known === null ? offset : known;
        }
        // "stored" only once the server confirms the file is registered (its evidence id)
        if (!(await this.registered(location))) {
            this.fail(file, _t("the server has not confirmed the registration; upload it again."));
            return;
        }
        localStorage.removeItem(key);
        this.notification.add(_t("%s: stored.", file.name), { type: "success" });
    }

    async registered(location) {
        for (let attempt = 0; attempt < 30; attempt++) {
            const response = await fetch(location, { method: "HEAD", headers: TUS }).catch(
                () => null
            );
            if (response && response.ok) {
                return Boolean(response.headers.get("Evidence-Id"));
            }
            if (response && response.status !== 423) {
                return false;
            }
            await sleep(2000);
        }
        return false;
    }

    fail(file, message) {
        this.notification.add(`${file.name}: ${message}`, { type: "danger", sticky: true });
    }
}

registry.category("view_widgets").add("hr_enforcement_evidence_upload", {
    component: EvidenceUpload,
});

import { Component, useRef, useState, onMounted } from "@odoo/owl";
import { _t } from "@web/core/l10n/translation";
import { registry } from "@web/core/registry";
import { useBus, useService } from "@web/core/utils/hooks";
import { scanBarcode } from "@web/core/barcode/barcode_dialog";
import { isBarcodeScannerSupported } from "@web/core/barcode/barcode_video_scanner";

/**
 * The screen where staff scan the QR code of a returned service receipt: a USB or
 * keyboard-wedge scanner types into the field (or anywhere on the screen: the barcode
 * service catches fast keystrokes), or the device camera reads it. The server checks the
 * code, logs the scan and opens the return form; a refused code only shows why.
 */
export class ReceiptScanner extends Component {
    static template = "hr_enforcement_service.ReceiptScanner";
    static props = ["*"];

    setup() {
        this.orm = useService("orm");
        this.action = useService("action");
        this.notification = useService("notification");
        this.input = useRef("code");
        this.state = useState({ code: "", busy: false });
        this.cameraSupported = isBarcodeScannerSupported();
        useBus(useService("barcode").bus, "barcode_scanned", (ev) =>
            this.submit(ev.detail.barcode)
        );
        onMounted(() => this.input.el.focus());
    }

    onKeydown(ev) {
        if (ev.key === "Enter") {
            ev.preventDefault();
            this.submit(this.state.code);
        }
    }

    async scanWithCamera() {
        try {
            const code = await scanBarcode(this.env);
            if (code) {
                await this.submit(code);
            }
        } catch (error) {
            this.notification.add(error.message || _t("The camera could not read a code."), {
                type: "warning",
            });
        }
    }

    async submit(code) {
        code = (code || "").trim();
        if (!code || this.state.busy) {
            return;
        }
        this.state.busy = true;
        try {
            const action = await this.orm.call("hr.enforcement.service", "action_scan_code", [
                code,
            ]);
            await this.action.doAction(action, {
                onClose: () => this.input.el?.focus(),
            });
        } finally {
            this.state.code = "";
            this.state.busy = false;
            this.input.el?.focus();
        }
    }
}

registry.category("actions").add("hr_enforcement_receipt_scanner", ReceiptScanner);

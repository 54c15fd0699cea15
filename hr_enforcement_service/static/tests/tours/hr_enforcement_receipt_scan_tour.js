import { registry } from "@web/core/registry";
import { rpc } from "@web/core/network/rpc";

/* The code printed on the receipt prepared by the test (the one waiting for its return). */
async function printedCode() {
    const [service] = await rpc("/web/dataset/call_kw/hr.enforcement.service/search_read", {
        model: "hr.enforcement.service",
        method: "search_read",
        args: [[["receipt_code", "!=", false], ["returned", "=", false]]],
        kwargs: { fields: ["receipt_code"], limit: 1, order: "id desc" },
    });
    return service.receipt_code;
}

registry.category("web_tour.tours").add("hr_enforcement_receipt_scan_tour", {
    steps: () => [
        {
            content: "Scan a forged code first: it is refused",
            trigger: ".o_hr_enforcement_receipt_scanner input.o_receipt_code_input",
            run: `edit HRE${"A".repeat(32)} && press Enter`,
        },
        {
            content: "The code is refused with a warning",
            trigger: ".o_notification:has(.o_notification_bar.bg-danger)",
        },
        {
            content: "Scan the printed receipt",
            trigger: ".o_hr_enforcement_receipt_scanner input.o_receipt_code_input",
            async run(helpers) {
                // typed as a keyboard-wedge scanner does: the characters, then Enter
                await helpers.edit(await printedCode());
                await helpers.press("Enter");
            },
        },
        {
            content: "The return form opens; the signer's name",
            trigger: ".modal .o_field_widget[name=signer_name] input",
            run: "edit Zhou Fang",
        },
        {
            content: "Attach the scan of the signed paper",
            trigger: ".modal .o_field_widget[name=scan] input[type=file]:not(:visible)",
            run() {
                const file = new File(["%PDF-1.4 signed receipt"], "signed-receipt.pdf", {
                    type: "application/pdf",
                });
                const transfer = new DataTransfer();
                transfer.items.add(file);
                this.anchor.files = transfer.files;
                this.anchor.dispatchEvent(new Event("change", { bubbles: true }));
            },
        },
        {
            content: "The file is attached",
            trigger: ".modal .o_field_widget[name=scan] .o_clear_file_button",
        },
        {
            content: "Register the return",
            trigger: ".modal button[name=action_confirm]",
            run: "click",
        },
        {
            content: "The return is confirmed",
            trigger: ".o_notification:has(.o_notification_bar.bg-success)",
        },
    ],
});

/** @odoo-module **/

/**
 * Printouts drawn by the server with reportlab (report_file "hr_enforcement_reportlab") need
 * no wkhtmltopdf: download them as PDF at once instead of letting the web client fall back
 * to HTML when wkhtmltopdf is absent.
 */
import { registry } from "@web/core/registry";
import { download } from "@web/core/network/download";
import { user } from "@web/core/user";

export async function reportlabReportHandler(action, options, env) {
    if (action.report_type !== "qweb-pdf" || action.report_file !== "hr_enforcement_reportlab") {
        return false;
    }
    const ids = (action.context && action.context.active_ids) || [];
    const url = `/report/pdf/${action.report_name}/${ids.join(",")}`;
    env.services.ui.block();
    try {
        await download({
            url: "/report/download",
            data: {
                data: JSON.stringify([url, action.report_type]),
                context: JSON.stringify({ ...user.context, ...(action.context || {}) }),
            },
        });
    } finally {
        env.services.ui.unblock();
    }
    if (options.onClose) {
        options.onClose();
    }
    return true;
}

registry
    .category("ir.actions.report handlers")
    .add("hr_enforcement_reportlab", reportlabReportHandler);

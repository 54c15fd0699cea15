/** @odoo-module **/

/**
 * A numbered decision, in zh_CN (R12.1, R13.1, R14.1): the officer issues the 决定书 from
 * the case — filled, numbered (文号), printed and sealed — and serves it.
 */
import { registry } from "@web/core/registry";
import { pickMany2one } from "@hr_enforcement_record/../tests/tours/tour_helpers";

registry.category("web_tour.tours").add("hr_enforcement_issue_decision_tour", {
    steps: () => [
        {
            content: "An officer lands on My Cases (我的案件)",
            trigger: ".o_breadcrumb:contains(我的案件)",
        },
        {
            content: "Open the approved case",
            trigger: ".o_data_row:contains(ZF2026-00002) td.o_data_cell",
            run: "click",
        },
        {
            content: "Issue a document (制作文书)",
            trigger: ".o_statusbar_buttons button[name=action_issue_document]",
            run: "click",
        },
        ...pickMany2one("document_type_id", "行政处罚决定书"),
        {
            content: "Issue it",
            trigger: ".modal-footer button[name=action_issue]",
            run: "click",
        },
        {
            content: "The issued document carries its number (文号)",
            trigger: ".o_form_view .o_field_widget[name=document_number]:contains(金普人社罚决字)",
        },
        {
            content: "It is locked (已锁定)",
            trigger: ".o_form_view .ribbon:contains(已锁定)",
        },
        {
            content: "Back to the case",
            trigger: ".o_breadcrumb .breadcrumb-item a:contains(ZF2026-00002)",
            run: "click",
        },
        {
            content: "More smart buttons (更多)",
            trigger: ".o-form-buttonbox .o_button_more",
            run: "click",
        },
        {
            content: "Its services (送达)",
            trigger: ".oe_stat_button:has([name=service_count])",
            run: "click",
        },
        {
            content: "New service",
            trigger: ".o_list_button_add",
            run: "click",
        },
        ...pickMany2one("document_id", "行政处罚决定书"),
        ...pickMany2one("recipient_id", "某餐饮管理有限公司"),
        {
            content: "The form shows the document's number",
            trigger: ".o_field_widget[name=document_number]:contains(金普人社罚决字)",
        },
        {
            content: "Served directly (直接送达)",
            trigger: ".o_field_widget[name=method] select",
            run: 'select "direct"',
        },
        {
            content: "Save the service",
            trigger: ".o_form_button_save",
            run: "click",
        },
        {
            content: "Saved",
            trigger: ".o_form_saved",
        },
        {
            content: "Print the service receipt (打印送达回证)",
            trigger: ".o_statusbar_buttons button[name=action_print_receipts]",
            run: "click",
        },
        {
            content: "Its code is issued with the print",
            trigger: ".o_field_widget[name=receipt_code]:contains(HRE)",
        },
    ],
});

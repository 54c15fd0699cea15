/** @odoo-module **/

/**
 * A handling decision paid in part, then in full (R15.1; 劳动保障监察条例 第二十六条): the
 * officer records each payment from the case and sees what is still owed.
 */
import { registry } from "@web/core/registry";

function recordPayment(amount, receipt) {
    return [
        {
            content: "Record a payment (登记缴纳)",
            trigger: ".o_statusbar_buttons button[name=action_record_payment]",
            run: "click",
        },
        {
            content: "The amount still owed is proposed",
            trigger: ".modal .o_field_widget[name=amount_id] input",
        },
        {
            content: `Paid ${amount}`,
            trigger: ".modal .o_field_widget[name=amount] input",
            run: `edit ${amount}`,
        },
        {
            content: "The proof of payment",
            trigger: ".modal .o_field_widget[name=receipt_number] input",
            run: `edit ${receipt}`,
        },
        {
            content: "Save the payment",
            trigger: ".modal .o_form_button_save",
            run: "click",
        },
        {
            content: "The dialog closes",
            trigger: "body:not(:has(.modal))",
        },
        {
            content: "Amounts and payments (金额与缴纳)",
            trigger: ".o_notebook .nav-link[name=amounts]",
            run: "click",
        },
    ];
}

registry.category("web_tour.tours").add("hr_enforcement_treatment_payment_tour", {
    steps: () => [
        {
            content: "An officer lands on My Cases (我的案件)",
            trigger: ".o_breadcrumb:contains(我的案件)",
        },
        {
            content: "Open the wage arrears case",
            trigger: ".o_data_row:contains(ZF2026-00001) td.o_data_cell",
            run: "click",
        },
        ...recordPayment("100000", "建设银行回单0001"),
        {
            content: "Partly paid (部分缴纳), 180,000 still owed",
            trigger:
                ".o_field_widget[name=amount_ids] .o_data_row:contains(部分缴纳):contains(180,000.00)",
        },
        ...recordPayment("180000", "建设银行回单0002"),
        {
            content: "Paid in full (已缴清)",
            trigger: ".o_field_widget[name=amount_ids] .o_data_row:contains(已缴清)",
        },
        {
            content: "Wages recovered",
            trigger: ".o_field_widget[name=wages_paid]:contains(280,000.00)",
        },
    ],
});

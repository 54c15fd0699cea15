/** @odoo-module **/

/**
 * A handling decision paid in part, then in full (R15.1; 劳动保障监察条例 第二十六条): the
 * officer records each payment from the case and sees what is still owed.
 */
import { registry } from "@web/core/registry";
import { pickMany2one } from "@hr_enforcement_record/../tests/tours/tour_helpers";

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

/**
 * A penalty where the party waives its rights in writing (R16.1; 行政处罚法 第四十四、六十二条):
 * the officer writes the advance notice from the case, issues its numbered 告知书, records
 * its service and the party's signed waiver, then proposes the decision.
 */
registry.category("web_tour.tours").add("hr_enforcement_penalty_waiver_tour", {
    steps: () => [
        {
            content: "An officer lands on My Cases (我的案件)",
            trigger: ".o_breadcrumb:contains(我的案件)",
        },
        {
            content: "Open the case at review & decision",
            trigger: ".o_data_row:contains(超时加班（书面放弃）) td.o_data_cell",
            run: "click",
        },
        {
            content: "No decision without the notice: write it (事先告知)",
            trigger: ".o_statusbar_buttons button[name=action_new_notice]:contains(事先告知)",
            run: "click",
        },
        {
            content: "The proposed penalty comes from the case",
            trigger: ".o_field_widget[name=proposed_decision] textarea:value(罚款)",
        },
        {
            content: "The reasons",
            trigger: ".o_field_widget[name=reasons] textarea",
            run: "edit 安排8名劳动者超时加班，按每人伍佰元计算。",
        },
        {
            content: "Save the notice",
            trigger: ".o_form_button_save",
            run: "click",
        },
        {
            content: "Issue the numbered notice (制作告知书)",
            trigger: "button[name=action_issue_document]:contains(制作告知书)",
            run: "click",
        },
        {
            content: "The 告知书 carries its number",
            trigger: ".o_field_widget[name=document_number]:contains(金普人社罚告字)",
        },
        {
            content: "Back to the notice",
            trigger: ".o_breadcrumb .breadcrumb-item a:contains(事先告知)",
            run: "click",
        },
        {
            content: "Served today",
            trigger: ".o_field_widget[name=date_served] input",
            run: "edit +0d",
        },
        {
            content: "Save the service date",
            trigger: ".o_form_button_save",
            run: "click",
        },
        {
            content: "Saved",
            trigger: ".o_form_saved",
        },
        ...pickMany2one("waiver_record_id", "放弃陈述"),
        {
            content: "Record the written waiver (登记书面放弃)",
            trigger: "button[name=action_record_waiver]:contains(登记书面放弃)",
            run: "click",
        },
        {
            content: "Waived in writing",
            trigger: ".o_field_widget[name=waived] input:checked",
        },
        {
            content: "Back to the case",
            trigger: ".o_breadcrumb .breadcrumb-item a:contains(ZF2026-)",
            run: "click",
        },
        {
            content: "Propose the decision (提请决定审批)",
            trigger: "button[name=action_request_approval]:contains(提请决定审批)",
            run: "click",
        },
        {
            content: "Write the proposal",
            trigger: ".o_field_widget[name=proposal] textarea",
            run: "edit 当事人书面放弃陈述申辩权利，拟按告知内容作出行政处罚。",
        },
        {
            content: "Submit it for review (提交审核)",
            trigger: "button[name=action_submit]:contains(提交审核)",
            run: "click",
        },
        {
            content: "It awaits review",
            trigger: ".o_statusbar_status .o_arrow_button_current[data-value=submitted]",
        },
    ],
});

/**
 * A penalty with a hearing (R9.1, R10.1; 行政处罚法 第六十三至六十五条): the officer records
 * the hearing the party requested — presided by a colleague who did not investigate,
 * notified seven working days before, AV-recorded, its signed transcript, its report.
 */
registry.category("web_tour.tours").add("hr_enforcement_hearing_tour", {
    steps: () => [
        {
            content: "An officer lands on My Cases (我的案件)",
            trigger: ".o_breadcrumb:contains(我的案件)",
        },
        {
            content: "Open the case whose party asked for a hearing",
            trigger: ".o_data_row:contains(超时加班（听证）) td.o_data_cell",
            run: "click",
        },
        {
            content: "More smart buttons (更多)",
            trigger: ".o-form-buttonbox .o_button_more",
            run: "click",
        },
        {
            content: "Its hearings (听证)",
            trigger: ".oe_stat_button:has([name=hearing_count])",
            run: "click",
        },
        {
            content: "The requested hearing",
            trigger: ".o_data_row:contains(已申请) td.o_data_cell",
            run: "click",
        },
        ...pickMany2one("presiding_id", "王强"),
        {
            content: "The party was told twenty-five days ago",
            trigger: ".o_field_widget[name=hearing_notice_date] input",
            run: "edit -25d",
        },
        {
            content: "Held ten days ago",
            trigger: ".o_field_widget[name=hearing_datetime] input",
            run: "edit -10d",
        },
        {
            content: "Where",
            trigger: ".o_field_widget[name=venue] input",
            run: "edit 金普新区人社局听证室",
        },
        {
            content: "Notified (已通知听证)",
            trigger: "button[name=action_notify]:contains(已通知听证)",
            run: "click",
        },
        {
            content: "Now notified",
            trigger: ".o_statusbar_status .o_arrow_button_current[data-value=notified]",
        },
        ...pickMany2one("av_record_id", "听证录像"),
        ...pickMany2one("transcript_id", "听证笔录"),
        {
            content: "Held (已听证)",
            trigger: "button[name=action_held]:contains(已听证)",
            run: "click",
        },
        {
            content: "Now held",
            trigger: ".o_statusbar_status .o_arrow_button_current[data-value=held]",
        },
        ...pickMany2one("report_id", "听证报告"),
        {
            content: "The report is written (已写听证报告)",
            trigger: "button[name=action_report]:contains(已写听证报告)",
            run: "click",
        },
        {
            content: "Reported",
            trigger: ".o_statusbar_status .o_arrow_button_current[data-value=reported]",
        },
    ],
});

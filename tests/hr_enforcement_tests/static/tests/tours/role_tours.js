/** @odoo-module **/

/**
 * A day's work in the Chinese web client, one tour per role, by clicking from where each
 * user lands (no action URLs). The demo users work in zh_CN; Chinese labels are asserted
 * where the journey depends on them.
 */
import { registry } from "@web/core/registry";
import { pickMany2one } from "@hr_enforcement_record/../tests/tours/tour_helpers";
import { stepUtils } from "@web_tour/tour_service/tour_utils";

const tours = registry.category("web_tour.tours");

function backToCase(reference) {
    return {
        content: `Back to ${reference} by its breadcrumb`,
        trigger: `.o_breadcrumb .breadcrumb-item a:contains(${reference})`,
        run: "click",
    };
}

/** Save a record made from a case, check it took the case, and go back to it. */
function saveOnCase(reference) {
    return [
        {
            content: "Save",
            trigger: ".o_form_button_save",
            run: "click",
        },
        {
            content: "The record took the case",
            trigger: `.o_form_saved .o_field_widget[name=case_id]:contains(${reference})`,
        },
        backToCase(reference),
    ];
}

/** Add an officer line to an investigation step: the valid certificate fills itself. */
function addOfficerLine(name) {
    return [
        {
            content: `Add ${name} to the officers present`,
            trigger: ".o_field_widget[name=officer_line_ids] .o_field_x2many_list_row_add a",
            run: "click",
        },
        ...pickMany2one("employee_id", name),
        {
            content: `${name}'s certificate is filled in`,
            trigger: ".o_selected_row .o_field_widget[name=certificate_id] input:value(2102)",
        },
    ];
}

function openFromActivities(model) {
    return [
        {
            content: "Pending work is in my activities",
            trigger: ".o-mail-ActivityMenu-counter",
            run: "click",
        },
        {
            content: "Open the approvals waiting for me",
            trigger: `.o-mail-ActivityGroup[data-model_name='${model}']`,
            run: "click",
        },
        {
            content: "Open the request",
            trigger: ".o_data_row td.o_data_cell",
            run: "click",
        },
        {
            content: "The form shows what is being decided",
            trigger: ".o_form_view .o_field_widget[name=case_facts]",
        },
    ];
}

tours.add("hr_enforcement_officer_day_tour", {
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
        {
            content: "Its text records (文字记录)",
            trigger: ".oe_stat_button:has([name=text_record_count]):contains(文字记录)",
            run: "click",
        },
        {
            content: "New text record",
            trigger: ".o_list_button_add",
            run: "click",
        },
        {
            content: "Title",
            trigger: ".o_field_widget[name=name] input",
            run: "edit 询问建筑公司财务负责人",
        },
        ...pickMany2one("document_type_id", "询问笔录"),
        // R8.1: an inquiry is made by two certified officers
        ...pickMany2one("certificate_ids", "张伟"),
        ...pickMany2one("certificate_ids", "孙磊"),
        ...saveOnCase("ZF2026-00001"),
        {
            content: "Its AV records (音像记录)",
            trigger: ".oe_stat_button:has([name=av_record_count]):contains(音像记录)",
            run: "click",
        },
        {
            content: "New AV record",
            trigger: ".o_list_button_add",
            run: "click",
        },
        {
            content: "Title",
            trigger: ".o_field_widget[name=name] input",
            run: "edit 工地现场询问录像",
        },
        {
            content: "A video",
            trigger: ".o_field_widget[name=media_type] select",
            run: 'select "video"',
        },
        ...pickMany2one("device_id", "执法记录仪 01"),
        ...saveOnCase("ZF2026-00001"),
        // R8.1: an investigation step names two certified officers, picked by the officer
        // who has no HR rights (colleagues are read through their public profiles)
        {
            content: "Its investigation steps (调查记录)",
            trigger: ".oe_stat_button:has([name=investigation_count])",
            run: "click",
        },
        {
            content: "New investigation step",
            trigger: ".o_list_button_add",
            run: "click",
        },
        {
            content: "Subject",
            trigger: ".o_field_widget[name=name] input",
            run: "edit 工地现场检查",
        },
        {
            content: "An on-site inspection",
            trigger: ".o_field_widget[name=step_type] select",
            run: 'select "inspection"',
        },
        {
            content: "Signed by the party",
            trigger: ".o_field_widget[name=party_signed] input",
            run: "click",
        },
        ...addOfficerLine("张伟"),
        ...addOfficerLine("孙磊"),
        {
            content: "Two officers present",
            trigger: ".o_field_widget[name=officer_count]:contains(2)",
        },
        {
            content: "Save",
            trigger: ".o_form_button_save",
            run: "click",
        },
        {
            content: "Stored: the breadcrumb names the step",
            trigger: ".o_breadcrumb .active:contains(工地现场检查)",
        },
        backToCase("ZF2026-00001"),
        {
            content: "Ask for more investigation time (申请延长调查期限)",
            trigger: "button[name=action_request_approval]:contains(申请延长调查期限)",
            run: "click",
        },
        {
            content: "Write the reasons",
            trigger: ".o_field_widget[name=proposal] textarea",
            run: "edit 涉及农民工人数较多，需延长调查期限。",
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

tours.add("hr_enforcement_reviewer_day_tour", {
    steps: () => [
        ...openFromActivities("hr.enforcement.approval"),
        {
            content: "The reviewer may not withdraw the handler's request",
            trigger: ".o_form_view:not(:has(button[name=action_cancel]))",
        },
        {
            content: "Write the review opinion",
            trigger: ".o_field_widget[name=review_opinion] textarea",
            run: "edit 理由充分，同意报批。",
        },
        {
            content: "Reviewed, pass on (审核通过，报批)",
            trigger: "button[name=action_review]:contains(审核通过)",
            run: "click",
        },
        {
            content: "It awaits approval",
            trigger: ".o_statusbar_status .o_arrow_button_current[data-value=reviewed]",
        },
    ],
});

tours.add("hr_enforcement_approver_day_tour", {
    steps: () => [
        ...openFromActivities("hr.enforcement.approval"),
        {
            content: "Write the decision",
            trigger: ".o_field_widget[name=approval_opinion] textarea",
            run: "edit 同意。",
        },
        {
            content: "Approve (批准)",
            trigger: "button[name=action_approve]:contains(批准)",
            run: "click",
        },
        {
            content: "Approved",
            trigger: ".o_statusbar_status .o_arrow_button_current[data-value=approved]",
        },
    ],
});

tours.add("hr_enforcement_archivist_day_tour", {
    steps: () => [
        {
            content: "The archivist lands on the cases to archive (待归档案件)",
            trigger: ".o_breadcrumb:contains(待归档案件)",
        },
        {
            content: "Make the case file from the list",
            trigger: ".o_data_row:contains(用人单位劳动保障年度书面审查) button[name=action_open_case_file]",
            run: "click",
        },
        {
            content: "Archive it",
            trigger: ".o_form_view button[name=action_archive_file]",
            run: "click",
        },
        {
            content: "Confirm",
            trigger: ".modal-footer .btn-primary",
            run: "click",
        },
        {
            content: "Archived: ribbon and archive number",
            trigger: ".o_form_view .ribbon",
        },
        {
            content: "Hand it over to the archives (移交)",
            trigger: ".o_form_view button[name=action_open_transfer_wizard]:contains(移交)",
            run: "click",
        },
        {
            content: "Name the receiving archive",
            trigger: ".modal .o_field_widget[name=receiving_archive] input",
            run: "edit 区档案馆",
        },
        {
            content: "Build the package and transfer",
            trigger: ".modal-footer button[name=action_transfer]",
            run: "click",
        },
        {
            content: "The transfer, with its package and digest",
            trigger:
                ".o_form_view:has(.o_field_widget[name=receiving_archive]:contains(区档案馆)) .o_field_widget[name=package_sha256]:not(:empty)",
        },
    ],
});

tours.add("hr_enforcement_supervisor_day_tour", {
    steps: () => [
        stepUtils.showAppsMenuItem(),
        {
            content: "Open the Enforcement app",
            trigger: ".o_app[data-menu-xmlid='hr_enforcement_record.hr_enforcement_menu_root']",
            run: "click",
        },
        {
            content: "Reporting",
            trigger:
                ".o_menu_sections [data-menu-xmlid='hr_enforcement_record.hr_enforcement_reporting_menu']",
            run: "click",
        },
        {
            content: "Recording violations",
            trigger: ".dropdown-item[data-menu-xmlid='hr_enforcement_archive.hr_enforcement_violation_menu']",
            run: "click",
        },
        {
            content: "Open the violation",
            trigger: ".o_data_row td.o_data_cell",
            run: "click",
        },
        {
            content: "The supervisor reads it: nothing to edit, no save",
            trigger:
                ".o_form_view:not(:has(.o_form_button_save)) .o_form_readonly:has(.o_field_widget[name=rectification_note])",
        },
        {
            content: "Ordering a rectification is the supervisor's own action (责令整改)",
            trigger: ".o_form_view button[name=action_order_rectification]:contains(责令整改)",
            run: "click",
        },
        {
            content: "Amend the due date in the dialog",
            trigger: ".modal .o_field_widget[name=rectification_order] textarea",
            run: "edit 限期十五日内补录音像记录。",
        },
        {
            content: "Order",
            trigger: ".modal-footer button[name=action_confirm]",
            run: "click",
        },
        {
            content: "The order is in force",
            trigger: ".o_form_view .o_field_widget[name=rectification_order]:contains(限期十五日内补录音像记录)",
        },
    ],
});

function openPostalService() {
    return [
        {
            content: "Open the case whose decision was served",
            trigger: ".o_data_row:contains(用人单位劳动保障年度书面审查) td.o_data_cell",
            run: "click",
        },
        {
            content: "More buttons of the case",
            trigger: ".o-form-buttonbox .o_button_more",
            run: "click",
        },
        {
            content: "Its services",
            trigger: ".oe_stat_button:has([name=service_count])",
            run: "click",
        },
        {
            // served in person, its signed receipt back; the EMS one still awaits its return
            content: "The postal service (邮寄送达)",
            trigger: ".o_data_row:contains(邮寄送达) td.o_data_cell",
            run: "click",
        },
    ];
}

tours.add("hr_enforcement_officer_print_tour", {
    steps: () => [
        ...openPostalService(),
        {
            content: "Print the receipt",
            trigger: ".o_form_view button[name=action_print_receipts]",
            run: "click",
        },
        {
            content: "Print it again: the same receipt",
            trigger: ".o_form_view button[name=action_print_receipts]",
            run: "click",
        },
        {
            content: "A reprint is its own button (重新打印送达回证)",
            trigger: ".o_form_view button[name=action_reprint_receipts]:contains(重新打印)",
        },
    ],
});

tours.add("hr_enforcement_officer_reprint_tour", {
    steps: () => [
        ...openPostalService(),
        {
            content: "Reprint (the paper was lost)",
            trigger: ".o_form_view button[name=action_reprint_receipts]",
            run: "click",
        },
        {
            content: "The confirmation says the old paper will be refused",
            trigger: ".modal-body:contains(拒绝)",
        },
        {
            content: "Confirm",
            trigger: ".modal-footer .btn-primary",
            run: "click",
        },
        {
            content: "The reprint is written on the service",
            trigger: ".o-mail-Message:contains(重新打印了送达回证)",
        },
    ],
});

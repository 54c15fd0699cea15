/** @odoo-module **/

/**
 * Licensing, confirmation and cancellation in zh_CN (R6.1, R21.1): a licence accepted by
 * law when nobody asked for a supplement in time (行政许可法 第三十二条), a licence refused with
 * its numbered 不予行政许可决定书, a 工伤认定 suspended and resumed (工伤保险条例 第二十条),
 * a case cancelled through the approval chain (撤销立案).
 */
import { registry } from "@web/core/registry";
import {
    openEnforcementMenu,
    pickMany2one,
} from "@hr_enforcement_record/../tests/tours/tour_helpers";

const tours = registry.category("web_tour.tours");

function openMyCase(reference) {
    return [
        {
            content: "An officer lands on My Cases (我的案件)",
            trigger: ".o_breadcrumb:contains(我的案件)",
        },
        {
            content: `Open ${reference}`,
            trigger: `.o_data_row:contains(${reference}) td.o_data_cell`,
            run: "click",
        },
    ];
}

function issueDocument(typeName, numberPrefix) {
    return [
        {
            content: "Issue a document (制作文书)",
            trigger: ".o_statusbar_buttons button[name=action_issue_document]",
            run: "click",
        },
        ...pickMany2one("document_type_id", typeName),
        {
            content: "Issue it",
            trigger: ".modal-footer button[name=action_issue]",
            run: "click",
        },
        {
            content: `The document carries its number (${numberPrefix})`,
            trigger: `.o_form_view .o_field_widget[name=document_number]:contains(${numberPrefix})`,
        },
    ];
}

tours.add("hr_enforcement_licence_deemed_accepted_tour", {
    steps: () => [
        ...openEnforcementMenu(
            "hr_enforcement_record.hr_enforcement_application_menu",
            "Applications (申请受理)"
        ),
        {
            content: "Open the application nobody asked to supplement in time",
            trigger: ".o_data_row:contains(已登记):contains(大连某劳务派遣有限公司) td.o_data_cell",
            run: "click",
        },
        {
            content: "The 5 working days are over: no supplement can be asked any more",
            trigger: ".o_form_view:not(:has(button[name=action_request_supplement]))",
        },
        {
            content: "Accept (受理)",
            trigger: ".o_statusbar_buttons button[name=action_accept]",
            run: "click",
        },
        {
            content: "Confirm",
            trigger: ".modal-footer .btn-primary",
            run: "click",
        },
        {
            content: "Accepted by law from its receipt (依法视为受理)",
            trigger: ".o_form_view .alert-info:contains(依法)",
        },
        {
            content: "The acceptance notice is numbered (许受字)",
            trigger: ".o_field_widget[name=acceptance_number]:contains(许受字)",
        },
        {
            content: "Open the licensing case",
            trigger: ".o_form_view button[name=action_view_case]",
            run: "click",
        },
        {
            content: "Filed by the acceptance: no opening approval is asked for",
            trigger:
                ".o_form_view:not(:has(button:contains(提请立案审批))) .o_statusbar_buttons button[name=action_start_investigation]",
        },
    ],
});

tours.add("hr_enforcement_licence_refused_tour", {
    steps: () => [
        ...openMyCase("劳务派遣经营许可（不予许可）"),
        ...issueDocument("不予行政许可决定书", "许不准字"),
        {
            content: "It is locked (已锁定)",
            trigger: ".o_form_view .ribbon:contains(已锁定)",
        },
    ],
});

tours.add("hr_enforcement_injury_suspended_tour", {
    steps: () => [
        ...openMyCase("工伤认定"),
        {
            content: "Suspend the determination (中止工伤认定)",
            trigger: ".o_statusbar_buttons button[name=action_suspend]",
            run: "click",
        },
        {
            content: "The conclusion awaited",
            trigger: ".modal .o_field_widget[name=awaited] input",
            run: "edit 劳动人事争议仲裁委员会关于劳动关系的裁决",
        },
        {
            content: "Why",
            trigger: ".modal .o_field_widget[name=reason] textarea",
            run: "edit 用人单位否认与申请人存在劳动关系。",
        },
        {
            content: "Save",
            trigger: ".modal .o_form_button_save",
            run: "click",
        },
        {
            content: "The period does not run (已中止)",
            trigger: ".o_form_view .alert-info:contains(中止)",
        },
        {
            content: "The award is in: resume (恢复工伤认定)",
            trigger: ".o_statusbar_buttons button[name=action_resume]",
            run: "click",
        },
        {
            content: "Resumed: the period runs again",
            trigger: ".o_form_view:not(:has(.alert-info:contains(中止))) button[name=action_suspend]",
        },
    ],
});

tours.add("hr_enforcement_cancellation_request_tour", {
    steps: () => [
        ...openMyCase("重复立案的加班案件"),
        {
            content: "The cancellation page (撤销立案)",
            trigger: ".o_notebook .nav-link[name=cancel]",
            run: "click",
        },
        {
            content: "Write the reasons",
            trigger: ".o_field_widget[name=cancel_reason] textarea",
            run: "edit 与ZF2026-00002系同一违法行为重复立案。",
        },
        {
            content: "Save",
            trigger: ".o_form_button_save",
            run: "click",
        },
        ...issueDocument("撤销立案审批表", "撤字"),
        {
            content: "Back to the case",
            trigger: ".o_breadcrumb .breadcrumb-item a:contains(ZF2026)",
            run: "click",
        },
        {
            content: "Ask for the cancellation (提请撤销立案)",
            trigger: ".o_statusbar_buttons button[name=action_request_approval]:contains(提请撤销立案)",
            run: "click",
        },
        {
            content: "Confirm",
            trigger: ".modal-footer .btn-primary",
            run: "click",
        },
        {
            content: "Write the proposal",
            trigger: ".o_field_widget[name=proposal] textarea",
            run: "edit 重复立案，拟撤销立案。",
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

/** @odoo-module **/

/**
 * The counter (R6.1, R6.2), in zh_CN: an officer registers an application, ticks the
 * materials received, links the counter camera's recording proposed by the system and
 * accepts; the licensing case opens.
 */
import { registry } from "@web/core/registry";
import {
    openEnforcementMenu,
    pickMany2one,
} from "@hr_enforcement_record/../tests/tours/tour_helpers";

const tours = registry.category("web_tour.tours");

tours.add("hr_enforcement_counter_application_tour", {
    steps: () => [
        ...openEnforcementMenu(
            "hr_enforcement_record.hr_enforcement_application_menu",
            "Applications (申请受理) from the menu"
        ),
        {
            content: "Register a new application",
            trigger: ".o_list_button_add",
            run: "click",
        },
        ...pickMany2one("applicant_id", "大连某劳务派遣有限公司"),
        ...pickMany2one("matter_id", "劳务派遣经营许可"),
        ...pickMany2one("reviewer_id", "王强"),
        ...pickMany2one("approver_id", "刘洋"),
        ...pickMany2one("counter_device_id", "受理大厅监控"),
        {
            content: "Save: the checklist of the matter comes with it",
            trigger: ".o_form_button_save",
            run: "click",
        },
        {
            content: "The materials to tick (材料)",
            trigger: ".o_field_widget[name=material_ids] .o_data_row:contains(营业执照)",
        },
        ...[1, 2, 3, 4, 5].flatMap((row) => [
            {
                content: `Material ${row} received`,
                trigger: `.o_field_widget[name=material_ids] .o_data_row:nth-child(${row}) td[name=received]`,
                run: "click",
            },
            {
                content: `Tick material ${row}`,
                trigger: `.o_field_widget[name=material_ids] .o_data_row:nth-child(${row}) td[name=received] input`,
                run: "check",
            },
        ]),
        {
            content: "Save the checklist",
            trigger: ".o_form_button_save",
            run: "click",
        },
        {
            content: "Saved",
            trigger: ".o_form_saved",
        },
    ],
});

tours.add("hr_enforcement_counter_acceptance_tour", {
    steps: () => [
        ...openEnforcementMenu(
            "hr_enforcement_record.hr_enforcement_application_menu",
            "Applications (申请受理)"
        ),
        {
            content: "Open the application registered at the counter",
            trigger: ".o_data_row:contains(已登记) td.o_data_cell",
            run: "click",
        },
        {
            content: "The system proposes the counter recording covering the reception",
            trigger: ".o_field_widget[name=clip_proposal_ids] .o_data_row:contains(tour-counter)",
        },
        ...pickMany2one("counter_clip_id", "tour-counter"),
        {
            content: "Accept (受理)",
            trigger: ".o_statusbar_buttons button[name=action_accept]",
            run: "click",
        },
        {
            content: "Confirm: the licensing case opens",
            trigger: ".modal-footer .btn-primary",
            run: "click",
        },
        {
            content: "Accepted, the case is one click away",
            trigger: ".oe_stat_button[name=action_view_case]",
            run: "click",
        },
        {
            content: "The licensing case, opened from the application (依申请)",
            trigger: ".o_form_view .o_field_widget[name=origin]:contains(依申请)",
        },
        {
            content: "The counter recording is one of its AV records (音像记录)",
            trigger: ".oe_stat_button:contains(音像记录):contains(1)",
        },
    ],
});

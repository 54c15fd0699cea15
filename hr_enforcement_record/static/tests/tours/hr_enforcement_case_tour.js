/** @odoo-module **/

import { registry } from "@web/core/registry";
import { pickMany2one } from "@hr_enforcement_record/../tests/tours/tour_helpers";
import { stepUtils } from "@web_tour/tour_service/tour_utils";

registry.category("web_tour.tours").add("hr_enforcement_case_create_tour", {
    url: "/odoo",
    steps: () => [
        stepUtils.showAppsMenuItem(),
        {
            content: "Open the Enforcement app",
            trigger: ".o_app[data-menu-xmlid='hr_enforcement_record.hr_enforcement_menu_root']",
            run: "click",
        },
        {
            content: "Create a case",
            trigger: ".o_control_panel .o-kanban-button-new",
            run: "click",
        },
        {
            content: "Subject",
            trigger: ".o_field_widget[name=subject] input",
            run: "edit Tour: unpaid overtime",
        },
        {
            content: "Type: penalty",
            trigger: ".o_field_widget[name=enforcement_type] select",
            run: 'select "penalty"',
        },
        {
            content: "Origin: ex officio",
            trigger: ".o_field_widget[name=origin] select",
            run: 'select "ex_officio"',
        },
        ...pickMany2one("department_id", "Labour Inspection"),
        ...pickMany2one("handler_id", "Officer1"),
        ...pickMany2one("reviewer_id", "Reviewer"),
        ...pickMany2one("approver_id", "Approver"),
        {
            content: "Save the case",
            trigger: ".o_form_button_save",
            run: "click",
        },
        {
            content: "The case got its reference",
            trigger: ".o_field_widget[name=name]:contains(ZF)",
        },
        {
            content: "Ask for approval of the opening",
            trigger: "button[name=action_request_approval]",
            run: "click",
        },
        {
            content: "Write the proposal",
            trigger: ".o_field_widget[name=proposal] textarea",
            run: "edit Open the case: overtime unpaid for three months.",
        },
        {
            content: "Submit for review",
            trigger: "button[name=action_submit]",
            run: "click",
        },
        {
            content: "The request awaits review",
            trigger: ".o_statusbar_status .o_arrow_button_current[data-value=submitted]",
        },
    ],
});

registry.category("web_tour.tours").add("hr_enforcement_case_investigate_tour", {
    url: "/odoo/action-hr_enforcement_record.hr_enforcement_case_action",
    steps: () => [
        {
            content: "Open the approved case",
            trigger: ".o_kanban_record:contains(Tour: unpaid overtime)",
            run: "click",
        },
        {
            content: "Start the investigation",
            trigger: "button[name=action_start_investigation]",
            run: "click",
        },
        {
            content: "The case is under investigation",
            trigger: ".o_statusbar_status .o_arrow_button_current[data-value=investigation]",
        },
    ],
});

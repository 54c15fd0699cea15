import { registry } from "@web/core/registry";

registry.category("web_tour.tours").add("hr_enforcement_dashboard_tour", {
    steps: () => [
        {
            content: "Open the full-process recording dashboard (全过程记录)",
            trigger:
                ".o_spreadsheet_dashboard_action li.o_search_panel_category_value[data-name='全过程记录']",
            run: "click",
        },
        {
            content: "The spreadsheet is rendered",
            trigger: ".o_spreadsheet_dashboard_action .o_renderer .o-spreadsheet",
        },
        {
            content: "and loaded without error",
            trigger: ".o_spreadsheet_dashboard_action:not(:has(.dashboard-loading-status))",
        },
    ],
});

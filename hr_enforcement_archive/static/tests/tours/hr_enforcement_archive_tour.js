import { registry } from "@web/core/registry";

registry.category("web_tour.tours").add("hr_enforcement_archive_case_tour", {
    steps: () => [
        {
            content: "Open the case file of the ended case",
            trigger: ".o_form_view button[name=action_open_case_file]",
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
            content: "The file is archived: ribbon and archive number",
            trigger: ".o_form_view .ribbon",
        },
        {
            content: "The archive number is shown",
            trigger: ".o_form_view .o_field_widget[name=archive_number] span:contains(J001)",
        },
    ],
});

/** @odoo-module **/

/** Steps shared by the enforcement tours. */

import { stepUtils } from "@web_tour/tour_service/tour_utils";

/** From anywhere: the Enforcement app, then its top menu `menuXmlid`. */
export function openEnforcementMenu(menuXmlid, content) {
    return [
        stepUtils.showAppsMenuItem(),
        {
            content: "Open the Enforcement app",
            trigger: ".o_app[data-menu-xmlid='hr_enforcement_record.hr_enforcement_menu_root']",
            run: "click",
        },
        {
            content,
            trigger: `.o_menu_sections [data-menu-xmlid='${menuXmlid}']`,
            run: "click",
        },
    ];
}

/** Type `text` in the many2one `field` and pick the matching suggestion. */
export function pickMany2one(field, text) {
    return [
        {
            content: `Type ${text} in ${field}`,
            trigger: `.o_field_widget[name=${field}] input`,
            run: `edit ${text}`,
        },
        {
            content: `Pick ${text}`,
            trigger: `.o-autocomplete--dropdown-menu .dropdown-item:contains(${text})`,
            run: "click",
        },
    ];
}

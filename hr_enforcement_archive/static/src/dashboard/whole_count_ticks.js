/** @odoo-module **/

/**
 * The managers' charts count cases and violations: whole numbers, so the vertical axis of
 * the bar charts over the enforcement models ticks by whole units (never 0.2 of a case).
 */
import * as spreadsheet from "@odoo/o-spreadsheet";

const { chartRegistry } = spreadsheet.registries;
const odooBar = chartRegistry.get("odoo_bar");

chartRegistry.add("odoo_bar", {
    ...odooBar,
    getChartRuntime(chart, getters) {
        const runtime = odooBar.getChartRuntime(chart, getters);
        const { resModel = "", measure } = chart.metaData || {};
        if (resModel.startsWith("hr.enforcement.") && measure === "__count") {
            runtime.chartJsConfig.options.scales.y.ticks.precision = 0;
        }
        return runtime;
    },
});

/**
 * The managers' dashboard in zh_CN: it opens with its scorecards and charts, and each
 * scorecard shows the figure that the records themselves give (computed here from the
 * records read over RPC, not from the pivots).
 */
import { registry } from "@web/core/registry";
import { rpc } from "@web/core/network/rpc";

function dashboardModel() {
    const stack = [odoo.__WOWL_DEBUG__.root.__owl__];
    while (stack.length) {
        const node = stack.pop();
        const model = node.component?.state?.activeDashboard?.model;
        if (model) {
            return model;
        }
        stack.push(...Object.values(node.children || {}));
    }
    return undefined;
}

async function evaluated(model, cell) {
    const position = { sheetId: "sheet_data", col: cell.charCodeAt(0) - 65, row: Number(cell.slice(1)) - 1 };
    for (let attempt = 0; attempt < 100; attempt++) {
        const value = model.getters.getEvaluatedCell(position).value;
        if (typeof value === "number") {
            return value;
        }
        await new Promise((resolve) => setTimeout(resolve, 100));
    }
    throw new Error(`Data!${cell} never evaluated`);
}

async function records(model, domain, fields) {
    return rpc(`/web/dataset/call_kw/${model}/search_read`, {
        model,
        method: "search_read",
        args: [domain, fields],
        kwargs: {},
    });
}

function mean(values) {
    return values.length ? values.reduce((a, b) => a + b, 0) / values.length : 0;
}

async function expectedFigures(model) {
    // the period the dashboard applies, on each figure's own date
    const period = model.getters.getGlobalFilterValue("6f1c2a9e-5d1b-4c61-9a77-1f0c0b5e2d10");
    if (period && Object.keys(period).join() !== "yearOffset") {
        throw new Error(`Unexpected default period ${JSON.stringify(period)}`);
    }
    const year = new Date().getFullYear() + (period?.yearOffset || 0);
    const inYear = (field) =>
        period
            ? [
                  [field, ">=", `${year}-01-01`],
                  [field, "<=", `${year}-12-31 23:59:59`],
              ]
            : [];
    const archived = await records(
        "hr.enforcement.case",
        [["archived", "=", true], ...inYear("date_ended")],
        ["archived_on_time"]
    );
    const av = await records(
        "hr.enforcement.av.record",
        [["uploaded_at", "!=", false], ...inYear("capture_start")],
        ["uploaded_in_time"]
    );
    const services = await records("hr.enforcement.service", inYear("service_date"), ["state"]);
    const served = services.filter((s) => s.state === "served").length;
    const failed = services.filter((s) => s.state === "failed").length;
    const open = await records(
        "hr.enforcement.violation",
        [["state", "=", "rectifying"], ...inYear("detected_on")],
        ["id"]
    );
    return {
        B1: mean(archived.map((c) => c.archived_on_time)) / 100,
        C1: archived.length,
        B2: mean(av.map((r) => r.uploaded_in_time)) / 100,
        C2: av.length,
        B3: served + failed ? served / (served + failed) : 0,
        C3: served,
        B4: open.length,
    };
}

registry.category("web_tour.tours").add("hr_enforcement_dashboard_tour", {
    steps: () => [
        {
            content: "Open the full-process recording dashboard (全过程记录)",
            trigger:
                ".o_spreadsheet_dashboard_action li.o_search_panel_category_value[data-name='全过程记录']",
            run: "click",
        },
        {
            content: "The spreadsheet is rendered and loaded without error",
            trigger:
                ".o_spreadsheet_dashboard_action:not(:has(.dashboard-loading-status)) .o_renderer .o-spreadsheet",
        },
        {
            content: "Four scorecards and two charts; each scorecard shows what the records give",
            trigger: ".o-spreadsheet .o-figure",
            async run() {
                const model = dashboardModel();
                const sheetId = model.getters.getActiveSheetId();
                const kinds = model.getters
                    .getFigures(sheetId)
                    .map((figure) => model.getters.getChartDefinition(figure.id).type)
                    .sort();
                if (kinds.join() !== "odoo_bar,odoo_bar,scorecard,scorecard,scorecard,scorecard") {
                    throw new Error(`Figures drawn: ${kinds.join()}`);
                }
                // counts of cases and violations tick by whole units (not 0.2 of a case)
                for (const figure of model.getters.getFigures(sheetId)) {
                    if (model.getters.getChartDefinition(figure.id).type !== "odoo_bar") {
                        continue;
                    }
                    const runtime = model.getters.getChartRuntime(figure.id);
                    if (runtime.chartJsConfig.options.scales.y.ticks.precision !== 0) {
                        throw new Error(`Chart ${figure.id} ticks by fractions of a count`);
                    }
                }
                const expected = await expectedFigures(model);
                const wrong = [];
                for (const [cell, value] of Object.entries(expected)) {
                    const shown = await evaluated(model, cell);
                    if (Math.abs(shown - value) > 1e-9) {
                        wrong.push(`Data!${cell}: dashboard ${shown}, records ${value}`);
                    }
                }
                if (wrong.length) {
                    throw new Error(wrong.join("; "));
                }
                const titles = model.getters
                    .getPivotIds()
                    .map((id) => model.getters.getPivotName(id))
                    .filter((name) => /[A-Za-z]{3,}/.test(name));
                if (titles.length) {
                    throw new Error(`Pivot titles not translated: ${titles.join(", ")}`);
                }
                document.body.classList.add("o_hre_dashboard_checked");
            },
        },
        {
            content: "Checked",
            trigger: "body.o_hre_dashboard_checked",
        },
    ],
});

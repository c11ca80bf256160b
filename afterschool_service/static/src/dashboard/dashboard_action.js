/** The coordinator's dashboard: today's school and the open term; every figure opens its records. */
import { Component, onWillStart, useState } from "@odoo/owl";
import { registry } from "@web/core/registry";
import { useService } from "@web/core/utils/hooks";
import { standardActionServiceProps } from "@web/webclient/actions/action_service";

export class AfterschoolDashboard extends Component {
    static template = "afterschool_service.Dashboard";
    static props = { ...standardActionServiceProps };

    setup() {
        this.orm = useService("orm");
        this.action = useService("action");
        this.state = useState({ data: false });
        onWillStart(async () => {
            this.state.data = await this.orm.call("afterschool.dashboard", "get_dashboard_data", []);
        });
    }

    openFigure(figure) {
        this.action.doAction({
            type: "ir.actions.act_window",
            name: figure.label,
            res_model: figure.model,
            domain: figure.domain,
            views: figure.views.map((view) => [false, view]),
            target: "current",
        });
    }

    openGroup(group) {
        this.action.doAction({
            type: "ir.actions.act_window",
            res_model: "afterschool.activity.group",
            res_id: group.id,
            views: [[false, "form"]],
        });
    }

    fillClass(group) {
        return group.rate >= 100 ? "bg-danger" : group.rate >= 80 ? "bg-warning" : "bg-success";
    }
}

registry.category("actions").add("afterschool_dashboard", AfterschoolDashboard);

/** The roll-call screen: a teacher's session on a phone, one server round trip per tap. */
import { Component, onWillStart, useState } from "@odoo/owl";
import { scanBarcode } from "@web/core/barcode/barcode_dialog";
import { isBarcodeScannerSupported } from "@web/core/barcode/barcode_video_scanner";
import { _t } from "@web/core/l10n/translation";
import { registry } from "@web/core/registry";
import { useService } from "@web/core/utils/hooks";
import { standardActionServiceProps } from "@web/webclient/actions/action_service";

const SESSION_MODEL = "afterschool.session";

export class AfterschoolRollCall extends Component {
    static template = "afterschool_service.RollCall";
    static props = { ...standardActionServiceProps };

    setup() {
        this.orm = useService("orm");
        this.notification = useService("notification");
        this.canScan = isBarcodeScannerSupported();
        this.state = useState({
            loaded: false,
            sessions: [],
            nextSession: false,
            session: false,
            mode: "attendance",
            sheet: false, // "pickup" | "close"
            pickupLine: false,
            code: "",
            picks: [],
            content: "",
            busy: false,
        });
        this.requestSeq = 0;
        onWillStart(() => this.load());
    }

    // ------------------------------------------------------------------ loading
    async load() {
        const { params = {}, context = {} } = this.props.action;
        const sessionId = params.session_id || (context.active_model === SESSION_MODEL && context.active_id);
        if (sessionId) {
            this.setSession(await this.orm.call(SESSION_MODEL, "rollcall_read", [[sessionId]]));
        } else {
            const today = await this.orm.call(SESSION_MODEL, "rollcall_today", []);
            this.state.sessions = today.sessions;
            this.state.nextSession = today.next_session;
            this.setSession(today.current);
        }
        this.state.loaded = true;
    }

    setSession(data) {
        this.state.session = data;
        if (data) {
            this.state.mode = data.counts.unmarked ? "attendance" : "pickup";
            this.state.content = data.content;
            this.state.picks = [];
        }
    }

    async openSession(sessionId) {
        if (sessionId !== this.state.session?.id) {
            this.setSession(await this.orm.call(SESSION_MODEL, "rollcall_read", [[sessionId]]));
        }
    }

    // ------------------------------------------------------------------ counts (kept on the client for the optimistic UI)
    get tally() {
        const counts = { present: 0, absent: 0, excused: 0, unmarked: 0, collected: 0 };
        for (const line of this.state.session.roster) {
            counts[line.state]++;
            if (line.state === "present" && line.check_out) {
                counts.collected++;
            }
        }
        return counts;
    }

    get uncollected() {
        return this.state.session.roster.filter((line) => line.state === "present" && !line.check_out);
    }

    get editable() {
        return this.state.session?.can_edit;
    }

    cardClass(line) {
        const collected = line.state === "present" && line.check_out;
        return {
            [`o_afterschool_rollcall_${line.state}`]: true,
            o_afterschool_rollcall_collected: collected,
            o_afterschool_rollcall_locked: line.locked,
        };
    }

    // ------------------------------------------------------------------ server calls, optimistic
    /**
     * Apply the change locally at once, then send it; the server's roster replaces ours when it answers
     * (only the latest answer counts), and an error puts back what the server last said.
     */
    async send(method, args, optimistic) {
        const session = this.state.session;
        const before = JSON.parse(JSON.stringify(session.roster));
        if (optimistic) {
            optimistic(session.roster);
        }
        const seq = ++this.requestSeq;
        try {
            const data = await this.orm.call(SESSION_MODEL, method, [[session.id], ...args]);
            if (seq === this.requestSeq) {
                const mode = this.state.mode;
                this.state.session = data;
                this.state.mode = mode;
            }
            if (data.message) {
                this.notification.add(data.message, { type: "success" });
            }
            if (data.error) {
                this.notification.add(data.error, { type: "danger" });
            }
            return data;
        } catch (error) {
            if (seq === this.requestSeq) {
                session.roster.splice(0, session.roster.length, ...before);
            }
            throw error;
        }
    }

    // ------------------------------------------------------------------ taps
    onTapChild(line) {
        if (!this.editable || line.locked) {
            return;
        }
        if (this.state.mode === "pickup") {
            if (line.state === "present") {
                this.state.pickupLine = line;
                this.state.sheet = "pickup";
            }
            return;
        }
        const state = line.state === "present" ? "absent" : "present";
        this.send("rollcall_mark", [line.id, state], () => {
            line.state = state;
            line.check_out = "";
            line.picked_up_by = "";
        });
    }

    onAllPresent() {
        this.send("rollcall_mark_all_present", [], (roster) => {
            for (const line of roster) {
                if (line.state === "unmarked" && !line.locked) {
                    line.state = "present";
                }
            }
        });
    }

    setMode(mode) {
        this.state.mode = mode;
    }

    async onPickup(person) {
        const line = this.state.pickupLine;
        this.closeSheet();
        await this.send("rollcall_pickup", [line.id, person ? person.id : false], (roster) => {
            const row = roster.find((r) => r.id === line.id);
            row.picked_up_by = person ? person.name : "";
            row.check_out = person ? new Date().toTimeString().slice(0, 5) : "";
        });
    }

    onCodeInput(ev) {
        this.state.code = ev.target.value.replace(/\D/g, "").slice(0, 6);
        ev.target.value = this.state.code;
        if (this.state.code.length === 6) {
            this.submitCode(this.state.code);
        }
    }

    async submitCode(code) {
        this.state.code = "";
        await this.send("rollcall_pickup_by_code", [code]);
    }

    async onScan() {
        let code;
        try {
            code = await scanBarcode(this.env);
        } catch (error) {
            this.notification.add(error.message, { type: "warning" });
            return;
        }
        if (code) {
            await this.submitCode(code);
        }
    }

    // ------------------------------------------------------------------ closing
    openClose() {
        this.state.sheet = "close";
    }

    togglePick(pick) {
        const picks = this.state.picks;
        const index = picks.indexOf(pick);
        if (index >= 0) {
            picks.splice(index, 1);
        } else {
            picks.push(pick);
        }
    }

    get closingContent() {
        return [this.state.picks.join("、"), this.state.content.trim()].filter(Boolean).join(this.state.picks.length ? "；" : "");
    }

    async onConfirmClose() {
        const content = this.closingContent;
        this.state.busy = true;
        try {
            await this.send("rollcall_close", [content]);
            this.closeSheet();
            this.notification.add(_t("Session closed."), { type: "success" });
        } finally {
            this.state.busy = false;
        }
    }

    closeSheet() {
        this.state.sheet = false;
        this.state.pickupLine = false;
    }
}

registry.category("actions").add("afterschool_rollcall", AfterschoolRollCall);

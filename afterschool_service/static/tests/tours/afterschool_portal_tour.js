/** A parent on a phone: applies for one child, then reads and signs the other child's agreement. */
import { registry } from "@web/core/registry";

registry.category("web_tour.tours").add("afterschool_portal_tour", {
    url: "/my",
    steps: () => [
        {
            content: "The portal home has the after-school card",
            trigger: ".o_portal_index_card a[href='/my/afterschool']",
            run: "click",
        },
        {
            content: "Apply for Xiao Ming",
            trigger: ".o_afterschool_child[data-student-name='Xiao Ming'] a.o_afterschool_apply",
            run: "click",
        },
        {
            content: "Only the groups open to his grade are offered: choose the chess club",
            trigger: ".o_afterschool_apply_form:not(:has(.o_afterschool_group:contains('Grade 1 Homework'))) .o_afterschool_group:contains('Chess Club') input[name=group_ids]",
            run: "click",
        },
        {
            content: "Submit the application",
            trigger: ".o_afterschool_apply_form button.o_afterschool_submit",
            run: "click",
        },
        {
            content: "Back on the children's page, the application waits for the head teacher",
            trigger: ".o_afterschool_child[data-student-name='Xiao Ming'] .o_afterschool_state:contains('Submitted')",
        },
        {
            content: "Open Xiao Hong's agreement",
            trigger: ".o_afterschool_child[data-student-name='Xiao Hong'] a.o_afterschool_sign",
            run: "click",
        },
        {
            content: "Sign it",
            trigger: "a[data-bs-target='#modal_afterschool_sign']",
            run: "click",
        },
        {
            content: "The guardian's name is filled in",
            trigger: ".modal .o_web_sign_name_and_signature input:value(Parent of the Tour)",
        },
        {
            content: "Choose a handwriting style (as sale's signature tour: the name is drawn once it is chosen)",
            trigger: ".modal .o_web_sign_auto_select_style button",
            run: "click",
        },
        {
            content: "The fourth style",
            trigger: ".o-dropdown-item:eq(3)",
            run: "click",
        },
        {
            content: "The name is drawn on the signature pad (fonts load slowly on a busy machine)",
            trigger: ".modal canvas.o_web_sign_signature",
            async run() {
                const canvas = document.querySelector(".modal canvas.o_web_sign_signature");
                for (let attempt = 0; attempt < 100; attempt++) {
                    const pixels = canvas.getContext("2d").getImageData(0, 0, canvas.width, canvas.height).data;
                    if (pixels.some((value, index) => index % 4 === 3 && value !== 0)) {
                        return;
                    }
                    await new Promise((resolve) => setTimeout(resolve, 100));
                }
            },
        },
        {
            content: "Confirm the signature",
            trigger: ".modal .o_portal_sign_submit:enabled",
            run: "click",
        },
        {
            content: "Signed: the child is enrolled",
            trigger: ".alert-success:contains('the agreement is signed')",
        },
    ],
});

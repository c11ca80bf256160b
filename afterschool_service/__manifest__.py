{
    "name": "After-School Service",
    "summary": "Primary school after-school service (课后服务): terms, enrolment, "
    "sessions, attendance, pickup, supervision ledger and monthly billing",
    "version": "18.0.1.0.0",
    "category": "Services/After-School Service",
    "license": "LGPL-3",
    "author": "afterschool_service contributors",
    "website": "https://example.org/afterschool_service",
    "depends": ["contacts", "account", "calendar", "mail", "portal", "resource"],
    "data": [
        "security/afterschool_security.xml",
        "security/ir.model.access.csv",
        "security/afterschool_rules.xml",
        "views/afterschool_menus.xml",
        "views/afterschool_term_views.xml",
        "views/afterschool_class_views.xml",
        "views/res_partner_views.xml",
        "views/afterschool_venue_views.xml",
        "views/afterschool_activity_group_views.xml",
        "views/res_config_settings_views.xml",
        # --- service days ---
        "data/afterschool_service_cron.xml",
        "views/afterschool_session_views.xml",
        "views/afterschool_attendance_views.xml",
        "views/afterschool_leave_views.xml",
        "views/afterschool_incident_views.xml",
        "views/afterschool_duty_views.xml",
        "wizards/afterschool_ledger_export_views.xml",
        "wizards/afterschool_attendance_sheet_views.xml",
    ],
    "demo": [
        "demo/afterschool_demo.xml",
        "demo/afterschool_session_demo.xml",
    ],
    "assets": {
        "web.assets_tests": [
            "afterschool_service/static/tests/tours/afterschool_attendance_tour.js",
        ],
    },
    "application": True,
    "installable": True,
}

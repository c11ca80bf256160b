from . import afterschool_private_field_mixin
from . import afterschool_text_limit_mixin
from . import afterschool_code_attempt
from . import res_company
from . import res_config_settings
from . import afterschool_term
from . import afterschool_term_window
from . import afterschool_term_closure
from . import afterschool_term_makeup
from . import afterschool_class
from . import res_partner
from . import afterschool_venue
from . import afterschool_activity_group
from . import afterschool_application
from . import afterschool_application_workflow
from . import afterschool_application_placement
from . import afterschool_application_enrolment
from . import afterschool_session
from . import afterschool_session_schedule
from . import afterschool_session_pickup_alert
from . import afterschool_session_rollcall
from . import afterschool_dashboard
from . import afterschool_attendance
from . import afterschool_demo
from . import afterschool_demo_service
from . import afterschool_demo_enrolment

# --- service days (sessions, attendance, duty, leave, incidents) ---
from . import afterschool_leave
from . import afterschool_school_absence
from . import afterschool_incident
from . import afterschool_duty_rotation
from . import afterschool_duty
from . import afterschool_agreement
from . import afterschool_billing_adjustment
from . import afterschool_billing_entry
from . import afterschool_invoice_run
from . import account_move
from . import account_move_line
from . import res_users
from . import ir_actions_report

# --- oversight (district officer, inspections, needs survey, satisfaction) ---
from . import afterschool_leadership_member
from . import afterschool_inspection
from . import afterschool_needs_survey
from . import afterschool_satisfaction
from . import afterschool_demo_district

# --- family notices (absence, pickup, not collected) ---
from . import afterschool_notice
from . import mail_thread

from . import afterschool_ledger_export
from . import afterschool_attendance_sheet
from . import afterschool_application_reason_wizard
from . import afterschool_agreement_sign_wizard
from . import afterschool_placement_wizard
from . import afterschool_invoice_wizard
from . import afterschool_attendance_correct_wizard

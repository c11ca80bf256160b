from . import afterschool_ledger_export
from . import afterschool_attendance_sheet

from . import afterschool_enrolment_report
from . import afterschool_invoice_due
from . import afterschool_student_records

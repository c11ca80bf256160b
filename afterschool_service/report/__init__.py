from . import afterschool_enrolment_report
from . import afterschool_student_records

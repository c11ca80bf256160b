from . import afterschool_enrolment_report

from . import afterschool_application_reason_wizard
from . import afterschool_agreement_sign_wizard
from . import afterschool_placement_wizard

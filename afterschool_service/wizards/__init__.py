from . import afterschool_invoice_wizard

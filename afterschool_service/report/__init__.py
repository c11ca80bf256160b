from . import afterschool_invoice_due

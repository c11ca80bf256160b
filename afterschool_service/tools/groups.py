"""The access groups the addon's code checks, by xml id (one home; see security/afterschool_security.xml)."""

TEACHER_GROUP = "afterschool_service.group_afterschool_teacher"
HEAD_TEACHER_GROUP = "afterschool_service.group_afterschool_head_teacher"
MANAGER_GROUP = "afterschool_service.group_afterschool_manager"
OFFICER_GROUP = "afterschool_service.group_afterschool_district_officer"
ACCOUNTANT_GROUP = "account.group_account_invoice"
# Who reads what a family is billed (on the student and on the application): coordinators, accountants.
FEE_GROUPS = f"{MANAGER_GROUP},{ACCOUNTANT_GROUP}"

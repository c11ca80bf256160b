"""Constants and small helpers shared by the addon's models, wizards, reports and controllers."""

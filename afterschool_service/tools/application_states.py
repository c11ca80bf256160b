"""Where an application stands, as the states' groups the models, wizards and portal test against.

One home: the application model, the partner, the groups, the dashboard, the placement wizard and
the portal all ask the same questions (is it live, does it hold a place, has the child left).
"""

# Still going somewhere: the database keeps one of these per student and term.
LIVE_STATES = (
    "draft",
    "submitted",
    "class_approved",
    "school_approved",
    "published",
    "enrolled",
)
# Holding a place in a group (counted against its capacity).
PLACED_STATES = ("school_approved", "published", "enrolled")
# Attended once, and left (withdrawn by the family, terminated by the school).
LEFT_STATES = ("withdrawn", "terminated")
# Over: the application is read-only.
FINAL_STATES = ("rejected",) + LEFT_STATES

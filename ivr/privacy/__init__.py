"""What a practice must be able to do under the AVG (issue 24): keep callers' data no longer than its retention
says, and hand over or erase one caller's data on request, each act in the audit trail."""

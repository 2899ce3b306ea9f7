"""Demo data for `manage.py seed_demo`: a believable province with its offices, units, people
and delegations in every workflow state.

The ~100 showcase delegations are driven through the real service functions (so their history
and audit rows are exactly what the application writes); the optional scale path writes rows in
bulk for load tests. Nothing here is imported by the application itself.
"""

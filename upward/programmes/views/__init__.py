"""Programme pages, split by feature: set-up, readiness, cohorts, invitations, forms,
screening, and the participant's own pages."""

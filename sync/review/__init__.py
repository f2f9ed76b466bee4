"""Records kept for review: rejected records (quarantine) and hazard-update conflicts."""

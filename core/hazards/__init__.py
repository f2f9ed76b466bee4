"""Hazards (隐患) from registration to closure: the records, the lifecycle table, deadlines, the service, listing, moving with their enterprise, scheduled jobs, and the API."""

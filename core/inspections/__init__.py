"""Inspections (检查): one visit to one enterprise, what coverage and reports count, and their API."""

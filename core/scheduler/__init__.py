"""Scheduled jobs (定时任务): the catalogue of jobs, the in-process cron, running a job once per period, run records, CLI and API."""

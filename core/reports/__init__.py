"""Reports (统计报表): the figures, one tabular shape rendered as JSON/CSV/XLSX, stored snapshots (月调度, 季通报), their jobs and API."""

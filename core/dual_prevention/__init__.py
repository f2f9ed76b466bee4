"""双重预防 progress: each enterprise's register, check lists and self-checks against the seeds'
deadlines, and the self-assessment reports (评估报告) enterprises send to their 联络员."""

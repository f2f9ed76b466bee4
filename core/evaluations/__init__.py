"""Stored evaluation runs (评估记录). The evaluation feature itself lives in plugins/evaluations/; only its table is core."""

"""企业自查任务 (self-check tasks): what an enterprise must check when, from its generated 隐患排查清单,
and whether it did — per check list and period, in the deployment's time zone."""

"""Annual inspection plans (年度执法检查计划), their dated assignments, 双随机 random draws, inspector ties (回避关系), the assignment job, and the API."""

"""执法文书 and 电子案卷: numbered, immutable enforcement documents rendered to PDF, and case files."""

"""Reading and verifying the audit log (审计日志). Entries are appended by every write through core.storage.audit_log."""

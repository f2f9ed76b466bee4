"""Read-back: an inspection with what its tablet recorded (answers, photos, signatures, inspectors), for people and for documents."""

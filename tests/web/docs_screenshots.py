"""Copy the screenshots docs/field-app.md shows from the last browser-test run.

    .venv/bin/python -m pytest -q tests/web && .venv/bin/python -m tests.web.docs_screenshots

Each picture of the documentation is one screenshot a test saved (``tests/web/screenshots/<test>/``);
this list says which, so the pictures are regenerated, never drawn by hand.
"""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SHOTS = Path(__file__).resolve().parent / "screenshots"
DOCS = ROOT / "docs" / "field-app"

PICTURES = {
    "login-phone.png": "test_app_opens_offline_from_its_cache_with_pulled_data/01-login-phone.png",
    "tasks-offline-tablet.png": "test_app_opens_offline_from_its_cache_with_pulled_data/03-tasks-offline-tablet.png",
    "enterprise-card-tablet.png": "test_back_online_the_inspection_is_sent_once_with_hazards_and_photos/03-enterprise-card-past-inspections-tablet.png",
    "inspection-major-hazard-tablet.png": "test_offline_inspection_survives_closing_the_page_and_is_queued/01-failed-major-item-tablet.png",
    "inspection-major-hazard-phone.png": "test_offline_inspection_survives_closing_the_page_and_is_queued/01-failed-major-item-phone.png",
    "signatures-tablet.png": "test_offline_inspection_survives_closing_the_page_and_is_queued/04-signatures-tablet.png",
    "outbox-offline-phone.png": "test_offline_inspection_survives_closing_the_page_and_is_queued/05-queued-offline-phone.png",
    "outbox-accepted-tablet.png": "test_back_online_the_inspection_is_sent_once_with_hazards_and_photos/01-accepted-tablet.png",
    "outbox-duplicate-phone.png": "test_a_lost_push_response_is_retried_and_stored_once/02-duplicate-phone.png",
    "outbox-rejected-tablet.png": "test_a_rejected_step_is_kept_with_its_reason_corrected_and_accepted/02-rejected-with-reason-tablet.png",
    "correcting-phone.png": "test_a_rejected_step_is_kept_with_its_reason_corrected_and_accepted/03-correcting-phone.png",
    "conflict-tablet.png": "test_an_offline_step_meeting_a_newer_state_is_shown_and_reapplied/02-conflict-side-by-side-tablet.png",
    "hazards-phone.png": "test_back_online_the_inspection_is_sent_once_with_hazards_and_photos/02-hazards-after-sync-phone.png",
    "sync-tablet.png": "test_update_logout_second_user_and_export_import/02-sync-screen-export-tablet.png",
    "photos-cleared-phone.png": "test_uploaded_photos_are_cleared_after_retention_and_unsettled_ones_never/01-photo-cleared-after-retention-phone.png",
    "logged-out-offline-phone.png": "test_a_logout_offline_is_revoked_at_the_server_when_the_network_returns/01-logged-out-offline-phone.png",
    "insecure-warning-phone.png": "test_https_under_a_host_name_registers_the_worker_and_plain_http_warns/02-plain-http-warning-phone.png",
    "device-revoked-phone.png": "test_a_revoked_device_is_told_so_and_keeps_its_unsent_records/01-device-revoked-phone.png",
}


def main() -> int:
    missing = [source for source in PICTURES.values() if not (SHOTS / source).exists()]
    if missing:
        print("not in tests/web/screenshots (run tests/web first):", *missing, sep="\n  ")
        return 1
    DOCS.mkdir(parents=True, exist_ok=True)
    for name, source in PICTURES.items():
        shutil.copyfile(SHOTS / source, DOCS / name)
    print(f"{len(PICTURES)} pictures copied into {DOCS.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

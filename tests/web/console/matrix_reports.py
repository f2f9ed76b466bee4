"""The console matrix's entries for the reports area (see matrix_kit.py): staff read reports over
their own scope (``report.read``), the enterprise user gets the 403 page, downloads included. A
report has no record of its own to be in or out of scope; the matrix checks instead that no page
shows the outside world's markers (the outside enterprise, its 重大隐患 in the 挂牌督办 list, …)."""

from __future__ import annotations

from tests.reliability.authz_matrix import answers
from tests.web.console.matrix_kit import NA, OK, ConsoleEntry, get

STAFF = answers(OK, enterprise_user=403)

ENTRIES: list[ConsoleEntry] = [
    ConsoleEntry("GET", "/reports", STAFF, NA, get("/reports?period=2026-03"), "月调度 by region, built over the caller's scope"),
    ConsoleEntry("GET", "/reports/period", STAFF, NA, get("/reports/period?period=2026-Q1&format=csv"), "the 季通报 download: the API's CSV"),
    ConsoleEntry("GET", "/reports/snapshots/{snapshot_id:str}", STAFF, NA, get(lambda w, s: f"/reports/snapshots/{w.snapshot_id}"),
                 "a stored 月调度 is system-wide: each reader sees only its cells (the outside region is a marker-free 404-less read)"),
    ConsoleEntry("GET", "/reports/hazards", STAFF, NA, get("/reports/hazards?by=industry")),
    ConsoleEntry("GET", "/reports/inspections", STAFF, NA, get("/reports/inspections?by=inspector&year=2026")),
    ConsoleEntry("GET", "/reports/plan-coverage", STAFF, NA, get("/reports/plan-coverage?year=2026"), "the outside plan must not be named"),
    ConsoleEntry("GET", "/reports/listed", STAFF, NA, get("/reports/listed"), "the outside 重大隐患 is listed: it must not show"),
]

"""The console's pages, one module per area: sign-in, workbench, enterprises, hazards, inspections,
and the files (photos, document PDFs) those pages show. Each handler is a thin view over the same
service call the API makes (same permission, same scope); see docs/console.md."""

"""The field app (现场检查应用): an offline-first web app for inspectors' tablets and phones.

Static files only (``web/app/``: HTML, CSS, ES modules, manifest, service worker, icons), served by
``web.routes`` at ``/app/`` on the same origin as the API; no build step. See docs/field-app.md.
"""

"""The public plugin contract of anjian.

Every hook a plugin may implement is declared here, with its contract in the docstring. Built-in
plugins implement exactly these and nothing else, so the public surface is exercised every day.
Hooks that contribute things return lists; the host checks names are unique at start-up and
dispatches by name afterwards (no ``firstresult`` hooks: an async implementation's coroutine is
never None).
"""

from __future__ import annotations

from typing import Any

import pluggy

PROJECT_NAME = "anjian"

hookspec = pluggy.HookspecMarker(PROJECT_NAME)
hookimpl = pluggy.HookimplMarker(PROJECT_NAME)


# --- contributions (called at start-up) ---------------------------------------------------------


@hookspec
def anjian_checklists() -> list[Any]:
    """Checklist definitions this plugin provides.

    Not firstresult: every plugin's list is collected.

    :returns: a list whose elements are each one of: a ``pathlib.Path`` to a YAML or TOML
        definition file (the usual way: ship files beside the plugin's code), a ``dict`` holding a
        definition, or a ``checklists.schema.Checklist``. Every definition is validated; an invalid
        one is reported against the plugin and skipped, the rest still load.
    """


@hookspec
def anjian_evaluators() -> list[Any]:
    """Scoring evaluators (评估标准, risk grading, checklist score …) this plugin provides.

    Not firstresult: every plugin's list is collected; evaluator ids must be unique across plugins.

    :returns: a list of objects implementing ``plugins.evaluator.Evaluator``.
    """


@hookspec
def anjian_document_types() -> list[Any]:
    """Enforcement document types (执法文书种类) this plugin adds to the built-in ones.

    Not firstresult: every plugin's list is collected. The built-in types
    (``plugins/documents/types/``) are always there; a type whose ``code`` is already taken (by a
    built-in or an earlier plugin) is refused and reported against this plugin, the rest load.

    :returns: a list whose elements are each a ``pathlib.Path`` to a YAML type file or a ``dict``
        holding a definition (schema: ``plugins.documents.type_schema.DocumentType``; guide:
        docs/documents.md). Every definition is checked; an invalid one is reported and skipped.
    """


# --- lifecycle -----------------------------------------------------------------------------------


@hookspec
def anjian_startup(app: Any) -> Any:
    """Called once when the server starts, after migrations and before serving requests.

    Not firstresult. May return None, a value, or an awaitable (it is awaited). A plugin that
    raises here is reported with its error; the server keeps starting.

    :param app: the ``litestar.Litestar`` application.
    """


# --- events --------------------------------------------------------------------------------------


@hookspec
def anjian_submission_accepted(submission: Any) -> Any:
    """Told after a submission has been stored (committed); never told twice for one submission.

    Not firstresult. May return an awaitable. A plugin that raises is reported and does not affect
    the stored submission or the tablet's push result.

    :param submission: the accepted submission as an immutable wire object
        (``sync.wire.Submission``-shaped: id, enterprise_id, checklist id/version/hash, answers).
    """

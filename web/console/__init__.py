"""The office console (办公控制台): server-rendered pages at ``/`` for the 安委办, departments,
evaluators, viewers and enterprises — a thin view over the same services, permissions and scope
as the API, with a session cookie and CSRF tokens instead of bearer tokens. See docs/console.md."""

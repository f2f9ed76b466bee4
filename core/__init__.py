"""Core records of anjian: enterprises, regions, users, devices, auth, hazards, audit, storage.

``core`` imports none of ``sync``, ``checklists`` or ``plugins``: data flows one way.
"""

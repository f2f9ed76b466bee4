"""The schema of a document type (文书种类): one YAML file per type, data rather than code.

A type says what the document is called, its number class (检记, 责改 …), which records it is made
from (``source``), its body in the 式样's order, its signature boxes, its closing text and which
facts must be present before a number is drawn. Text holds placeholders ``{enterprise.name}``
naming facts (``plugins.documents.fact_names``); inside a table or a repeated paragraph they name
the row's facts first (``{deadline}``). ``plugins.documents.type_loading`` reads and checks files.
"""

from __future__ import annotations

from typing import Annotated, Literal

import msgspec

TYPE_CODE_PATTERN = r"^[a-z][a-z0-9_]{1,63}$"
ROLE_PATTERN = r"^[a-z][a-z0-9_]{0,23}$"
FACT_PATTERN = r"^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)?$"
# A required fact: ``enterprise.name``, or ``hazards[].basis`` for every row of a list.
REQUIRED_PATTERN = r"^[a-z][a-z0-9_]*(\[\])?(\.[a-z][a-z0-9_]*)?$"

Source = Literal["inspection", "hazards", "recheck", "measure", "penalty"]
NonEmpty = Annotated[str, msgspec.Meta(min_length=1)]
FactName = Annotated[str, msgspec.Meta(pattern=FACT_PATTERN)]


class _Strict(msgspec.Struct, forbid_unknown_fields=True, kw_only=True, frozen=True):
    """Unknown keys are errors: a typo in a type file must not be silently ignored."""


class FieldSpec(_Strict):
    """``被检查单位：{enterprise.name}``: a label and the fact printed after it."""

    label: NonEmpty
    fact: FactName
    width: Literal["full", "half"] = "full"


class ColumnSpec(_Strict):
    """One table column: its heading and the cell text (placeholders name the row's facts)."""

    title: NonEmpty
    value: NonEmpty
    width: Annotated[float, msgspec.Meta(gt=0)] = 1.0


class ParagraphSpec(_Strict, tag="paragraph", tag_field="kind"):
    """Fixed wording with placeholders. Every block is left out when ``when`` names an absent fact,
    or ``unless`` a present one (two paragraphs, one for each case)."""

    text: NonEmpty
    when: FactName | None = None
    unless: FactName | None = None


class FieldsSpec(_Strict, tag="fields", tag_field="kind"):
    fields: list[FieldSpec]
    when: FactName | None = None
    unless: FactName | None = None


class TableSpec(_Strict, tag="table", tag_field="kind"):
    """One row per element of the list fact ``rows`` (e.g. ``hazards``); ``empty`` when it has none."""

    rows: FactName
    columns: Annotated[list[ColumnSpec], msgspec.Meta(min_length=1)]
    caption: str = ""
    empty: str = ""
    when: FactName | None = None
    unless: FactName | None = None


class EachSpec(_Strict, tag="each", tag_field="kind"):
    """One paragraph per element of the list fact ``rows`` (``1. 隐患描述……``)."""

    rows: FactName
    text: NonEmpty
    empty: str = ""
    when: FactName | None = None
    unless: FactName | None = None


BlockSpec = ParagraphSpec | FieldsSpec | TableSpec | EachSpec


class SignatureSpec(_Strict):
    """A signature box. ``per_inspector`` repeats it for each inspector as ``<role>_1``, ``<role>_2``
    …, named after the inspector, ``extra`` filled from the inspector's facts (``执法证号：{enforcement_card_no}``).
    Otherwise ``name`` names the fact holding the expected signer (may be absent)."""

    role: Annotated[str, msgspec.Meta(pattern=ROLE_PATTERN)]
    label: NonEmpty
    per_inspector: bool = False
    required: bool = True
    name: FactName | None = None
    extra: str = ""


class DocumentType(_Strict):
    """文书种类: everything needed to fill and number one kind of enforcement document."""

    code: Annotated[str, msgspec.Meta(pattern=TYPE_CODE_PATTERN)]
    title: NonEmpty
    number_class: Annotated[str, msgspec.Meta(min_length=1, max_length=8)]
    source: Source
    body: Annotated[list[BlockSpec], msgspec.Meta(min_length=1)]
    signatures: list[SignatureSpec] = msgspec.field(default_factory=list)
    closing: str = ""
    copies_note: str = ""
    # Facts that must be present before a number is drawn; ``rows[].fact`` for every row.
    requires: list[Annotated[str, msgspec.Meta(pattern=REQUIRED_PATTERN)]] = msgspec.field(default_factory=list)
    # At least this many rows of a list fact (``inspectors: 2``: enforcement is done by two).
    min_rows: dict[FactName, Annotated[int, msgspec.Meta(ge=1, le=100)]] = msgspec.field(default_factory=dict)
    photos: bool = False  # the inspection's photos go on the attached photo page(s)
    # The signatures captured on the tablet at the inspection fill this type's boxes at issue. Only
    # for what was signed there (the 现场检查记录); a later order is signed (签收) on its own.
    tablet_signatures: bool = False
    # At most one in force per inspection (a 现场检查记录); another is a correction (``corrects``).
    once_per_inspection: bool = False
    description: str = ""

"""The PDF renderer of enforcement documents: a :class:`~plugins.documents.content.DocumentContent` → an
A4 PDF after 应急管理部's 安全生产执法文书 式样, and the case file's 案卷首页 / 卷内目录.

It knows nothing of storage, inspections or hazards (``plugins/documents/content.py`` is its whole
contract). Layout first (``layout``: pages as lists of drawing operations, so "第 n 页 共 m 页" is known
before anything is drawn), then painting with reportlab (``paint``). The one embedded font is shipped in
``fontdata/`` (see ``fonts.py`` for why and which).
"""

from plugins.documents.pdf.case_cover import render_case_cover
from plugins.documents.pdf.document import render_document

__all__ = ["render_case_cover", "render_document"]

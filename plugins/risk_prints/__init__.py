"""Printables of the risk register: the 四色分布图 (SVG and PNG) and the 岗位风险告知卡 (PDF).

Host-side code, not a plugin: it lives under plugins/ because it draws with the PDF font shipped by
the documents plugin (plugins/documents/pdf/fontdata), which core may not import.
"""

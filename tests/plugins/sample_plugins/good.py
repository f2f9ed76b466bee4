"""A small well-behaved plugin module: one checklist given as a dict."""

from plugins.hookspecs import hookimpl


@hookimpl
def anjian_checklists():
    return [
        {
            "id": "other.sample",
            "version": "1.0.0",
            "title": "示例检查表",
            "industry": "other",
            "sections": [
                {
                    "code": "A",
                    "title": "基础管理",
                    "items": [{"code": "A1", "text": "建立安全生产责任制", "basis": [{"document": "中华人民共和国安全生产法", "article": "第二十二条"}]}],
                }
            ],
        }
    ]

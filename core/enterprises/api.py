"""Enterprise files (一企一档): list, read, create, change, import."""

from __future__ import annotations

from typing import Annotated

from litestar import Controller, get, patch, post
from litestar.datastructures import UploadFile
from litestar.enums import RequestEncodingType
from litestar.params import Body, Parameter

from core.access.scope import Principal
from core.context import Context
from core.enterprises.bulk_import import import_enterprises
from core.enterprises.service import EnterpriseFilter, create_enterprise, get_enterprise, list_enterprises, update_enterprise
from core.enterprises.wire import EnterpriseIn, EnterpriseOut, EnterprisePatch, ImportReport
from core.errors import InvalidInput
from core.vocabulary import Industry, RiskLevel, Sector
from core.wire import Page


class EnterpriseController(Controller):
    path = "/api/v1/enterprises"
    tags = ["enterprises"]

    @get("/", operation_id="listEnterprises")
    async def list(
        self,
        ctx: Context,
        principal: Principal,
        region_code: Annotated[str | None, Parameter(pattern=r"^\d{6}(\d{3})?$", description="行政区划（含下级）：六位或九位（乡镇）")] = None,
        industry: Industry | None = None,
        risk_level: RiskLevel | None = None,
        q: Annotated[str | None, Parameter(max_length=100, description="名称/信用代码/地址")] = None,
        active: bool | None = None,
        blacklisted: bool | None = None,
        sector: Annotated[Sector | None, Parameter(description="工贸行业类别")] = None,
        liaison_user_id: Annotated[str | None, Parameter(max_length=36, description="联络员（检查人员）的用户 id")] = None,
        page: Annotated[int, Parameter(ge=1)] = 1,
        page_size: Annotated[int, Parameter(ge=1, le=500)] = 50,
    ) -> Page[EnterpriseOut]:
        """Enterprises in the caller's scope, filtered and paginated; ``total`` counts only those."""
        filters = EnterpriseFilter(
            region_code=region_code, industry=industry, risk_level=risk_level, q=q, active=active, blacklisted=blacklisted,
            sector=sector, liaison_user_id=liaison_user_id,
        )
        return await list_enterprises(ctx, principal, filters, page, page_size)

    @get("/{enterprise_id:str}", operation_id="getEnterprise")
    async def get(self, ctx: Context, principal: Principal, enterprise_id: str) -> EnterpriseOut:
        """One enterprise file; 404 when absent or outside the caller's scope."""
        return await get_enterprise(ctx, principal, enterprise_id)

    @post("/", operation_id="createEnterprise")
    async def create(self, ctx: Context, principal: Principal, data: EnterpriseIn) -> EnterpriseOut:
        """Create an enterprise file (admin, or a department admin within their scope)."""
        return await create_enterprise(ctx, principal, data)

    @patch("/{enterprise_id:str}", operation_id="updateEnterprise")
    async def update(self, ctx: Context, principal: Principal, enterprise_id: str, data: EnterprisePatch) -> EnterpriseOut:
        """Change fields of an enterprise file; give ``expected_version`` to refuse a stale edit."""
        return await update_enterprise(ctx, principal, enterprise_id, data)

    @post("/import", operation_id="importEnterprises", status_code=200)
    async def import_file(
        self,
        ctx: Context,
        principal: Principal,
        data: Annotated[dict[str, UploadFile], Body(media_type=RequestEncodingType.MULTI_PART)],
    ) -> ImportReport:
        """Import a CSV or XLSX file (form field ``file``); each row stands alone, errors are listed per row."""
        upload = data.get("file")
        if upload is None or not isinstance(upload, UploadFile):
            raise InvalidInput("form field 'file' is required", "请上传文件（表单字段 file）", field="file")
        content = await upload.read()
        return await import_enterprises(ctx, principal, upload.filename or "", content)


ROUTES = [EnterpriseController]

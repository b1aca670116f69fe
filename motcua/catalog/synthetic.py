"""A synthetic catalog of thousands of procedures with real names, for scale tests and benchmarks.

Rows are bulk-inserted (the services would take minutes for 5,000 versions) with the same derived
columns the services compute, so search behaves exactly as on imported data.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from motcua.catalog.choices import OnlineLevel, RefKind, Status
from motcua.catalog.models import Field, Procedure, ProcedureVersion
from motcua.catalog.services.content import search_columns
from motcua.catalog.spec import AgencyRef, TimeLimit, VersionContent, version_hash
from motcua.org.models import Agency, UnitLevel

# Published names (Hà Tĩnh and Cao Bằng decisions, 2025) and national ones of the commune level.
NAMES = [
    "Thủ tục đăng ký khai sinh",
    "Thủ tục đăng ký kết hôn",
    "Thủ tục đăng ký khai tử",
    "Đăng ký thường trú",
    "Đăng ký tạm trú",
    "Cấp bản sao từ sổ gốc",
    "Chứng thực chữ ký trong các giấy tờ, văn bản",
    "Chứng thực di chúc",
    "Chứng thực văn bản từ chối nhận di sản",
    "Chứng thực việc sửa đổi, bổ sung, hủy bỏ giao dịch",
    "Cấp giấy phép hành nghề khoan nước dưới đất",
    "Gia hạn, điều chỉnh giấy phép khai thác nước mặt, nước biển",
    "Thủ tục thi tuyển công chức",
    "Thủ tục xét tuyển viên chức",
    "Thủ tục thành lập tổ chức thanh niên xung phong cấp tỉnh",
    "Cấp giấy phép hoạt động dự báo, cảnh báo khí tượng thủy văn",
    "Công bố đủ điều kiện sản xuất thiết bị y tế",
    "Cấp thẻ hướng dẫn viên du lịch tại điểm",
    "Cấp giấy phép triển lãm mỹ thuật",
    "Cấp lại Giấy chứng nhận đủ điều kiện hành nghề tu bổ di tích",
    "Xét tặng danh hiệu “Nghệ nhân ưu tú” trong lĩnh vực di sản văn hóa phi vật thể",
    "Cấp giấy xác nhận thông báo cung cấp dịch vụ mạng xã hội",
    "Cấp, cấp lại giấy chứng nhận đăng ký hành nghề công tác xã hội",
    "Tiếp nhận đối tượng cần bảo vệ khẩn cấp vào cơ sở trợ giúp xã hội",
    "Đăng ký biến động quyền sử dụng đất, quyền sở hữu tài sản gắn liền với đất",
    "Cấp giấy chứng nhận quyền sử dụng đất lần đầu",
    "Cấp giấy phép xây dựng nhà ở riêng lẻ",
    "Đăng ký thành lập hộ kinh doanh",
    "Cấp phiếu lý lịch tư pháp cho công dân Việt Nam",
    "Hỗ trợ chi phí mai táng cho đối tượng bảo trợ xã hội",
]
FIELDS = [
    ("ho-tich", "Hộ tịch"),
    ("cu-tru", "Cư trú"),
    ("chung-thuc", "Chứng thực"),
    ("tai-nguyen-nuoc", "Tài nguyên nước"),
    ("cong-chuc-vien-chuc", "Công chức, viên chức"),
    ("du-lich", "Du lịch"),
    ("di-san", "Di sản văn hóa"),
    ("bao-tro-xa-hoi", "Bảo trợ xã hội"),
    ("dat-dai", "Đất đai"),
    ("xay-dung", "Xây dựng"),
]
START = dt.date(2025, 7, 1)
_ONLINE = [OnlineLevel.FULL, OnlineLevel.PARTIAL, OnlineLevel.NONE]


@transaction.atomic
def build_catalog(n: int, *, lead: Agency | None = None) -> int:
    """Insert `n` published procedures in force from 01/07/2025 (needs unit levels tinh and xa)."""
    fields = [Field.objects.get_or_create(code=code, defaults={"name": name})[0] for code, name in FIELDS]
    levels = {lv.code: lv for lv in UnitLevel.objects.filter(code__in=["tinh", "xa"])}
    # Codes count down from x.900000, after any synthetic procedures made before.
    start = Procedure.objects.filter(code__regex=r"^\d\.(8|9)\d{5}$").count()
    procedures = Procedure.objects.bulk_create(
        Procedure(code=f"{1 + i % 3}.{900000 - i:06d}") for i in range(start, start + n)
    )
    now = timezone.now()
    versions = []
    for i, procedure in enumerate(procedures):
        field = fields[i % len(fields)]
        name = NAMES[i % len(NAMES)] + ("" if i < len(NAMES) else f" (mẫu {i // len(NAMES)})")
        fixed = lead is not None and i % 2 == 1
        ref = (
            AgencyRef(kind=RefKind.FIXED, agency=lead.code)
            if fixed and lead
            else AgencyRef(kind="local", sector="committee")
        )
        content = VersionContent(
            name=name,
            field=field.code,
            levels=("tinh",) if i % 4 == 0 else ("xa",),
            lead=ref,
            channels=("counter", "online") if _ONLINE[i % 3] != OnlineLevel.NONE else ("counter",),
            time_limit=TimeLimit(Decimal(i % 15), "d", f"{i % 15} ngày làm việc"),
            online_level=_ONLINE[i % 3],
            implementing_text="Ủy ban nhân dân cấp xã" if i % 4 else "Sở, ban, ngành cấp tỉnh",
            result="Quyết định hoặc văn bản trả lời",
        )
        search_name, search_text = search_columns(
            code=procedure.code,
            content=content,
            field_name=field.name,
            lead_name=lead.name if fixed and lead else "",
        )
        versions.append(
            ProcedureVersion(
                procedure=procedure,
                number=1,
                effective_from=START,
                status=Status.PUBLISHED,
                published_at=now,
                name=name,
                field=field,
                lead_kind=ref.kind,
                lead_agency=lead if fixed else None,
                lead_sector=ref.sector,
                implementing_text=content.implementing_text,
                channel_online=content.online_level != OnlineLevel.NONE,
                time_limit_amount=content.time_limit.amount,
                time_limit_text=content.time_limit.text,
                online_level=content.online_level,
                result=content.result,
                search_name=search_name,
                search_text=search_text,
                content_hash=version_hash(content, decision="", change="new", replaces=[]),
            )
        )
    versions = ProcedureVersion.objects.bulk_create(versions, batch_size=500)
    through = ProcedureVersion.levels.through
    through.objects.bulk_create(
        (
            through(procedureversion_id=v.pk, unitlevel_id=levels["tinh" if i % 4 == 0 else "xa"].pk)
            for i, v in enumerate(versions)
        ),
        batch_size=1000,
    )
    return len(versions)

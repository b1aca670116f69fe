"""The demo's cast: centres, procedures, applicants (made up, fixed seed) and the stories they live."""

from __future__ import annotations

import datetime as dt
import random
from collections import Counter
from dataclasses import dataclass, replace

from motcua.dossiers.services import ApplicantIn
from motcua.org.models import Role

SEED = 20251103
ID_PREFIX = "042198000"  # 12-digit ID numbers 042198000001…042198000999 belong to demo applicants
HISTORY = 45  # working days of history before today
THANH_SEN, PROVINCE = "ttpvhcc-thanhsen", "ttpvhcc-tinh"
CITIZEN = "congdan"
PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
# Receipts between 07:15 and 14:45 (before the 15:00 transfer cut-off), minutes after midnight.
SLOTS = [435, 465, 495, 525, 555, 585, 615, 795, 825, 855, 885]
ROLE_ORDER = [Role.SPECIALIST, Role.UNIT_LEADER, Role.AGENCY_LEADER]

# (procedure, counter officer, weight): what each centre mostly receives, with whom.
PROCEDURES = {
    THANH_SEN: [
        ("2.002621", "motcua.thanhsen", 5),  # birth – residence – health insurance, three agencies
        ("1.004222", "motcua.thanhsen", 3),  # permanent residence (police)
        ("1.004194", "motcua.thanhsen", 3),  # temporary residence (police)
        ("1.004873", "motcua.thanhsen", 3),  # marital status certificate
        ("1.001612", "motcua.thanhsen", 2),  # household business
        ("1.004859", "motcua.thanhsen", 1),  # civil status correction
        ("1.003197", "motcua.thanhsen", 1),  # permanent residence removed
        ("1.013227", "motcua.thanhsen", 1),  # building permit extended
    ],
    PROVINCE: [
        ("2.001610", "motcua.tuphap", 3),  # sole proprietorship
        ("2.002035", "motcua.tuphap", 2),  # one-member limited company
        ("1.012786", "motcua.datdai", 2),  # land certificate reissued
        ("1.012790", "motcua.datdai", 2),  # land certificate corrected
        ("1.012784", "motcua.datdai", 1),  # plot split or merged
        ("1.012270", "motcua.vhttdl", 1),  # health practitioner licence
    ],
}
ON_THE_SPOT = ["2.000815", "2.000815", "1.001193", "2.000635", "1.000894", "2.000815"]
ONLINE = ["1.004194", "1.004222", "2.002621", "1.004873"]

# Names are drawn from these words (family, then middle and given names of men and of women).
FAMILY = "Nguyễn Trần Lê Phạm Hoàng Phan Võ Đặng Bùi Đỗ Hồ Ngô Dương Lý Đinh Trương Hà Lương Thái Đoàn"
MEN = ("Văn Đức Hữu Minh Quang Xuân", "Anh Bảo Cường Dũng Đạt Hiếu Hùng Khánh Lâm Long Nam Phong Quân Sơn")
WOMEN = ("Thị Thu Ngọc Thanh Hồng", "An Chi Dung Giang Hằng Hiền Hoa Huyền Lan Linh Loan Mai Nga Nhung Quỳnh")
PLACES = {
    THANH_SEN: ["phường Thành Sen"],
    PROVINCE: ["phường Thành Sen", "phường Trần Phú", "phường Bắc Hồng Lĩnh", "xã Thạch Hà", "xã Cẩm Xuyên"],
}
SUPPLEMENT_REASON = (
    "Bản sao chưa được chứng thực; đề nghị nộp bản sao có chứng thực hoặc xuất trình bản chính."
)
COMPLETION_REASON = "Chưa có giấy tờ này trong hồ sơ; đề nghị bổ sung để hồ sơ đủ thành phần."
REFUSAL_AT_INTAKE = (
    "Người nộp không cư trú trên địa bàn, thủ tục không thuộc thẩm quyền tiếp nhận của nơi này; "
    "đã hướng dẫn nộp tại nơi cư trú."
)
REFUSAL = (
    "Kết quả xác minh cho thấy hồ sơ không đáp ứng điều kiện theo quy định; chi tiết tại văn bản trả lời."
)
STOP_REASON = "Người nộp có đơn đề nghị dừng giải quyết để điều chỉnh nội dung đăng ký."
APOLOGY_REASON = "Cần xác minh thêm thông tin với cơ quan liên quan nên chưa trả kết quả đúng hẹn."


@dataclass(frozen=True)
class Story:
    """One demo dossier: where, what, and how its handling goes."""

    key: int  # its applicant's demo ID number is ID_PREFIX + key
    point: str
    procedure: str
    officer: str
    ending: str  # a key of ENDINGS
    age: float  # 0…1: how far back in the span the ending allows its receipt lies
    pace: float = 0.6  # share of each step's time limit spent on it
    rating: str = ""
    online: bool = False

    @property
    def id_number(self) -> str:
        return f"{ID_PREFIX}{self.key:03d}"


def stories() -> list[Story]:
    """The demo's dossiers, the same on every load (fixed seed)."""
    rng = random.Random(SEED)
    stories: list[Story] = []

    turns: Counter[str] = Counter()

    def add(point: str, ending: str, count: int, *, spread: bool = False, **values: object) -> None:
        """Add `count` stories, their procedures drawn by weight, or taken in turn when `spread`."""
        choices = PROCEDURES[point]
        for _ in range(count):
            procedure, officer, _weight = rng.choices(choices, [w for *_, w in choices])[0]
            if spread:  # open work in turn at every agency of the point, so each has its list
                procedure, officer, _weight = choices[turns[point] % len(choices)]
                turns[point] += 1
            story = Story(len(stories) + 1, point, procedure, officer, ending, rng.random())
            stories.append(replace(story, **values))  # type: ignore[arg-type]

    for point, share in ((THANH_SEN, 3), (PROVINCE, 2)):
        add(point, "returned", 6 * share, pace=0.45)
        add(point, "returned", 3 * share, pace=0.85)
        add(point, "returned", share, pace=1.6)  # results returned late
        add(point, "ready", share + 1)
        add(point, "fresh", 2 * share + 2, spread=True)
        add(point, "soon", 2, spread=True)
        add(point, "late", share + 1, pace=1.3, spread=True)
        add(point, "supplement", 1 + share // 2, spread=True)
        add(point, "supplemented", 1)
        add(point, "completion", share // 2 + 1)
        add(point, "refused", 1)
        add(point, "refused_at_intake", 1)
        add(point, "stopped", 1)
    add(THANH_SEN, "apology", 1, procedure="2.002621", pace=1.0)
    add(THANH_SEN, "completed", 1)
    for code in ON_THE_SPOT:
        add(THANH_SEN, "on_the_spot", 1, procedure=code)
    for code, ending in zip(ONLINE, ["returned", "fresh", "ready", "online_waiting"], strict=True):
        add(THANH_SEN, ending, 1, procedure=code, online=True)
    add(THANH_SEN, "online_waiting", 1, procedure="1.004194", online=True)
    for n, story in enumerate(s for s in stories if s.ending == "returned"):
        if n % 3 == 0:
            level = "unsatisfied" if story.pace > 1 else ("very_satisfied" if n % 2 else "satisfied")
            stories[story.key - 1] = replace(story, rating=level)
    return stories


def person(rng: random.Random, story: Story) -> ApplicantIn:
    middles, givens = MEN if rng.random() < 0.5 else WOMEN
    name = f"{rng.choice(FAMILY.split())} {rng.choice(middles.split())} {rng.choice(givens.split())}"
    place = rng.choice(PLACES[story.point])
    where = f"Tổ dân phố {rng.randint(1, 15)}" if place.startswith("phường") else f"Thôn {rng.randint(1, 9)}"
    return ApplicantIn(
        name=name,
        id_number=story.id_number,
        date_of_birth=dt.date(rng.randint(1955, 2003), rng.randint(1, 12), rng.randint(1, 28)),
        address=f"{where}, {place}, tỉnh Hà Tĩnh",
        phone=f"0912001{story.key:03d}",
    )

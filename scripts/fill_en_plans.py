"""Fill the English catalogues of plans, analytics and reports (msgid is Vietnamese).

.venv/bin/python scripts/fill_en_plans.py   # after makemessages; then `make` compiles .po -> .mo
"""

from __future__ import annotations

import sys
from pathlib import Path

import polib

ROOT = Path(__file__).resolve().parent.parent / "src" / "xhht"

EN = {
    # plans: models
    "Văn bản trung ương": "National instrument",
    "Kế hoạch của tỉnh": "Provincial plan",
    "mã": "code",
    "loại": "kind",
    "số hiệu": "number",
    "ngày ban hành": "date issued",
    "trích yếu": "title",
    "đơn vị ban hành (tại thời điểm ban hành)": "issuing unit (as it was then)",
    "cơ quan ban hành": "issuing body",
    "địa bàn áp dụng": "territory covered",
    "văn bản căn cứ": "parent instrument",
    "căn cứ khác": "other legal bases",
    "từ năm": "from year",
    "đến năm": "to year",
    "cơ quan chủ trì": "lead agency",
    "tóm tắt": "summary",
    "nguồn": "source",
    "ghi chú": "note",
    "kế hoạch": "plan",
    "Không": "None",
    "Sơ kết": "Mid-term review",
    "Tổng kết": "Final review",
    "giai đoạn": "phase",
    "mốc đánh giá": "review",
    "năm sơ kết / tổng kết": "review year",
    "nội dung": "content",
    "Nội dung": "Content",
    "Giải pháp": "Solution",
    "Nhiệm vụ": "Task",
    "Chưa triển khai": "Not started",
    "Đang thực hiện": "In progress",
    "Hoàn thành": "Done",
    "Chậm": "Late",
    "nhiệm vụ": "task",
    "cơ quan thực hiện": "assigned agency",
    "thời hạn": "deadline",
    "tình trạng": "status",
    "nhiệm vụ của kế hoạch": "plan tasks",
    "%": "%",
    "số lượng": "count",
    "tên chỉ số": "indicator name",
    "tên tiếng Anh": "English name",
    "định nghĩa": "definition",
    "đơn vị tính": "unit of measure",
    "càng cao càng tốt": "higher is better",
    "tử số (mã đo lường)": "numerator (measure code)",
    "mẫu số (mã đo lường)": "denominator (measure code)",
    "số đăng ký (mã đo lường)": "registrations (measure code)",
    "danh hiệu": "title",
    "nguồn số liệu": "data source",
    "Sổ đăng ký và quyết định công nhận": "Registries and recognition decisions",
    "Số liệu tổng hợp nhập theo biểu": "Aggregate figures entered in data-set forms",
    "chỉ số": "indicator",
    "danh mục chỉ số": "indicator catalogue",
    "năm mốc": "milestone year",
    "giá trị": "value",
    "nguyên văn chỉ tiêu": "target as worded",
    "chỉ tiêu": "target",
    "tên biểu": "form name",
    "hướng dẫn": "instructions",
    "cấp nhập": "entry level",
    "1 = tỉnh, 3 = xã: số liệu chỉ nhập ở một cấp để cộng dồn không trùng": (
        "1 = province, 3 = commune: figures are entered at one level only so totals do not double-count"
    ),
    "đơn vị báo cáo": "reporting unit",
    "biểu số liệu tổng hợp": "aggregate data set",
    "chỉ tiêu nhập": "data element",
    "bắt buộc": "required",
    "là một phần của": "part of",
    "cảnh báo khi thay đổi quá (%)": "warn when the change exceeds (%)",
    "Giá trị chênh quá tỉ lệ này so với năm trước được đánh dấu bất thường": (
        "A value that differs from last year's by more than this share is flagged as an outlier"
    ),
    "Đang nhập": "Draft",
    "Đã gửi": "Submitted",
    "Đã duyệt (khóa số liệu)": "Approved (locked)",
    "năm": "year",
    "trạng thái": "status",
    "số liệu tổng hợp": "aggregate figures",
    "Bằng khen": "Certificate of merit",
    "Giấy khen": "Letter of commendation",
    "hình thức": "form of award",
    "tập thể": "collective",
    "cấp khen": "awarding level",
    "số quyết định": "decision number",
    "ngày quyết định": "decision date",
    "thành tích": "achievement",
    "loại đối tượng": "subject type",
    "tập thể / cá nhân": "collective / individual",
    "địa bàn": "area",
    "phong trào, kế hoạch": "movement, plan",
    "khen thưởng": "commendation",
    # plans: menu, dashboard
    "Kế hoạch, chỉ tiêu": "Plans and targets",
    "Số liệu tổng hợp": "Aggregate figures",
    "Khen thưởng": "Commendations",
    "Đã đạt": "Reached",
    "Đạt tiến độ": "On track",
    "Có nguy cơ": "At risk",
    "Chậm tiến độ": "Off track",
    "Chưa có số liệu": "No data yet",
    "Năm mốc": "Milestone year",
    "Chỉ tiêu": "Target",
    "Mã chỉ số": "Indicator code",
    "Mục tiêu": "Target value",
    "Thực hiện": "Actual",
    "Tử số": "Numerator",
    "Mẫu số": "Denominator",
    "Đăng ký": "Registered",
    "Còn thiếu": "Gap",
    "Tốc độ hiện tại (điểm %/năm)": "Current pace (points/year)",
    "Tốc độ cần (điểm %/năm)": "Required pace (points/year)",
    "Dự báo đến mốc": "Projection to milestone",
    "Đánh giá": "Assessment",
    "Đơn vị": "Unit",
    "Mã": "Code",
    "“%(name)s”: bắt buộc nhập.": "“%(name)s”: required.",
    "“%(name)s”: không được âm.": "“%(name)s”: must not be negative.",
    "“%(name)s” (%(v)s) không được lớn hơn “%(whole)s” (%(w)s).": (
        "“%(name)s” (%(v)s) must not be greater than “%(whole)s” (%(w)s)."
    ),
    "“%(name)s” thay đổi bất thường so với năm %(y)s: %(a)s → %(b)s.": (
        "“%(name)s” changed unusually from %(y)s: %(a)s → %(b)s."
    ),
    "Biểu “%(ds)s” được nhập ở cấp %(lvl)s, không nhập cho %(unit)s.": (
        "Form “%(ds)s” is entered at level %(lvl)s, not for %(unit)s."
    ),
    "Số liệu đã được duyệt và khóa; cần mở khóa trước khi sửa.": (
        "These figures are approved and locked; unlock them before editing."
    ),
    "Chưa đủ số liệu bắt buộc: %s": "Required figures missing: %s",
    "địa bàn cũ: số liệu hiện nay được quy về": "former territory: today's figures carried back",
    "Năm": "Year",
    "Xem": "Show",
    "Chỉ tiêu và kết quả thực hiện": "Targets and results",
    "định tính": "qualitative",
    "Tử số / mẫu số": "Numerator / denominator",
    "Đăng ký / công nhận": "Registered / recognised",
    "Tốc độ hiện tại": "Current pace",
    "Tốc độ cần": "Required pace",
    "Dự báo đến %(y|unlocalize)s": "Projection to %(y|unlocalize)s",
    "Chỉ tiêu định tính, theo dõi bằng báo cáo.": "Qualitative target, followed through reports.",
    "Văn bản không nêu chỉ tiêu định lượng.": "The instrument states no quantitative target.",
    "Biểu đồ mục tiêu và thực hiện": "Chart of targets and results",
    "Bảng số liệu": "Data table",
    "Xu hướng theo năm": "Trend by year",
    "Xếp hạng đơn vị trực thuộc": "Ranking of the units below",
    "chậm nhất trước": "laggards first",
    "Xếp theo": "Rank by",
    "Xếp": "Rank",
    "Báo cáo": "Reports",
    "Tải toàn bộ số liệu (XLSX)": "Download all figures (XLSX)",
    "Lập báo cáo năm": "Produce the yearly report",
    "Tất cả": "All",
    "Quyết định": "Decision",
    "Hình thức": "Form of award",
    "Tập thể / cá nhân": "Collective / individual",
    "Thành tích": "Achievement",
    "Cấp khen": "Awarding level",
    "cá nhân": "individual",
    "Chưa có khen thưởng.": "No commendations yet.",
    "Bảng theo dõi": "Dashboard",
    "Lưu nháp": "Save draft",
    "Lưu và gửi duyệt": "Save and submit for approval",
    "Mở khóa": "Unlock",
    "Duyệt và khóa": "Approve and lock",
    "Danh sách biểu": "Data-set forms",
    "Đã nhập %(e)s/%(n)s, đã duyệt %(a)s/%(n)s": "Entered %(e)s/%(n)s, approved %(a)s/%(n)s",
    "bất thường": "outlier",
    "chưa nhập": "not entered",
    "Kế hoạch": "Plan",
    "Cơ quan ban hành": "Issuing body",
    "Địa bàn áp dụng": "Territory covered",
    "hết hiệu lực sau %(d)s": "no longer exists after %(d)s",
    "chưa cấu hình": "not configured",
    "Căn cứ": "Legal basis",
    "Giai đoạn": "Phases",
    "chủ trì": "lead",
    "Ghi chú": "Note",
    "Bảng theo dõi chỉ tiêu": "Target dashboard",
    "Giai đoạn và mốc đánh giá": "Phases and reviews",
    "Chỉ số": "Indicators",
    "Nội dung, nhiệm vụ": "Contents and tasks",
    "Nhiệm vụ được giao": "Assigned tasks",
    "Cơ quan thực hiện": "Assigned agency",
    "Thời hạn": "Deadline",
    "Tình trạng": "Status",
    "Chưa giao nhiệm vụ.": "No tasks assigned yet.",
    "Khen thưởng trong phong trào": "Commendations in the movement",
    "Văn bản": "Instrument",
    "Địa bàn": "Area",
    "(chưa rõ số)": "(number unknown)",
    "đơn vị cũ": "former unit",
    "Về bảng theo dõi": "Back to the dashboard",
    "Số liệu này được tổng hợp, không có danh sách từng đối tượng.": (
        "This figure is an aggregate; there is no list of individual subjects."
    ),
    "Đối tượng": "Subject",
    "Loại": "Type",
    "Nơi ghi nhận": "Recorded at",
    "Không có đối tượng nào.": "No subjects.",
    "Hiển thị %(n)s dòng đầu.": "Showing the first %(n)s rows.",
    "Đã cập nhật tình trạng nhiệm vụ.": "Task status updated.",
    "Đã duyệt và khóa số liệu.": "Figures approved and locked.",
    "Đã mở khóa số liệu.": "Figures unlocked.",
    "“%(name)s”: “%(text)s” không phải là số (ví dụ 1.234 hoặc 1.234,5).": (
        "“%(name)s”: “%(text)s” is not a number (for example 1.234 or 1.234,5)."
    ),
    "“%(name)s”: là số đếm, phải là số nguyên (đã nhập %(text)s).": (
        "“%(name)s”: is a count and must be a whole number (you typed %(text)s)."
    ),
    "Đã lưu số liệu.": "Figures saved.",
    # analytics
    "Số được công nhận {t}": "Recognised as {t}",
    "Số đăng ký {t}": "Registered for {t}",
    "Số người đang cư trú": "Residents",
    "Số người từ 15 tuổi trở lên": "People aged 15 and over",
    "Số người trong độ tuổi lao động (15–60)": "People of working age (15–60)",
    "Người trong độ tuổi lao động có năng lực CNTT": "People of working age with IT skills",
    "Người trong độ tuổi lao động có kỹ năng sống": "People of working age with life skills",
    "Người từ 15 tuổi có trình độ chuyên môn kỹ thuật": "People aged 15+ with a technical qualification",
    "Người từ 15 tuổi có trình độ đại học trở lên": "People aged 15+ with a university degree or higher",
    "Số TTHTCĐ": "Community learning centres",
    "TTHTCĐ ứng dụng CNTT": "Community learning centres using IT",
    "TTHTCĐ có Chủ tịch/Phó Chủ tịch HKH xã trong ban quản lý": (
        "Community learning centres with the commune association chair or vice-chair on the board"
    ),
    "Số hội viên Hội Khuyến học": "Members of the Association for Promotion of Education",
    "Hội viên đã được quán triệt, tập huấn": "Members briefed and trained",
    "Số cán bộ Hội Khuyến học": "Association officers",
    "Cán bộ hội tham gia hoạt động TTHTCĐ và được bồi dưỡng CNTT": (
        "Association officers active in learning centres and trained in IT"
    ),
    "Người lớn trong GĐHT, DHHT, CĐHT": "Adults in learning families, clans and communities",
    "Người lớn trong GĐHT, DHHT, CĐHT đạt CDHT": (
        "Adults in learning families, clans and communities recognised as learning citizens"
    ),
    "Cán bộ, công chức, viên chức, người lao động trong ĐVHT": "Staff of learning units",
    "Cán bộ trong ĐVHT đạt CDHT": "Staff of learning units recognised as learning citizens",
    "Người đạt CDHT có kỹ năng số": "Learning citizens with digital skills",
    "Người đạt CDHT thành thạo kỹ năng số": "Learning citizens proficient in digital skills",
    "Số hộ gia đình": "Households",
    "Số dòng họ": "Clans",
    "Số cơ quan, đơn vị": "Organisations",
    "Số thôn, tổ dân phố": "Villages and residential groups",
    "Số xã, phường, đặc khu": "Communes, wards and special zones",
    "Số tỉnh, thành phố": "Provinces and cities",
    "Giá trị mọi chỉ số của đơn vị và các đơn vị trực thuộc; bấm tên đơn vị để xem chi tiết.": (
        "Every indicator for the unit and the units below it; click a unit's name to see its details."
    ),
    "Giá trị": "Value",
    "Đơn vị trực thuộc": "Units below",
    # reports
    "Báo cáo năm (hạn 15/12)": "Yearly report (due 15 December)",
    "Báo cáo sơ kết giai đoạn": "Mid-term phase review report",
    "Báo cáo tổng kết": "Final review report",
    "loại báo cáo": "report kind",
    "tên mẫu": "template name",
    "kính gửi": "addressed to",
    "phần mở đầu": "introduction",
    "Có thể dùng {don_vi}, {nam}, {ke_hoach}.": "You may use {don_vi}, {nam}, {ke_hoach}.",
    "các mục tường thuật": "narrative sections",
    "Mỗi mục một dòng: tiêu đề | gợi ý nội dung": "One section per line: heading | suggested content",
    "phần kết": "closing",
    "mẫu mặc định": "default template",
    "mẫu báo cáo": "report template",
    "Đang chờ": "Waiting",
    "Đang lập": "Running",
    "Lỗi": "Failed",
    "lần lập báo cáo": "report run",
    "Tải XLSX": "Download XLSX",
    "Tải PDF": "Download PDF",
    "Lập báo cáo": "Produce report",
    "Mẫu báo cáo": "Report templates",
    "Sửa mẫu báo cáo": "Edit report template",
    "Báo cáo đã lập": "Reports produced",
}
PLURAL = {"%(n)s đối tượng": ("%(n)s subject", "%(n)s subjects")}


def main() -> int:
    missing = []
    for app in ("plans", "analytics", "reports"):
        path = ROOT / app / "locale" / "en" / "LC_MESSAGES" / "django.po"
        po = polib.pofile(str(path))
        for e in po:
            if e.msgid_plural:
                if e.msgid in PLURAL:
                    e.msgstr_plural = {0: PLURAL[e.msgid][0], 1: PLURAL[e.msgid][1]}
                else:
                    missing.append((app, e.msgid))
            elif e.msgid in EN:
                e.msgstr = EN[e.msgid]
            else:
                missing.append((app, e.msgid))
            if "fuzzy" in e.flags:
                e.flags.remove("fuzzy")
        po.save()
    for app, m in missing:
        print(f"missing {app}: {m!r}")
    return 1 if missing else 0


if __name__ == "__main__":
    sys.exit(main())

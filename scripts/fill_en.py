"""Fill English translations of the foundation apps' catalogues from the table below (a dev tool).

Usage: .venv/bin/python scripts/fill_en.py   (after `xhht makemessages -l en` in each app dir)
"""

from pathlib import Path

import polib

EN = {
    "Công dân học tập": "Learning citizen", "Gia đình học tập": "Learning family", "Dòng họ học tập": "Learning clan",
    "Cộng đồng học tập thôn, tổ dân phố": "Learning community (village)", "Đơn vị học tập": "Learning unit",
    "Cộng đồng học tập cấp xã": "Learning commune", "Cộng đồng học tập cấp tỉnh": "Learning province",
    "Xếp loại Trung tâm học tập cộng đồng": "Community learning centre rating", "Công dân": "Citizen",
    "Hộ gia đình": "Household", "Dòng họ": "Clan", "Đơn vị hành chính": "Administrative units",
    "Cơ quan, đơn vị": "Organisation", "Trung tâm học tập cộng đồng": "Community learning centre",
    "Đạt": "Pass", "Mức 1": "Level 1", "Mức 2": "Level 2", "Tên": "Name", "Loại": "Kind",
    "Ngày hiệu lực": "Effective date", "Căn cứ (số quyết định, nghị quyết)": "Legal basis (decision or resolution number)",
    "Tên mới": "New name", "Căn cứ": "Legal basis", "Tên các đơn vị mới (mỗi dòng một tên)": "Names of the new units (one per line)",
    "Các thôn, tổ dân phố sáp nhập": "Villages / residential groups to merge", "Tên đơn vị sau sáp nhập": "Name after the merger",
    "Quốc gia": "Country", "Cấp tỉnh": "Province level", "Cấp huyện (trước 01/07/2025)": "District level (before 01/07/2025)",
    "Cấp xã": "Commune level", "Thôn, tổ dân phố": "Village / residential group",
    "Thành phố trực thuộc trung ương": "Centrally-run city", "Tỉnh": "Province", "Huyện": "Rural district",
    "Quận": "Urban district", "Thị xã": "Town", "Thành phố thuộc tỉnh": "Provincial city",
    "Thành phố thuộc thành phố trực thuộc trung ương": "City within a centrally-run city", "Xã": "Commune",
    "Phường": "Ward", "Thị trấn": "Township", "Đặc khu": "Special zone", "Thôn / bản / buôn / làng": "Village",
    "Tổ dân phố": "Residential group", "mã": "code", "tên": "name", "loại": "kind", "cấp": "level", "thuộc": "parent",
    "có hiệu lực từ": "valid from", "hết hiệu lực từ sau ngày": "valid until", "nguồn": "source",
    "đơn vị hành chính": "administrative unit", "Sắp xếp đơn vị hành chính 2025": "2025 administrative reform",
    "Sáp nhập": "Merge", "Chia tách": "Split", "Đổi tên": "Rename", "ngày hiệu lực": "effective date",
    "chỉ một phần": "partly", "Đơn vị cũ được chia cho nhiều đơn vị mới": "The old unit was split between several new ones",
    "đơn vị kế thừa mặc định": "default successor",
    "Khi đơn vị cũ bị chia, hồ sơ không rõ địa chỉ được chuyển về đơn vị này trong báo cáo":
        "When the old unit was split, records without a precise address are carried to this unit in reports",
    "kế thừa đơn vị": "unit succession", "Thành lập": "Created", "Giải thể": "Dissolved", "căn cứ": "legal basis",
    "biến động đơn vị": "unit change", "Trang chủ": "Home", "Vị trí": "Location", "Đơn vị": "Units",
    "Xem chi tiết": "Details", "Đang tải…": "Loading…", "Không có đơn vị trực thuộc.": "No units below.",
    "Trước đây là": "Formerly", "một phần": "partly", "Nay thuộc về": "Now part of", "mặc định": "default",
    "Các xã của huyện nay thuộc về": "Where the district's communes went", "Biến động": "Changes",
    "Không tìm thấy đơn vị nào khớp “%(q)s”.": "No unit matches “%(q)s”.", "Hết hiệu lực": "No longer in force",
    "đến %(d)s": "until %(d)s", "Tìm đơn vị": "Find a unit", "Tìm đơn vị hành chính": "Find an administrative unit",
    "Tên đơn vị, không cần dấu: dak mar": "Unit name, diacritics optional: dak mar", "Tìm": "Search",
    "Cây đơn vị hành chính": "Administrative tree", "Tìm theo tên, không cần dấu: dak mar": "Search by name, diacritics optional: dak mar",
    "Cấu trúc hiện hành từ 01/07/2025: tỉnh, thành phố → xã, phường, đặc khu → thôn, tổ dân phố. Bấm vào một đơn vị để mở các đơn vị trực thuộc.":
        "Structure in force since 01/07/2025: province or city → commune, ward, special zone → village, residential group. Open a unit to see the units below it.",
    "Bạn chưa được phân quyền trên đơn vị nào.": "You have no role on any unit yet.", "Mã": "Code",
    "Hết hiệu lực sau ngày %(d)s": "No longer in force after %(d)s", "Hiệu lực từ %(d)s": "In force since %(d)s",
    "Lịch sử": "History", "Đơn vị trực thuộc": "Units below", "Chưa có đơn vị trực thuộc.": "No units below yet.",
    "%(n)s đơn vị đã hết hiệu lực": ("%(n)s former unit", "%(n)s former units"),
    "Thêm thôn, tổ dân phố": "Add a village or residential group", "Thêm": "Add",
    "Sáp nhập thôn, tổ dân phố": "Merge villages", "Nhật ký thay đổi của đơn vị": "Audit trail of this unit",
    "Về trang đơn vị": "Back to the unit", "Lưu": "Save", "Huỷ": "Cancel", "Đã lưu thay đổi.": "Changes saved.",
    "Quản trị hệ thống": "System administrator", "Cán bộ Sở Giáo dục và Đào tạo": "Department of Education officer",
    "Cán bộ Hội Khuyến học tỉnh": "Provincial study-promotion association officer",
    "Cán bộ Hội Khuyến học xã": "Commune study-promotion association officer",
    "Lãnh đạo UBND xã (người ký quyết định)": "Commune People's Committee (approver)",
    "Trưởng thôn / tổ trưởng tổ dân phố": "Village head", "Thủ trưởng cơ quan, đơn vị": "Head of organisation",
    "họ và tên": "full name", "số điện thoại": "phone", "người dùng": "user", "vai trò": "role", "đơn vị": "unit",
    "chức vụ": "position", "từ ngày": "from", "đến ngày": "until", "phân quyền": "role assignment",
    "Tạo mới": "Create", "Sửa": "Update", "Xoá": "Delete", "Thao tác hàng loạt": "Bulk operation",
    "Đăng nhập": "Log in", "Đăng xuất": "Log out", "Đăng nhập thất bại": "Failed login",
    "Truy cập dữ liệu cá nhân": "Personal data access", "Khác": "Other", "thời điểm": "time",
    "người thực hiện": "actor", "địa chỉ IP": "IP address", "thao tác": "action", "loại dữ liệu": "data type",
    "đối tượng": "object", "thay đổi": "changes", "nhật ký thay đổi": "audit event", "Nhật ký thay đổi": "Audit trail",
    "Thao tác": "Action", "Mọi thao tác": "All actions", "Loại dữ liệu, ví dụ geo.adminunit": "Data type, e.g. geo.adminunit",
    "Lọc": "Filter", "Thời điểm": "Time", "Người thực hiện": "Actor", "Địa chỉ IP": "IP address", "Đối tượng": "Object",
    "Thay đổi": "Changes", "Xem": "Show", "Chưa có thay đổi nào.": "No changes yet.", "Trang trước": "Previous page",
    "Trang %(n)s": "Page %(n)s", "Trang sau": "Next page", "Tạm khoá đăng nhập": "Login temporarily locked",
    "Bạn đã nhập sai mật khẩu quá nhiều lần. Hãy thử lại sau 15 phút hoặc liên hệ quản trị hệ thống.":
        "Too many wrong passwords. Try again in 15 minutes or contact the system administrator.",
    "Tên đăng nhập": "Username", "Mật khẩu": "Password",
    "Tên đăng nhập hoặc mật khẩu không đúng. Lưu ý chữ hoa, chữ thường.": "Wrong username or password. Letter case matters.",
    "Tài khoản này đã bị khoá.": "This account is disabled.", "Không có quyền": "Forbidden",
    "Bạn không có quyền thực hiện thao tác này": "You may not do this",
    "Quyền của bạn gắn với đơn vị hành chính được phân công.": "Your permissions are bound to the unit you are assigned to.",
    "Về trang chủ": "Back to the home page", "Không tìm thấy": "Not found", "Không tìm thấy trang": "Page not found",
    "Trang này không tồn tại hoặc bạn không có quyền xem.": "This page does not exist or you may not see it.",
    "Xã hội học tập": "Learning society", "Điều hướng chính": "Main navigation", "Danh mục": "Menu",
    "Hệ thống dữ liệu xây dựng xã hội học tập": "Learning-society data system", "Xin chào, %(name)s": "Hello, %(name)s",
    "Bạn là quản trị hệ thống, có quyền trên toàn quốc.": "You are a system administrator, with rights over the whole country.",
    "Trang quản trị": "Administration", "%(n)s xã, phường": ("%(n)s commune", "%(n)s communes"),
    "%(n)s thôn, tổ dân phố": ("%(n)s village", "%(n)s villages"),
    "Tài khoản của bạn chưa được phân quyền. Hãy liên hệ quản trị hệ thống.":
        "Your account has no role yet. Contact the system administrator.",
}

root = Path(__file__).resolve().parent.parent / "src" / "xhht"
for app in ["core", "geo", "accounts", "web"]:
    path = root / app / "locale" / "en" / "LC_MESSAGES" / "django.po"
    po = polib.pofile(str(path))
    missing = []
    for e in po:
        tr = EN.get(e.msgid)
        if tr is None:
            missing.append(e.msgid)
            continue
        if e.msgid_plural:
            one, many = tr if isinstance(tr, tuple) else (tr, tr)
            e.msgstr_plural = {0: one, 1: many}
        else:
            e.msgstr = tr
        if "fuzzy" in e.flags:
            e.flags.remove("fuzzy")
    po.metadata["Language"] = "en"
    po.metadata["Plural-Forms"] = "nplurals=2; plural=(n != 1);"
    po.metadata["Content-Type"] = "text/plain; charset=UTF-8"
    po.save()
    if missing:
        print(app, "missing:", missing)

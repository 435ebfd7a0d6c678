"""Fill the English catalogue of the imports app from the table below (a dev tool).

Usage: cd src/xhht/imports && DEBUG=1 ../../../.venv/bin/xhht makemessages -l en --no-obsolete
       cd ../../.. && .venv/bin/python scripts/fill_en_imports.py
Prints the msgids it has no translation for (and exits 1 then), so a new string is not forgotten.

Column names quoted in the messages ('Mã hộ', 'Quan hệ với chủ hộ', 'Chủ hộ') and the values a file
must hold ('Nam'/'Nữ', 'Có'/'Không') stay in Vietnamese: they are what the file itself contains.
"""

import sys
from pathlib import Path

import polib

PO = Path(__file__).resolve().parent.parent / "src/xhht/imports/locale/en/LC_MESSAGES/django.po"

EN = {
    # header row
    "Dòng %(row)d: cột '%(h)s' bị lặp (trùng với cột '%(first)s').": (
        "Row %(row)d: column '%(h)s' is repeated (same as column '%(first)s')."
    ),
    "Dòng tiêu đề (dòng %(row)d) thiếu cột bắt buộc: %(missing)s. Các cột có trong tệp: %(found)s. "
    "Hãy dùng tệp mẫu.": (
        "The header row (row %(row)d) lacks required columns: %(missing)s. Columns in the file: %(found)s. "
        "Please use the template."
    ),
    # counters
    "Công dân mới": "New citizens",
    "Công dân có thay đổi": "Citizens changed",
    "Công dân không đổi": "Citizens unchanged",
    "Công dân chuyển thôn": "Citizens moved to another village",
    "Hộ gia đình mới": "New households",
    "Hộ gia đình có thay đổi": "Households changed",
    "Thành viên hộ mới": "New household members",
    "Thay đổi thành viên hộ": "Household membership changes",
    "Dòng họ mới": "New clans",
    "Dòng họ có thay đổi": "Clans changed",
    "Dòng họ đã có": "Clans already registered",
    "Hộ mới trong dòng họ": "Households newly added to clans",
    "Cơ quan, đơn vị mới": "New organisations",
    "Cơ quan, đơn vị có thay đổi": "Organisations changed",
    "Cơ quan, đơn vị đã có": "Organisations already registered",
    "Nhân sự mới": "New staff",
    "Nhân sự có thay đổi": "Staff changed",
    "Chi hội mới": "New branches",
    "Hội viên mới": "New members",
    "Hội viên có thay đổi": "Members changed",
    "Hội viên đã kiểm tra": "Members checked",
    # upload form
    "Loại dữ liệu": "Kind of data",
    "Nhập vào xã/phường": "Import into commune/ward",
    "Tệp CSV hoặc XLSX": "CSV or XLSX file",
    "Chỉ nhận tệp .csv hoặc .xlsx.": "Only .csv or .xlsx files are accepted.",
    "Tệp quá lớn (tối đa 200 MB).": "The file is too large (200 MB at most).",
    # kinds
    "Công dân": "Citizen",  # core's catalogue wins (it comes first in INSTALLED_APPS)
    "Hộ gia đình và thành viên": "Households and members",
    "Dòng họ": "Clan",  # core's catalogue wins
    "Cơ quan, đơn vị và nhân sự": "Organisations and staff",
    "Hội viên Hội Khuyến học": "Study-promotion association members",
    # statuses
    "Đang chờ": "Waiting",
    "Đang kiểm tra": "Checking",
    "Đã kiểm tra": "Checked",
    "Có lỗi": "Has errors",
    "Đã nhập": "Imported",
    "Thất bại": "Failed",
    # model fields
    "loại dữ liệu": "data type",  # accounts' catalogue wins
    "xã": "commune",
    "tên tệp": "file name",
    "trạng thái": "status",
    "lượt nhập dữ liệu": "import job",
    "Nhập dữ liệu": "Import",
    "Có": "Yes",
    "Không": "No",
    # cell values
    "Quá dài: tối đa %(n)d ký tự.": "Too long: %(n)d characters at most.",
    "Thiếu họ và tên.": "Full name is missing.",
    "Ngày không hợp lệ: %(v)s.": "Invalid date: %(v)s.",
    "Năm không hợp lệ: %(v)s.": "Invalid year: %(v)s.",
    "Ngày không hợp lệ: %(v)s (hãy ghi dd/mm/yyyy hoặc năm).": (
        "Invalid date: %(v)s (write dd/mm/yyyy or the year)."
    ),
    "Ngày không tồn tại: %(v)s.": "No such date: %(v)s.",
    "Ngày nằm ngoài khoảng cho phép (01/01/1900 đến hôm nay): %(v)s.": (
        "Date outside the allowed range (01/01/1900 to today): %(v)s."
    ),
    "Cần ghi đủ ngày, tháng, năm (dd/mm/yyyy): %(v)s.": "Day, month and year are all needed (dd/mm/yyyy): %(v)s.",
    "Giới tính phải là 'Nam' hoặc 'Nữ', không phải '%(v)s'.": (
        "Sex must be 'Nam' (male) or 'Nữ' (female), not '%(v)s'."
    ),
    "Giá trị '%(v)s' không hợp lệ; dùng một trong: %(allowed)s.": (
        "Invalid value '%(v)s'; use one of: %(allowed)s."
    ),
    "Ghi 'Có' hoặc 'Không', không phải '%(v)s'.": "Write 'Có' (yes) or 'Không' (no), not '%(v)s'.",
    "%(label)s không phải là một dãy chữ số: %(v)s.": "%(label)s is not a string of digits: %(v)s.",
    "%(label)s bị Excel đổi sang dạng số mũ (%(v)s), các chữ số đã mất: hãy định dạng cột là Văn bản (Text), "
    "nhập lại số đầy đủ rồi lưu lại tệp.": (
        "%(label)s was turned by Excel into scientific notation (%(v)s) and its digits are lost: format the "
        "column as Text, type the full number again and save the file again."
    ),
    "Số CCCD": "Citizen ID number",
    "Số CCCD không hợp lệ: %(v)s.": "Invalid citizen ID number: %(v)s.",
    "Số điện thoại": "Phone number",
    "Số điện thoại %(v)s mất số 0 ở đầu: đã khôi phục thành %(f)s.": (
        "Phone number %(v)s lost its leading 0: restored as %(f)s."
    ),
    "Số điện thoại không hợp lệ: %(v)s (cần 10 chữ số, bắt đầu bằng 0).": (
        "Invalid phone number: %(v)s (10 digits starting with 0 are needed)."
    ),
    "Mã bị Excel đổi sang dạng số mũ (%(v)s): hãy định dạng cột là Văn bản (Text).": (
        "Excel turned the code into scientific notation (%(v)s): format the column as Text."
    ),
    "Cột không được sử dụng, bỏ qua.": "Column not used; ignored.",
    "Tệp không có dòng dữ liệu nào sau dòng tiêu đề.": "The file has no data rows after the header row.",
    # clans, organisations, members
    "Cần số CCCD hoặc mã công dân của người này.": "This person's citizen ID number or citizen code is needed.",
    "Không có công dân %(k)s trong sổ: hãy nhập sổ công dân trước.": (
        "No citizen %(k)s in the register: import the citizens first."
    ),
    "Công dân %(k)s thuộc sổ của đơn vị khác.": "Citizen %(k)s belongs to another unit's register.",
    "Họ tên '%(n)s' khác với họ tên trong sổ của công dân %(k)s.": (
        "The name '%(n)s' differs from the registered name of citizen %(k)s."
    ),
    "Thiếu tên dòng họ.": "Clan name is missing.",
    "Thiếu mã hộ.": "Household code is missing.",
    "Không có hộ mã %(v)s trong sổ hộ gia đình.": "No household with code %(v)s in the household register.",
    "Hộ %(v)s thuộc đơn vị khác.": "Household %(v)s belongs to another unit.",
    "Hộ %(v)s đã có ở dòng %(r)d.": "Household %(v)s is already on row %(r)d.",
    "Không có công dân %(k)s trong sổ của xã.": "No citizen %(k)s in the commune's register.",
    "Thiếu mã đơn vị.": "Organisation code is missing.",
    "Thiếu tên hoặc loại hình đơn vị.": "Organisation name or type is missing.",
    "Mã đơn vị %(c)s đã dùng cho '%(n)s' ở dòng %(r)d.": (
        "Organisation code %(c)s is already used for '%(n)s' on row %(r)d."
    ),
    "Người này đã có ở dòng %(r)d của cùng đơn vị.": (
        "This person is already on row %(r)d for the same organisation."
    ),
    "Mã đơn vị %(c)s thuộc đơn vị hành chính khác.": (
        "Organisation code %(c)s belongs to another administrative unit."
    ),
    "Thiếu tên chi hội.": "Branch name is missing.",
    "Người này đã có ở dòng %(r)d trong cùng chi hội.": "This person is already on row %(r)d in the same branch.",
    # villages
    "Thiếu thôn/tổ dân phố.": "Village / residential group is missing.",
    "Thôn/tổ dân phố '%(v)s' thuộc %(other)s, không thuộc %(commune)s: chỉ được nhập vào xã đã chọn.": (
        "Village / residential group '%(v)s' belongs to %(other)s, not to %(commune)s: "
        "rows can only be imported into the chosen commune."
    ),
    "Thôn/tổ dân phố '%(v)s' đã thôi hoạt động (sáp nhập, giải thể).": (
        "Village / residential group '%(v)s' no longer exists (merged or dissolved)."
    ),
    "Không có thôn/tổ dân phố '%(v)s' trong %(commune)s.": "No village / residential group '%(v)s' in %(commune)s.",
    # citizens and households
    "Nhập từ tệp %(f)s": "Imported from file %(f)s",
    "Tệp hộ gia đình cần cột 'Mã hộ' và cột 'Quan hệ với chủ hộ'.": (
        "A household file needs a 'Mã hộ' (household code) column and a "
        "'Quan hệ với chủ hộ' (relation to household head) column."
    ),
    # the two halves of the message above, put around the value by the vectorised check (people.py)
    "Số CCCD %(v)s trùng với dòng %(first)d trong cùng tệp.": (
        "Citizen ID number %(v)s duplicates row %(first)d of the same file."
    ),
    "Mã công dân %(v)s trùng với dòng %(first)d trong cùng tệp.": (
        "Citizen code %(v)s duplicates row %(first)d of the same file."
    ),
    "Dòng trùng với dòng %(first)d (cùng họ tên, ngày sinh, giới tính, thôn, hộ; không có CCCD).": (
        "Row duplicates row %(first)d (same name, date of birth, sex, village and household; "
        "no citizen ID number)."
    ),
    "Số CCCD %(c)s thuộc một công dân khác với mã công dân %(e)s trong sổ.": (
        "Citizen ID number %(c)s belongs to a different citizen from the one with citizen code %(e)s "
        "in the register."
    ),
    "Số CCCD %(c)s đã có trong sổ với mã công dân khác (%(other)s).": (
        "Citizen ID number %(c)s is already in the register under another citizen code (%(other)s)."
    ),
    "Công dân này (%(k)s) đã có trong sổ của đơn vị khác: không được nhập đè.": (
        "This citizen (%(k)s) is already in another unit's register: it cannot be overwritten."
    ),
    "Có quan hệ với chủ hộ nhưng thiếu mã hộ.": "A relation to the household head is given but the household code is missing.",
    "Mã hộ %(v)s đã thuộc một hộ của đơn vị khác.": "Household code %(v)s already belongs to a household of another unit.",
    "Thành viên ở thôn khác với hộ %(code)s (dòng %(first)d).": (
        "The member lives in a different village from household %(code)s (row %(first)d)."
    ),
    "Thiếu quan hệ với chủ hộ.": "Relation to the household head is missing.",
    "Hộ %(code)s không có dòng nào là 'Chủ hộ'.": "Household %(code)s has no row marked 'Chủ hộ' (household head).",
    "Hộ %(code)s có nhiều hơn một chủ hộ (các dòng %(rows)s).": (
        "Household %(code)s has more than one household head (rows %(rows)s)."
    ),
    # reading files
    "Tệp rỗng: không có dòng tiêu đề và không có dữ liệu.": "Empty file: no header row and no data.",
    "Tệp không phải là tệp văn bản CSV (có ký tự nhị phân). Hãy lưu lại dưới dạng CSV UTF-8 hoặc XLSX.": (
        "The file is not a CSV text file (it contains binary characters). Save it again as CSV UTF-8 or XLSX."
    ),
    "Tệp CSV bị lỗi ở dòng %(n)d: %(e)s": "The CSV file is broken at row %(n)d: %(e)s",
    "Tệp không phải là tệp Excel .xlsx hợp lệ (có thể là tệp khác bị đổi đuôi). "
    "Hãy mở bằng Excel và lưu lại dưới dạng .xlsx hoặc CSV UTF-8.": (
        "The file is not a valid Excel .xlsx file (perhaps another kind of file renamed). "
        "Open it in Excel and save it again as .xlsx or CSV UTF-8."
    ),
    "Không đọc được tệp Excel: %(e)s": "Could not read the Excel file: %(e)s",
    "Định dạng .xls (Excel 97–2003) không được hỗ trợ: hãy lưu lại dưới dạng .xlsx.": (
        "The .xls format (Excel 97–2003) is not supported: save the file again as .xlsx."
    ),
    "Chỉ nhận tệp .csv hoặc .xlsx, không nhận '%(s)s'.": "Only .csv or .xlsx files are accepted, not '%(s)s'.",
    "Tệp CSV bị lỗi: %(e)s": "The CSV file is broken: %(e)s",
    # services, command
    "Không có xã/phường/đặc khu mã %(c)s đang có hiệu lực.": "No current commune/ward/special zone with code %(c)s.",
    "Nhập dữ liệu từ tệp %(f)s": "Import from file %(f)s",
    "Dữ liệu xung đột với sổ đăng ký (%(e)s); không có dòng nào được nhập.": (
        "The data conflicts with the register (%(e)s); no row was imported."
    ),
    "Xoá %(n)d tệp nhập dữ liệu cũ hơn %(d)d ngày": "Delete %(n)d import files older than %(d)d days",
    # template workbook
    "Dữ liệu": "Data",
    "Hướng dẫn": "Guidance",  # as recognition says it
    "Cột": "Column",
    "Bắt buộc": "Mandatory",  # as criteria says it
    "Giá trị được phép": "Allowed values",
    "Dòng 1 là dòng tiêu đề; dữ liệu bắt đầu từ dòng 2 (xoá dòng ví dụ trước khi nhập).": (
        "Row 1 is the header row; data starts on row 2 (delete the example row before importing)."
    ),
    "Ngày ghi dd/mm/yyyy (ví dụ 02/09/1985); nếu chỉ biết năm sinh, ghi năm (1985).": (
        "Write dates as dd/mm/yyyy (e.g. 02/09/1985); if only the year of birth is known, write the year (1985)."
    ),
    "Số CCCD, số điện thoại, mã hộ: định dạng cột là Văn bản để Excel không làm mất số 0 ở đầu.": (
        "Citizen ID number, phone number, household code: format these columns as Text so that Excel "
        "keeps the leading 0."
    ),
    "Có thể lưu tệp dưới dạng .xlsx hoặc CSV UTF-8 (dấu phân cách ; hoặc ,).": (
        "The file can be saved as .xlsx or CSV UTF-8 (separator ; or ,)."
    ),
    "Luôn kiểm tra trước: hệ thống chỉ nhập khi mọi dòng đều hợp lệ; nhập lại cùng tệp không tạo bản ghi trùng.": (
        "There is always a dry run first: the system imports only when every row is valid; importing the same "
        "file again creates no duplicate records."
    ),
    # job page
    "Trạng thái": "Status",
    "Đã xử lý %(done)s / khoảng %(total)s dòng…": "Processed %(done)s / about %(total)s rows…",
    "Dòng dữ liệu: %(rows)s · Lỗi: %(errors)s (số dòng có lỗi: %(rejected)s) · Cảnh báo: %(warnings)s": (
        "Data rows: %(rows)s · Errors: %(errors)s (rows with errors: %(rejected)s) · Warnings: %(warnings)s"
    ),
    "Đã ghi vào sổ:": "Written to the register:",
    "Nếu nhập tệp này (chưa có gì được ghi):": "If this file is imported (nothing has been written yet):",
    "Đã nhập xong: dữ liệu đã được ghi vào sổ.": "Import finished: the data has been written to the register.",
    "Tệp có lỗi: không có dòng nào được nhập. Sửa các dòng dưới đây rồi tải lên lại.": (
        "The file has errors: no row was imported. Correct the rows below and upload the file again."
    ),
    "Tải lên tệp đã sửa": "Upload the corrected file",
    "Lỗi": "Error",  # also reports' "failed" status: a word both read well with
    "Dòng": "Row",
    "Lý do": "Reason",
    "Chỉ hiển thị 1.000 lỗi đầu tiên.": "Only the first 1,000 errors are shown.",
    "Cảnh báo": "Warnings",
    "Nội dung": "Text",  # as criteria and plans show it
    # upload page
    "Nhập dữ liệu từ tệp": "Import data from a file",
    "Tải lên tệp CSV hoặc XLSX. Hệ thống kiểm tra trước từng dòng; chỉ khi mọi dòng hợp lệ mới có thể bấm "
    "«Nhập dữ liệu». Nhập lại cùng một tệp không tạo bản ghi trùng.": (
        "Upload a CSV or XLSX file. The system first checks every row (a dry run); only when every row is "
        "valid can you press «Import». Importing the same file again creates no duplicate records."
    ),
    "Tải lên và kiểm tra": "Upload and check",
    "Tệp mẫu": "Templates",
    "Các lượt nhập gần đây": "Recent imports",
    "Tệp": "File",
    "Loại": "Kind",
    "Xã": "Commune",
    "Lúc": "When",
    # msgids with a context (pgettext) are looked up as "context\x04msgid"
    "import status\x04Đang nhập": "Importing",
}

# One catalogue holds every app's strings, and the app listed first in INSTALLED_APPS wins a msgid
# they share; imports comes before criteria, recognition, plans and reports, so its English would
# replace theirs. The shared msgids above use a word both uses read well with; these are left
# untranslated here (the English comes from the other app) because the two meanings differ and only
# a context in the code (pgettext) could tell them apart.
DEFER: dict[str, str] = {}


def main() -> int:
    po = polib.pofile(str(PO))
    missing = []
    for entry in po:
        if entry.msgid in DEFER:
            entry.msgstr = ""
            continue
        en = EN.get(f"{entry.msgctxt}\x04{entry.msgid}" if entry.msgctxt else entry.msgid)
        if en is None:
            missing.append(entry.msgid)
            continue
        entry.msgstr = en
        if "fuzzy" in entry.flags:
            entry.flags.remove("fuzzy")
    po.metadata["Language"] = "en"
    po.metadata["Content-Type"] = "text/plain; charset=UTF-8"
    po.save(str(PO))
    for m in missing:
        print("missing:", m)
    print(f"{len(po) - len(missing) - len(DEFER)} of {len(po)} translated, {len(DEFER)} left to another app")
    return 1 if missing else 0


if __name__ == "__main__":
    sys.exit(main())

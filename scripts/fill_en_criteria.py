"""Fill the English catalogue of the criteria app from the table below (a dev tool).

Usage: cd src/xhht/criteria && DEBUG=1 ../../../.venv/bin/xhht makemessages -l en --no-obsolete
       cd ../../.. && .venv/bin/python scripts/fill_en_criteria.py
Prints the msgids it has no translation for (and exits 1 then), so a new string is not forgotten.
"""

import sys
from pathlib import Path

import polib

PO = Path(__file__).resolve().parent.parent / "src/xhht/criteria/locale/en/LC_MESSAGES/django.po"

EN = {
    # api
    "Bạn không có quyền xem bộ tiêu chí.": "You are not allowed to see the criteria sets.",
    "Danh hiệu «%(title)s» không có.": "There is no title “%(title)s”.",
    "Chỉ chấm điểm theo bộ tiêu chí đã ban hành.": "Answers can only be scored against a published criteria set.",
    # authoring
    "trang «%(s)s»": "sheet “%(s)s”",
    "dòng %(r)s": "row %(r)s",
    "cột «%(c)s»": "column “%(c)s”",
    "Tệp YAML không đọc được: %(e)s": "The YAML file cannot be read: %(e)s",
    "Tệp YAML phải có các mục settings, groups, outcomes.": "The YAML file must have the sections settings, groups and outcomes.",
    "Tệp không phải là bảng tính Excel (.xlsx) hợp lệ.": "The file is not a valid Excel workbook (.xlsx).",
    "Thiếu trang «%(s)s».": "The sheet “%(s)s” is missing.",
    "Cột «%(c)s» không được hỗ trợ.": "The column “%(c)s” is not supported.",
    "Trang settings cần một dòng giá trị dưới dòng tiêu đề.": "The settings sheet needs one row of values under the header row.",
    "Tiêu chí phải nằm sau một dòng nhóm (type = group).": "A criterion must come after a group row (type = group).",
    "Chỉ số phải nằm sau một dòng tiêu chí (type = criterion).": "An indicator must come after a criterion row (type = criterion).",
    "Loại «%(t)s» không hợp lệ; dùng group, criterion hoặc indicator.": "The type “%(t)s” is not valid; use group, criterion or indicator.",
    "Không được để trống.": "This must not be empty.",
    "Dài quá %(n)s ký tự.": "Longer than %(n)s characters.",
    "Cần một số.": "A number is needed.",
    "«%(v)s» không phải là số.": "“%(v)s” is not a number.",
    "Không được là số âm.": "Must not be negative.",
    "Cần một số nguyên.": "A whole number is needed.",
    "«%(v)s» không phải là số nguyên.": "“%(v)s” is not a whole number.",
    "«%(v)s» không hợp lệ; dùng yes hoặc no.": "“%(v)s” is not valid; use yes or no.",
    "Danh hiệu «%(t)s» không có; dùng một trong: %(all)s.": "There is no title “%(t)s”; use one of: %(all)s.",
    "Mã chỉ gồm chữ thường không dấu, số và dấu gạch ngang.": "A code may only contain lower-case letters without accents, digits and hyphens.",
    "Năm kết thúc trước năm bắt đầu.": "The end year is before the start year.",
    "Không có tỉnh mã «%(c)s».": "There is no province with code “%(c)s”.",
    "Mã «%(c)s» bị trùng.": "The code “%(c)s” is used twice.",
    "Bộ tiêu chí chưa có nhóm, tiêu chí, chỉ số nào.": "The criteria set has no groups, criteria or indicators yet.",
    "Nhóm «%(c)s» chưa có tiêu chí nào.": "The group “%(c)s” has no criteria yet.",
    "Tiêu chí «%(c)s» chưa có chỉ số nào.": "The criterion “%(c)s” has no indicators yet.",
    "Loại «%(k)s» không hợp lệ; dùng points, pass_fail hoặc number.": "The kind “%(k)s” is not valid; use points, pass_fail or number.",
    "Mức tối thiểu %(m)s lớn hơn điểm tối đa %(p)s.": "The minimum %(m)s is greater than the maximum points %(p)s.",
    "Mức «%(l)s» không hợp lệ; dùng dat, muc_1 hoặc muc_2.": "The level “%(l)s” is not valid; use dat, muc_1 or muc_2.",
    "Cần ít nhất một quy tắc xếp loại (trang outcomes).": "At least one outcome rule is needed (the outcomes sheet).",
    "Mức «%(l)s» bị lặp.": "The level “%(l)s” appears twice.",
    "Không dùng lẫn «dat» với «muc_1»/«muc_2».": "Do not mix “dat” with “muc_1”/“muc_2”.",
    "Đã có bộ tiêu chí «%(c)s» phiên bản %(v)s; tăng số phiên bản.": "The criteria set “%(c)s” version %(v)s already exists; increase the version number.",
    "Cần ít nhất một quy tắc xếp loại.": "At least one outcome rule is needed.",
    "Bộ tiêu chí chưa có chỉ số nào.": "The criteria set has no indicators yet.",
    "Chỉ số %(c)s: %(m)s": "Indicator %(c)s: %(m)s",
    "Chỉ nhận tệp .xlsx hoặc .yaml.": "Only .xlsx or .yaml files are accepted.",
    # engine
    "Biểu thức CEL không hợp lệ: %(msg)s": "The CEL expression is not valid: %(msg)s",
    "Quy tắc dùng «%(what)s» chưa được hỗ trợ để tính bằng SQL.": "The rule uses “%(what)s”, which cannot be computed in SQL yet.",
    "Quy tắc phải cho ra một số, một chuỗi hoặc đúng/sai.": "A rule must give a number, a string or true/false.",
    "Dấu trừ chỉ dùng với số.": "The minus sign only applies to numbers.",
    "Phép «%(op)s» cần giá trị kiểu %(want)s, nhận được %(got)s.": "The operator “%(op)s” needs a value of type %(want)s, got %(got)s.",
    "Hai nhánh của «? :» phải cùng kiểu (dùng 1.0 thay cho 1).": "Both branches of “? :” must have the same type (write 1.0 instead of 1).",
    "Hai nhánh của «? :» phải cùng kiểu.": "Both branches of “? :” must have the same type.",
    "Các phần tử của danh sách «in» phải cùng kiểu với vế trái.": "The items of the “in” list must have the same type as the left-hand side.",
    "Không so sánh được %(a)s với %(b)s (với số thực hãy viết 1.0 thay cho 1).": "Cannot compare %(a)s with %(b)s (for decimals write 1.0 instead of 1).",
    "Phép tính cần hai số cùng kiểu (dùng double() để đổi số nguyên sang số thực).": "Arithmetic needs two numbers of the same type (use double() to turn a whole number into a decimal).",
    "Không biết biến «%(name)s».": "Unknown variable “%(name)s”.",
    "«%(entity)s» không có trường «%(attr)s». Các trường: %(fields)s.": "“%(entity)s” has no field “%(attr)s”. Fields: %(fields)s.",
    "Chưa đạt điều kiện: %(cond)s": "Condition not met: %(cond)s",
    # models
    "Bản nháp": "Draft",
    "Đã ban hành": "Published",
    "Đã thôi áp dụng": "Retired",
    "Chấm điểm": "Points",
    "Đạt / không đạt": "Pass / fail",
    "Giá trị số (tỷ lệ, số lượng)": "Numeric value (share, count)",
    "Bộ tiêu chí đã ban hành thì không được sửa; hãy tạo phiên bản mới.": "A published criteria set cannot be changed; create a new version.",
    "danh hiệu": "title",
    "mã bộ tiêu chí": "criteria set code",
    "Giống nhau giữa các phiên bản của cùng một bộ, ví dụ cdht-324.": "The same for every version of one set, e.g. cdht-324.",
    "phiên bản": "version",
    "tên": "name",
    "tên tiếng Anh": "English name",
    "mô tả": "description",
    "văn bản căn cứ": "source document",
    "Ví dụ: QĐ 324/QĐ-KHVN": "E.g. Decision 324/QĐ-KHVN",
    "áp dụng từ năm": "applies from year",
    "áp dụng đến năm": "applies until year",
    "tỉnh ban hành riêng": "province with its own set",
    "Để trống: bộ tiêu chí toàn quốc.": "Empty: a national criteria set.",
    "chưa có văn bản chính thức": "no official document yet",
    "trạng thái": "status",
    "mã băm nội dung": "content hash",
    "phiên bản trước": "previous version",
    "ban hành lúc": "published at",
    "người ban hành": "published by",
    "bộ tiêu chí": "criteria set",
    "mã": "code",
    "nội dung": "text",
    "nội dung tiếng Anh": "English text",
    "hướng dẫn": "guidance",
    "điểm tối đa": "maximum points",
    "nhóm tiêu chí": "criteria group",
    "tiêu chí": "criterion",
    "Hiện bên cạnh chỉ số khi tự đánh giá.": "Shown beside the indicator during self-assessment.",
    "loại": "kind",
    "mức tối thiểu": "minimum",
    "Điểm (hoặc giá trị) thấp nhất để đạt.": "The lowest points (or value) that pass.",
    "bắt buộc": "mandatory",
    "yêu cầu từ mức": "required from level",
    "Để trống: yêu cầu ở mọi mức. Mức 2: chỉ yêu cầu khi xét mức 2.": "Empty: required at every level. Level 2: only required when assessing for level 2.",
    "minh chứng": "evidence",
    "quy tắc tính (CEL)": "computation rule (CEL)",
    "chỉ số": "indicator",
    "kết quả": "result",
    "tổng điểm tối thiểu": "minimum total points",
    "mọi chỉ số đạt mức tối thiểu": "every indicator meets its minimum",
    "điều kiện thêm (CEL)": "additional condition (CEL)",
    "thông báo khi không đạt": "message when not met",
    "quy tắc xếp loại": "outcome rule",
    # services, nav
    "Bộ tiêu chí": "Criteria sets",
    "Chưa có bộ tiêu chí nào đã ban hành cho danh hiệu %(title)s năm %(year)s.": "No criteria set has been published for the title %(title)s in %(year)s.",
    "Không đạt": "Not met",
    "Chỉ số %(code)s: giá trị «%(value)s» không phải là số.": "Indicator %(code)s: the value “%(value)s” is not a number.",
    "Chỉ số %(code)s: chỉ nhận «đạt» hoặc «không đạt».": "Indicator %(code)s: only “met” or “not met” is accepted.",
    "Chỉ số %(code)s: %(value)s điểm nằm ngoài khoảng 0–%(max)s.": "Indicator %(code)s: %(value)s points is outside the range 0–%(max)s.",
    "Tổng điểm %(total)s, chưa đạt %(min)s điểm.": "Total %(total)s points, below the required %(min)s points.",
    "Chỉ số %(code)s (%(label)s) chưa được đánh giá.": "Indicator %(code)s (%(label)s) has not been assessed.",
    "Chỉ số %(code)s (%(label)s): không đạt.": "Indicator %(code)s (%(label)s): not met.",
    "điểm": "points",
    "Chỉ số %(code)s (%(label)s): %(value)s %(unit)s, thấp hơn mức tối thiểu %(min)s.": "Indicator %(code)s (%(label)s): %(value)s %(unit)s, below the minimum of %(min)s.",
    "Không có chỉ số %(codes)s trong bộ tiêu chí %(set)s.": "There is no indicator %(codes)s in the criteria set %(set)s.",
    "Chỉ bản nháp mới được ban hành.": "Only a draft can be published.",
    "Chỉ bộ tiêu chí đã ban hành mới có thể thôi áp dụng.": "Only a published criteria set can be retired.",
    # templates: detail
    "Chưa chính thức": "Not official",
    "Phiên bản": "Version",
    "Văn bản căn cứ": "Source document",
    "Áp dụng": "Applies",
    "Từ năm %(a)s đến năm %(b)s": "From %(a)s to %(b)s",
    "Từ năm %(a)s": "From %(a)s",
    "Toàn quốc": "Nationwide",
    "Ban hành": "Published",
    "Mã băm nội dung": "Content hash",
    "Phiên bản trước": "Previous version",
    "Tải về Excel": "Download Excel",
    "Tải về YAML": "Download YAML",
    "Tạo phiên bản mới": "Create a new version",
    "Ban hành…": "Publish…",
    "Xoá bản nháp": "Delete the draft",
    "Thôi áp dụng": "Retire",
    "Bản nháp: sửa từng chỉ số ngay trên trang này, hoặc tải về Excel/YAML, chỉnh rồi tải lên thành phiên bản mới.": "Draft: edit the indicators right on this page, or download the Excel/YAML file, edit it and upload it as a new version.",
    "%(n)s chỉ số, trong đó %(r)s chỉ số tính tự động từ sổ đăng ký.": "%(n)s indicators, of which %(r)s are computed from the registry.",
    "tối đa %(p)s điểm": "at most %(p)s points",
    "tối thiểu %(m)s": "minimum %(m)s",
    "không bắt buộc": "optional",
    "yêu cầu khi xét %(l)s": "required for %(l)s",
    "Minh chứng": "Evidence",
    "Tính tự động": "Computed",
    "Xếp loại": "Outcomes",
    "tổng điểm từ %(t)s": "total from %(t)s points",
    "Các phiên bản": "Versions",
    # list
    "Các bộ tiêu chí theo danh hiệu, với phiên bản và trạng thái. Chỉ bộ đã ban hành mới được dùng để đánh giá.": "The criteria sets by title, with their versions and status. Only published sets are used for assessments.",
    "Danh hiệu": "Title",
    "Tất cả danh hiệu": "All titles",
    "Lọc": "Filter",
    "Tải lên bộ tiêu chí": "Upload a criteria set",
    "Trạng thái": "Status",
    "Phạm vi": "Scope",
    "Chưa có bộ tiêu chí nào.": "No criteria sets yet.",
    # publish
    "Ban hành bộ tiêu chí": "Publish the criteria set",
    "Xem trước trên số liệu năm %(y)s": "Preview on the data of %(y)s",
    '<strong id="preview-pass">%(p)s</strong> trên %(n)s đối tượng sẽ đạt (mọi chỉ số đều tính tự động từ sổ đăng ký).': '<strong id="preview-pass">%(p)s</strong> of %(n)s subjects would pass (every indicator is computed from the registry).',
    '<strong id="preview-pass">%(p)s</strong> trên %(n)s đối tượng được công nhận năm %(y)s vẫn đạt theo bộ này (các chỉ số tự chấm coi như đạt; chỉ số tự động tính lại từ sổ đăng ký).': '<strong id="preview-pass">%(p)s</strong> of the %(n)s subjects recognised in %(y)s would still pass with this set (self-assessed indicators are assumed met; computed indicators are recomputed from the registry).',
    "Trong phạm vi của bạn có %(n)s đối tượng thuộc danh hiệu này.": "There are %(n)s subjects of this title within your scope.",
    "Năm số liệu": "Data year",
    "Xem lại": "Recompute",
    "Bộ đang áp dụng: «%(n)s» phiên bản %(v)s. Sau khi ban hành, bộ mới có năm áp dụng muộn hơn hoặc phiên bản cao hơn sẽ được dùng.": "Set in force: “%(n)s” version %(v)s. Once published, the set with the later start year or the higher version is used.",
    "Sau khi ban hành, bộ tiêu chí không sửa được nữa (nội dung được khoá bằng mã băm). Muốn thay đổi thì tạo phiên bản mới.": "Once published, the criteria set can no longer be changed (its content is locked by a hash). To change it, create a new version.",
    # upload
    "Tải lên": "Upload",
    "Tệp Excel (.xlsx) gồm ba trang: criteria (mỗi dòng một nhóm, tiêu chí hoặc chỉ số), outcomes (quy tắc xếp loại), settings (danh hiệu, phiên bản, văn bản căn cứ, năm áp dụng, tỉnh); hoặc tệp YAML. Cách dễ nhất: tải về một bộ có sẵn, sửa rồi tải lên với số phiên bản mới.": "An Excel workbook (.xlsx) with three sheets: criteria (one group, criterion or indicator per row), outcomes (the outcome rules), settings (title, version, source document, years, province); or a YAML file. The easiest way: download an existing set, edit it and upload it with a new version number.",
    "Tệp %(f)s hợp lệ.": "The file %(f)s is valid.",
    "%(t)s — «%(n)s», phiên bản %(v)s: %(g)s nhóm, %(c)s tiêu chí, %(i)s chỉ số (%(r)s tính tự động), %(o)s quy tắc xếp loại.": "%(t)s — “%(n)s”, version %(v)s: %(g)s groups, %(c)s criteria, %(i)s indicators (%(r)s computed), %(o)s outcome rules.",
    "Chọn lại tệp và bấm «Tạo bản nháp» để lưu.": "Choose the file again and press “Create draft” to save it.",
    "Tệp bộ tiêu chí (.xlsx, .yaml)": "Criteria set file (.xlsx, .yaml)",
    "Kiểm tra trước": "Check first",
    "Tạo bản nháp": "Create draft",
    "Các trường dùng được trong cột rule (CEL)": "Fields available in the rule column (CEL)",
    "Ví dụ: person.digital_skill >= 2 ? 10 : 0 · ratio(organisation.staff.filter(p, p.cdht).size(), size(organisation.staff)) >= 0.9": "Examples: person.digital_skill >= 2 ? 10 : 0 · ratio(organisation.staff.filter(p, p.cdht).size(), size(organisation.staff)) >= 0.9",
    # the draft editor
    "Mã chỉ số": "Indicator code",
    "Nội dung": "Text",
    "Nội dung tiếng Anh": "English text",
    "Hướng dẫn cho người tự đánh giá": "Guidance for the person self-assessing",
    "Loại": "Kind",
    "Điểm tối đa": "Maximum points",
    "Mức tối thiểu để đạt": "Minimum to pass",
    "Bắt buộc": "Mandatory",
    "Yêu cầu từ mức": "Required from level",
    "Mọi mức": "Every level",
    "Quy tắc tính tự động (CEL)": "Computation rule (CEL)",
    "Để trống nếu người đánh giá tự chấm.": "Leave empty when the assessor scores it by hand.",
    "Tiêu chí không thuộc bộ tiêu chí này.": "The criterion does not belong to this criteria set.",
    "Chỉ số không thuộc bộ tiêu chí này.": "The indicator does not belong to this criteria set.",
    "Sửa chỉ số %(c)s": "Edit indicator %(c)s",
    "Xoá": "Delete",
    "Thêm chỉ số vào tiêu chí %(c)s": "Add an indicator to criterion %(c)s",
    "Thêm chỉ số": "Add an indicator",
    "Lưu": "Save",
    "Huỷ": "Cancel",
    "Các trường dùng được trong quy tắc (CEL)": "Fields available in rules (CEL)",
    "Đã lưu chỉ số %(c)s.": "Indicator %(c)s saved.",
    "Đã xoá chỉ số %(c)s.": "Indicator %(c)s deleted.",
    "Không xoá được chỉ số cuối cùng của tiêu chí «%(c)s»; mỗi tiêu chí cần ít nhất một chỉ số.": "The last indicator of criterion “%(c)s” cannot be deleted; every criterion needs at least one indicator.",
    # views
    "Hãy chọn tệp .xlsx hoặc .yaml.": "Choose an .xlsx or .yaml file.",
    "Tệp lớn quá 5 MB.": "The file is larger than 5 MB.",
    "Đã tạo bản nháp «%(name)s» phiên bản %(v)s.": "Draft “%(name)s” version %(v)s created.",
    "Đã tạo bản nháp phiên bản %(v)s để chỉnh sửa.": "Draft version %(v)s created for editing.",
    "Đã ban hành bộ tiêu chí. Từ nay bộ này không sửa được nữa.": "The criteria set is published. From now on it cannot be changed.",
    "Bộ tiêu chí đã thôi áp dụng.": "The criteria set is retired.",
    "Đã xoá bản nháp.": "Draft deleted.",
}

EN_PLURAL = {
    "Tệp có %(n)s lỗi, chưa tạo gì:": (
        "The file has %(n)s error; nothing was created:",
        "The file has %(n)s errors; nothing was created:",
    ),
}


def main() -> int:
    po = polib.pofile(str(PO))
    missing = []
    for entry in po:
        if entry.msgid_plural:
            forms = EN_PLURAL.get(entry.msgid)
            if forms is None:
                missing.append(entry.msgid)
                continue
            entry.msgstr_plural = {0: forms[0], 1: forms[1]}
        elif entry.msgid in EN:
            entry.msgstr = EN[entry.msgid]
        else:
            missing.append(entry.msgid)
            continue
        if "fuzzy" in entry.flags:
            entry.flags.remove("fuzzy")
    po.metadata["Content-Type"] = "text/plain; charset=UTF-8"
    po.save()
    for m in missing:
        print("missing:", m)
    return 1 if missing else 0


if __name__ == "__main__":
    sys.exit(main())

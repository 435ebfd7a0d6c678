"""Default report templates (no national numbered template exists [U]; administrators edit these)."""

from __future__ import annotations

DEFAULTS = [
    {
        "kind": "nam",
        "name": "Báo cáo kết quả xây dựng xã hội học tập năm",
        "recipients": "Bộ Giáo dục và Đào tạo (Vụ Giáo dục thường xuyên); Hội Khuyến học Việt Nam",
        "intro": "Thực hiện {ke_hoach}, {don_vi} báo cáo kết quả xây dựng xã hội học tập năm {nam} như sau.",
        "sections": "I. Công tác chỉ đạo, tuyên truyền | Các văn bản đã ban hành, hoạt động tuyên truyền, Tuần lễ hưởng ứng học tập suốt đời.\n"
        "II. Kết quả thực hiện các chỉ tiêu | Số liệu ở các bảng kèm theo: đăng ký và công nhận, so với chỉ tiêu.\n"
        "III. Đánh giá chung | Ưu điểm, hạn chế, nguyên nhân.\n"
        "IV. Phương hướng, nhiệm vụ năm tới | Các chỉ tiêu chậm tiến độ cần tập trung.\n"
        "V. Kiến nghị, đề xuất |",
        "closing": "Trên đây là báo cáo kết quả năm {nam} của {don_vi}.",
        "is_default": True,
    },
    {
        "kind": "so_ket",
        "name": "Báo cáo sơ kết giai đoạn 2021–2025",
        "recipients": "Bộ Giáo dục và Đào tạo; Hội Khuyến học Việt Nam",
        "intro": "{don_vi} báo cáo sơ kết giai đoạn thực hiện {ke_hoach} (số liệu đến năm {nam}).",
        "sections": "I. Bối cảnh, công tác triển khai |\nII. Kết quả so với chỉ tiêu năm 2025 |\n"
        "III. Bài học kinh nghiệm |\nIV. Nhiệm vụ giai đoạn 2026–2030 |",
        "closing": "",
        "is_default": True,
    },
    {
        "kind": "tong_ket",
        "name": "Báo cáo tổng kết giai đoạn 2021–2030",
        "recipients": "Bộ Giáo dục và Đào tạo; Hội Khuyến học Việt Nam",
        "intro": "{don_vi} báo cáo tổng kết thực hiện {ke_hoach} (số liệu đến năm {nam}).",
        "sections": "I. Kết quả so với chỉ tiêu năm 2030 |\nII. Khen thưởng |\nIII. Đề xuất giai đoạn sau |",
        "closing": "",
        "is_default": True,
    },
]


def ensure_defaults() -> None:
    from .models import ReportTemplate

    for d in DEFAULTS:
        if not ReportTemplate.objects.filter(kind=d["kind"], is_default=True).exists():
            ReportTemplate.objects.create(**d)

"""Reference data for the seed: real districts, wards and streets of the four cities, names, texts.

District and ward names follow the administrative map customers still quote
on their contracts (before the 2025 reorganisation of wards and districts).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Dict, List, Tuple

from vocabulary import CAN_THO, DA_NANG, HA_NOI, HO_CHI_MINH_CITY


@dataclass(frozen=True)
class District:
    name: str
    wards: Tuple[str, ...]
    streets: Tuple[str, ...]


@dataclass(frozen=True)
class City:
    province: str
    letter: str  # second letter of customer codes (power corporation)
    region: str  # south, central, north: drives the seasonal consumption
    customers: int
    districts: Tuple[District, ...]


HCM = City(
    province=HO_CHI_MINH_CITY, letter="E", region="south", customers=140,
    districts=(
        District("Quận 1",
                 ("Phường Bến Nghé", "Phường Bến Thành", "Phường Đa Kao", "Phường Tân Định",
                  "Phường Phạm Ngũ Lão", "Phường Nguyễn Thái Bình", "Phường Cầu Ông Lãnh", "Phường Cô Giang"),
                 ("Lê Lợi", "Nguyễn Huệ", "Đồng Khởi", "Hai Bà Trưng", "Lý Tự Trọng", "Pasteur",
                  "Nam Kỳ Khởi Nghĩa", "Trần Hưng Đạo", "Nguyễn Thị Minh Khai", "Điện Biên Phủ")),
        District("Quận 3",
                 ("Phường Võ Thị Sáu", "Phường 1", "Phường 2", "Phường 4", "Phường 5", "Phường 9",
                  "Phường 11", "Phường 12", "Phường 14"),
                 ("Cách Mạng Tháng Tám", "Võ Văn Tần", "Nguyễn Đình Chiểu", "Lê Văn Sỹ",
                  "Trần Quốc Thảo", "Kỳ Đồng", "Bà Huyện Thanh Quan", "Lý Chính Thắng")),
        District("Quận 7",
                 ("Phường Tân Phong", "Phường Tân Phú", "Phường Tân Quy", "Phường Tân Kiểng",
                  "Phường Tân Hưng", "Phường Bình Thuận", "Phường Phú Mỹ", "Phường Phú Thuận",
                  "Phường Tân Thuận Đông", "Phường Tân Thuận Tây"),
                 ("Nguyễn Thị Thập", "Huỳnh Tấn Phát", "Nguyễn Văn Linh", "Nguyễn Hữu Thọ",
                  "Lê Văn Lương", "Nguyễn Lương Bằng", "Trần Xuân Soạn", "Nguyễn Đức Cảnh", "Tôn Dật Tiên")),
        District("Quận Bình Thạnh",
                 ("Phường 1", "Phường 2", "Phường 3", "Phường 11", "Phường 13", "Phường 15",
                  "Phường 19", "Phường 22", "Phường 25", "Phường 26"),
                 ("Xô Viết Nghệ Tĩnh", "Điện Biên Phủ", "Bạch Đằng", "Nguyễn Xí", "Phan Đăng Lưu",
                  "Ung Văn Khiêm", "Nơ Trang Long", "Đinh Bộ Lĩnh")),
        District("Quận Tân Bình",
                 ("Phường 2", "Phường 4", "Phường 6", "Phường 10", "Phường 12", "Phường 13", "Phường 15"),
                 ("Cộng Hòa", "Trường Chinh", "Hoàng Văn Thụ", "Lý Thường Kiệt", "Út Tịch",
                  "Bàu Cát", "Âu Cơ", "Lạc Long Quân")),
        District("Quận Gò Vấp",
                 ("Phường 1", "Phường 3", "Phường 5", "Phường 7", "Phường 10", "Phường 12",
                  "Phường 16", "Phường 17"),
                 ("Quang Trung", "Nguyễn Oanh", "Phan Văn Trị", "Lê Đức Thọ", "Nguyễn Văn Lượng",
                  "Nguyễn Kiệm", "Phạm Văn Chiêu")),
        District("Quận Phú Nhuận",
                 ("Phường 2", "Phường 7", "Phường 9", "Phường 10", "Phường 11", "Phường 15", "Phường 17"),
                 ("Phan Xích Long", "Phan Đình Phùng", "Nguyễn Văn Trỗi", "Hoàng Văn Thụ",
                  "Huỳnh Văn Bánh", "Trần Huy Liệu")),
        District("Thành phố Thủ Đức",
                 ("Phường Thảo Điền", "Phường An Phú", "Phường Linh Trung", "Phường Hiệp Bình Chánh",
                  "Phường Phước Long B", "Phường Bình Thọ"),
                 ("Xa lộ Hà Nội", "Võ Văn Ngân", "Kha Vạn Cân", "Đặng Văn Bi", "Quốc Hương",
                  "Xuân Thủy", "Lê Văn Việt")),
    ),
)

HANOI = City(
    province=HA_NOI, letter="D", region="north", customers=120,
    districts=(
        District("Quận Cầu Giấy",
                 ("Phường Dịch Vọng", "Phường Dịch Vọng Hậu", "Phường Quan Hoa", "Phường Nghĩa Đô",
                  "Phường Nghĩa Tân", "Phường Mai Dịch", "Phường Yên Hòa", "Phường Trung Hòa"),
                 ("Xuân Thủy", "Cầu Giấy", "Trần Thái Tông", "Hồ Tùng Mậu", "Trần Duy Hưng",
                  "Nguyễn Khang", "Duy Tân", "Hoàng Quốc Việt", "Nguyễn Phong Sắc")),
        District("Quận Ba Đình",
                 ("Phường Điện Biên", "Phường Đội Cấn", "Phường Kim Mã", "Phường Liễu Giai",
                  "Phường Ngọc Hà", "Phường Cống Vị", "Phường Giảng Võ", "Phường Quán Thánh"),
                 ("Kim Mã", "Đội Cấn", "Liễu Giai", "Nguyễn Thái Học", "Văn Cao", "Giảng Võ",
                  "Hoàng Hoa Thám", "Phan Đình Phùng")),
        District("Quận Hoàn Kiếm",
                 ("Phường Hàng Bạc", "Phường Hàng Bông", "Phường Hàng Trống", "Phường Tràng Tiền",
                  "Phường Lý Thái Tổ", "Phường Phan Chu Trinh", "Phường Hàng Gai"),
                 ("Hàng Bạc", "Hàng Bông", "Tràng Tiền", "Đinh Tiên Hoàng", "Hàng Gai",
                  "Lý Thường Kiệt", "Hàng Bài", "Bà Triệu")),
        District("Quận Đống Đa",
                 ("Phường Láng Hạ", "Phường Láng Thượng", "Phường Ô Chợ Dừa", "Phường Kim Liên",
                  "Phường Trung Liệt", "Phường Văn Miếu", "Phường Quang Trung"),
                 ("Láng Hạ", "Tây Sơn", "Xã Đàn", "Chùa Bộc", "Nguyễn Lương Bằng", "Tôn Đức Thắng",
                  "Thái Hà", "Đê La Thành")),
        District("Quận Hai Bà Trưng",
                 ("Phường Bạch Mai", "Phường Bách Khoa", "Phường Minh Khai", "Phường Thanh Nhàn",
                  "Phường Vĩnh Tuy", "Phường Lê Đại Hành"),
                 ("Bạch Mai", "Minh Khai", "Lê Thanh Nghị", "Trần Khát Chân", "Đại Cồ Việt",
                  "Kim Ngưu", "Lò Đúc")),
        District("Quận Thanh Xuân",
                 ("Phường Nhân Chính", "Phường Thanh Xuân Trung", "Phường Khương Trung",
                  "Phường Hạ Đình", "Phường Thượng Đình"),
                 ("Nguyễn Trãi", "Khuất Duy Tiến", "Lê Văn Lương", "Vũ Trọng Phụng", "Nguyễn Tuân",
                  "Khương Đình")),
        District("Quận Long Biên",
                 ("Phường Bồ Đề", "Phường Ngọc Lâm", "Phường Gia Thụy", "Phường Phúc Đồng",
                  "Phường Việt Hưng"),
                 ("Nguyễn Văn Cừ", "Ngọc Lâm", "Ngô Gia Tự", "Nguyễn Sơn", "Hồng Tiến")),
        District("Quận Hoàng Mai",
                 ("Phường Định Công", "Phường Đại Kim", "Phường Hoàng Liệt", "Phường Tương Mai",
                  "Phường Vĩnh Hưng"),
                 ("Giải Phóng", "Tam Trinh", "Kim Giang", "Nguyễn Hữu Thọ", "Lĩnh Nam", "Tân Mai")),
    ),
)

DANANG = City(
    province=DA_NANG, letter="C", region="central", customers=30,
    districts=(
        District("Quận Hải Châu",
                 ("Phường Thạch Thang", "Phường Hải Châu I", "Phường Hải Châu II", "Phường Phước Ninh",
                  "Phường Hòa Thuận Đông", "Phường Bình Hiên", "Phường Thanh Bình"),
                 ("Lê Duẩn", "Trần Phú", "Bạch Đằng", "Nguyễn Văn Linh", "Hùng Vương",
                  "Phan Châu Trinh", "Quang Trung")),
        District("Quận Thanh Khê",
                 ("Phường Tân Chính", "Phường Chính Gián", "Phường Thạc Gián", "Phường Xuân Hà",
                  "Phường An Khê"),
                 ("Điện Biên Phủ", "Hà Huy Tập", "Trần Cao Vân", "Nguyễn Tri Phương", "Hàm Nghi")),
        District("Quận Sơn Trà",
                 ("Phường An Hải Bắc", "Phường An Hải Tây", "Phường Phước Mỹ", "Phường Mân Thái"),
                 ("Ngô Quyền", "Võ Văn Kiệt", "Phạm Văn Đồng", "Hồ Nghinh", "Lê Văn Thứ")),
        District("Quận Ngũ Hành Sơn",
                 ("Phường Mỹ An", "Phường Khuê Mỹ", "Phường Hòa Hải"),
                 ("Võ Nguyên Giáp", "Lê Văn Hiến", "Trường Sa", "Ngũ Hành Sơn")),
    ),
)

CANTHO = City(
    province=CAN_THO, letter="B", region="south", customers=30,
    districts=(
        District("Quận Ninh Kiều",
                 ("Phường Tân An", "Phường An Hòa", "Phường An Cư", "Phường An Khánh",
                  "Phường Xuân Khánh", "Phường Hưng Lợi", "Phường Cái Khế"),
                 ("Hai Bà Trưng", "Nguyễn Trãi", "30 Tháng 4", "Trần Hưng Đạo", "Mậu Thân",
                  "Nguyễn Văn Cừ", "Hòa Bình")),
        District("Quận Bình Thủy",
                 ("Phường An Thới", "Phường Bình Thủy", "Phường Trà An", "Phường Long Hòa"),
                 ("Cách Mạng Tháng Tám", "Lê Hồng Phong", "Võ Văn Kiệt", "Bùi Hữu Nghĩa")),
        District("Quận Cái Răng",
                 ("Phường Lê Bình", "Phường Hưng Phú", "Phường Ba Láng", "Phường Hưng Thạnh"),
                 ("Quang Trung", "Võ Nguyên Giáp", "Trần Hưng Đạo", "Lê Bình")),
    ),
)

CITIES: Tuple[City, ...] = (HCM, HANOI, DANANG, CANTHO)

# Monthly consumption relative to the yearly average, by region (index 0 = January).
SEASONAL: Dict[str, Tuple[float, ...]] = {
    "south": (0.92, 0.95, 1.05, 1.22, 1.28, 1.18, 1.10, 1.02, 0.98, 0.95, 0.93, 0.92),
    "central": (0.90, 0.88, 0.95, 1.05, 1.18, 1.28, 1.30, 1.22, 1.05, 0.95, 0.90, 0.92),
    "north": (1.08, 0.95, 0.85, 0.90, 1.10, 1.35, 1.40, 1.30, 1.08, 0.90, 0.88, 1.02),
}

# --- people ----------------------------------------------------------------------------

FAMILY_NAMES: Tuple[Tuple[str, int], ...] = (
    ("Nguyễn", 38), ("Trần", 11), ("Lê", 9), ("Phạm", 7), ("Hoàng", 4), ("Huỳnh", 3),
    ("Phan", 4), ("Vũ", 3), ("Võ", 3), ("Đặng", 2), ("Bùi", 2), ("Đỗ", 2), ("Hồ", 1),
    ("Ngô", 1), ("Dương", 1), ("Lý", 1), ("Trương", 1), ("Đinh", 1), ("Lâm", 1),
)
MALE_MIDDLE = ("Văn", "Hữu", "Đức", "Minh", "Quang", "Thành", "Công", "Quốc", "Xuân", "Gia")
FEMALE_MIDDLE = ("Thị", "Ngọc", "Thu", "Thanh", "Kim", "Hồng", "Mỹ", "Bích", "Thùy", "Phương")
MALE_GIVEN = ("An", "Bình", "Cường", "Dũng", "Duy", "Hải", "Hiếu", "Hoàng", "Hùng", "Huy", "Khang",
              "Khoa", "Kiên", "Long", "Minh", "Nam", "Nghĩa", "Phong", "Phúc", "Quân", "Sơn", "Tài",
              "Thắng", "Thịnh", "Toàn", "Trung", "Tuấn", "Việt", "Vinh", "Vũ")
FEMALE_GIVEN = ("Anh", "Chi", "Dung", "Giang", "Hà", "Hạnh", "Hằng", "Hoa", "Hương", "Huyền", "Lan",
                "Linh", "Loan", "Mai", "My", "Nga", "Ngân", "Nhung", "Oanh", "Phương", "Quyên",
                "Tâm", "Thảo", "Thủy", "Trang", "Trinh", "Uyên", "Vân", "Vy", "Yến")

SHOP_KINDS = ("Cửa hàng tạp hóa", "Quán cà phê", "Tiệm bánh", "Nhà thuốc", "Cửa hàng điện thoại",
              "Quán ăn", "Tiệm may", "Tiệm tóc", "Cửa hàng vật liệu xây dựng", "Phòng khám nha khoa")
COMPANY_KINDS = ("Công ty TNHH Thương mại", "Công ty TNHH Dịch vụ", "Công ty Cổ phần Đầu tư")
FACTORY_KINDS = ("Công ty TNHH Sản xuất Bao bì", "Xưởng may", "Công ty TNHH Cơ khí",
                 "Cơ sở sản xuất nước đá", "Xưởng in", "Công ty TNHH Chế biến Thực phẩm")
BRAND_WORDS = ("Minh Phát", "Thành Công", "Phú Thịnh", "Hoàng Long", "Việt Tiến", "An Khang",
               "Hưng Thịnh", "Tân Tiến", "Đại Phát", "Kim Ngân", "Hòa Bình", "Sao Mai")

# Viettel, MobiFone, Vinaphone, Vietnamobile prefixes.
PHONE_PREFIXES = ("032", "033", "034", "035", "036", "037", "038", "039", "056", "058", "070", "076",
                  "077", "078", "079", "081", "082", "083", "084", "085", "086", "088", "089", "090",
                  "091", "093", "094", "096", "097", "098")

PAYMENT_CHANNEL_WEIGHTS: Tuple[Tuple[str, int], ...] = (
    ("momo", 20), ("zalopay", 10), ("vnpay", 10), ("bank_transfer", 15), ("auto_debit", 14),
    ("counter", 10), ("post_office", 5), ("app", 16),
)

# --- outages and requests ----------------------------------------------------------------

OUTAGE_REASONS = (
    "Bảo trì lưới điện", "Thay máy biến áp", "Di dời trụ điện phục vụ thi công công trình",
    "Sửa chữa, bảo dưỡng đường dây trung thế", "Nâng cấp lưới điện hạ thế",
    "Vệ sinh cách điện, thay sứ", "Đấu nối trạm biến áp mới", "Chặt tỉa cây xanh gần đường dây",
    "Ngầm hóa lưới điện",
)

OUTAGE_REPORTS: Tuple[Tuple[str, bool], ...] = (
    ("Mất điện cả nhà, hàng xóm vẫn có điện", False),
    ("Mất điện cả khu phố", False),
    ("Điện chập chờn, lúc có lúc không", False),
    ("Nghe tiếng nổ ở trụ điện đầu hẻm rồi mất điện", False),
    ("Điện yếu, đèn mờ, máy lạnh không chạy được", False),
    ("Mất một pha, một nửa nhà không có điện", False),
    ("Dây điện bị đứt rơi xuống đường", True),
    ("Cây đổ đè lên đường dây điện", True),
    ("Tủ điện ở đầu hẻm bốc khói, có tia lửa", True),
)

CONNECTION_NOTES: Dict[str, Tuple[str, ...]] = {
    "tiep_nhan": ("Tiếp nhận yêu cầu cấp điện mới qua website", "Tiếp nhận qua tổng đài 1900",
                  "Tiếp nhận tại phòng giao dịch", "Tiếp nhận qua ứng dụng chăm sóc khách hàng"),
    "khao_sat": ("Đã phân công nhân viên khảo sát; nhân viên sẽ gọi điện hẹn lịch",),
    "ky_hop_dong": ("Khảo sát đạt yêu cầu; mời khách hàng ký hợp đồng mua bán điện",),
    "lap_dat": ("Đã ký hợp đồng; đang thi công lắp đặt công tơ",),
    "dong_dien": ("Đã lắp đặt công tơ và đóng điện",),
    "huy": ("Khách hàng đề nghị hủy yêu cầu", "Không liên hệ được khách hàng sau 3 lần hẹn khảo sát",
            "Địa điểm chưa đủ điều kiện cấp điện (chưa có giấy tờ hợp pháp về nhà đất)"),
}

CONTRACT_CHANGE_DETAILS: Dict[str, str] = {
    "sang_ten": "Sang tên hợp đồng cho người mua nhà: {name}",
    "doi_thong_tin": "Cập nhật số điện thoại liên hệ và email nhận hóa đơn",
    "doi_muc_dich": "Chuyển mục đích sử dụng điện từ sinh hoạt sang kinh doanh (mở cửa hàng)",
    "dinh_muc": "Đăng ký định mức cho {members} người thuê trọ có đăng ký tạm trú",
    "tang_cong_suat": "Nâng công suất từ 1 pha lên 3 pha để lắp thêm máy lạnh",
    "cham_dut": "Chấm dứt hợp đồng do bán nhà",
    "gia_han": "Gia hạn hợp đồng mua bán điện theo hợp đồng thuê nhà mới",
}
CONTRACT_CHANGE_NOTES: Dict[str, str] = {
    "dang_xu_ly": "Đang kiểm tra hồ sơ",
    "hoan_thanh": "Đã cập nhật hợp đồng mua bán điện",
    "tu_choi": "Hồ sơ thiếu giấy tờ chứng minh; đề nghị bổ sung và gửi lại yêu cầu",
}

COMPLAINTS: Dict[str, Tuple[str, ...]] = {
    "hoa_don": ("Hóa đơn tháng này tăng gần gấp đôi dù sử dụng như bình thường",
                "Đã thanh toán qua ví nhưng hệ thống vẫn báo nợ"),
    "chi_so": ("Chỉ số trên hóa đơn lớn hơn chỉ số thực tế trên công tơ",
               "Nhân viên không đến ghi chỉ số, hóa đơn tính theo ước lượng"),
    "cong_to": ("Công tơ quay nhanh bất thường, đề nghị kiểm định",
                "Màn hình công tơ điện tử không hiển thị"),
    "chat_luong_dien": ("Điện áp thấp vào buổi tối, thiết bị không hoạt động",),
    "cat_dien": ("Cắt điện không thông báo trước, ảnh hưởng kinh doanh",
                 "Mất điện nhiều lần trong tuần"),
    "dich_vu": ("Gọi tổng đài nhiều lần không ai nghe máy",),
    "khac": ("Đề nghị di dời trụ điện trước cửa nhà",),
}
COMPLAINT_NOTES: Dict[str, str] = {
    "dang_xu_ly": "Đã chuyển bộ phận liên quan kiểm tra",
    "da_giai_quyet": "Đã kiểm tra và phản hồi khách hàng qua điện thoại",
}

# --- the documented demo customers ----------------------------------------------------------


@dataclass(frozen=True)
class DemoCustomer:
    code: str
    name: str
    phone: str
    email: str
    address: str
    ward: str
    district: str
    province: str
    purpose: str
    household_members: int
    quota_households: int
    phases: int
    monthly_kwh: int
    # which of the latest bills stay unpaid: "latest_unpaid", "two_unpaid", "all_paid"
    payments: str


DEMO_CUSTOMERS: Tuple[DemoCustomer, ...] = (
    DemoCustomer("PE01000123456", "Nguyễn Văn An", "0903123456", "an.nguyen@example.com",
                 "12 Lê Lợi", "Phường Bến Nghé", "Quận 1", HCM.province,
                 "sinh_hoat", 4, 1, 1, 260, "latest_unpaid"),
    DemoCustomer("PE05000234567", "Trần Thị Bích Ngọc", "0912345678", "",
                 "15 Nguyễn Đức Cảnh", "Phường Tân Phong", "Quận 7", HCM.province,
                 "sinh_hoat", 6, 2, 1, 390, "two_unpaid"),
    DemoCustomer("PD01000345678", "Lê Minh Tuấn", "0987654321", "tuan.le@example.com",
                 "25 Trần Thái Tông", "Phường Dịch Vọng", "Quận Cầu Giấy", HANOI.province,
                 "sinh_hoat", 3, 1, 1, 210, "all_paid"),
    DemoCustomer("PC01000456789", "Phạm Thị Hoa", "0935111222", "",
                 "102 Lê Duẩn", "Phường Thạch Thang", "Quận Hải Châu", DANANG.province,
                 "kinh_doanh", 0, 1, 1, 850, "all_paid"),
    DemoCustomer("PB01000567890", "Võ Văn Hùng", "0939555666", "",
                 "45 Hai Bà Trưng", "Phường Tân An", "Quận Ninh Kiều", CANTHO.province,
                 "sinh_hoat", 5, 1, 1, 230, "all_paid"),
)

DEMO_CONNECTION_REQUEST = {
    "code": "YC2026000001", "name": "Đặng Thu Trang", "phone": "0909777888",
    "address": "25/3 Trần Xuân Soạn", "ward": "Phường Tân Hưng", "district": "Quận 7",
    "province": HCM.province, "purpose": "sinh_hoat", "phases": 1,
}
# An unresolved outage in the ward of PE05000234567 (Phường Tân Phong, Quận 7), with no
# planned outage: a report from there is attached to it (the duplicate path).
DEMO_INCIDENT = {
    "code": "SC2026000001", "province": HCM.province, "district": "Quận 7", "ward": "Phường Tân Phong",
    # minutes before the reference moment, house and street, what was said; the first opened it
    "reports": (
        (50, "32 Nguyễn Đức Cảnh", "Mất điện cả khu phố"),
        (40, "8 Tôn Dật Tiên", "Cả dãy nhà mất điện, đèn đường cũng tắt"),
        (25, "41/6 Nguyễn Đức Cảnh", "Mất điện từ nãy giờ, hàng xóm cũng vậy"),
    ),
    "dispatched": 30,  # minutes before the reference moment: crew sent
}
DEMO_COMPLAINT = {
    "code": "KN2026000001", "customer_code": "PE01000123456", "category": "hoa_don",
    "content": "Hóa đơn kỳ này cao hơn nhiều so với tháng trước, đề nghị kiểm tra lại chỉ số công tơ",
}
# Demo outages: Dịch Vọng (Cầu Giấy) two days after the reference date; Tân An
# (Ninh Kiều) in progress at the reference moment (placed by the seed around it).
DEMO_OUTAGES: List[dict] = [
    {"city": HANOI, "district": "Quận Cầu Giấy", "ward": "Phường Dịch Vọng",
     "area": "Đường Trần Thái Tông từ số 1 đến số 99 và ngõ 165 Cầu Giấy",
     "day": 2, "start": (8, 0), "end": (16, 0), "reason": "Thay máy biến áp"},
]
DEMO_OUTAGE_IN_PROGRESS = {
    "city": CANTHO, "district": "Quận Ninh Kiều", "ward": "Phường Tân An",
    "area": "Đường Hai Bà Trưng từ số 1 đến số 120 và khu vực chợ Cần Thơ",
    "reason": "Cải tạo, nâng cấp lưới điện hạ thế",
}


def places() -> List[Tuple[str, str, str]]:
    """Every (province, district, ward) above: the sandbox's map of the four cities."""
    return [(c.province, d.name, w) for c in CITIES for d in c.districts for w in d.wards]

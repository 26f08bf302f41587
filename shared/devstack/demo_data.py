"""The demo's data: producers and products from provinces whose OCOP reports we drew on
(Quảng Trị, Bắc Kạn → Thái Nguyên, Thừa Thiên Huế → Huế, Đồng Tháp, Hà Tĩnh, Lào Cai),
with legacy addresses where the conversion to today's units is the point."""

from __future__ import annotations

from typing import NamedTuple

# A producer: name | kind | women-led | where; indented under it, its products: name | group |
# sub-group | stars aimed at (see `Product`). Provinces: Bắc Kạn and Yên Bái addresses convert
# to Thái Nguyên and Lào Cai, Thừa Thiên Huế to Huế; Quảng Trị, Đồng Tháp, Hà Tĩnh.
# Tea (chè, trà) and coffee are food (Phụ lục I, sets 11-13). The sheets of tea, herbal tea,
# coffee and processed fruit/vegetable/nut products are withheld (their points do not add
# up, services/scoring/data/criteria-sets.yaml): those products' rounds wait, unscored.
CATALOGUE = """
HTX Miến dong Côn Minh | htx | no | Xã Côn Minh, Huyện Na Rì, Tỉnh Bắc Kạn
  Miến dong Côn Minh | food | che-bien-tu-rau-cu-qua-hat | 4
Hộ kinh doanh Mật ong Nam Mẫu | household | yes | Xã Nam Mẫu, Huyện Ba Bể, Tỉnh Bắc Kạn
  Mật ong hoa rừng Nam Mẫu | food | mat-ong-nong-san-khac | 3
Tổ hợp tác Quýt Quang Thuận | coop_group | yes | Xã Quang Thuận, Huyện Bạch Thông, Tỉnh Bắc Kạn
  Quýt Quang Thuận | food | rau-cu-qua-hat-tuoi | 3
HTX Chè Suối Giàng | htx | no | Xã Suối Giàng, Huyện Văn Chấn, Tỉnh Yên Bái
  Chè Shan tuyết Suối Giàng | food | che-tuoi-che-che-bien | 5
Công ty TNHH Rượu ngô Bản Phố | enterprise | no | 15 02839
  Rượu ngô men lá Bản Phố | drinks | ruou-trang | 4
Cơ sở Hương trầm Thủy Xuân | household | yes | Phường Thủy Xuân, Thành phố Huế, Tỉnh Thừa Thiên Huế
  Hương trầm Thủy Xuân | handicrafts | thu-cong-my-nghe-gia-dung-trang-tri | 3
Công ty CP Tinh dầu tràm Phong Điền | enterprise | yes | 46 19819
  Tinh dầu tràm Phong Điền | herbs | tinh-dau-thao-duoc-khac | 4
HTX Cà phê Khe Sanh | htx | no | 44 19429
  Cà phê Arabica Khe Sanh | food | ca-phe-ca-cao | 4
  Cà phê rang xay Hướng Hóa | food | ca-phe-ca-cao | 3
Công ty TNHH Hồ tiêu Cồn Tiên | enterprise | no | Xã Gio An, Huyện Gio Linh, Tỉnh Quảng Trị
  Hồ tiêu Cồn Tiên | food | gia-vi-khac | 4
HTX Sen Tháp Mười | htx | yes | Xã Mỹ Hòa, Huyện Tháp Mười, Tỉnh Đồng Tháp
  Trà tim sen Tháp Mười | food | tra-tu-thuc-vat-khac | 4
  Hạt sen sấy Tháp Mười | food | che-bien-tu-rau-cu-qua-hat | 3
Tổ hợp tác Nem Lai Vung | coop_group | yes | 82 30226
  Nem Lai Vung | food | che-bien-tu-thit-thuy-san-trung-sua-mat-ong | 3
HTX Bưởi Phúc Trạch | htx | no | Xã Phúc Trạch, Huyện Hương Khê, Tỉnh Hà Tĩnh
  Bưởi Phúc Trạch | food | rau-cu-qua-hat-tuoi | 5
  Tinh dầu vỏ bưởi Phúc Trạch | herbs | tinh-dau-thao-duoc-khac | 0
Hộ kinh doanh Kẹo cu đơ Thành Sen | household | yes | 42 18073
  Kẹo cu đơ Thành Sen | food | che-bien-tu-rau-cu-qua-hat | 3
  Kẹo lạc vừng Thành Sen | food | che-bien-tu-rau-cu-qua-hat | 3
"""
EVIDENCE = {"label": "nhan", "test_report": "phieu-kiem-nghiem", "product_story": "cau-chuyen"}
TARGET_TOTAL = {0: 56, 3: 56, 4: 76, 5: 94}  # star bands: 3★ from 50, 4★ from 70, 5★ from 90
FAIR = {"place": "Công viên Thương Bạc, Huế", "organiser": "Sở Công Thương thành phố Huế"}
SALES_POINT = "Điểm giới thiệu sản phẩm OCOP Đại Nội Huế"
CARRIED = ("Hồ tiêu Cồn Tiên", "Hương trầm Thủy Xuân", "Tinh dầu tràm Phong Điền")


class Product(NamedTuple):
    """A product and its producer (chủ thể OCOP), as the registration API takes them."""

    producer: str
    kind: str
    women_led: bool
    where: str  # a pre-2025 address in words, or today's "province ward" codes
    name: str
    group: str
    subgroup: str
    stars: int  # what its council aims at; 0: a 3-star minimum missed, so not ranked
    # (a product whose sheet is withheld is not scored: its round waits)


def products() -> list[Product]:
    found, p = [], ["", "", "", ""]
    for line in filter(str.strip, CATALOGUE.splitlines()):
        c = [cell.strip() for cell in line.split("|")]
        if line.startswith(" "):
            found.append(Product(p[0], p[1], p[2] == "yes", p[3], c[0], c[1], c[2], int(c[3])))
        else:
            p = c
    return found

/* The admin page's names of the knowledge base's categories, statuses, actions and fields. */

// Display names of the seed's categories (the API stores ids such as "cap-dien-moi").
export const CATEGORY_LABELS = {
  "cap-dien-moi": "Cấp điện mới",
  "canh-bao-lua-dao": "Cảnh báo lừa đảo",
  "cong-to-chi-so": "Công tơ và chỉ số",
  "dien-mat-troi": "Điện mặt trời",
  "gia-dien": "Giá điện",
  "hoa-don-thanh-toan": "Hóa đơn và thanh toán",
  "hop-dong": "Hợp đồng mua bán điện",
  "kenh-ho-tro": "Kênh hỗ trợ",
  "khac": "Khác",
  "ngung-cap-dien": "Ngừng, giảm cung cấp điện",
  "su-co-an-toan": "Sự cố và an toàn điện",
  "tai-khoan-thong-bao": "Tài khoản và thông báo",
  "tiet-kiem-dien": "Tiết kiệm điện",
};
export const STATUS_LABELS = { draft: "Bản nháp", published: "Đã xuất bản" };
export const ACTION_LABELS = {
  create: "Tạo mới", update: "Sửa nội dung", publish: "Xuất bản", unpublish: "Gỡ xuất bản",
  delete: "Xóa", revert: "Khôi phục",
};
export const FIELD_LABELS = {
  id: "Mã mục", question: "Câu hỏi", alternatives: "Cách hỏi khác", answer: "Câu trả lời",
  category: "Chủ đề", tags: "Thẻ", source: "Nguồn", status: "Trạng thái", deleted: "Đã xóa",
  markdown: "Nội dung", version: "Phiên bản", file: "Tệp", q: "Câu hỏi",
};

export const categoryLabel = (id) => CATEGORY_LABELS[id] || id || "—";
// Authors that are not people.
export const author = (name) => (name === "seed" ? "dữ liệu khởi tạo" : name);

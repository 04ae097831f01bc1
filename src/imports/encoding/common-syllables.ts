/**
 * Syllables that are frequent in Vietnamese person names (họ, tên đệm, tên) and in land and
 * address terms. Detection only uses them to break a tie between two decodings that are
 * both valid Vietnamese, which happens with one short name: cp1258 "Lê" read as TCVN3 is
 * "Lờ", cp1258 "Tú" is TCVN3 "Tỳ". Lowercase, NFC.
 */
export const COMMON_SYLLABLES: ReadonlySet<string> = new Set(
  `
  nguyễn trần lê phạm hoàng huỳnh phan vũ võ đặng bùi đỗ hồ ngô dương lý đinh trịnh đoàn
  lương mai cao tạ quách kiều thái hà lâm tô triệu khổng châu lưu từ mạc lục hứa la thân
  vương tăng chu giang tống đào quan diệp âu kha nông lò sầm
  văn thị hữu đức minh quốc thanh công đình xuân ngọc kim quang anh bá trọng duy gia thế
  như mỹ bảo phương
  an bình cường chi dung dũng đạt điệp đông hải hạnh hằng hân hiền hiếu hiệp hòa hoà hoài
  hồng huệ hùng hưng hương hường huy huyền khang khánh khoa kiên lan liên linh loan long
  lộc lợi luân lực mạnh my nam nga ngân nghĩa nguyên nhân nhi nhung oanh phát phong phú
  phúc phụng phượng quân quế quý quyên quỳnh sang sơn tài tâm tân thắng thành thảo thu thủy
  thùy thúy thư thương tiến tín toàn trang trí trinh trung tú tuấn tùng tuyết uyên vân việt
  vinh yến bé út tư ba sáu bảy tám chín mười năm hai lụa nở ánh ý hảo nhàn thiện lệ tuyền
  diệu hậu khải ơn ớt nhứ chăm
  xã thôn ấp bản buôn làng phường huyện tỉnh trấn đất ở trồng cây lúa lâu hằng rừng sản
  xuất phòng hộ đặc dụng nuôi nông nghiệp trình giao thông lợi địa sông suối kênh mương
  chưa sử đồi núi bằng chuyên cơ trụ sở tôn giáo tín ngưỡng khác đắk đăk lắk krông chư
  `.trim().split(/\s+/),
)

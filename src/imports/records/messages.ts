/**
 * The findings of an attribute-record import, worded for the clerk who fixes the spreadsheet:
 * Vietnamese first, English in parentheses, always with the row and the column header.
 */
import type { Finding } from '../findings.js'

type At = { file: string; row: number }

export const findings = {
  residue: ({ file, row }: At, column: string, before: string, after: string | null): Finding =>
    after === null
      ? { code: 'encoding_residue_unrepaired', severity: 'warning', file, row, field: column, message: `Dòng ${row}, cột ${column}: "${before}" có dấu hiệu lỗi font (bảng mã cũ) nhưng không sửa được chắc chắn; giữ nguyên (legacy-encoding residue left as is).` }
      : { code: 'encoding_residue_repaired', severity: 'info', file, row, field: column, message: `Dòng ${row}, cột ${column}: "${before}" → "${after}" (legacy-encoding residue repaired).` },

  nulReplaced: ({ file, row }: At, column: string): Finding => ({
    code: 'nul_replaced', severity: 'warning', file, row, field: column,
    message: `Dòng ${row}, cột ${column}: có ký tự NUL không lưu được; đã thay bằng "\ufffd" (NUL character replaced).`,
  }),

  headerSkipped: (file: string, row: number, headerRow: number): Finding => ({
    code: 'rows_before_header', severity: 'info', file, row,
    message: `Các dòng 1–${headerRow - 1} nằm trên dòng tiêu đề (dòng ${headerRow}), là tiêu đề bảng; không nhập (rows above the header skipped).`,
  }),

  columnNumbersRow: ({ file, row }: At): Finding => ({
    code: 'column_numbers_row', severity: 'info', file, row,
    message: `Dòng ${row} chỉ đánh số thứ tự cột (1), (2), (3)…; không nhập (column-number row skipped).`,
  }),

  tooManyCells: ({ file, row }: At, cells: number, columns: number): Finding => ({
    code: 'too_many_cells', severity: 'error', file, row, details: { cells, columns },
    message: `Dòng ${row} có ${cells} ô nhưng bảng chỉ có ${columns} cột: có thể thiếu dấu ngoặc kép quanh một giá trị chứa dấu phân cách, các ô bị lệch; dòng không được nhập (more cells than columns: row rejected).`,
  }),

  locationUnreadable: ({ file, row }: At, columns: string, raw: string): Finding => ({
    code: 'location_unreadable', severity: 'warning', file, row, field: columns,
    message: `Dòng ${row}, cột ${columns}: tọa độ "${raw}" không đọc được hoặc không nằm trong Việt Nam (VN-2000 hoặc kinh độ/vĩ độ); hồ sơ được nhập nhưng không có vị trí (coordinates unreadable: record loaded without a point).`,
  }),

  missingKey: ({ file, row }: At, column: string): Finding => ({
    code: 'missing_key', severity: 'error', file, row, field: column,
    message: `Dòng ${row}: cột ${column} trống; không xác định được thửa, dòng không được nhập (sheet/parcel number missing: row rejected).`,
  }),

  keyIsDate: ({ file, row }: At, column: string, shown: string): Finding => ({
    code: 'key_is_date', severity: 'error', file, row, field: column,
    message: `Dòng ${row}: cột ${column} là ngày tháng (${shown}), không phải số; Excel có thể đã đổi "5/12" thành ngày. Hãy định dạng cột là văn bản (Text) rồi gõ lại; dòng không được nhập (number turned into a date: row rejected).`,
  }),

  slashConflict: ({ file, row }: At, column: string, raw: string, sheet: string): Finding => ({
    code: 'parcel_slash_kept', severity: 'warning', file, row, field: column, details: { raw, sheet },
    message: `Dòng ${row}: số thửa "${raw}" có dạng tờ/thửa nhưng cột số tờ ghi ${sheet}; giữ nguyên "${raw}" làm số thửa, hãy kiểm tra (sheet/parcel form disagrees with the sheet column: kept as written).`,
  }),

  otherCommune: ({ file, row }: At, column: string, raw: string, communeCode: string): Finding => ({
    code: 'other_commune', severity: 'error', file, row, field: column, details: { raw },
    message: `Dòng ${row}: mã xã ${raw} khác xã đang nhập ${communeCode}; dòng không được nhập, hãy nhập riêng tệp của xã đó (row belongs to another commune).`,
  }),

  invalidCommune: ({ file, row }: At, column: string, raw: string): Finding => ({
    code: 'invalid_commune', severity: 'error', file, row, field: column, details: { raw },
    message: `Dòng ${row}: "${raw}" không phải mã xã (5 chữ số); dòng không được nhập (not a commune code: row rejected).`,
  }),

  unreadableArea: ({ file, row }: At, column: string, raw: string): Finding => ({
    code: 'unreadable_area', severity: 'error', file, row, field: column, details: { raw },
    message: `Dòng ${row}: diện tích "${raw}" ở cột ${column} không đọc được thành số m² (viết như 1234,5 hoặc 1.234,5); dòng không được nhập (unreadable area: row rejected).`,
  }),

  ambiguousArea: ({ file, row }: At, column: string, raw: string, value: number): Finding => ({
    code: 'ambiguous_area', severity: 'warning', file, row, field: column, details: { raw, read: value },
    message: `Dòng ${row}: diện tích "${raw}" không rõ dấu "${raw.replace(/[^.,]/g, '')}" là dấu thập phân hay dấu hàng nghìn, và tệp không có số nào khác cho biết; đã đọc là ${value} m² (nếu là số thập phân thì là ${raw.replace(/[.,]/, ',')} m²), hãy kiểm tra (ambiguous separator read as thousands).`,
  }),

  undecodable: ({ file, row }: At, column: string, text: string): Finding => ({
    code: 'undecodable_text', severity: 'warning', file, row, field: column, details: { text },
    message: `Dòng ${row}, cột ${column}: "${text}" có ký tự không đọc được (�); có thể tệp dùng hai bảng mã khác nhau. Hãy lưu tệp dưới dạng UTF-8 rồi nhập lại (undecodable characters).`,
  }),

  landUseNotCode: ({ file, row }: At, column: string, raw: string, parts: string[]): Finding => ({
    code: 'land_use_not_code', severity: 'warning', file, row, field: column, details: { raw, parts },
    message: `Dòng ${row}: mục đích sử dụng "${raw}" có phần không phải mã loại đất (${parts.join(', ')}); giữ nguyên văn bản, chỉ nhận các mã (land-use text that is not a code).`,
  }),

  serialUnrecognised: ({ file, row }: At, column: string, raw: string): Finding => ({
    code: 'serial_unrecognised', severity: 'info', file, row, field: column, details: { raw },
    message: `Dòng ${row}: số phát hành GCN "${raw}" không theo dạng "CS 123456"; giữ nguyên (certificate serial kept as written).`,
  }),

  duplicateKey: ({ file, row }: At, sheet: string, parcel: string, firstRow: number): Finding => ({
    code: 'duplicate_key', severity: 'warning', file, row, sheet, parcel, details: { firstRow },
    message: `Dòng ${row}: tờ ${sheet} thửa ${parcel} trùng với dòng ${firstRow}; cả hai đều được nhập và đánh dấu (duplicate sheet/parcel key).`,
  }),

  sheetsDropped: (file: string, communeCode: string, sheets: string[], records: number): Finding => ({
    code: 'sheets_dropped', severity: 'warning', file, details: { sheets, records },
    message: `Tệp ${file} thay toàn bộ hồ sơ xã ${communeCode} nhưng không có tờ ${sheets.slice(0, 20).join(', ')}${sheets.length > 20 ? '…' : ''}; ${records} hồ sơ của các tờ này không còn. Nếu tệp chỉ là một phần sổ, hãy nhập lại bản đầy đủ (sheets of the replaced records are missing from the new file).`,
  }),

  nothingLoaded: (file: string, rows: number): string =>
    `Tệp ${file}: không có hồ sơ nào dùng được trong ${rows} dòng (xem danh sách lỗi từng dòng); không nhập gì, hồ sơ cũ giữ nguyên (no usable record in the file).`,

  noHeader: (file: string): string =>
    `Tệp ${file} không có dòng tiêu đề cột nào (tệp trống?); không nhập gì (no header row).`,
}

/**
 * The findings of a parcel import, worded for the GIS officer who reads the report:
 * Vietnamese first, English in parentheses, always with the file and row.
 */
import type { Finding } from '../findings.js'
import { problemMessage } from './report.js'
import type { GeometryProblem } from '../geometry-checks.js'
import type { Gap, Overlap, RepairResult } from './sql-checks.js'

type At = { file: string; row: number }

export const findings = {
  residue: ({ file, row }: At, field: string, before: string, after: string | null): Finding =>
    after === null
      ? { code: 'encoding_residue_unrepaired', severity: 'warning', file, row, field, message: `Dòng ${row}, trường ${field}: "${before}" có dấu hiệu lỗi bảng mã nhưng không sửa được chắc chắn; giữ nguyên (legacy-encoding residue left as is).` }
      : { code: 'encoding_residue_repaired', severity: 'info', file, row, field, message: `Dòng ${row}, trường ${field}: "${before}" → "${after}" (legacy-encoding residue repaired).` },

  deletedRecord: ({ file, row }: At): Finding => ({
    code: 'deleted_record', severity: 'info', file, row,
    message: `Dòng ${row}: bản ghi đã bị đánh dấu xóa trong tệp .dbf; không nhập, như mọi phần mềm GIS (record marked deleted in the .dbf: skipped).`,
  }),

  nulReplaced: ({ file, row }: At, field: string): Finding => ({
    code: 'nul_replaced', severity: 'warning', file, row, field,
    message: `Dòng ${row}, trường ${field}: có ký tự NUL không lưu được; đã thay bằng "\ufffd" (NUL character replaced).`,
  }),

  nothingLoaded: (file: string, rows: number): string =>
    `Tệp ${file}: không có thửa nào dùng được trong ${rows} dòng (xem danh sách lỗi từng dòng); không nhập gì (no usable parcel in the file).`,

  decisionsReplaced: (file: string, parcels: number, sheets: string[]): Finding => ({
    code: 'decisions_replaced', severity: 'warning', file, details: { parcels, sheets },
    message: `${parcels} thửa trên tờ ${sheets.join(', ')} đã có quyết định đối soát; tệp này thay thế chúng (bản cũ lưu vào lịch sử, các quyết định vẫn còn trong nhật ký đối soát) và các thửa mới cần được đối chiếu, đối soát lại (parcels with reconciliation decisions were replaced; the decisions stay in the audit trail, the new parcels need reconciling again).`,
  }),

  nullShape: ({ file, row }: At, reason: string | undefined): Finding => ({
    code: 'null_shape', severity: 'warning', file, row,
    message: `Dòng ${row}: không có hình thửa (${reason ?? 'null'}); bỏ qua dòng này (null shape skipped).`,
  }),

  missingKey: ({ file, row }: At, field: string): Finding => ({
    code: 'missing_key', severity: 'error', file, row, field,
    message: `Dòng ${row}: trường ${field} trống; không xác định được thửa, dòng không được nhập (sheet/parcel number missing: row rejected).`,
  }),

  otherCommune: ({ file, row }: At, field: string, raw: string, communeCode: string): Finding => ({
    code: 'other_commune', severity: 'error', file, row, field,
    message: `Dòng ${row}: mã xã ${raw} khác xã đang nhập ${communeCode}; dòng không được nhập, hãy nhập riêng tệp của xã đó (row belongs to another commune).`,
  }),

  ringClosed: ({ file, row }: At): Finding => ({
    code: 'ring_closed', severity: 'info', file, row,
    message: `Dòng ${row}: vòng ranh chưa khép kín đã được khép lại bằng điểm đầu (open ring closed).`,
  }),

  holesRewound: ({ file, row }: At, count: number): Finding => ({
    code: 'holes_rewound', severity: 'info', file, row,
    message: `Dòng ${row}: ${count} vòng lỗ (hole) vẽ sai chiều đã được ghép lại vào thửa (hole rings in the wrong winding assembled).`,
  }),

  geometryRejected: ({ file, row }: At, sheet: string, parcel: string, problem: GeometryProblem): Finding => ({
    code: 'geometry_rejected', severity: 'error', file, row, sheet, parcel, details: { problem: problem.code, where: problem.where },
    message: `Dòng ${row} (tờ ${sheet}, thửa ${parcel}): ${problemMessage(problem)}; hình thửa không dùng được, dòng không được nhập (degenerate geometry: row rejected).`,
  }),

  duplicateKey: ({ file, row }: At, sheet: string, parcel: string, firstRow: number): Finding => ({
    code: 'duplicate_key', severity: 'warning', file, row, sheet, parcel, details: { firstRow },
    message: `Dòng ${row}: tờ ${sheet} thửa ${parcel} trùng với dòng ${firstRow}; cả hai đều được nhập và đánh dấu (duplicate sheet/parcel key).`,
  }),

  repaired: (file: string, r: RepairResult): Finding =>
    r.emptied
      ? { code: 'geometry_rejected', severity: 'error', file, row: r.row, sheet: r.sheet, parcel: r.parcel, message: `Dòng ${r.row}: hình thửa không hợp lệ (${r.reason}) và không sửa được thành vùng; dòng không được nhập (invalid geometry, repair left nothing).` }
      : {
          code: 'geometry_repaired', severity: 'warning', file, row: r.row, sheet: r.sheet, parcel: r.parcel,
          details: { reason: r.reason, areaBefore: r.areaBefore, areaAfter: r.areaAfter },
          message: `Dòng ${r.row}: hình thửa không hợp lệ (${r.reason}); đã sửa bằng ST_MakeValid, diện tích ${r.areaBefore.toFixed(1)} → ${r.areaAfter.toFixed(1)} m² (invalid geometry repaired).`,
        },

  outsideCommune: (file: string, o: { row: number; sheet: string; parcel: string; outsideArea: number }, communeCode: string): Finding => ({
    code: 'outside_commune', severity: 'warning', file, row: o.row, sheet: o.sheet, parcel: o.parcel, details: { outsideArea: o.outsideArea },
    message: `Dòng ${o.row}: thửa nằm ngoài ranh giới xã ${communeCode} (${o.outsideArea.toFixed(1)} m² ngoài ranh) (parcel outside the commune boundary).`,
  }),

  overlap: (file: string, o: Overlap, jobId: number): Finding => ({
    code: 'overlap', severity: 'warning', file, row: o.row, sheet: o.sheet, parcel: o.parcel,
    details: { area: o.area, otherRow: o.otherRow, otherParcelId: o.otherId, otherSheet: o.otherSheet, otherParcel: o.otherParcel },
    message: `Dòng ${o.row}: chồng lấn ${o.area.toFixed(2)} m² với ${o.otherJob === jobId ? `dòng ${o.otherRow}` : `thửa đã có tờ ${o.otherSheet} số ${o.otherParcel}`} (parcels overlap).`,
  }),

  gap: (file: string, g: Gap): Finding => {
    // Thin or tiny gaps are slivers: digitising slips rather than missing parcels.
    const sliver = g.area < 1 || (4 * Math.PI * g.area) / (g.perimeter * g.perimeter) < 0.05
    return {
      code: sliver ? 'sliver_gap' : 'gap', severity: 'warning', file, details: { area: g.area, x: g.x, y: g.y, wkt: g.wkt },
      message: `Khe hở ${sliver ? 'mảnh ' : ''}giữa các thửa: ${g.area.toFixed(2)} m² tại (${g.x.toFixed(2)}, ${g.y.toFixed(2)}) (${sliver ? 'sliver ' : ''}gap between parcels).`,
    }
  },
}

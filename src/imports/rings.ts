/**
 * Ring assembly for polygons read from shapefiles. The shapefile reader decides holes by
 * winding (clockwise = outer, as the ESRI spec says); contractors' files often wind holes the
 * wrong way, which turns a hole into a second polygon lying inside the first. Such nested
 * parts are put back as holes, so "holes in either winding" load as the parcel they are.
 */
import type { PolygonCoordinates, Ring } from './wkb.js'
import { signedArea } from './geometry-checks.js'
import type { ShapeStore } from './shapes.js'

/**
 * Regroups the store's last item when it has several polygons (the only case where a hole
 * can have been read as a polygon of its own), largest first; returns how many holes were put back.
 */
export function assembleLastItemHoles(store: ShapeStore): number {
  const item = store.items - 1
  if (store.itemStart[item + 1]! - store.itemStart[item]! < 2) return 0
  const { polygons, rewound } = assembleHoles(store.toCoordinates(item))
  store.replaceLast(polygons)
  return rewound
}

export function assembleHoles(polygons: PolygonCoordinates[]): { polygons: PolygonCoordinates[]; rewound: number } {
  if (polygons.length < 2) return { polygons, rewound: 0 }
  const byArea = [...polygons].sort((a, b) => Math.abs(signedArea(b[0]!)) - Math.abs(signedArea(a[0]!)))
  const result: PolygonCoordinates[] = []
  let rewound = 0
  for (const part of byArea) {
    const container = part.length === 1 ? result.find((shell) => ringWithin(part[0]!, shell[0]!)) : undefined
    if (container) {
      container.push(part[0]!)
      rewound++
    } else {
      result.push([...part])
    }
  }
  return { polygons: result, rewound }
}

function ringWithin(inner: Ring, outer: Ring): boolean {
  // Strictly inside for at least one vertex, and no vertex outside.
  let strictlyInside = false
  for (const p of inner) {
    const c = contains(outer, p)
    if (c < 0) return false
    if (c > 0) strictlyInside = true
  }
  return strictlyInside
}

/** 1 inside, 0 on the boundary, -1 outside. */
function contains(ring: Ring, p: number[]): number {
  let inside = -1
  const x = p[0]!, y = p[1]!
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    const xi = ring[i]![0]!, yi = ring[i]![1]!, xj = ring[j]![0]!, yj = ring[j]![1]!
    const cross = (xj - xi) * (y - yi) - (yj - yi) * (x - xi)
    if (cross === 0 && Math.min(xi, xj) <= x && x <= Math.max(xi, xj) && Math.min(yi, yj) <= y && y <= Math.max(yi, yj)) return 0
    if (yi > y !== yj > y && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) inside = -inside
  }
  return inside
}

/** The collections the OGC API serves, in the order /ogc/collections lists them. */
import type { CollectionDef } from './collection.js'
import { communesCollection } from './commune-features.js'
import { parcelsCollection } from './parcel-features.js'
import { recordsCollection } from './record-features.js'

export const COLLECTIONS: readonly CollectionDef[] = [communesCollection, parcelsCollection, recordsCollection]

export function findCollection(id: string): CollectionDef | undefined {
  return COLLECTIONS.find((c) => c.id === id)
}

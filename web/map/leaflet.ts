// Leaflet and Leaflet.VectorGrid from their npm packages, bundled, handed to the map modules
// from here. VectorGrid is a plain script that extends the global `L`; Leaflet's own module
// sets that global when it runs, which the import order below makes happen first.
/// <reference types="leaflet.vectorgrid" />
import L from 'leaflet'
import 'leaflet.vectorgrid/dist/Leaflet.VectorGrid.bundled.js'

export { L }

// VectorGrid 1.3 calls L.DomEvent.fakeStop, which Leaflet 1.8 removed: without it a click on a
// parcel throws. Marking the event as handled is what fakeStop did (the map then ignores it).
const domEvent: typeof L.DomEvent & { fakeStop?: (e: Event & { _stopped?: boolean }) => void } = L.DomEvent
domEvent.fakeStop ??= (e) => {
  e._stopped = true
}

/** A map in `element` without base layer; keyboard panning and zooming as Leaflet provides. */
export function createMap(element: HTMLElement, options: L.MapOptions = {}): L.Map {
  return L.map(element, { zoomControl: true, keyboard: true, attributionControl: true, minZoom: 5, maxZoom: 21, zoomSnap: 0.25, ...options })
}

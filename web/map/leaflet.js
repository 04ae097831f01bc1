// Leaflet and Leaflet.VectorGrid, loaded by the page as classic scripts from /vendor (they are
// not ES modules), handed to the map modules from here.
/* global window */
export const L = window.L

// VectorGrid 1.3 calls L.DomEvent.fakeStop, which Leaflet 1.8 removed: without it a click on a
// parcel throws. Marking the event as handled is what fakeStop did (the map then ignores it).
if (L && !L.DomEvent.fakeStop) {
  L.DomEvent.fakeStop = (e) => {
    e._stopped = true
  }
}

/** A map in `element` without base layer; keyboard panning and zooming as Leaflet provides. */
export function createMap(element, options = {}) {
  return L.map(element, { zoomControl: true, keyboard: true, attributionControl: true, minZoom: 5, maxZoom: 21, zoomSnap: 0.25, ...options })
}

/*
 * L.TMBasemap: the offline Natural Earth basemap as canvas tiles drawn in the page.
 *
 * A single canvas (Leaflet's GeoJSON renderer) re-projects and redraws all ~100,000 coastline and
 * border points whenever the view moves, which made every "follow" step of the slider cost 20–140
 * ms. Tiles are drawn once per zoom level and position and kept while the map pans; new tiles are
 * drawn after the current frame (asynchronously), so a slider step never waits for the basemap.
 *
 * Two levels of detail: Natural Earth 1:110m (170 kB) draws the world and Europe at the zooms the
 * app opens and plays at; 1:50m (1.7 MB) is fetched the first time the map is zoomed to
 * ``detailZoom`` or closer, so start-up does not wait for it.
 */
(function () {
  "use strict";

  var unloading = false;
  window.addEventListener("pagehide", function () { unloading = true; });
  window.addEventListener("beforeunload", function () { unloading = true; });

  L.TMBasemap = L.GridLayer.extend({
    options: {
      land: "#f3eee2",
      border: "#a89f8f",
      borderWeight: 0.6,
      noWrap: true,
      bounds: L.latLngBounds([-85.06, -180], [85.06, 180]),
      keepBuffer: 1,  // tiles kept around the view: each is a 256 kB canvas
      updateWhenZooming: false,
      detailZoom: 4,
    },

    /** ``coarse``: GeoJSON drawn at once; ``loadDetail``: a function returning a Promise of the fine one. */
    initialize: function (coarse, loadDetail, options) {
      L.setOptions(this, options);
      this._coarse = this._prepare(coarse);
      this._detail = null;
      this._loadDetail = loadDetail;
      this._detailPromise = null;
    },

    /** Polygons as {rings: [Float64Array x,y,…], minX, minY, maxX, maxY} at zoom 0. */
    _prepare: function (geojson) {
      var out = [], self = this;
      (geojson.features || []).forEach(function (feature) {
        var geometry = feature.geometry;
        if (!geometry) return;
        var polygons = geometry.type === "Polygon" ? [geometry.coordinates]
          : geometry.type === "MultiPolygon" ? geometry.coordinates : [];
        polygons.forEach(function (polygon) { out.push(self._project(polygon)); });
      });
      return out;
    },

    _polygonsFor: function (zoom) {
      if (zoom < this.options.detailZoom) return this._coarse;
      if (this._detail) return this._detail;
      this.whenDetailReady();
      return this._coarse;
    },

    /**
     * A promise of the detailed polygons being in (loading them if nobody asked yet); it resolves
     * when they are, or when they cannot be (the coarse map stays). A film waits for it, so that no
     * frame is grabbed while the tiles are being redrawn with the detail.
     */
    whenDetailReady: function () {
      if (this._detailPromise) return this._detailPromise;
      var self = this;
      this._detailPromise = this._loadDetail ? this._loadDetail().then(function (geojson) {
        self._detail = self._prepare(geojson);
        if (self._map && self._map.getZoom() >= self.options.detailZoom) self.redraw();
      }).catch(function (error) {
        // The coarse map stays; a page being replaced cancels its fetches, which is no fault.
        if (unloading) return;
        console.warn("The detailed basemap could not be loaded: " + (error && error.message ? error.message : error));
      }) : Promise.resolve();
      return this._detailPromise;
    },

    _project: function (polygon) {
      var out = { rings: [], minX: Infinity, minY: Infinity, maxX: -Infinity, maxY: -Infinity };
      polygon.forEach(function (ring) {
        var xy = new Float64Array(ring.length * 2);
        for (var i = 0; i < ring.length; i++) {
          var lat = Math.max(-85.06, Math.min(85.06, ring[i][1]));
          var p = L.CRS.EPSG3857.latLngToPoint(L.latLng(lat, ring[i][0]), 0);
          xy[2 * i] = p.x;
          xy[2 * i + 1] = p.y;
          if (p.x < out.minX) out.minX = p.x;
          if (p.x > out.maxX) out.maxX = p.x;
          if (p.y < out.minY) out.minY = p.y;
          if (p.y > out.maxY) out.maxY = p.y;
        }
        out.rings.push(xy);
      });
      return out;
    },

    createTile: function (coords, done) {
      var tile = document.createElement("canvas");
      var size = this.getTileSize();
      var ratio = window.devicePixelRatio || 1;
      tile.width = size.x * ratio;
      tile.height = size.y * ratio;
      var self = this;
      setTimeout(function () {
        self._draw(tile, coords, size, ratio);
        done(null, tile);
      }, 0);
      return tile;
    },

    _draw: function (tile, coords, size, ratio) {
      var ctx = tile.getContext("2d");
      ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
      var scale = Math.pow(2, coords.z);
      var x0 = coords.x * size.x, y0 = coords.y * size.y, x1 = x0 + size.x, y1 = y0 + size.y;
      var polygons = this._polygonsFor(coords.z);
      ctx.beginPath();
      var any = false;
      for (var p = 0; p < polygons.length; p++) {
        var polygon = polygons[p];
        if (polygon.maxX * scale < x0 - 1 || polygon.minX * scale > x1 + 1) continue;
        if (polygon.maxY * scale < y0 - 1 || polygon.minY * scale > y1 + 1) continue;
        any = true;
        for (var r = 0; r < polygon.rings.length; r++) {
          var xy = polygon.rings[r], lastX = NaN, lastY = NaN;
          for (var i = 0; i < xy.length; i += 2) {
            var x = xy[i] * scale - x0, y = xy[i + 1] * scale - y0;
            if (i === 0) {
              ctx.moveTo(x, y);
            } else if (Math.abs(x - lastX) + Math.abs(y - lastY) >= 0.6 || i === xy.length - 2) {
              ctx.lineTo(x, y);
            } else {
              continue;
            }
            lastX = x;
            lastY = y;
          }
          ctx.closePath();
        }
      }
      if (!any) return;
      ctx.fillStyle = this.options.land;
      ctx.fill("evenodd");
      ctx.strokeStyle = this.options.border;
      ctx.lineWidth = this.options.borderWeight;
      ctx.stroke();
    },
  });
})();

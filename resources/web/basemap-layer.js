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

  var scratch = null;  // the one off-screen canvas every tile is drawn on

  /**
   * Draw a tile with the layer's ``_draw`` off screen and show the result as a still bitmap.
   *
   * A 2D canvas in the page costs a copy of its pixels on every frame the page draws, changed or
   * not (Chromium's software compositing, as QtWebEngine runs here): fifteen tiles took 10–30 ms
   * of every slider step. A "bitmaprenderer" canvas holds a finished bitmap and costs nothing
   * more until it is given another.
   */
  function paintTile(layer, tile, coords, size, ratio) {
    if (!scratch || scratch.width !== tile.width || scratch.height !== tile.height) {
      scratch = new OffscreenCanvas(tile.width, tile.height);
    }
    var ctx = scratch.getContext("2d");
    ctx.setTransform(1, 0, 0, 1, 0, 0);
    ctx.clearRect(0, 0, scratch.width, scratch.height);
    layer._draw(scratch, coords, size, ratio);
    tile.getContext("bitmaprenderer").transferFromImageBitmap(scratch.transferToImageBitmap());
    tiles.drawn++;
  }

  /*
   * The tiles waiting to be drawn, of both layers, new ones and ones drawn again in place: drawn
   * after the frame that asked for them, within ``budgetMs`` of each frame. A slider step that
   * moves the view, or crosses a snapshot, paints its frame with the tiles there were (Leaflet
   * keeps the last zoom's tiles, scaled, under the new ones); the new tiles follow in the next
   * frames. Drawn before the frame instead, five to fifteen new tiles held up one step by 30–100 ms.
   */
  var waiting = [];     // {layer, el, coords, done}
  var pumping = false;
  // eager: draw at once (a film waits for its tiles anyway); made, drawn: canvases made, tiles drawn
  var tiles = { budgetMs: 4, eager: false, made: 0, drawn: 0 };

  function queueTile(layer, el, coords, done) {
    if (el._tmWaiting) {  // already waiting: drawn once, with the layer's state by then
      if (done) el._tmWaiting.done = done;
      return;
    }
    var job = { layer: layer, el: el, coords: coords, done: done };
    el._tmWaiting = job;
    waiting.push(job);
    layer._waiting = (layer._waiting || 0) + 1;
    if (!pumping) {
      pumping = true;
      schedulePump();
    }
  }

  function schedulePump() {
    if (tiles.eager) setTimeout(pump, 0);
    else requestAnimationFrame(function () { setTimeout(pump, 0); });  // after this frame
  }

  function pump() {
    var started = performance.now();
    while (waiting.length && (tiles.eager || performance.now() - started < tiles.budgetMs)) {
      var job = waiting.shift(), layer = job.layer;
      if (!job.cancelled) job.el._tmWaiting = null;
      layer._waiting--;
      // a tile pruned meanwhile (the view moved on) is not drawn; Leaflet has forgotten it
      if (!job.cancelled && job.el.parentNode && layer._map) {
        var size = layer.getTileSize();
        paintTile(layer, job.el, job.coords, size, window.devicePixelRatio || 1);
        if (job.done) job.done(null, job.el);
      }
      if (!layer._waiting && layer._redrawing) {
        layer._redrawing = false;
        if (layer._noTilesToLoad()) {
          layer._loading = false;
          layer.fire("load");
        }
      }
    }
    if (waiting.length) schedulePump();
    else pumping = false;
  }

  /*
   * The canvases Leaflet has let go of, given to the next new tiles. A tile canvas dropped keeps
   * its bitmap's memory (in the browser's process too) until the page's garbage collector takes
   * the element, which the page's little garbage rarely makes it do: a thousand tiles drawn held
   * 250 MB. Reused, a canvas holds one bitmap at a time.
   */
  var spareTiles = [];
  var SPARE_TILES = 64;

  function releaseTile(event) {
    var el = event.tile;
    if (el._tmWaiting) {  // not drawn yet: it never will be, for those coordinates
      el._tmWaiting.cancelled = true;
      el._tmWaiting = null;
    }
    el.className = "";  // Leaflet's "loaded" class would show it before it is drawn again
    if (spareTiles.length < SPARE_TILES) spareTiles.push(el);
  }

  /** A tile of either layer: a canvas (a spare one if any), drawn when its turn comes (see ``queueTile``). */
  function canvasTile(layer, coords, done) {
    var size = layer.getTileSize(), ratio = window.devicePixelRatio || 1;
    var width = size.x * ratio, height = size.y * ratio;
    var tile = spareTiles.pop();
    if (!tile || tile.width !== width || tile.height !== height) {
      tile = document.createElement("canvas");
      tile.width = width;
      tile.height = height;
      tiles.made++;
    }
    queueTile(layer, tile, coords, done);
    return tile;
  }

  /** What both tile layers share: drawing through the queue, and loading while tiles wait there. */
  var QueuedTiles = {
    createTile: function (coords, done) { return canvasTile(this, coords, done); },

    /** A tile Leaflet has let go of becomes a spare (see ``releaseTile``). */
    onAdd: function (map) {
      L.GridLayer.prototype.onAdd.call(this, map);
      this.on("tileunload", releaseTile);
    },

    onRemove: function (map) {
      L.GridLayer.prototype.onRemove.call(this, map);  // unloads its tiles (releasing them) first
      this.off("tileunload", releaseTile);
    },

    /** Loading: Leaflet's tiles not all in, or tiles waiting to be drawn (again). */
    isLoading: function () { return !!this._loading || this._waiting > 0; },

    /**
     * Draw the tiles shown again, in place: the old ones stay until each is drawn anew, so a
     * change never shows bare land or holds up a frame. The layer is loading until they are.
     */
    _redrawInPlace: function () {
      if (!this._map) return;
      var any = false;
      for (var key in this._tiles) {
        var tile = this._tiles[key];
        if (!tile.el.parentNode) continue;
        any = true;
        queueTile(this, tile.el, tile.coords, null);
      }
      if (any) {
        this._redrawing = true;
        this._loading = true;
      }
    },
  };

  L.TMTiles = tiles;

  /** Whether a polygon ({minX, minY, maxX, maxY} at zoom 0) reaches into the tile. */
  function inTile(polygon, scale, x0, y0, x1, y1) {
    return !(polygon.maxX * scale < x0 - 1 || polygon.minX * scale > x1 + 1 ||
      polygon.maxY * scale < y0 - 1 || polygon.minY * scale > y1 + 1);
  }

  /** Add a polygon's rings to the current path, skipping points under 0.6 px from the last one. */
  function traceRings(ctx, polygon, scale, x0, y0) {
    for (var r = 0; r < polygon.rings.length; r++) {
      var xy = polygon.rings[r], lastX = NaN, lastY = NaN;
      for (var i = 0; i < xy.length; i += 2) {
        var x = xy[i] * scale - x0, y = xy[i + 1] * scale - y0;
        if (i === 0) ctx.moveTo(x, y);
        else if (Math.abs(x - lastX) + Math.abs(y - lastY) >= 0.6 || i === xy.length - 2) ctx.lineTo(x, y);
        else continue;
        lastX = x;
        lastY = y;
      }
      ctx.closePath();
    }
  }

  /**
   * The points of ``xy`` (x, y, … at zoom 0) that a line within ``tolerance`` of them all needs
   * (Douglas–Peucker); the first and last always stay, so arcs shared by two polities still meet.
   * A tile draws each ring at its zoom's tolerance: at the zooms the app plays at, a tenth of the
   * points or fewer, and a tile costs a fraction of what the full rings cost to trace and fill.
   */
  function simplified(xy, tolerance) {
    var n = xy.length / 2;
    if (n <= 2) return xy;
    var keep = new Uint8Array(n), limit = tolerance * tolerance, kept = 2;
    keep[0] = keep[n - 1] = 1;
    var stack = [0, n - 1];
    while (stack.length) {
      var last = stack.pop(), first = stack.pop();
      var ax = xy[2 * first], ay = xy[2 * first + 1], dx = xy[2 * last] - ax, dy = xy[2 * last + 1] - ay;
      var length = dx * dx + dy * dy, farthest = -1, at = -1;
      for (var i = first + 1; i < last; i++) {
        var px = xy[2 * i] - ax, py = xy[2 * i + 1] - ay;
        var t = length ? Math.max(0, Math.min(1, (px * dx + py * dy) / length)) : 0;
        var ex = px - t * dx, ey = py - t * dy, d = ex * ex + ey * ey;
        if (d > farthest) { farthest = d; at = i; }
      }
      if (farthest > limit) {
        keep[at] = 1;
        kept++;
        stack.push(first, at, at, last);
      }
    }
    var out = new Float64Array(2 * kept);
    for (var k = 0, j = 0; k < n; k++) {
      if (!keep[k]) continue;
      out[j++] = xy[2 * k];
      out[j++] = xy[2 * k + 1];
    }
    return out;
  }

  /** The tolerance at zoom ``z`` (zoom-0 units): under half a pixel of the tile. */
  function toleranceAt(z) { return 0.4 / Math.pow(2, z) / (window.devicePixelRatio || 1); }

  /** ``polygons`` (as _project makes them) with their rings simplified for zoom ``z``, once per zoom. */
  function polygonsAt(polygons, z) {
    if (!polygons._byZoom) polygons._byZoom = {};
    if (polygons._byZoom[z]) return polygons._byZoom[z];
    var tolerance = toleranceAt(z);
    var out = polygons.map(function (polygon) {
      return { rings: polygon.rings.map(function (xy) { return simplified(xy, tolerance); }),
        minX: polygon.minX, minY: polygon.minY, maxX: polygon.maxX, maxY: polygon.maxY };
    });
    polygons._byZoom[z] = out;
    return out;
  }

  L.TMBasemap = L.GridLayer.extend(L.extend({}, QueuedTiles, {
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
        if (self._map && self._map.getZoom() >= self.options.detailZoom) self._redrawInPlace();
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

    _draw: function (tile, coords, size, ratio) {
      var ctx = tile.getContext("2d");
      ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
      var scale = Math.pow(2, coords.z);
      var x0 = coords.x * size.x, y0 = coords.y * size.y, x1 = x0 + size.x, y1 = y0 + size.y;
      var polygons = polygonsAt(this._polygonsFor(coords.z), coords.z);
      ctx.beginPath();
      var any = false;
      for (var p = 0; p < polygons.length; p++) {
        if (!inTile(polygons[p], scale, x0, y0, x1, y1)) continue;
        any = true;
        traceRings(ctx, polygons[p], scale, x0, y0);
      }
      if (!any) return;
      ctx.fillStyle = this.options.land;
      ctx.fill("evenodd");
      if (!(this.options.borderWeight > 0)) return;  // a canvas ignores a line width of 0
      ctx.strokeStyle = this.options.border;
      ctx.lineWidth = this.options.borderWeight;
      ctx.stroke();
    },
  }));

  /*
   * L.TMBorders: the historical borders of one snapshot (resources/borders, TopoJSON) as canvas
   * tiles over a land-only basemap: each polity filled in a quiet colour that its neighbours do not
   * share, its borders stroked, the polity he is in outlined a little darker. ``showYear`` and
   * the tiles are drawn again in place, a few per frame; ``outlineOf`` gives the page a polity's
   * outline to draw over them (the one he is in).
   */
  /** Web Mercator at zoom 0 (256 px), as Leaflet's EPSG3857 projects, without an object per point. */
  function project(lat, lon) {
    var phi = Math.max(-85.0511, Math.min(85.0511, lat)) * Math.PI / 180;
    return { x: (lon + 180) / 360 * 256, y: (1 - Math.log(Math.tan(Math.PI / 4 + phi / 2)) / Math.PI) / 2 * 256 };
  }

  /** The distance, in degrees, from (lat, lon) to the edge from ``p`` to ``q`` ([lat, lon] each),
   * in a flat approximation with longitudes shrunk by ``stretch`` (as geodata.borders measures). */
  function edgeDegrees(p, q, lat, lon, stretch) {
    var ax = (p[1] - lon) * stretch, ay = p[0] - lat, bx = (q[1] - lon) * stretch, by = q[0] - lat;
    var dx = bx - ax, dy = by - ay, length = dx * dx + dy * dy;
    var share = length === 0 ? 0 : Math.max(0, Math.min(1, -(ax * dx + ay * dy) / length));
    return Math.hypot(ax + share * dx, ay + share * dy);
  }

  function unproject(x, y) {
    var lat = Math.atan(Math.sinh(Math.PI * (1 - 2 * y / 256))) * 180 / Math.PI;
    return [lat, x / 256 * 360 - 180];
  }

  var OUTLINE_ZOOM = 8;  // the zoom whose simplified rings outline the polity he is in

  L.TMBorders = L.GridLayer.extend(L.extend({}, QueuedTiles, {
    options: {
      palette: ["#e9dcc3", "#dfe6cf", "#e6d6d6", "#d9e1e8", "#ece3cb", "#e0d9e8"],
      nearKm: 0,         // see polityAt (the page gives geodata.borders.NEAR_KM)
      kmPerDegree: 111.32,
      fillOpacity: 0.85,
      stroke: "#8d8270",
      weight: 0.8,
      noWrap: true,
      bounds: L.latLngBounds([-85.06, -180], [85.06, 180]),
      keepBuffer: 1,
      updateWhenZooming: false,
    },

    initialize: function (topology, options) {
      L.setOptions(this, options);
      this._topology = topology;
      this.years = Object.keys(topology.objects).map(Number).sort(function (a, b) { return a - b; });
      this._arcs = null;
      this._snapshots = {};
      this._year = this.years[0];
      this._date = this.years[0];   // the year shown: a snapshot's names can change within it
      this._colours = null;         // the name in that year → its colour (one per polity)
      this._namesKey = "";
      this._named = {};           // year → namedIn(year)
      this._arcsByZoom = {};      // zoom → the arcs simplified for it (see ringsAt)
    },

    /** The snapshot in force in year ``y``: the latest not after it (the first before them all). */
    snapshotFor: function (y) {
      var chosen = this.years[0];
      for (var i = 0; i < this.years.length; i++) if (this.years[i] <= y) chosen = this.years[i];
      return chosen;
    },

    /**
     * Show the snapshot in force in year ``y``, under the names of ``y``; returns whether what is
     * drawn changed (another snapshot, or names that changed within it).
     */
    showYear: function (y) {
      var year = this.snapshotFor(y);
      var changed = year !== this._year;
      this._year = year;
      this._date = y;
      var named = this.namedIn(y);
      changed = changed || named.key !== this._namesKey;
      this._namesKey = named.key;
      this._colours = named.colours;
      if (changed) this._redrawInPlace();
      return changed;
    },

    /**
     * The polities of year ``y`` under their names then, once each, the largest part first:
     * {items, colours (name → colour), key (changes with the names)}; worked out once per year.
     */
    namedIn: function (y) {
      if (this._named[y]) return this._named[y];
      var self = this, snapshot = this.snapshotFor(y), colours = {}, names = [], items = [];
      this.polygons(snapshot).slice().sort(function (a, b) { return b.area - a.area; }).forEach(function (item) {
        if (!item.name) return;
        var name = self.nameIn(item, y);
        if (name in colours) return;
        colours[name] = item.colour;
        names.push(name);
        items.push({ item: item, name: name });
      });
      this._named[y] = { items: items, colours: colours, key: snapshot + ":" + names.join("|") };
      return this._named[y];
    },

    snapshot: function () { return this._year; },

    /**
     * Decode every snapshot and work out every year's names (``namedIn``) in idle moments, a
     * piece at a time, so that the first step into a snapshot or a year does not pay for it
     * (10–20 ms the first time each was shown). ``years`` are the years the dataset spans.
     */
    warm: function (years) {
      var self = this, jobs = [];
      this.years.forEach(function (year) { jobs.push(function () { self.polygons(year); }); });
      years.forEach(function (y) { jobs.push(function () { self.namedIn(y); }); });
      var idle = window.requestIdleCallback || function (fn) { return setTimeout(function () { fn({ timeRemaining: function () { return 5; } }); }, 50); };
      var step = function (deadline) {
        while (jobs.length && deadline.timeRemaining() > 2) jobs.shift()();
        if (jobs.length) idle(step);
      };
      idle(step);
    },

    /** Draw the tiles shown again (the detailed land has arrived). */
    repaint: function () { this._redrawInPlace(); },

    /** The outline (rings as [[lat, lon], …]) of the polity called ``name`` in the year shown. */
    outlineOf: function (name) {
      var self = this, out = [];
      if (!name) return out;
      this.polygons(this._year).forEach(function (item) {
        if (!item.name || self.nameIn(item, self._date) !== name) return;
        // as the tiles draw it at zoom 8 (within a pixel or two closer in): Leaflet projects every
        // point of the outline at each change of zoom, and an empire's full outline has thousands
        self.ringsAt(item, OUTLINE_ZOOM).rings.forEach(function (xy) {
          var ring = [];
          for (var i = 0; i < xy.length; i += 2) ring.push(unproject(xy[i], xy[i + 1]));
          out.push(ring);
        });
      });
      return out;
    },

    /** The polities of a snapshot: {name, names, colour, label, area, rings: [[x, y, …] at zoom 0], box}. */
    polygons: function (year) {
      if (this._snapshots[year]) return this._snapshots[year];
      var self = this, out = [];
      (this._topology.objects[String(year)].geometries || []).forEach(function (geometry) {
        var polygons = geometry.type === "MultiPolygon" ? geometry.arcs : [geometry.arcs];
        var p = geometry.properties;
        polygons.forEach(function (polygon) {
          var item = { name: p.name, names: p.names || [], colour: p.colour, label: p.label, area: p.area, rings: [],
            minX: Infinity, minY: Infinity, maxX: -Infinity, maxY: -Infinity };
          item.arcs = polygon;
          item.byZoom = {};
          polygon.forEach(function (ring) {
            var xy = self._ring(ring, self._arc);
            for (var q = 0; q < xy.length; q += 2) {
              if (xy[q] < item.minX) item.minX = xy[q];
              if (xy[q] > item.maxX) item.maxX = xy[q];
              if (xy[q + 1] < item.minY) item.minY = xy[q + 1];
              if (xy[q + 1] > item.maxY) item.maxY = xy[q + 1];
            }
            item.rings.push(xy);
          });
          out.push(item);
        });
      });
      this._snapshots[year] = out;
      return out;
    },

    /** A ring (its arcs' indexes, ~index for an arc walked backwards) as x, y, … from ``arcOf``. */
    _ring: function (indexes, arcOf) {
      var xy = [];
      for (var k = 0; k < indexes.length; k++) {
        var index = indexes[k], arc = arcOf.call(this, index >= 0 ? index : ~index), n = arc.length / 2;
        for (var j = k > 0 ? 1 : 0; j < n; j++) {  // an arc begins where the last one ended
          var at = index >= 0 ? j : n - 1 - j;
          xy.push(arc[2 * at], arc[2 * at + 1]);
        }
      }
      return Float64Array.from(xy);
    },

    /** A polity's rings simplified for zoom ``z``, arc by arc (neighbours share the result). */
    ringsAt: function (item, z) {
      if (item.byZoom[z]) return item.byZoom[z];
      var self = this;
      if (!this._arcsByZoom[z]) this._arcsByZoom[z] = new Array(this._topology.arcs.length);
      var done = this._arcsByZoom[z], tolerance = toleranceAt(z);
      var arcAt = function (index) {
        return done[index] || (done[index] = simplified(self._arc(index), tolerance));
      };
      item.byZoom[z] = { rings: item.arcs.map(function (ring) { return self._ring(ring, arcAt); }) };
      return item.byZoom[z];
    },

    /** An arc's points projected to zoom 0 (x, y, x, y, …), decoded from the quantized,
     * delta-encoded form the first time a snapshot that uses it is drawn. */
    _arc: function (index) {
      if (!this._arcs) this._arcs = new Array(this._topology.arcs.length);
      var done = this._arcs[index];
      if (done) return done;
      var t = this._topology.transform, sx = t.scale[0], sy = t.scale[1], ox = t.translate[0], oy = t.translate[1];
      var arc = this._topology.arcs[index], x = 0, y = 0, out = new Float64Array(arc.length * 2);
      for (var i = 0; i < arc.length; i++) {
        x += arc[i][0];
        y += arc[i][1];
        out[2 * i] = (x * sx + ox + 180) / 360 * 256;
        var lat = Math.max(-85.0511, Math.min(85.0511, y * sy + oy)) * Math.PI / 180;
        out[2 * i + 1] = (1 - Math.log(Math.tan(Math.PI / 4 + lat / 2)) / Math.PI) / 2 * 256;
      }
      this._arcs[index] = out;
      return out;
    },

    /** The name a polity had in year ``y`` (its names over the years the snapshot stands). */
    nameIn: function (polity, y) {
      for (var i = 0; i < polity.names.length; i++) {
        var entry = polity.names[i];
        if ((entry[1] === null || y >= entry[1]) && (entry[2] === null || y < entry[2])) return entry[0];
      }
      return polity.name;
    },

    /**
     * The polity (its object) that held (lat, lon) in the snapshot in force in year ``year`` (the
     * one shown if not given), by the rule of ``geodata.borders.Borders.polity_at``: the smallest
     * named polygon holding it; none if only an unnamed one does; else a named one whose outline
     * is within ``nearKm`` (the snapshots are coarse: a port or an island falls just outside its
     * country); else null.
     */
    polityAt: function (lat, lon, year) {
      var items = this.polygons(year === undefined ? this._year : this.snapshotFor(year));
      var p = project(lat, lon), found = null, unnamed = false;
      items.forEach(function (item) {
        if (p.x < item.minX || p.x > item.maxX || p.y < item.minY || p.y > item.maxY) return;
        var inside = false;
        item.rings.forEach(function (xy, r) {
          var hit = false;
          for (var i = 0, j = xy.length - 2; i < xy.length; j = i, i += 2) {
            if ((xy[i + 1] > p.y) !== (xy[j + 1] > p.y) && p.x < (xy[j] - xy[i]) * (p.y - xy[i + 1]) / (xy[j + 1] - xy[i + 1]) + xy[i]) hit = !hit;
          }
          if (r === 0) inside = hit; else if (hit) inside = false;
        });
        if (!inside) return;
        if (!item.name) unnamed = true;
        else if (!found || item.area < found.area) found = item;
      });
      if (found || unnamed || !(this.options.nearKm > 0)) return found;
      return this._nearest(items, lat, lon);
    },

    /** The named polity whose outline comes within ``nearKm`` of (lat, lon), the nearest; or null. */
    _nearest: function (items, lat, lon) {
      var o = this.options, reach = o.nearKm / o.kmPerDegree;
      var stretch = Math.max(0.2, Math.cos(lat * Math.PI / 180));
      // the reach as a box in the projected coordinates of the rings, to skip far edges quickly
      var a = project(lat + reach, lon - reach / stretch), b = project(lat - reach, lon + reach / stretch);
      var best = null, bestKm = Infinity;
      items.forEach(function (item) {
        if (!item.name || item.maxX < a.x || item.minX > b.x || item.maxY < a.y || item.minY > b.y) return;
        var xy = item.rings[0];
        for (var i = 0, j = xy.length - 2; i < xy.length; j = i, i += 2) {
          if (Math.max(xy[i], xy[j]) < a.x || Math.min(xy[i], xy[j]) > b.x ||
            Math.max(xy[i + 1], xy[j + 1]) < a.y || Math.min(xy[i + 1], xy[j + 1]) > b.y) continue;
          var km = o.kmPerDegree * edgeDegrees(unproject(xy[j], xy[j + 1]), unproject(xy[i], xy[i + 1]), lat, lon, stretch);
          if (km <= o.nearKm && km < bestKm) {
            bestKm = km;
            best = item;
          }
        }
      });
      return best;
    },

    _draw: function (tile, coords, size, ratio) {
      var ctx = tile.getContext("2d");
      ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
      var scale = Math.pow(2, coords.z), o = this.options;
      var x0 = coords.x * size.x, y0 = coords.y * size.y, x1 = x0 + size.x, y1 = y0 + size.y;
      var self = this;
      ctx.lineJoin = "round";
      var land = o.land;
      if (land) {  // the land first (today's coastlines; no borders of today), then the polities
        ctx.beginPath();
        polygonsAt(land._polygonsFor(coords.z), coords.z).forEach(function (polygon) {
          if (inTile(polygon, scale, x0, y0, x1, y1)) traceRings(ctx, polygon, scale, x0, y0);
        });
        ctx.fillStyle = land.options.land;
        ctx.fill("evenodd");
      }
      this.polygons(this._year).forEach(function (item) {
        if (!inTile(item, scale, x0, y0, x1, y1)) return;
        ctx.beginPath();
        traceRings(ctx, self.ringsAt(item, coords.z), scale, x0, y0);
        if (item.name) {
          var name = self.nameIn(item, self._date);
          var colour = self._colours && name in self._colours ? self._colours[name] : item.colour;
          ctx.globalAlpha = o.fillOpacity;
          ctx.fillStyle = o.palette[colour % o.palette.length];
          ctx.fill("evenodd");
          ctx.globalAlpha = 1;
        }
        ctx.strokeStyle = o.stroke;
        ctx.lineWidth = o.weight;
        ctx.stroke();
      });
    },
  }));
})();

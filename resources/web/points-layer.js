/*
 * L.TMPoints: every place of a dataset and the journey line on one canvas, drawn from typed arrays.
 *
 * Leaflet's vector layers cost one object, one event target and one piece of redraw bookkeeping per
 * marker; at 10,000 places a slider step spent most of its time there. This layer keeps each place's
 * Web-Mercator position at zoom 0 in Float64Arrays, draws each style as one canvas path, and answers
 * hover and click hit tests by scanning the points it drew last (topmost first).
 *
 * The caller owns ``status`` (an Int8Array of the protocol's status codes, given to the layer as
 * options.past and options.active; any other code is not drawn), tells the layer the day
 * with setDay() and calls redraw() after changing them; the layer redraws by itself after every
 * pan, zoom or resize. Events fired on the layer: "tmhover" {index} (-1 when the pointer leaves all
 * points) and "tmclick" {index, indexes: every place under the click, latlng}.
 *
 * Past points of a large dataset are drawn from a cache. Copying a sprite costs ~4 µs in a
 * software-rendered page, so redrawing 7,000 past points made every step of a 10,000-place dataset
 * take 30 ms, although a step changes only a few hundred of them. The places reached before day d
 * are a prefix of one fixed order (by first arrival), so the cache is a bitmap of that prefix: a
 * step forward draws the places first reached in the days between, a step back restores a kept
 * snapshot and draws forward from it. The bitmap also holds this day's active places that were
 * reached before; their opaque active marker, drawn above, covers them, so the picture is the same
 * as drawing the past points one by one (a test compares the two).
 */
(function () {
  "use strict";

  L.TMPoints = L.Layer.extend({
    options: {
      pane: "tm-markers",
      padding: 0.1,
      hitSlop: 3,
      maxPathLegs: 400,
      boldLegs: 60,
      cacheFrom: 2000,     // past points drawn from the cache when there are at least this many
      snapshots: 10,       // at most this many snapshots of the cache (each one canvas)
      snapshotEvery: 1000, // sprites between two snapshots, at least
    },

    /**
     * ``lats``, ``lons``: positions; ``areas``: 1 for regions and countries; ``firstDays``: the
     * day (day number) each place is first reached (a large number if never); ``status``: see above.
     */
    initialize: function (lats, lons, areas, firstDays, status, styles, options) {
      L.setOptions(this, options);
      this._past = this.options.past;
      this._active = this.options.active;
      var n = lats.length;
      this._n = n;
      this._mx = new Float64Array(n);
      this._my = new Float64Array(n);
      for (var i = 0; i < n; i++) {
        var p = L.CRS.EPSG3857.latLngToPoint(L.latLng(lats[i], lons[i]), 0);
        this._mx[i] = p.x;
        this._my[i] = p.y;
      }
      this._areas = areas;
      this._status = status;
      this._styles = styles;
      this._sprites = {};
      this._sx = new Float32Array(n);
      this._sy = new Float32Array(n);
      this._drawn = new Int32Array(n);
      this._drawnCount = 0;
      this._path = new Int32Array(0);
      this._pathLength = 0;
      this._hover = -1;
      this._day = -Infinity;
      // Points (not areas) in the order they are first reached, ties by index: past points are
      // always drawn in this order, with or without the cache.
      var order = [];
      for (var j = 0; j < n; j++) if (!areas[j]) order.push(j);
      order.sort(function (a, b) { return firstDays[a] - firstDays[b] || a - b; });
      this._order = Int32Array.from(order);
      this._orderDays = Int32Array.from(order.map(function (j) { return firstDays[j]; }));
      this._useCache = order.length >= this.options.cacheFrom;
      this._cache = null;
    },

    /** The day shown (a day number): points first reached before it are past (or active). */
    setDay: function (day) {
      this._day = day;
    },

    /** Draw the past points one by one (false) or from the cache (true); for tests and benchmarks. */
    useCache: function (on, options) {
      L.setOptions(this, options || {});
      this._useCache = !!on;
      if (this._cache) this._recycle(this._cache);
      this._cache = null;
      return this;
    },

    /** The journey as place indices in order; the first ``length`` of them are drawn. */
    setPath: function (indices, length) {
      this._path = indices;
      this._pathLength = length;
    },

    setPathLength: function (length) {
      this._pathLength = length;
    },

    onAdd: function (map) {
      this._canvas = L.DomUtil.create("canvas", "leaflet-zoom-hide tm-points");
      this._canvas.style.pointerEvents = "none";
      this._ctx = this._canvas.getContext("2d");
      this.getPane().appendChild(this._canvas);
      map.on("moveend zoomend resize viewreset", this._reset, this);
      map.on("mousemove", this._onMouseMove, this);
      map.on("mouseout", this._onMouseOut, this);
      map.on("click", this._onClick, this);
      this._reset();
    },

    onRemove: function (map) {
      map.off("moveend zoomend resize viewreset", this._reset, this);
      map.off("mousemove", this._onMouseMove, this);
      map.off("mouseout", this._onMouseOut, this);
      map.off("click", this._onClick, this);
      L.DomUtil.remove(this._canvas);
    },

    _reset: function () {
      var map = this._map, size = map.getSize(), pad = this.options.padding;
      var min = map.containerPointToLayerPoint(size.multiplyBy(-pad)).round();
      this._origin = min;
      this._width = Math.round(size.x * (1 + 2 * pad));
      this._height = Math.round(size.y * (1 + 2 * pad));
      var ratio = window.devicePixelRatio || 1;
      L.DomUtil.setPosition(this._canvas, min);
      this._canvas.width = this._width * ratio;
      this._canvas.height = this._height * ratio;
      this._canvas.style.width = this._width + "px";
      this._canvas.style.height = this._height + "px";
      this._ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
      this.redraw();
    },

    /** Draw everything again from the current status, path length and view. */
    redraw: function () {
      if (!this._map) return this;
      var ctx = this._ctx, map = this._map;
      var scale = Math.pow(2, map.getZoom());
      var pixelOrigin = map.getPixelOrigin();
      var ox = pixelOrigin.x + this._origin.x, oy = pixelOrigin.y + this._origin.y;
      var mx = this._mx, my = this._my, sx = this._sx, sy = this._sy, n = this._n;
      for (var i = 0; i < n; i++) {
        sx[i] = mx[i] * scale - ox;
        sy[i] = my[i] * scale - oy;
      }
      ctx.clearRect(0, 0, this._width, this._height);
      this._drawPath(ctx);
      this._drawnCount = 0;
      this._drawGroup(ctx, this._past, 1, this._styles.pastArea);
      this._drawPastPoints(ctx, this._styles.pastPoint, [ox, oy, scale, this._canvas.width, this._canvas.height].join());
      this._drawGroup(ctx, this._active, 1, this._styles.activeArea);
      this._drawGroup(ctx, this._active, 0, this._styles.activePoint);
      return this;
    },

    _drawPath: function (ctx) {
      var count = this._pathLength;
      if (count < 2) return;
      // One life has tens of legs; a dataset with many thousands draws its latest ones only, and
      // all but the newest ``boldLegs`` one pixel wide.
      var first = Math.max(0, count - this.options.maxPathLegs);
      var bold = Math.max(first, count - 1 - this.options.boldLegs);
      var style = this._styles.path;
      ctx.beginPath();
      this._addLegs(ctx, first, bold + 1, 0);
      this._addLegs(ctx, bold, count, (style.weight - 1) / 2);
      ctx.strokeStyle = style.color;
      ctx.globalAlpha = style.opacity;
      ctx.lineWidth = 1;
      ctx.setLineDash([]);
      ctx.stroke();
      ctx.globalAlpha = 1;
    },

    /**
     * Add the journey's legs from its ``from``-th to its ``to``-th point (exclusive) to the current
     * path as one-pixel lines: one line per leg when ``offset`` is 0, else two, ``offset`` pixels to
     * either side, which look like one line ``2 × offset + 1`` pixels wide. The canvas draws
     * one-pixel lines on a fast path; a wider stroke goes through the general path filler, and 60
     * long legs made the next frame ~3 ms later (10 ms for 400).
     */
    _addLegs: function (ctx, from, to, offset) {
      var path = this._path, sx = this._sx, sy = this._sy;
      var lastX = sx[path[from]], lastY = sy[path[from]];
      for (var k = from + 1; k < to; k++) {
        var x = sx[path[k]], y = sy[path[k]], dx = x - lastX, dy = y - lastY;
        var length = Math.sqrt(dx * dx + dy * dy);
        // Legs shorter than a pixel add nothing visible but cost as much as long ones.
        if (length < 1) continue;
        if (offset) {
          var nx = -dy / length * offset, ny = dx / length * offset;
          ctx.moveTo(lastX + nx, lastY + ny);
          ctx.lineTo(x + nx, y + ny);
          ctx.moveTo(lastX - nx, lastY - ny);
          ctx.lineTo(x - nx, y - ny);
        } else {
          ctx.moveTo(lastX, lastY);
          ctx.lineTo(x, y);
        }
        lastX = x;
        lastY = y;
      }
    },

    /**
     * A style's circle drawn once on a small canvas; copying it per place is much cheaper than
     * filling and stroking thousands of arcs (the page renders in software when there is no GPU).
     */
    _sprite: function (style) {
      var key = JSON.stringify(style);
      var sprite = this._sprites[key];
      if (sprite) return sprite;
      var ratio = window.devicePixelRatio || 1;
      var half = Math.ceil(style.radius + style.weight) + 1;
      var canvas = document.createElement("canvas");
      canvas.width = canvas.height = 2 * half * ratio;
      var ctx = canvas.getContext("2d");
      ctx.scale(ratio, ratio);
      ctx.beginPath();
      ctx.arc(half, half, style.radius, 0, 2 * Math.PI);
      ctx.setLineDash(style.dashArray ? style.dashArray.split(" ").map(Number) : []);
      ctx.globalAlpha = style.fillOpacity;
      ctx.fillStyle = style.fillColor;
      ctx.fill();
      ctx.globalAlpha = style.opacity;
      ctx.strokeStyle = style.color;
      ctx.lineWidth = style.weight;
      ctx.stroke();
      sprite = { canvas: canvas, half: half };
      this._sprites[key] = sprite;
      return sprite;
    },

    /** Points past on this day, in the order first reached, from the cache or one by one. */
    _drawPastPoints: function (ctx, style, viewKey) {
      var order = this._order, status = this._status, sx = this._sx, sy = this._sy;
      var r = style.radius, w = this._width + r, h = this._height + r, drawn = this._drawn;
      var count = this._prefix(this._day);
      var sprite = this._useCache ? null : this._sprite(style);
      for (var k = 0; k < count; k++) {
        var i = order[k];
        if (status[i] !== this._past) continue;
        var x = sx[i], y = sy[i];
        if (x < -r || y < -r || x > w || y > h) continue;
        if (sprite) ctx.drawImage(sprite.canvas, Math.round(x) - sprite.half, Math.round(y) - sprite.half, 2 * sprite.half, 2 * sprite.half);
        drawn[this._drawnCount++] = i;
      }
      if (!sprite) {
        var cache = this._cached(viewKey, count, style);
        ctx.save();
        ctx.setTransform(1, 0, 0, 1, 0, 0);
        ctx.drawImage(cache.canvas, 0, 0);
        ctx.restore();
      }
    },

    /** How many places of the first-reached order were reached before ``day``. */
    _prefix: function (day) {
      var days = this._orderDays, low = 0, high = days.length;
      while (low < high) {
        var mid = (low + high) >> 1;
        if (days[mid] < day) low = mid + 1;
        else high = mid;
      }
      return low;
    },

    /**
     * The cache canvas holding the first ``count`` points of the order, for this view. A new view
     * starts it afresh; fewer points than it holds restore the last snapshot at or below
     * ``count``; then the missing points are drawn. Snapshots (one every ``step`` points) are taken
     * once the view has stayed the same for two draws: while "follow" moves the map every step
     * they would only cost time.
     */
    _cached: function (viewKey, count, style) {
      var cache = this._cache, canvas = this._canvas;
      if (cache && cache.key === viewKey) {
        cache.stable = true;
      } else {
        if (cache) this._recycle(cache);
        var step = Math.max(this.options.snapshotEvery, Math.ceil(this._order.length / this.options.snapshots));
        cache = this._cache = { key: viewKey, canvas: this._blankCanvas(), count: 0, snapshots: [], step: step, stable: false };
      }
      var ctx = cache.canvas.getContext("2d");
      if (count < cache.count) {
        var base = null;
        cache.snapshots.forEach(function (snapshot) { if (snapshot.count <= count) base = snapshot; });
        ctx.setTransform(1, 0, 0, 1, 0, 0);
        ctx.clearRect(0, 0, canvas.width, canvas.height);
        if (base) ctx.drawImage(base.canvas, 0, 0);
        cache.count = base ? base.count : 0;
      }
      if (count === cache.count) return cache;
      var ratio = window.devicePixelRatio || 1;
      ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
      var order = this._order, sx = this._sx, sy = this._sy, step = cache.step;
      var sprite = this._sprite(style), image = sprite.canvas, half = sprite.half, size = 2 * half;
      var r = style.radius, w = this._width + r, h = this._height + r;
      for (var k = cache.count; k < count; k++) {
        var i = order[k], x = sx[i], y = sy[i];
        if (!(x < -r || y < -r || x > w || y > h)) ctx.drawImage(image, Math.round(x) - half, Math.round(y) - half, size, size);
        if (cache.stable && (k + 1) % step === 0 && (k + 1) / step > cache.snapshots.length) {
          var snapshot = this._blankCanvas();
          snapshot.getContext("2d").drawImage(cache.canvas, 0, 0);
          cache.snapshots.push({ count: k + 1, canvas: snapshot });
        }
      }
      cache.count = count;
      return cache;
    },

    /** A cleared canvas the size of the layer's, from the pool of an earlier view's cache if any. */
    _blankCanvas: function () {
      var pool = this._pool || (this._pool = []);
      var width = this._canvas.width, height = this._canvas.height;
      while (pool.length) {
        var canvas = pool.pop();
        if (canvas.width === width && canvas.height === height) {
          var ctx = canvas.getContext("2d");
          ctx.setTransform(1, 0, 0, 1, 0, 0);
          ctx.clearRect(0, 0, width, height);
          return canvas;
        }
      }
      canvas = document.createElement("canvas");
      canvas.width = width;
      canvas.height = height;
      return canvas;
    },

    _recycle: function (cache) {
      var pool = this._pool || (this._pool = []);
      pool.push(cache.canvas);
      cache.snapshots.forEach(function (snapshot) { pool.push(snapshot.canvas); });
    },

    _drawGroup: function (ctx, state, area, style) {
      var status = this._status, areas = this._areas, sx = this._sx, sy = this._sy, n = this._n;
      var r = style.radius, w = this._width + r, h = this._height + r, drawn = this._drawn;
      var sprite = this._sprite(style), image = sprite.canvas, half = sprite.half, size = 2 * half;
      for (var i = 0; i < n; i++) {
        if (status[i] !== state || areas[i] !== area) continue;
        var x = sx[i], y = sy[i];
        if (x < -r || y < -r || x > w || y > h) continue;
        ctx.drawImage(image, Math.round(x) - half, Math.round(y) - half, size, size);
        drawn[this._drawnCount++] = i;
      }
    },

    /** The topmost drawn place under a container point, or -1. */
    hitTest: function (containerPoint) {
      if (!this._map) return -1;
      var layerPoint = this._map.containerPointToLayerPoint(containerPoint);
      var x = layerPoint.x - this._origin.x, y = layerPoint.y - this._origin.y;
      var slop = this.options.hitSlop;
      for (var k = this._drawnCount - 1; k >= 0; k--) {
        var i = this._drawn[k];
        var style = this._status[i] === this._active
          ? (this._areas[i] ? this._styles.activeArea : this._styles.activePoint)
          : (this._areas[i] ? this._styles.pastArea : this._styles.pastPoint);
        var r = style.radius + slop, dx = this._sx[i] - x, dy = this._sy[i] - y;
        if (dx * dx + dy * dy <= r * r) return i;
      }
      return -1;
    },

    /**
     * Every drawn place under a container point, topmost first: points before areas (an area's
     * circle is wide; a click on a point inside it means the point), each place once.
     */
    hitTestAll: function (containerPoint) {
      if (!this._map) return [];
      var layerPoint = this._map.containerPointToLayerPoint(containerPoint);
      var x = layerPoint.x - this._origin.x, y = layerPoint.y - this._origin.y;
      var slop = this.options.hitSlop, pointsHit = [], areasHit = [], seen = {};
      for (var k = this._drawnCount - 1; k >= 0; k--) {
        var i = this._drawn[k];
        if (seen[i]) continue;
        var style = this._status[i] === this._active
          ? (this._areas[i] ? this._styles.activeArea : this._styles.activePoint)
          : (this._areas[i] ? this._styles.pastArea : this._styles.pastPoint);
        var r = style.radius + slop, dx = this._sx[i] - x, dy = this._sy[i] - y;
        if (dx * dx + dy * dy <= r * r) {
          seen[i] = true;
          (this._areas[i] ? areasHit : pointsHit).push(i);
        }
      }
      return pointsHit.length ? pointsHit : areasHit;
    },

    _onMouseMove: function (event) {
      var index = this.hitTest(event.containerPoint);
      if (index === this._hover) return;
      this._hover = index;
      this._map.getContainer().style.cursor = index >= 0 ? "pointer" : "";
      this.fire("tmhover", { index: index });
    },

    _onMouseOut: function () {
      if (this._hover === -1) return;
      this._hover = -1;
      this._map.getContainer().style.cursor = "";
      this.fire("tmhover", { index: -1 });
    },

    _onClick: function (event) {
      var all = this.hitTestAll(event.containerPoint);
      if (all.length) this.fire("tmclick", { index: all[0], indexes: all, latlng: event.latlng });
    },
  });
})();

/*
 * L.TMPoints: every place of a dataset and the journey line on one canvas, drawn from typed arrays.
 *
 * Leaflet's vector layers cost one object, one event target and one piece of redraw bookkeeping per
 * marker; at 10,000 places a slider step spent most of its time there. This layer keeps each place's
 * Web-Mercator position at zoom 0 in Float64Arrays, draws each style as one canvas path, and answers
 * hover and click hit tests by scanning the points it drew last (topmost first).
 *
 * The caller owns ``status`` (an Int8Array: 0 hidden, 1 past, 2 active) and calls redraw() after
 * changing it; the layer redraws by itself after every pan, zoom or resize. Events fired on the
 * layer: "tmhover" {index} (-1 when the pointer leaves all points) and "tmclick" {index}.
 */
(function () {
  "use strict";

  var HIDDEN = 0, PAST = 1, ACTIVE = 2;

  L.TMPoints = L.Layer.extend({
    options: { pane: "tm-markers", padding: 0.1, hitSlop: 3, maxPathLegs: 400 },

    initialize: function (lats, lons, areas, status, styles, options) {
      L.setOptions(this, options);
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
      this._drawGroup(ctx, PAST, 1, this._styles.pastArea);
      this._drawGroup(ctx, PAST, 0, this._styles.pastPoint);
      this._drawGroup(ctx, ACTIVE, 1, this._styles.activeArea);
      this._drawGroup(ctx, ACTIVE, 0, this._styles.activePoint);
      return this;
    },

    _drawPath: function (ctx) {
      var count = this._pathLength, path = this._path, sx = this._sx, sy = this._sy;
      if (count < 2) return;
      var style = this._styles.path;
      // One life has tens or hundreds of legs; a dataset with many thousands draws its latest
      // ones only, as thousands of long strokes would take a second to rasterise.
      var first = Math.max(0, count - this.options.maxPathLegs);
      ctx.beginPath();
      var lastX = sx[path[first]], lastY = sy[path[first]];
      ctx.moveTo(lastX, lastY);
      for (var k = first + 1; k < count; k++) {
        var x = sx[path[k]], y = sy[path[k]];
        // Segments shorter than a pixel add nothing visible but cost as much as long ones.
        if (Math.abs(x - lastX) + Math.abs(y - lastY) < 1 && k < count - 1) continue;
        ctx.lineTo(x, y);
        lastX = x;
        lastY = y;
      }
      ctx.strokeStyle = style.color;
      ctx.globalAlpha = style.opacity;
      ctx.lineWidth = style.weight;
      ctx.lineJoin = "round";
      ctx.setLineDash([]);
      ctx.stroke();
      ctx.globalAlpha = 1;
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
        var style = this._status[i] === ACTIVE
          ? (this._areas[i] ? this._styles.activeArea : this._styles.activePoint)
          : (this._areas[i] ? this._styles.pastArea : this._styles.pastPoint);
        var r = style.radius + slop, dx = this._sx[i] - x, dy = this._sy[i] - y;
        if (dx * dx + dy * dy <= r * r) return i;
      }
      return -1;
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
      var index = this.hitTest(event.containerPoint);
      if (index >= 0) this.fire("tmclick", { index: index });
    },
  });
})();

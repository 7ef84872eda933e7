/*
 * The map page's own logic. Python renders the page once (folium) and then drives it only through
 * the functions on window.TrotskyMap (setDay, select, describe, …). The dataset arrives as data (one
 * JSON document), never as generated code, and every text shown is set through textContent — except
 * the exported page's popups, whose HTML Python made from escaped text (app/page/place_html.py).
 *
 * Every name shared with Python (bridge slots, the channel, the data document's keys, status codes,
 * colours) comes from config.protocol (app/page/protocol.py), never from a copy kept here.
 */
(function () {
  "use strict";

  var P = null;             // config.protocol: the names shared with Python
  var STYLE = null;         // P.style
  var FUTURE = 0, PAST = 0, ACTIVE = 0;  // P.status, set by start

  var TM = {};
  window.TrotskyMap = TM;

  var unloading = false;
  window.addEventListener("pagehide", function () { unloading = true; });
  window.addEventListener("beforeunload", function () { unloading = true; });

  var map = null;
  var data = null;
  var bridge = null;
  var places = [];          // one small object per place, built from the data's columns
  var stayDays = null;      // Int32Array: first, last day (day numbers) of every stay, place by place
  var stayOffsets = null;   // Int32Array: where each place's stays begin in stayDays
  var journeyStarts = null; // Int32Array: each journey leg's first day, in journey order (sorted)
  var journeyEnds = null;   // Int32Array: each journey leg's last day
  var status = null;        // Int8Array: FUTURE / PAST / ACTIVE per place
  var points = null;         // L.TMPoints: all places and the journey line on one canvas
  var crossings = [];       // {from, to, first, last, line (L.Polyline), state}: time on the move
  var crossingIndex = -1;   // the crossing the day shown is on (-1: none)
  var currentRing = null;
  var selectedRing = null;
  var hoverTooltip = null;
  var pointedIndex = -1;    // the place another view points at (TM.point)
  var detailSettled = false; // the detailed land is in, or could not be (TM.complete)
  var bordersFailed = false; // the borders of the date could not be read (TM.complete)
  var day = null;           // the day shown (a day number)
  var year = null;          // its year (names over time are by year)
  var pathLength = 0;       // journey legs begun by the day shown
  var dayFrom = null;       // the first day that counts as shown (the exported page: 1 January)
  var currentIndex = -1;
  var selectedIndex = -1;
  var yearControl = null;
  var follow = true;
  var framed = null;        // L.LatLngBounds of the year's places (and current place), for follow
  var legend = null;        // L.Control: what the marks and lines mean
  var baseLayers = {};      // P.baseLayers key → Leaflet layer
  var borders = null;       // L.TMBorders: the historical borders (once their file has arrived)
  var bordersControl = null; // "Borders: 1914 · approximate", shown with the historical layer
  var polityPane = null;    // the polities' names (and the reference towns' at city zoom)
  var towns = null;         // [name, lat, lon, population], largest first, once loaded
  var loadTowns = null;     // fetches them the first time the map is zoomed in far enough
  var TOWNS_FROM_ZOOM = 6;
  var polityCache = {};     // place index + "@" + year → polity name ("" when none)
  var emphasisRenderer = null;
  // the view is being moved by code that lays the labels out itself afterwards (a film's camera,
  // a date change following him): the move's own zoomend and moveend leave them alone
  var movingCamera = false;
  var labelPane = null;
  var MAX_LABELS = 40;

  function textElement(text, className) {
    var span = document.createElement("span");
    if (className) span.className = className;
    span.textContent = String(text);
    return span;
  }

  function loadJson(elementId, url) {
    var element = elementId ? document.getElementById(elementId) : null;
    if (element) return Promise.resolve(JSON.parse(element.textContent));
    return fetch(url).then(function (response) {
      if (!response.ok) throw new Error("cannot load " + url + " (" + response.status + ")");
      return response.json();
    });
  }

  /** The exported page's step: the whole year ``y``, as it stood at its end. */
  function applyYear(y) {
    applyDay(lastDayOf(y), dayOf(y, 0, 1));
  }

  function connectBridge() {
    if (typeof QWebChannel === "undefined" || !window.qt || !qt.webChannelTransport) {
      return Promise.resolve(null);
    }
    return new Promise(function (resolve) {
      new QWebChannel(qt.webChannelTransport, function (channel) {
        resolve(channel.objects[P.channel] || null);
      });
    });
  }

  function nameIn(place, y) {
    var names = place.names;
    for (var i = 0; i < names.length; i++) {
      var from = names[i][1], to = names[i][2];
      if ((from === null || y >= from) && (to === null || y < to)) return names[i][0];
    }
    return place.name;
  }

  /**
   * A place's status on day ``d``: a stay covers it (active), one had begun (past), or neither.
   * With ``from`` (the exported page, which moves by years), a stay covering any day from ``from``
   * to ``d`` makes the place active.
   */
  function statusOf(index, d, from) {
    var started = false;
    if (from === undefined) from = d;
    for (var k = stayOffsets[index], end = stayOffsets[index + 1]; k < end; k += 2) {
      if (stayDays[k] <= d && from <= stayDays[k + 1]) return ACTIVE;
      if (stayDays[k] <= d) started = true;
    }
    return started ? PAST : FUTURE;
  }

  /** The year of a day number (JavaScript dates reach back past year 1, before 1970 too). */
  function yearOfDay(d) {
    return new Date((d - P.epochDay) * 86400000).getUTCFullYear();
  }

  /** The day number of a date (setUTCFullYear: Date.UTC reads years 0–99 as 19xx). */
  function dayOf(y, month0, dayOfMonth) {
    var date = new Date(0);
    date.setUTCFullYear(y, month0, dayOfMonth);
    return Math.round(date.getTime() / 86400000) + P.epochDay;
  }

  function lastDayOf(y) { return dayOf(y, 11, 31); }

  /** How many journey legs had begun by day ``d`` (the path drawn): a binary search. */
  function legsBegunBy(d) {
    var low = 0, high = journeyStarts.length;
    while (low < high) {
      var mid = (low + high) >>> 1;
      if (journeyStarts[mid] <= d) low = mid + 1; else high = mid;
    }
    return low;
  }

  /**
   * Where he was on day ``d`` among the first ``begun`` legs: the most specific stay covering it
   * (the shortest, then the later), else the place of the last leg begun (geodata.queries.current_on).
   */
  function currentLegOn(d, begun) {
    var best = -1, span = Infinity;
    for (var j = 0; j < begun; j++) {
      if (journeyEnds[j] >= d && journeyEnds[j] - journeyStarts[j] <= span) {
        span = journeyEnds[j] - journeyStarts[j];
        best = j;
      }
    }
    if (best < 0) {
      if (crossingOn(d, d) >= 0) return -1;  // at sea: at neither end
      best = begun - 1;
    }
    return best;
  }

  /** The place of :func:`currentLegOn` (-1: none). */
  function currentOn(d, begun) {
    var leg = currentLegOn(d, begun);
    return leg >= 0 ? data.journey[leg] : -1;
  }

  /** The crossing that covers a day from ``from`` to ``d``, the one begun last (-1: none): geodata.queries.crossing_on. */
  function crossingOn(d, from) {
    var best = -1;
    for (var c = 0; c < crossings.length; c++) {
      var item = crossings[c];
      if (item.first <= d && from <= item.last && (best < 0 || item.first >= crossings[best].first)) best = c;
    }
    return best;
  }

  /** Draw each crossing as the leg between its two places, once; ``applyDay`` styles them. */
  function drawCrossings() {
    map.createPane("tm-crossings").style.zIndex = 415;
    // SVG, as every overlay of few shapes: a canvas costs a copy of its pixels on every frame
    // the page draws (see paintTile in basemap-layer.js); an SVG path only when it changes
    var renderer = L.svg({ pane: "tm-crossings", padding: 0.5 });
    crossings = data.crossings.map(function (raw) {
      var from = places[raw[0]], to = places[raw[1]];
      var line = L.polyline([[from.lat, from.lon], [to.lat, to.lon]], Object.assign({ renderer: renderer, pane: "tm-crossings" }, STYLE.crossing));
      line.bindTooltip(textElement(raw[4]), { sticky: true, className: "tm-hover-label" });
      return { from: raw[0], to: raw[1], first: raw[2], last: raw[3], label: raw[4], line: line, state: FUTURE };
    });
  }

  /** Show the crossings begun by day ``d``: bold the one he is on (any day from ``from`` to ``d``). */
  function styleCrossings(d, from) {
    crossingIndex = crossingOn(d, from);
    crossings.forEach(function (item) {
      var next = item.first > d ? FUTURE : (from <= item.last ? ACTIVE : PAST);
      if (next === item.state) return;
      item.state = next;
      if (next === FUTURE) {
        map.removeLayer(item.line);
        return;
      }
      item.line.setStyle(next === ACTIVE ? STYLE.crossingActive : STYLE.crossing);
      if (!map.hasLayer(item.line)) item.line.addTo(map);
    });
  }

  /** The data document under the page's own names; the only code that reads its keys. */
  function readPayload(raw) {
    var K = P.keys;
    return {
      title: raw[K.TITLE],
      bounds: raw[K.BOUNDS],
      ids: raw[K.IDS],
      names: raw[K.NAMES],
      lat: raw[K.LAT],
      lon: raw[K.LON],
      area: raw[K.AREA],
      stayOffsets: raw[K.STAY_OFFSETS],
      stayDays: raw[K.STAY_DAYS],
      dayBounds: raw[K.DAY_BOUNDS],
      journeyStarts: raw[K.JOURNEY_STARTS],
      journeyEnds: raw[K.JOURNEY_ENDS],
      journeyUncertain: raw[K.JOURNEY_UNCERTAIN],
      datedNames: raw[K.DATED_NAMES],
      journey: raw[K.JOURNEY],
      fit: raw[K.FIT],
      details: raw[K.DETAILS],
      crossings: raw[K.CROSSINGS] || [],
    };
  }

  /** Call a slot of the Python bridge by its protocol name (no-op outside the app). */
  function callBridge(slot) {
    if (!bridge) return;
    var args = Array.prototype.slice.call(arguments, 1);
    bridge[P.slots[slot]].apply(bridge, args);
  }

  /** The page's view of the data's columns: one object per place for names and positions. */
  function buildPlaces() {
    var n = data.ids.length, out = new Array(n);
    for (var i = 0; i < n; i++) {
      out[i] = {
        id: data.ids[i],
        name: data.names[i],
        lat: data.lat[i],
        lon: data.lon[i],
        area: data.area[i] === 1,
        names: data.datedNames[i] || [],
        details: data.details ? data.details[i] : null,
      };
    }
    stayDays = Int32Array.from(data.stayDays);
    journeyStarts = Int32Array.from(data.journeyStarts);
    journeyEnds = Int32Array.from(data.journeyEnds);
    stayOffsets = Int32Array.from(data.stayOffsets);
    return out;
  }

  /** The smallest town named at ``zoom``: none far out, a million at 6, fifty thousand from 10. */
  function townsFrom(zoom) {
    if (zoom < TOWNS_FROM_ZOOM) return Infinity;
    return [1000000, 500000, 200000, 100000][Math.floor(zoom) - TOWNS_FROM_ZOOM] || 50000;
  }

  function drawBasemap(coarse, loadDetail, loadBorders) {
    map.createPane("tm-basemap").style.zIndex = 200;
    map.createPane("tm-borders").style.zIndex = 210;
    emphasisRenderer = L.svg({ pane: "tm-borders", padding: 0.3 });  // SVG: see drawCrossings
    polityPane = map.createPane("tm-polities");
    polityPane.style.zIndex = 400;
    var detail = null;  // both land layers share one fetch of the detailed basemap
    var loadDetailOnce = function () { return detail || (detail = loadDetail()); };
    var offline = new L.TMBasemap(coarse, loadDetailOnce, { pane: "tm-basemap", attribution: P.layerCredits.offline });
    // the historical layer: land without today's borders, the borders of the date over it
    var land = new L.TMBasemap(coarse, loadDetailOnce, { pane: "tm-basemap", borderWeight: 0, attribution: P.layerCredits.historical });
    var historical = L.layerGroup([land]);
    historical.land = land;
    var layers = {};
    baseLayers.historical = historical;
    baseLayers.offline = offline;
    layers[P.baseLayers.historical] = historical;
    layers[P.baseLayers.offline] = offline;
    historical.addTo(map);
    land.whenDetailReady().then(function () { detailSettled = true; });
    loadBorders().then(function (topology) {
      // one tile layer draws the land and the borders (two layers doubled every tile's cost)
      borders = new L.TMBorders(topology, {
        pane: "tm-basemap", palette: STYLE.borders.palette, land: land, attribution: P.layerCredits.historical,
        nearKm: P.bordersNear.km, kmPerDegree: P.bordersNear.kmPerDegree,
      });
      historical.addLayer(borders);
      historical.removeLayer(land);
      land.whenDetailReady().then(function () { borders.repaint(); });
      warmBorders();
      if (year !== null) {
        showBordersOf(year);
        if (labelPane) placeLabels();  // the polities' names, now that there are polities
      }
    }).catch(function (error) {
      if (unloading) return;
      bordersFailed = true;
      console.warn("The historical borders could not be loaded: " + (error && error.message ? error.message : error));
      showNotice("The historical borders could not be loaded, so the map shows today's borders.");
      TM.setLayer("offline");
    });
    if (P.onlineTiles) {
      baseLayers.online = L.tileLayer(P.onlineTiles.url, {
        attribution: P.onlineTiles.attribution,
        maxZoom: 18,
      });
      layers[P.baseLayers.online] = baseLayers.online;
      // With no network the tiles fail one by one and the map stays blank: say so, and offer the way back.
      var tilesNotice = null;
      var hideTilesNotice = function () {
        if (tilesNotice && tilesNotice.parentNode) tilesNotice.parentNode.removeChild(tilesNotice);
        tilesNotice = null;
      };
      baseLayers.online.on("tileerror", function () {
        if (tilesNotice || !map.hasLayer(baseLayers.online)) return;
        tilesNotice = showNotice(
          "The OpenStreetMap tiles cannot be loaded (no network, or the server refused them), so this layer is blank.",
          "Back to the offline map",
          function () { hideTilesNotice(); TM.setLayer("historical"); }
        );
        tilesNotice.classList.add("tm-tiles-notice");
      });
      baseLayers.online.on("tileload", hideTilesNotice);
      baseLayers.online.on("remove", hideTilesNotice);
    }
    L.control.layers(layers, null, { collapsed: true, position: "topright" }).addTo(map);
    map.on("baselayerchange", function (event) {
      for (var key in baseLayers) {
        if (baseLayers[key] === event.layer) callBridge("LAYER_CHOSEN", key);
      }
      updateBordersControl();
      if (year !== null) showBordersOf(year);
      placePolityLabels();
    });
    bordersControl = makeBordersControl().addTo(map);
    // A scale bar wide enough for its text at every zoom ("500 km" ran past a 50 px bar).
    L.control.scale({ maxWidth: 160, position: "bottomleft" }).addTo(map);
    legend = makeLegend().addTo(map);
  }

  var bordersWarmed = false;

  /** Once both the borders and the dataset are in: the borders' work for every year, in idle time. */
  function warmBorders() {
    if (bordersWarmed || !borders || !data) return;
    bordersWarmed = true;
    var span = [];
    for (var y = data.bounds[0]; y <= data.bounds[1]; y++) span.push(y);
    borders.warm(span);
  }

  function historicalShown() { return !!borders && map.hasLayer(baseLayers.historical); }

  /** "Borders: 1914 · approximate": which snapshot the map shows (only with the historical layer). */
  function makeBordersControl() {
    var Control = L.Control.extend({
      options: { position: "bottomleft" },
      onAdd: function () {
        var box = L.DomUtil.create("div", "tm-borders-control");
        box.title = "The borders of the latest snapshot not after the date (1880, 1900, 1914, 1920, 1930, 1938); approximate";
        L.DomEvent.disableClickPropagation(box);
        return box;
      },
    });
    return new Control();
  }

  function updateBordersControl() {
    if (!bordersControl) return;
    var box = bordersControl.getContainer();
    box.style.display = historicalShown() ? "" : "none";
    box.textContent = borders ? "Borders: " + borders.snapshot() + " · approximate" : "";
  }

  /** The borders in force in year ``y``, and the polity he is in outlined. */
  function showBordersOf(y) {
    if (!borders) return;
    borders.showYear(y);  // the polities' names follow with the next placeLabels (each date change ends with it)
    emphasize(historicalShown() && currentIndex >= 0 ? polityOf(currentIndex, y) : "");
    updateBordersControl();
  }

  var emphasis = null;      // L.Polygon: the outline of the polity he is in
  var emphasisKey = "";

  var outlines = {};         // snapshot:name → its L.Polygon (or null: no outline), made once

  /** Outline the polity called ``name`` (of the snapshot shown); "" takes the outline away. */
  function emphasize(name) {
    var key = name ? borders.snapshot() + ":" + name : "";
    if (key === emphasisKey) return;
    emphasisKey = key;
    if (emphasis) map.removeLayer(emphasis);
    emphasis = null;
    if (!name) return;
    if (!(key in outlines)) {
      var rings = borders.outlineOf(name).map(function (ring) { return [ring]; });
      outlines[key] = rings.length ? L.polygon(rings, {
        pane: "tm-borders", renderer: emphasisRenderer, interactive: false, fill: false,
        color: STYLE.borders.emphasis, weight: 1.6, opacity: 0.9,
      }) : null;
    }
    emphasis = outlines[key];
    if (emphasis) emphasis.addTo(map);
  }

  /** The name of the polity that held place ``index`` in year ``y`` (geodata's polity_on), or "". */
  function polityOf(index, y) {
    var key = index + "@" + y;
    if (!(key in polityCache)) {
      var polity = borders.polityAt(places[index].lat, places[index].lon, y);
      polityCache[key] = polity ? borders.nameIn(polity, y) : "";
    }
    return polityCache[key];
  }

  var politiesShown = "";   // what the polity pane shows (see showPolityLabels)

  /**
   * Name the polities of the snapshot where there is room: the largest first, empires larger, none
   * smaller on screen than its name, none over another.
   */
  function placePolityLabels() {
    if (!polityPane) return;
    if (year === null) {
      showPolityLabels(document.createDocumentFragment());
      return;
    }
    var zoom = map.getZoom(), pixelsPerDegree = 256 * Math.pow(2, zoom) / 360;
    var taken = [], fragment = document.createDocumentFragment();
    // the places' marks and names come first: a polity's name never lies over them
    Array.prototype.forEach.call(labelPane ? labelPane.childNodes : [], function (node) {
      var at = L.DomUtil.getPosition(node), current = node.className.indexOf("current") >= 0;
      taken.push({ x1: at.x, y1: at.y, x2: at.x + textWidth(node.textContent, current) + 10, y2: at.y + 18 });
    });
    for (var k = 0; k < places.length; k++) {
      if (status[k] !== ACTIVE) continue;
      var m = map.latLngToLayerPoint([places[k].lat, places[k].lon]);
      taken.push({ x1: m.x - 12, y1: m.y - 12, x2: m.x + 12, y2: m.y + 12 });
    }
    var fixed = taken.length;
    var size = map.getSize(), origin = map.containerPointToLayerPoint([0, 0]);
    // one label per polity, at its largest part
    var items = !historicalShown() ? [] : borders.namedIn(year).items;
    for (var i = 0; i < items.length && taken.length - fixed < 40; i++) {
      var item = items[i].item, text = items[i].name;
      var big = item.area > 300;
      var width = textWidth(text, big) * (big ? 1.05 : 0.95), height = big ? 16 : 13;
      if (Math.sqrt(item.area) * pixelsPerDegree < width * 0.9) continue;  // no room for the name
      var p = map.latLngToLayerPoint([item.label[1], item.label[0]]);
      var box = { x1: p.x - width / 2, y1: p.y - height / 2, x2: p.x + width / 2, y2: p.y + height / 2 };
      if (box.x1 < origin.x || box.y1 < origin.y || box.x2 > origin.x + size.x || box.y2 > origin.y + size.y) continue;
      if (taken.some(function (t) { return box.x1 < t.x2 && t.x1 < box.x2 && box.y1 < t.y2 && t.y1 < box.y2; })) continue;
      taken.push(box);
      var label = textElement(text, big ? "tm-polity tm-polity-big" : "tm-polity");
      L.DomUtil.setPosition(label, L.point(Math.round(box.x1), Math.round(box.y1)));
      fragment.appendChild(label);
    }
    placeTowns(fragment, taken, origin, size, zoom);
    showPolityLabels(fragment);
  }

  /**
   * Put ``fragment``'s names in the polity pane, unless the pane shows them already, as it does
   * after most steps: taking forty names out and putting the same ones back cost every step a
   * new style and layout of the pane.
   */
  function showPolityLabels(fragment) {
    var shown = Array.prototype.map.call(fragment.childNodes, function (node) {
      return node.className + "|" + node.textContent + "|" + node.style.transform + "|" + node.style.left + "|" + node.style.top;
    }).join("\n");
    if (shown === politiesShown && polityPane.childNodes.length === fragment.childNodes.length) return;
    politiesShown = shown;
    while (polityPane.firstChild) polityPane.removeChild(polityPane.firstChild);
    polityPane.appendChild(fragment);
  }

  /** A notice over the map (with a button when ``action`` is given); returns its element. */
  /**
   * At city zoom, the towns and cities of GeoNames as quiet labels (never over our marks or the
   * polities' names), the larger first and smaller ones as the zoom grows; not over online tiles,
   * which have their own.
   */
  function placeTowns(fragment, taken, origin, size, zoom) {
    var least = townsFrom(zoom);
    if (least === Infinity || (baseLayers.online && map.hasLayer(baseLayers.online))) return;
    if (!towns) {
      if (loadTowns) {
        var load = loadTowns;
        loadTowns = null;
        load().then(function (document) { towns = document.towns; placePolityLabels(); }).catch(function (error) {
          if (!unloading) console.warn("The towns could not be loaded: " + (error && error.message ? error.message : error));
        });
      }
      return;
    }
    var bounds = map.getBounds().pad(0.05), shown = 0;
    for (var i = 0; i < towns.length && shown < 60; i++) {
      var town = towns[i];
      if (town[3] < least) break;
      if (!bounds.contains([town[1], town[2]])) continue;
      var p = map.latLngToLayerPoint([town[1], town[2]]);
      var width = textWidth(town[0], false) * 0.92 + 8, height = 13;
      var box = { x1: p.x + 4, y1: p.y - height / 2, x2: p.x + 4 + width, y2: p.y + height / 2 };
      if (box.x2 > origin.x + size.x || box.y1 < origin.y || box.y2 > origin.y + size.y) continue;
      if (taken.some(function (t) { return box.x1 < t.x2 && t.x1 < box.x2 && box.y1 < t.y2 && t.y1 < box.y2; })) continue;
      taken.push(box);
      shown++;
      var label = textElement(town[0], "tm-town");
      L.DomUtil.setPosition(label, L.point(Math.round(p.x - 3), Math.round(box.y1)));
      fragment.appendChild(label);
    }
  }

  function showNotice(text, actionLabel, action) {
    var box = document.createElement("div");
    box.className = "tm-notice";
    box.appendChild(textElement(text));
    if (action) {
      var button = document.createElement("button");
      button.type = "button";
      button.textContent = actionLabel;
      button.addEventListener("click", function (event) {
        event.stopPropagation();
        action();
      });
      box.appendChild(button);
    }
    L.DomEvent.disableClickPropagation(box);
    map.getContainer().appendChild(box);
    return box;
  }

  /** The legend: what each mark and line on the map means (app.page.legend draws the swatches). */
  function makeLegend() {
    var Legend = L.Control.extend({
      options: { position: "bottomright" },
      onAdd: function () {
        var box = L.DomUtil.create("div", "tm-legend");
        P.legend.forEach(function (row) {
          var line = L.DomUtil.create("div", "tm-legend-row", box);
          var swatch = L.DomUtil.create("img", "tm-legend-swatch", line);
          swatch.alt = "";
          swatch.src = "data:image/svg+xml;charset=utf-8," + encodeURIComponent(row[1]);
          line.appendChild(textElement(row[0]));
        });
        L.DomEvent.disableClickPropagation(box);
        return box;
      },
    });
    return new Legend();
  }

  function drawPlaces() {
    map.createPane("tm-markers").style.zIndex = 420;
    map.createPane("tm-rings").style.zIndex = 430;
    var ringRenderer = L.svg({ pane: "tm-rings", padding: 0.5 });  // SVG: see drawCrossings
    places = buildPlaces();
    drawCrossings();
    var n = places.length;
    status = new Int8Array(n);
    var lats = new Float64Array(n), lons = new Float64Array(n), areas = new Uint8Array(n);
    var firstDays = new Int32Array(n);
    for (var i = 0; i < n; i++) {
      lats[i] = places[i].lat;
      lons[i] = places[i].lon;
      areas[i] = places[i].area ? 1 : 0;
      firstDays[i] = 2147483647;
      for (var k = stayOffsets[i]; k < stayOffsets[i + 1]; k += 2) firstDays[i] = Math.min(firstDays[i], stayDays[k]);
    }
    points = new L.TMPoints(lats, lons, areas, firstDays, status, STYLE, { pane: "tm-markers", past: PAST, active: ACTIVE });
    points.setPath(Int32Array.from(data.journey), 0);
    points.addTo(map);
    currentRing = L.circleMarker([0, 0], Object.assign({ renderer: ringRenderer, pane: "tm-rings", fill: false, interactive: false }, STYLE.currentRing));
    labelPane = map.createPane("tm-labels");
    labelPane.style.zIndex = 640;
    map.on("zoomstart", function () { labelPane.style.display = "none"; });
    // (a film's camera move is followed by the frame's own date, which lays the labels out once)
    map.on("zoomend", function () { labelPane.style.display = ""; if (!movingCamera) placeLabels(); });
    map.on("moveend", function () { if (!movingCamera) placePolityLabels(); });
    // A resized window re-frames the year (follow) or at least re-places labels cut at the new edge.
    map.on("resize", refit);
    selectedRing = L.circleMarker([0, 0], Object.assign({ renderer: ringRenderer, pane: "tm-rings", fill: false, interactive: false }, STYLE.selectedRing));
    hoverTooltip = L.tooltip({ direction: "top", offset: [0, -8], className: "tm-hover-label" });
    points.on("tmhover", function (event) {
      if (event.index < 0) {
        map.closeTooltip(hoverTooltip);
        return;
      }
      var place = places[event.index];
      // a place's name wins over the line of a crossing that ends under it
      crossings.forEach(function (item) { item.line.closeTooltip(); });
      hoverTooltip.setLatLng([place.lat, place.lon]).setContent(textElement(nameIn(place, year)));
      map.openTooltip(hoverTooltip);
    });
    // Places drawn on top of each other (Mexico City, Coyoacán and its two houses): a click offers them all.
    points.on("tmclick", function (event) {
      if (event.indexes.length > 1) showPicker(event.indexes, event.latlng);
      else placeClicked(event.index);
    });
    // A right click: the window shows its own menu (a listener here also keeps the browser's away).
    map.on("contextmenu", function (event) {
      var index = points.hitTest(event.containerPoint);
      callBridge("CONTEXT_MENU", index >= 0 ? places[index].id : "", event.latlng.lat, event.latlng.lng);
    });
    if (data.fit) map.fitBounds(data.fit, { padding: [30, 30], animate: false });
  }

  var picker = null;  // the popup that lists stacked places (L.Popup), once opened

  /** A small list of the places under a click, each a button that selects it. */
  function showPicker(indexes, latlng) {
    var box = document.createElement("div");
    box.className = "tm-picker";
    box.appendChild(textElement("These places are drawn here:", "tm-picker-title"));
    indexes.forEach(function (index) {
      var button = document.createElement("button");
      button.type = "button";
      button.textContent = nameIn(places[index], year);
      button.setAttribute("data-place", places[index].id);
      button.addEventListener("click", function () {
        map.closePopup(picker);
        placeClicked(index);
      });
      box.appendChild(button);
    });
    if (!picker) picker = L.popup({ className: "tm-picker-frame", minWidth: 160, maxWidth: 320 });
    picker.setLatLng(latlng).setContent(box).openOn(map);
    var first = box.querySelector("button");
    if (first) first.focus();
  }

  /** For tests: the places a click at this place's marker would offer (ids), as JSON. */
  TM.stackAt = function (id) {
    for (var i = 0; i < places.length; i++) {
      if (places[i].id !== id) continue;
      var point = map.latLngToContainerPoint([places[i].lat, places[i].lon]);
      return JSON.stringify(points.hitTestAll(point).map(function (k) { return places[k].id; }));
    }
    return JSON.stringify(null);
  };

  function placeClicked(index) {
    var place = places[index];
    if (!place) return;
    if (bridge) {
      callBridge("CLICK_PLACE", place.id);
    } else {
      TM.select(place.id);
      showStandalonePopup(index);
    }
  }

  /** Show day ``d``; ``from`` (the exported page's whole years): every stay from that day on counts. */
  function applyDay(d, from) {
    d = Math.round(Number(d));
    if (!isFinite(d)) throw new Error("setDay needs a day number");
    d = Math.min(Math.max(d, data.dayBounds[0]), data.dayBounds[1]);
    day = d;
    dayFrom = from === undefined ? d : from;
    year = yearOfDay(d);
    var south = 90, north = -90, west = 180, east = -180, active = 0;
    for (var i = 0; i < places.length; i++) {
      var next = statusOf(i, d, dayFrom);
      status[i] = next;
      if (next === ACTIVE) {
        var p = places[i];
        active++;
        if (p.lat < south) south = p.lat;
        if (p.lat > north) north = p.lat;
        if (p.lon < west) west = p.lon;
        if (p.lon > east) east = p.lon;
      }
    }
    pathLength = legsBegunBy(d);
    styleCrossings(d, dayFrom);
    if (crossingIndex >= 0) {  // on the way: frame both ends of the crossing
      [crossings[crossingIndex].from, crossings[crossingIndex].to].forEach(function (end) {
        var p = places[end];
        active++;
        south = Math.min(south, p.lat);
        north = Math.max(north, p.lat);
        west = Math.min(west, p.lon);
        east = Math.max(east, p.lon);
      });
    }
    points.setDay(d);
    points.setPathLength(pathLength);
    var leg = currentLegOn(d, pathLength);
    currentIndex = leg >= 0 ? data.journey[leg] : -1;
    if (currentIndex >= 0) {
      var place = places[currentIndex];
      var dash = data.journeyUncertain[leg] ? P.uncertainRingDash : null;
      if (currentRing.options.dashArray !== dash) currentRing.setStyle({ dashArray: dash });
      currentRing.setLatLng([place.lat, place.lon]);
      if (!map.hasLayer(currentRing)) currentRing.addTo(map);
      active++;
      south = Math.min(south, place.lat);
      north = Math.max(north, place.lat);
      west = Math.min(west, place.lon);
      east = Math.max(east, place.lon);
    } else if (map.hasLayer(currentRing)) {
      map.removeLayer(currentRing);
    }
    framed = active ? L.latLngBounds([south, west], [north, east]) : null;
    showBordersOf(year);
    // A changed view redraws every layer by itself; otherwise redraw the points now.
    if (!(follow && framed && frame(framed))) points.redraw();
    placeLabels();
    if (yearControl) yearControl.update(year);
  }

  /**
   * Name this year's places on the map without overlaps: the current place first (bold), then
   * the others in the order he reached them. Each label tries right, left, above and below its
   * marker and is left out if all four collide with a label or marker already placed.
   */
  function placeLabels() {
    if (!labelPane) return;
    while (labelPane.firstChild) labelPane.removeChild(labelPane.firstChild);
    var order = [];
    if (currentIndex >= 0) order.push(currentIndex);
    for (var j = pathLength - 1; j >= 0 && order.length < MAX_LABELS; j--) {
      var index = data.journey[j];
      if (status[index] === ACTIVE && order.indexOf(index) < 0) order.push(index);
    }
    var taken = [];
    order.forEach(function (index) {
      var p = map.latLngToLayerPoint([places[index].lat, places[index].lon]);
      var r = places[index].area ? STYLE.activeArea.radius : STYLE.activePoint.radius;
      taken.push({ x1: p.x - r, y1: p.y - r, x2: p.x + r, y2: p.y + r });
    });
    var size = map.getSize(), origin = map.containerPointToLayerPoint([0, 0]);
    var fragment = document.createDocumentFragment();
    order.forEach(function (index, rank) {
      var place = places[index], text = nameIn(place, year);
      var current = rank === 0 && index === currentIndex;
      // Sizes come from the canvas text metrics, not from the laid-out element: reading
      // offsetWidth would force a layout per label on every slider step.
      var w = textWidth(text, current) + (current ? 10 : 8), h = current ? 18 : 16;
      var p = map.latLngToLayerPoint([place.lat, place.lon]);
      var gap = (place.area ? STYLE.activeArea.radius : 12) + 4;
      var spots = [[gap, -h / 2], [-gap - w, -h / 2], [-w / 2, -gap - h], [-w / 2, gap]];
      for (var k = 0; k < spots.length; k++) {
        var box = { x1: p.x + spots[k][0], y1: p.y + spots[k][1] };
        box.x2 = box.x1 + w;
        box.y2 = box.y1 + h;
        var inside = box.x1 >= origin.x && box.y1 >= origin.y && box.x2 <= origin.x + size.x && box.y2 <= origin.y + size.y;
        if (inside && !taken.some(function (t) { return box.x1 < t.x2 && t.x1 < box.x2 && box.y1 < t.y2 && t.y1 < box.y2; })) {
          taken.push(box);
          var label = textElement(text, current ? "tm-label tm-label-current" : "tm-label");
          L.DomUtil.setPosition(label, L.point(Math.round(box.x1), Math.round(box.y1)));
          fragment.appendChild(label);
          return;
        }
      }
    });
    labelPane.appendChild(fragment);
    placePolityLabels();
  }

  var measureContext = null;
  var measured = new Map();  // "b"/"n" + text → width: the same names come back year after year

  function textWidth(text, bold) {
    var key = (bold ? "b" : "n") + text;
    var width = measured.get(key);
    if (width !== undefined) return width;
    if (!measureContext) measureContext = document.createElement("canvas").getContext("2d");
    measureContext.font = bold ? "bold 13px 'DejaVu Sans', 'Segoe UI', sans-serif" : "12px 'DejaVu Sans', 'Segoe UI', sans-serif";
    width = Math.ceil(measureContext.measureText(text).width);
    measured.set(key, width);
    return width;
  }

  /**
   * Zoom to the year's places (with some context), so playback follows him across the world.
   * Returns whether the view changed: an unchanged view is not reset, which would redraw the
   * basemap and every layer for nothing.
   */
  function frame(bounds, always) {
    var target = map._getBoundsCenterZoom(bounds, { padding: L.point(90, 90), maxZoom: 4 });
    var zoom = map.getZoom();
    if (always) {  // asked for (View › Fit this date): no tolerance
      moveCamera(target.center, target.zoom);
      return true;
    }
    // Keep the view when the year's places are already well in it and the zoom is about right:
    // re-framing for a few pixels redraws every layer and makes the map jitter during playback.
    var inner = map.getPixelBounds().pad(-0.08);
    var fits = inner.contains(map.project(bounds.getSouthWest(), zoom)) && inner.contains(map.project(bounds.getNorthEast(), zoom));
    if (fits && zoom >= target.zoom - 1 && zoom <= target.zoom) return false;
    // A year whose places span the world never fits the inner box; moving the view by a few
    // pixels each year would only make it jitter and redraw everything.
    var now = map.project(map.getCenter(), zoom);
    var then = map.project(target.center, zoom);
    var size = map.getSize();
    if (target.zoom === zoom && now.distanceTo(then) < 0.05 * Math.min(size.x, size.y)) return false;
    // not map.setView: on a change of zoom it would drop every tile at once and show bare paper
    // until the new ones are drawn (see moveCamera)
    moveCamera(target.center, target.zoom);
    return true;
  }

  TM.start = function (leafletMap, config) {
    map = leafletMap;
    P = config.protocol;
    STYLE = P.style;
    FUTURE = P.status.FUTURE;
    PAST = P.status.PAST;
    ACTIVE = P.status.ACTIVE;
    // The data is asked for at once, but the basemap is drawn as soon as it is here: the app may
    // still be reading a large dataset, and the world should show meanwhile.
    var dataLoaded = loadJson(config.dataElement, config.dataUrl);
    dataLoaded.catch(function () {});  // handled below, once the basemap is drawn
    Promise.all([
      loadJson(config.basemapCoarseElement, config.basemapCoarseUrl),
      connectBridge(),
    ]).then(function (loaded) {
      bridge = loaded[1];
      drawBasemap(
        loaded[0],
        function () { return loadJson(config.basemapElement, config.basemapUrl); },
        function () { return loadJson(config.bordersElement, config.bordersUrl); }
      );
      loadTowns = function () { return loadJson(config.townsElement, config.townsUrl); };
      return dataLoaded;
    }).then(function (raw) {
      data = readPayload(raw);
      drawPlaces();
      warmBorders();
      if (bridge) {
        applyDay(config.year !== null && config.year !== undefined ? lastDayOf(config.year) : data.dayBounds[0]);
      } else {  // the exported page moves by whole years: it opens on the year asked for, else the first
        applyYear(config.year !== null && config.year !== undefined ? config.year : data.bounds[0]);
      }
      if (config.place) TM.select(config.place);
      if (!bridge) addStandaloneControls();
      document.documentElement.setAttribute(P.readyAttribute, "true");
      callBridge("READY");
    }).catch(function (error) {
      if (unloading) return;  // a reload cancelled the fetches: the new page starts afresh
      console.error("The map could not start: " + (error && error.message ? error.message : error));
      showFatal(String(error && error.message ? error.message : error));
      callBridge("FAILED", String(error));
    });
  };

  /** Show the day ``d`` (a day number); ``token`` comes back with the painted-frame report. */
  TM.setDay = function (d, token) {
    applyDay(d);
    if (bridge) {
      requestAnimationFrame(function () { callBridge("PAINTED", day, token === undefined ? 0 : token); });
    }
    return day;
  };

  /**
   * A page that films itself (app/film): no controls, no follow (the film moves the camera), and
   * fractional zooms, so the camera can ease in and out.
   */
  TM.filmMode = function () {
    follow = false;
    map.options.zoomSnap = 0;
    map._fadeAnimated = false;  // a tile fading in would be grabbed half transparent
    L.TMTiles.eager = true;     // each frame waits for its tiles: draw them at once
    var controls = map.getContainer().querySelector(".leaflet-control-container");
    if (controls) controls.style.display = "none";
    return true;
  };

  /**
   * One frame of a film: the camera at (lat, lon, zoom), then day ``d``; reported painted with
   * ``token`` once the basemap's tiles are drawn and two animation frames later, when Chromium has
   * composited it for the grab.
   */
  TM.showFrame = function (d, lat, lon, zoom, token) {
    var basemap = map.hasLayer(baseLayers.offline) ? baseLayers.offline : baseLayers.historical.land;
    var report = function () {
      requestAnimationFrame(function () {
        requestAnimationFrame(function () { callBridge("PAINTED", day, token); });
      });
    };
    // the detailed basemap is in before any frame (its arrival redraws every tile)
    (basemap ? basemap.whenDetailReady() : Promise.resolve()).then(function () {
      moveCamera(L.latLng(Number(lat), Number(lon)), Number(zoom));
      applyDay(d);
      // the basemap draws its tiles asynchronously: the frame is complete once they are all in
      if (!bridge) return;
      whenTilesLoaded(report);
    });
    return d;
  };

  /**
   * Put the view (a film's camera, or the framing of a date) at ``center`` and ``zoom``; the caller
   * lays the labels out. ``map.setView`` resets the view on any change of zoom, and a reset makes
   * the basemap drop every tile and draw them all again: a film that eases its zoom would pay that
   * on every frame (and grab half-drawn), and a date that changes the zoom would show bare paper
   * until the new tiles are drawn. Leaflet's own zoom animation ends with ``_move`` and
   * ``_moveEnd``, which keep the tiles of the level shown and only scale them until the new ones
   * are in: the view moves that way (Leaflet 1.9, pinned by xstatic-leaflet).
   */
  function moveCamera(center, zoom) {
    var zoomChanged = map.getZoom() !== zoom;
    map._stop();
    var outer = movingCamera;
    movingCamera = true;
    try {
      if (zoomChanged) {
        map._move(center, zoom)._moveEnd(true);
      } else {
        // at the same zoom ``_move`` would shift Leaflet's origin without the panes, and every tile
        // and shape would stay where it was: pan as a drag does (a jump wider than the map
        // resets the view: no tile of the old one would be in the new)
        var offset = map.project(center, zoom).subtract(map.project(map.getCenter(), zoom));
        map.panBy(offset, { animate: false });
      }
    } finally {
      movingCamera = outer;
    }
  }

  /**
   * Whether the map is complete: the detailed land in (or given up), the borders of the date in
   * while they are the layer shown (or given up), and every tile drawn. A screenshot waits for it:
   * a grab between the first paint and the borders' arrival shows bare land.
   */
  TM.complete = function () {
    if (!detailSettled) return false;
    if (map.hasLayer(baseLayers.historical) && !borders && !bordersFailed) return false;
    return ![baseLayers.offline, baseLayers.historical.land, borders].some(function (layer) {
      return layer && map.hasLayer(layer) && layer.isLoading();
    });
  };

  /** Call ``done`` once every tile layer shown has drawn its tiles (at once if none is loading). */
  function whenTilesLoaded(done) {
    var loading = [baseLayers.offline, baseLayers.historical.land, borders].filter(function (layer) {
      return layer && map.hasLayer(layer) && layer.isLoading();
    });
    var left = loading.length;
    if (!left) { done(); return; }
    loading.forEach(function (layer) {
      // a layer taken off the map while loading (the land, when the borders arrive) never loads
      var finished = false;
      var finish = function (event) {
        // Leaflet's "load" can come while tiles still wait to be drawn again (see queueTile)
        if (finished || (event.type === "load" && layer.isLoading())) return;
        finished = true;
        layer.off("load", finish);
        layer.off("remove", finish);
        if (--left === 0) done();
      };
      layer.on("load", finish);
      layer.on("remove", finish);
    });
  }

  /** Centre the map on (lat, lon), two zoom levels closer (the window's "Zoom here"). */
  TM.zoomTo = function (lat, lon) {
    map.setView([Number(lat), Number(lon)], Math.min(map.getZoom() + 2, map.getMaxZoom()), { animate: false });
    return map.getZoom();
  };

  /** Frame every place of the life (View › Fit the whole journey). */
  TM.fitJourney = function () {
    if (!places.length) return null;
    var bounds = L.latLngBounds(places.map(function (place) { return [place.lat, place.lon]; }));
    map.fitBounds(bounds, { padding: [40, 40], animate: false });
    placeLabels();
    return map.getZoom();
  };

  /** Frame the places of the date shown, as follow does (View › Fit this date's places). */
  TM.fitYear = function () {
    if (framed) frame(framed, true);
    placeLabels();
    return map.getZoom();
  };

  /** Show or hide the legend. */
  TM.showLegend = function (shown) {
    if (!legend) return false;
    legend.getContainer().style.display = shown ? "" : "none";
    return !!shown;
  };

  /** Show the base layer ``key`` (a key of P.baseLayers), as if chosen in the layer control. */
  TM.setLayer = function (key) {
    var chosen = baseLayers[key];
    if (!chosen || map.hasLayer(chosen)) return key;
    for (var other in baseLayers) {
      if (map.hasLayer(baseLayers[other])) map.removeLayer(baseLayers[other]);
    }
    chosen.addTo(map);  // the layer control sees the change and checks its button
    return key;
  };

  /** Follow the date's places (true) or leave the view where the user put it (false). */
  TM.setFollow = function (on) {
    var was = follow;
    follow = !!on;
    if (follow && !was) refit();  // switched on: frame this year now, not at the next change
    return follow;
  };

  /** Follow's framing of the year shown, now (after switching follow on, or a resize). */
  function refit() {
    if (follow && framed) frame(framed);
    placeLabels();
  }

  /**
   * Point at the place ``id`` without selecting it (a passage under the pointer in the reader): its
   * name in the hover label over its mark; ``null`` or "" takes the label away.
   */
  TM.point = function (id) {
    pointedIndex = -1;
    for (var i = 0; id && i < places.length; i++) {
      if (places[i].id === id) { pointedIndex = i; break; }
    }
    if (pointedIndex < 0) {
      map.closeTooltip(hoverTooltip);
      return null;
    }
    var place = places[pointedIndex];
    hoverTooltip.setLatLng([place.lat, place.lon]).setContent(textElement(nameIn(place, year)));
    map.openTooltip(hoverTooltip);
    return place.id;
  };

  /** Mark the place ``id`` as selected (``null`` or "" clears the selection). */
  TM.select = function (id) {
    selectedIndex = -1;
    for (var i = 0; id && i < places.length; i++) {
      if (places[i].id === id) { selectedIndex = i; break; }
    }
    if (selectedIndex >= 0) {
      var place = places[selectedIndex];
      selectedRing.setLatLng([place.lat, place.lon]);
      if (!map.hasLayer(selectedRing)) selectedRing.addTo(map);
      map.panInside([place.lat, place.lon], { padding: [60, 60], animate: false });
    } else if (map.hasLayer(selectedRing)) {
      map.removeLayer(selectedRing);
    }
    return selectedIndex >= 0 ? places[selectedIndex].id : null;
  };

  /** What the map shows now, as JSON text (runJavaScript cannot return arrays). */
  TM.describe = function () {
    var active = [], past = [];
    for (var i = 0; i < places.length; i++) {
      if (status[i] === ACTIVE) active.push(places[i].id);
      else if (status[i] === PAST) past.push(places[i].id);
    }
    return JSON.stringify({
      day: day,
      year: year,
      active: active,
      past: past,
      shownMarkers: active.length + past.length,
      current: currentIndex >= 0 ? places[currentIndex].id : null,
      currentLabel: currentIndex >= 0 ? nameIn(places[currentIndex], year) : null,
      currentDash: currentIndex >= 0 && map.hasLayer(currentRing) ? currentRing.options.dashArray || null : null,
      legend: Array.prototype.map.call(legend ? legend.getContainer().childNodes : [], function (n) { return n.textContent; }),
      crossing: crossingIndex >= 0 ? crossings[crossingIndex].label : null,
      borders: historicalShown() ? borders.snapshot() : null,
      polity: historicalShown() && currentIndex >= 0 ? polityOf(currentIndex, year) : null,
      polities: Array.prototype.filter.call(polityPane ? polityPane.childNodes : [], function (n) {
        return n.className.indexOf("tm-polity") >= 0;
      }).map(function (n) { return n.textContent; }),
      towns: Array.prototype.filter.call(polityPane ? polityPane.childNodes : [], function (n) {
        return n.className === "tm-town";
      }).map(function (n) { return n.textContent; }),
      crossingsDrawn: crossings.filter(function (item) { return map.hasLayer(item.line); }).map(function (item) {
        return [item.label, item.line.options.weight];
      }),
      selected: selectedIndex >= 0 ? places[selectedIndex].id : null,
      pointed: pointedIndex >= 0 && map.hasLayer(hoverTooltip) ? places[pointedIndex].id : null,
      hoverLabel: map.hasLayer(hoverTooltip) ? hoverTooltip.getElement().textContent : null,
      labels: Array.prototype.map.call(labelPane.childNodes, function (n) { return n.textContent; }),
      pathPoints: pathLength,
      zoom: map.getZoom(),
      follow: follow,
      view: map.getBounds().toBBoxString(),
    });
  };

  /**
   * The page's own answers for day ``d``, for every place, without changing what is shown: its
   * status (the protocol's code), its name then, the current place (and whether its stay's dates are
   * uncertain), the path drawn and the crossing he is on (its label). A test
   * compares them with geodata.queries.
   */
  TM.answers = function (d) {
    var codes = [], names = [], y = yearOfDay(d), begun = legsBegunBy(d), leg = currentLegOn(d, begun), on = crossingOn(d, d);
    var current = leg >= 0 ? data.journey[leg] : -1;
    for (var i = 0; i < places.length; i++) {
      codes.push(statusOf(i, d));
      names.push(nameIn(places[i], y));
    }
    return JSON.stringify({
      status: codes, names: names, current: current >= 0 ? places[current].id : null, pathPoints: begun,
      crossing: on >= 0 ? crossings[on].label : null, uncertain: leg >= 0 ? !!data.journeyUncertain[leg] : null,
      polities: borders ? places.map(function (place, index) { return polityOf(index, y); }) : null,
    });
  };

  /**
   * Draw past points from the layer's cache (true) or one by one (false), with a snapshot of the
   * cache every ``snapshotEvery`` points if given; for tests and benchmarks.
   */
  TM.usePointCache = function (on, snapshotEvery) {
    points.useCache(on, snapshotEvery ? { snapshotEvery: snapshotEvery } : null).redraw();
    return !!on;
  };

  /** Where a place's marker is on screen, for tests and benchmarks that click it. */
  TM.markerPoint = function (id) {
    for (var i = 0; i < places.length; i++) {
      if (places[i].id === id) {
        var point = map.latLngToContainerPoint([places[i].lat, places[i].lon]);
        var box = map.getContainer().getBoundingClientRect();
        return JSON.stringify({ x: point.x + box.left, y: point.y + box.top, shown: status[i] !== FUTURE });
      }
    }
    return JSON.stringify(null);
  };

  function showFatal(message) {
    var box = document.createElement("div");
    box.className = "tm-fatal";
    box.appendChild(textElement("The map could not be drawn: " + message));
    document.body.appendChild(box);
  }

  /* ---- A page opened without the desktop app (exported HTML) gets its own year slider and popups. */

  var standalonePopup = null;  // the one popup of the exported page (L.Popup), once opened
  var popupIndex = -1;         // the place it shows

  function addStandaloneControls() {
    var YearControl = L.Control.extend({
      options: { position: "bottomleft" },
      onAdd: function () {
        var box = L.DomUtil.create("div", "tm-year-control");
        var label = L.DomUtil.create("span", "tm-year-label", box);
        var input = L.DomUtil.create("input", "", box);
        input.type = "range";
        input.min = data.bounds[0];
        input.max = data.bounds[1];
        input.step = 1;
        input.setAttribute("aria-label", "Year");
        input.addEventListener("input", function () { applyYear(Number(input.value)); });
        L.DomEvent.disableClickPropagation(box);
        this.update = function (y) {
          input.value = y;
          label.textContent = String(y);
          refreshPopup();
        };
        return box;
      },
    });
    yearControl = new YearControl().addTo(map);
    yearControl.update(year);
    // The place asked for (--place) is read at once, as the desktop panel would show it.
    if (selectedIndex >= 0) showStandalonePopup(selectedIndex);
  }

  /**
   * The page's end of the QWebChannel (null outside the app). Any script of the page could reach it
   * through qt.webChannelTransport anyway, so the Python side checks every argument it receives.
   */
  TM.bridge = function () { return bridge; };

  /** Open the popup with a place's stays and excerpts (the exported page's panel). */
  TM.openPopup = function (id) {
    for (var i = 0; i < places.length; i++) {
      if (places[i].id === id) { showStandalonePopup(i); return true; }
    }
    return false;
  };

  function showStandalonePopup(index) {
    if (!places[index]) return;
    popupIndex = index;
    if (!standalonePopup) {
      standalonePopup = L.popup({ maxWidth: 380, minWidth: 260, maxHeight: 340, className: "tm-popup-frame" });
    }
    var place = places[index];
    standalonePopup.setLatLng([place.lat, place.lon]).setContent(popupContent(index)).openOn(map);
  }

  /** The open popup follows the year: the place's name then, and which of its stays are marked. */
  function refreshPopup() {
    if (standalonePopup && popupIndex >= 0 && standalonePopup.isOpen()) standalonePopup.setContent(popupContent(popupIndex));
  }

  /**
   * A place as the desktop panel shows it in the year shown. Its name is set as text; the rest is
   * the panel's own HTML made by Python (app/page/place_html.py via page_payload's details), where
   * every text of the dataset was escaped: it is the one place this page sets HTML, and only HTML
   * that came in the data document, never text read from it.
   */
  function popupContent(index) {
    var place = places[index];
    var box = document.createElement("div");
    box.className = "tm-popup";
    var title = document.createElement("h3");
    title.textContent = nameIn(place, year);
    box.appendChild(title);
    var details = place.details;
    if (!details) return box;
    var sub = document.createElement("div");
    sub.innerHTML = details.sub;
    box.appendChild(sub);
    details.stays.forEach(function (stayHtml, k) {
      // the stays of the year shown are marked (any day of it): the days statusOf reads
      var at = stayOffsets[index] + 2 * k;
      var now = at + 1 < stayOffsets[index + 1] && stayDays[at] <= day && dayFrom <= stayDays[at + 1];
      var stay = document.createElement("div");
      stay.className = now ? "tm-popup-stay now" : "tm-popup-stay";
      stay.innerHTML = stayHtml;
      box.appendChild(stay);
    });
    (details.crossings || []).forEach(function (crossingHtml) {
      var voyage = document.createElement("div");
      voyage.className = "tm-popup-stay";
      voyage.innerHTML = crossingHtml;
      box.appendChild(voyage);
    });
    return box;
  }
})();

// PAIR Atlas live map: a Streamlit components-v2 renderer around MapLibre GL JS.
//
// The map is created once per mounted element and kept: a rerun with new data changes only what
// changed (colours: feature state, nothing re-tiled; the service sites and the selected
// neighbourhood's outline: small sources of their own; which gaps are outlined: the outline
// layer's filter, laid out again only when it changes; the view only when the region or the
// local authority changes). Each ICB's neighbourhoods are a
// source of their own ("parts"), loaded once: a region switch shows and hides parts and moves
// the view. The shown parts are in the map's first style, so their geometry is fetched and tiled
// while the style is read. The map is started when Streamlit mounts the component: on a 2-core
// machine, a map started earlier by a script of the page's own took the CPU from the drawing of the
// page (its load 0.3 s slower) and drew no sooner (bench/bench_pages.py). The library and the
// geometry are static files served by the app itself and cached by the browser; no request
// leaves the machine. Text from data is only ever set as textContent, never as HTML.

const maps = new WeakMap();
// Milestones for the benchmark (bench/bench_pages.py reads them): mount, worker, library, style, data, drawn.
const mark = (name) => { try { performance.mark(`pair-map:${name}`); } catch (e) { /* no timeline */ } };

// The library's web worker, started with the library's download rather than after it has loaded and
// run (a worker takes 100-150 ms to start on a 2-core machine): the library takes it as its pool's first.
function startWorker(lib) {
  try {
    const worker = new Worker(`${lib.base}/${lib.worker}`);
    mark("worker");
    return worker;
  } catch (e) {
    return null;  // the library starts its own
  }
}

function prewarm(maplibregl, early) {
  if (!early) return maplibregl.prewarm();
  const Made = window.Worker;  // the library makes its workers with `new Worker(url)`: its first is this one
  window.Worker = function () { window.Worker = Made; return early; };
  try { maplibregl.prewarm(); } finally { window.Worker = Made; }
}

function loadLibrary(lib) {
  if (!window.__pairAtlasMapLibrary) {
    let worker = null;
    window.__pairAtlasMapLibrary = new Promise((resolve, reject) => {
      const css = document.createElement("link");
      css.rel = "stylesheet";
      css.href = `${lib.base}/maplibre-gl.css`;
      document.head.appendChild(css);
      const script = document.createElement("script");
      script.src = `${lib.base}/${lib.library}`;
      script.addEventListener("load", () => {
        window.maplibregl.setWorkerUrl(`${lib.base}/${lib.worker}`);
        prewarm(window.maplibregl, worker);  // its web worker, already started
        resolve(window.maplibregl);
      });
      script.addEventListener("error", () => reject(new Error("the map library could not be loaded")));
      document.head.appendChild(script);
      worker = startWorker(lib);
    });
  }
  return window.__pairAtlasMapLibrary;
}

const NO_DATA = "#bdbdbd";
// The fill colour is each feature's state, so the layer's style never changes (a changed style
// would make the worker lay out every tile again); a colouring switch only updates states.
const FILL = ["to-color", ["coalesce", ["feature-state", "c"], NO_DATA]];

function sitesGeoJSON(sites) {
  return {
    type: "FeatureCollection",
    features: sites.map((s) => ({
      type: "Feature",
      geometry: { type: "Point", coordinates: [s.lon, s.lat] },
      properties: { fill: s.fill, line: s.line, r: s.r, w: s.w },
    })),
  };
}

function setSites(state, sites) {
  state.map.getSource("sites").setData(sitesGeoJSON(sites));
  if (state.holdFor) state.holdFor("sites");
}

function setLabels(state, lib, labels) {
  state.labels.forEach((m) => m.remove());
  state.labels = labels.map((l) => {
    const el = document.createElement("div");
    el.className = "pair-map-label";
    el.textContent = l.name;
    const marker = new lib.Marker({ element: el }).setLngLat([l.lon, l.lat]).addTo(state.map);
    // a place name drawn on the map is decoration: the table lists every area for screen readers
    const node = marker.getElement();
    node.removeAttribute("aria-label");
    node.removeAttribute("role");
    node.removeAttribute("tabindex");
    node.setAttribute("aria-hidden", "true");
    return marker;
  });
}

// Each neighbourhood's fill is feature state on its feature id (its position in its part's
// geometry file): c = fill colour (its class k in the palette; grey: no data). A rerun sets only
// the states that changed; nothing is re-tiled. The gaps are outlined by their layer's filter.
// The selected neighbourhood is outlined from a small source of its own: its shape as Python
// sends it (at once on a click, the shape under the pointer until Python's arrives).
const NOTHING = { type: "FeatureCollection", features: [] };

function outlineFilter(ids) {
  return ["in", ["id"], ["literal", ids]];
}

// Sets the outline layer's filter to the gaps, when they changed (a changed filter has the worker lay
// out the part's shown tiles again: the gaps change only with what counts as cover).
function syncOutline(state, entry) {
  const cur = entry.current;
  const ids = [];
  cur.g.forEach((on, i) => { if (on) ids.push(i); });
  const key = ids.join(",");
  if (entry.outlined === key) return;
  entry.outlined = key;
  state.map.setFilter(`outline:${entry.id}`, outlineFilter(ids));
  countOutlined(state);
}

// How many gaps the shown parts outline, for the browser tests.
function countOutlined(state) {
  let n = 0;
  state.parts.forEach((entry) => { if (entry.shown && entry.outlined) n += entry.outlined.split(",").length; });
  state.container.dataset.outlined = String(n);
}

// antialiased edges (the default): they also cover the hairline cracks that simplifying each
// neighbourhood on its own opens between neighbours (without them, a finer tolerance costs more)
const FILL_PAINT = { "fill-color": FILL, "fill-opacity": 0.85 };
const LAD_PAINT = { "line-color": "#231F20", "line-width": 1.2, "line-opacity": 0.7 };
// the outline layer holds only the gaps (its filter), not a line for each of thousands drawn
// transparent: less for the worker to lay out and to draw before the map first shows; its paint
// takes nothing from each feature, so it draws with the same program as the other lines
const OUTLINE_PAINT = { "line-color": "rgb(213,40,27)", "line-width": ["interpolate", ["linear"], ["zoom"], 7, 1, 11, 2.5] };

// A part's sources and layers (its neighbourhoods, their local authorities' outlines, its gaps'
// outlines), as style: in the map's first style for the parts shown at once (their geometry is
// fetched as the style is read, not after it has loaded), else added later.
function partStyle(part, shown) {
  const id = part.id;
  const visibility = shown ? "visible" : "none";
  // tolerance: simplify by up to one screen pixel at each zoom (the default is 0.375): less work for the worker, no visible change
  const source = (url) => ({ type: "geojson", data: shown ? url : NOTHING, tolerance: 1 });
  return {
    sources: { [`lsoas:${id}`]: source(part.lsoas), [`lad:${id}`]: source(part.lad) },
    layers: [
      { id: `fill:${id}`, type: "fill", source: `lsoas:${id}`, layout: { visibility }, paint: FILL_PAINT },
      { id: `lad:${id}`, type: "line", source: `lad:${id}`, layout: { visibility }, paint: LAD_PAINT },
      { id: `outline:${id}`, type: "line", source: `lsoas:${id}`, layout: { visibility }, filter: outlineFilter([]), paint: OUTLINE_PAINT },
    ],
  };
}

// The selected neighbourhood's outline and the service sites, over every part.
const TOP = {
  sources: { selected: { type: "geojson", data: NOTHING }, sites: { type: "geojson", data: NOTHING } },
  layers: [
    { id: "selected", type: "line", source: "selected", paint: { "line-color": "#003087", "line-width": 3.5 } },
    { id: "sites", type: "circle", source: "sites",
      paint: { "circle-color": ["get", "fill"], "circle-radius": ["get", "r"], "circle-stroke-color": ["get", "line"],
               "circle-stroke-width": ["get", "w"] } },
  ],
};

function newEntry(part, shown) {
  return { id: part.id, lsoas: part.lsoas, lad: part.lad, metaUrl: part.meta, meta: null, loaded: shown, current: null, shown, outlined: "" };
}

// The tooltip's text for a part's neighbourhoods (names, local authorities, infants, by feature
// id): a file of its own, fetched once the map has drawn or at the first hover, whichever is first.
function loadMeta(entry) {
  if (!entry.meta) {
    entry.meta = fetch(entry.metaUrl).then((r) => (r.ok ? r.json() : null)).catch(() => null);
  }
  return entry.meta;
}

// The pointer over a part's neighbourhoods: its tooltip; a click selects.
function listen(state, entry) {
  const { map } = state;
  const fill = `fill:${entry.id}`;
  map.on("mousemove", fill, (e) => hover(state, entry, e));
  map.on("mouseleave", fill, () => {
    state.hovered = null;
    state.tip.style.display = "none";
    map.getCanvas().style.cursor = "";
  });
  map.on("click", fill, (e) => {
    const f = e.features && e.features[0];
    if (!f) return;
    select(state, entry, f);
    state.setTrigger("click", f.properties.c);
  });
}

// A part not in the first style (another index's): added hidden and empty, under the top layers.
function addPart(state, part) {
  const { map } = state;
  const spec = partStyle(part, false);
  for (const [id, source] of Object.entries(spec.sources)) map.addSource(id, source);
  for (const layer of spec.layers) map.addLayer(layer, "selected");
  const entry = newEntry(part, false);
  entry.shown = null;
  state.parts.set(part.id, entry);
  listen(state, entry);
  return entry;
}

function loadPart(state, entry) {
  if (entry.loaded) return;
  entry.loaded = true;
  const { map, container } = state;
  const source = `lsoas:${entry.id}`;
  const read = (e) => {  // for the browser tests: how many parts the worker has read since the first draw
    if (e.sourceId !== source || e.sourceDataType !== "metadata") return;
    map.off("sourcedata", read);
    container.dataset.partsRead = String(Number(container.dataset.partsRead || 0) + 1);
  };
  map.on("sourcedata", read);
  map.getSource(source).setData(entry.lsoas);
  map.getSource(`lad:${entry.id}`).setData(entry.lad);
}

function showPart(state, entry, shown) {
  if (entry.shown === shown) return;
  entry.shown = shown;
  for (const layer of ["fill", "lad", "outline"]) {
    state.map.setLayoutProperty(`${layer}:${entry.id}`, "visibility", shown ? "visible" : "none");
  }
}

function hover(state, entry, e) {
  const f = e.features && e.features[0];
  if (!f) return;
  const id = f.id;
  const code = f.properties.c;
  const point = e.point;
  state.hovered = `${entry.id}/${id}`;
  state.map.getCanvas().style.cursor = "pointer";
  loadMeta(entry).then((meta) => {
    if (state.hovered !== `${entry.id}/${id}`) return;  // the pointer has moved on or left
    const k = entry.current ? entry.current.k[id] : undefined;
    const band = k !== undefined && k >= 0 && state.legend ? state.legend.labels[k] : "no data";
    const tip = state.tip;
    const name = meta ? `${meta.n[id]} (${code}), ${meta.la[id]}` : code;
    tip.textContent = `${name}\n${state.legend ? state.legend.title : ""}: ${band}` + (meta ? `\nInfants aged 0: ${meta.i[id]}` : "");
    tip.style.left = `${point.x + 12}px`;
    tip.style.top = `${point.y + 12}px`;
    tip.style.display = "block";
  });
}

function syncStates(state, entry, k, palette, gapList) {
  const { map } = state;
  const n = k.length;
  const gaps = new Set(gapList);
  const cur = entry.current;
  const src = `lsoas:${entry.id}`;
  const next = { k: k.slice(), c: new Array(n), g: new Array(n) };
  for (let i = 0; i < n; i++) {
    const c = k[i] >= 0 && k[i] < palette.length ? palette[k[i]] : NO_DATA;
    const g = gaps.has(i);
    next.c[i] = c;
    next.g[i] = g;
    if (!cur || cur.c[i] !== c) map.setFeatureState({ source: src, id: i }, { c });
  }
  entry.current = next;
  syncOutline(state, entry);
}

// A click outlines its neighbourhood at once, with the shape under the pointer (as tiled: at a low
// zoom it may be cut at a tile's edge); Python's exact shape replaces it a rerun later.
function select(state, entry, feature) {
  outlineSelected(state, { type: "Feature", geometry: feature.geometry, properties: {} }, feature.properties.c);
}

function outlineSelected(state, shape, code) {
  state.map.getSource("selected").setData(shape || NOTHING);
  if (state.holdFor) state.holdFor("selected");
  state.container.dataset.selected = code || "";  // for the browser tests
}

// Calls ``then`` once a frame has been painted with every tile of the view loaded: that frame shows
// the map complete (MapLibre's "idle" comes one to three frames later, each painting the same again,
// 30-90 ms on a software GPU; read off the canvas, the first complete frame has every colour).
function whenDrawn(map, then) {
  const check = () => {
    if (!map.loaded()) return;
    map.off("render", check);
    map.off("idle", check);
    then();
  };
  map.on("render", check);
  map.on("idle", check);
}

function apply(state) {
  const { map, lib } = state;
  const data = state.pending;
  const last = state.applied || {};
  for (const part of data.parts) {
    if (!state.parts.has(part.id)) addPart(state, part);
  }
  const shown = new Set(data.shown);
  const showing = [...shown].map((id) => state.parts.get(id));
  const fresh = showing.filter((entry) => !entry.loaded);
  if (fresh.length) state.awaitingData = fresh.map((entry) => `lsoas:${entry.id}`);
  fresh.forEach((entry) => loadPart(state, entry));
  for (const entry of state.parts.values()) showPart(state, entry, shown.has(entry.id));
  if (JSON.stringify(last.bounds) !== JSON.stringify(data.bounds)) {
    map.fitBounds([[data.bounds[0], data.bounds[1]], [data.bounds[2], data.bounds[3]]], { padding: 12, animate: false });
    setLabels(state, lib, data.labels);
  }
  // a click's own outline stands until Python sends a different selection (its copy lags a rerun);
  // then Python's exact shape of it
  const fromPython = JSON.stringify(data.selected || null);
  if (state.appliedOnce ? fromPython !== state.pythonSelected : !!data.selected) {  // at first, none: the source is empty
    outlineSelected(state, data.selected ? data.selected_shape : null, data.selected_code);
  }
  state.pythonSelected = fromPython;
  for (const entry of showing) {
    syncStates(state, entry, data.k[entry.id], data.palette, data.gaps[entry.id] || []);
  }
  if (JSON.stringify(last.sites) !== JSON.stringify(data.sites)) setSites(state, data.sites);
  countOutlined(state);
  state.appliedOnce = true;
  if (state.afterApply) state.afterApply();
  state.legend = data.legend;
  state.applied = { bounds: data.bounds, sites: data.sites };
  state.container.setAttribute("aria-label", data.description);
  state.generation += 1;
  const generation = state.generation;
  whenDrawn(map, () => {
    if (state.generation === generation) {
      mark("drawn");
      state.container.dataset.rendered = String(generation);
      // for the browser tests: whether the library is still easing paint in (each step a frame the same as this one)
      state.container.dataset.easing = String(!!(map.style && typeof map.style.hasTransitions === "function" && map.style.hasTransitions()));
      state.container.dataset.key = data.k_key;
      // the parts not shown are loaded once the map is drawn and the page is idle (each part loaded
      // repaints the map: not while the rest of the page is drawn), so that a region switch only shows them
      const later = window.requestIdleCallback || ((fn) => setTimeout(fn, 0));
      later(() => state.parts.forEach((entry) => { loadPart(state, entry); if (entry.shown) loadMeta(entry); }), { timeout: 1000 });
    }
  });
  map.triggerRepaint();
}

// The map's first style: the background, and when that is given inline, the parts (the shown ones
// with their geometry's URLs) and the top layers, so the worker fetches and tiles the geometry
// while the style is read. A background given by URL gets them once it has loaded.
function firstStyle(state, data) {
  if (!data.style || typeof data.style !== "object") return null;
  // no paint transitions: the library otherwise eases each layer's paint in over 300 ms once the style is
  // read, and paints a frame at each step after the map has drawn (two or three frames the same as the
  // drawn one, each a whole canvas for a software GPU and a compositor commit); the colours are feature
  // state, which never eases anyway
  const style = { ...data.style, sources: { ...data.style.sources }, layers: [...data.style.layers], transition: { duration: 0, delay: 0 } };
  const shown = new Set(data.shown);
  for (const part of data.parts) {
    const spec = partStyle(part, shown.has(part.id));
    Object.assign(style.sources, spec.sources);
    style.layers.push(...spec.layers);
    state.parts.set(part.id, newEntry(part, shown.has(part.id)));
  }
  Object.assign(style.sources, TOP.sources);
  style.layers.push(...TOP.layers);
  state.awaitingData = data.shown.map((id) => `lsoas:${id}`);
  return style;
}

// Asks for the tiles of the view at once, without painting: the library's own frame (``_render``) with
// its painting step left out (what that step first sets, the painter's style, set; the tiles that
// arrive are read against it). A painted frame waits its turn behind the page's own work on the main
// thread (60-100 ms as the page is drawn), the worker idle meanwhile. Only for the library version
// pinned (4.7, ``build.sh``); without those internals, the painted frame asks for them.
function requestTiles(state, map) {
  const painter = map.painter;
  if (!painter || typeof painter.render !== "function" || typeof map._render !== "function") return;
  const render = painter.render;
  painter.render = function (style, options) {
    Object.assign(this, { style, options, lineAtlas: style.lineAtlas, imageManager: style.imageManager, glyphManager: style.glyphManager });
  };
  state.unpainted = true;
  try {
    map._render(performance.now());
    state.container.dataset.tilesAsked = "1";  // for the browser tests: the library still has what this uses
  } finally {
    painter.render = render;
    state.unpainted = false;
  }
}

// Until the first shown parts' tiles have all arrived, the map draws one frame, when every shown
// source's geometry has been read (their tiles are asked for then, at once, requestTiles; the one
// worker reads the sources in turn, so asking for one source's tiles before the others are read
// gains nothing), not one a source or one at each tile's arrival: every frame costs the GPU (in software on many NHS
// desktops) a full canvas and the page's main thread a compositor commit, time the worker and the
// page need. The map is drawn once, complete and coloured. Released at the latest after 4 s.
function holdFrames(state, map, sources, repaint) {
  if (!sources.length) return;
  const expected = new Set(sources);  // the sources the first drawn frame needs
  const waiting = new Set(sources);  // of those, the ones whose first tiles have not all arrived
  const read = new Set();  // of those, the ones whose data the worker has read
  const release = () => {
    if (!state.held) return;
    state.held = false;
    state.afterApply = null;
    state.holdFor = null;
    repaint();
  };
  // drawn once the tiles are in and the colours set
  const ready = () => { if (!waiting.size && state.appliedOnce) release(); };
  state.afterApply = ready;
  // a source given data while held (the sites; the selected outline) is waited for too
  state.holdFor = (id) => { expected.add(id); waiting.add(id); read.delete(id); };
  state.held = true;
  map.on("sourcedata", (e) => {
    if (!state.held) return;
    if (e.sourceDataType === "metadata" && expected.has(e.sourceId)) {
      read.add(e.sourceId);
      // all read: their tiles asked for at once (once this event is done: the source's "content" event that
      // follows has it reload its tiles, which would ask for them twice), and one frame painted (the
      // background; without it the complete frame came no sooner: bench/bench_pages.py)
      if (read.size === expected.size) {
        queueMicrotask(() => { if (state.held) requestTiles(state, map); });
        repaint();
      }
    }
    if (e.tile && e.isSourceLoaded && waiting.has(e.sourceId) && read.has(e.sourceId)) waiting.delete(e.sourceId);
    ready();
  });
  setTimeout(release, 4000);
}

// Which frames the map draws. None while held (holdFrames), not even when its box is resized (the
// library then redraws at once: a map whose box is laid out again as the page is drawn would paint
// the background alone, once or twice; a painted canvas is read back from a software GPU at the
// next compositor commit, 30-100 ms of the page's main thread). And none for a part loaded while hidden: its sources'
// "data" events change nothing on screen (each frame would paint the whole map again, 30-130 ms on
// a software GPU, while the page may still be drawing); the next frame drawn for another reason
// takes them up. Returns the library's own repaint.
function gateFrames(state, map) {
  const repaint = map.triggerRepaint.bind(map);
  const redraw = map.redraw.bind(map);
  map.triggerRepaint = () => { if (!state.held && !state.quiet) repaint(); };
  map.redraw = () => (state.held ? map : redraw());
  let frames = 0;  // painted, for the browser tests (not requestTiles's)
  map.on("render", () => {
    if (state.unpainted) return;
    frames += 1;
    state.container.dataset.frames = String(frames);
  });
  const fire = map.fire.bind(map);
  map.fire = (event, properties) => {
    const source = event && typeof event === "object" && event.type === "data" ? event.sourceId : null;
    const entry = source ? state.parts.get(source.slice(source.indexOf(":") + 1)) : null;
    if (!entry || entry.shown) return fire(event, properties);
    const quiet = state.quiet;
    state.quiet = true;
    try {
      return fire(event, properties);
    } finally {
      state.quiet = quiet;
    }
  };
  return repaint;
}

function build(state, lib, data) {
  const inline = firstStyle(state, data);
  const map = new lib.Map({
    container: state.container,
    style: inline || data.style || { version: 8, sources: {}, layers: [] },
    bounds: [[data.bounds[0], data.bounds[1]], [data.bounds[2], data.bounds[3]]],
    fitBoundsOptions: { padding: 12 },
    attributionControl: false,
    dragRotate: false,
    pitchWithRotate: false,
    fadeDuration: 0,
  });
  map.touchZoomRotate.disableRotation();
  map.addControl(new lib.NavigationControl({ showCompass: false }), "top-right");
  state.map = map;
  state.lib = lib;
  const repaint = gateFrames(state, map);
  const tip = document.createElement("div");
  tip.className = "pair-map-tip";
  tip.setAttribute("role", "status");
  state.container.appendChild(tip);
  state.tip = tip;
  holdFrames(state, map, inline ? data.shown.flatMap((id) => [`lsoas:${id}`, `lad:${id}`]) : [], repaint);
  map.on("sourcedata", (e) => {
    if (state.awaitingData && state.awaitingData.includes(e.sourceId) && e.isSourceLoaded) {
      state.awaitingData = state.awaitingData.filter((id) => id !== e.sourceId);
      if (!state.awaitingData.length) {
        state.awaitingData = null;
        mark("data");
      }
    }
  });
  // the style read (not the first full draw, which "load" would wait for): colours, view and
  // selection are set before the geometry's tiles arrive, so they are drawn once, in colour
  map.once("style.load", () => {
    if (inline) {
      state.parts.forEach((entry) => listen(state, entry));
    } else {
      for (const [id, source] of Object.entries(TOP.sources)) map.addSource(id, source);
      for (const layer of TOP.layers) map.addLayer(layer);
    }
    mark("style");
    state.loaded = true;
    apply(state);
  });
}

function newState(data) {
  const container = document.createElement("div");
  container.className = "pair-map";
  container.style.height = `${data.height}px`;
  container.setAttribute("role", "region");
  container.dataset.rendered = "0";
  return { container, labels: [], generation: 0, loaded: false, parts: new Map() };
}

function start(state, data) {
  loadLibrary(data.lib).then((lib) => { mark("library"); build(state, lib, data); }).catch((err) => {
    state.container.textContent = `The map could not be drawn (${err.message}); the table below lists every neighbourhood.`;
  });
}

export default function (component) {
  const { data, parentElement, setTriggerValue } = component;
  let state = maps.get(parentElement);
  if (!state) {
    mark("mount");
    state = newState(data);
    parentElement.appendChild(state.container);
    maps.set(parentElement, state);
    start(state, data);
  } else {
    mark("update");
  }
  state.pending = data;
  state.setTrigger = setTriggerValue;
  if (state.loaded) apply(state);
  return () => {
    // Unmounted (the page changed, or the map was hidden): free the WebGL context.
    setTimeout(() => {
      if (!parentElement.isConnected && state.map) {
        state.map.remove();
        maps.delete(parentElement);
      }
    }, 0);
  };
}

// PAIR Atlas live map: a Streamlit components-v2 renderer around MapLibre GL JS.
//
// The map is created once per mounted element and kept: a rerun with new data changes only what
// changed (the colours and legend, the gap outlines, the service sites, the selection; the
// geometry and the view only when the region or the local authority changes). The library and
// the geometry are static files served by the app itself and cached by the browser; no request
// leaves the machine. Text from data is only ever set as textContent, never as HTML.

const maps = new WeakMap();
// Milestones for the benchmark (bench/bench_pages.py reads them): mount, library, style, data, drawn.
const mark = (name) => { try { performance.mark(`pair-map:${name}`); } catch (e) { /* no timeline */ } };

function loadLibrary(base) {
  if (window.maplibregl) return Promise.resolve(window.maplibregl);
  if (!window.__pairAtlasMapLibrary) {
    window.__pairAtlasMapLibrary = new Promise((resolve, reject) => {
      const css = document.createElement("link");
      css.rel = "stylesheet";
      css.href = `${base}/maplibre-gl.css`;
      document.head.appendChild(css);
      const script = document.createElement("script");
      script.src = `${base}/maplibre-gl.js`;
      script.onload = () => resolve(window.maplibregl);
      script.onerror = () => reject(new Error("the map library could not be loaded"));
      document.head.appendChild(script);
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

// Geometry files are named by their content: fetching one early (while the library loads, or
// the other regions once the map is idle) only warms the browser's cache for the map's worker.
const warmed = new Set();
function warm(url) {
  if (!url || warmed.has(url)) return;
  warmed.add(url);
  fetch(url).then((r) => r.arrayBuffer()).catch(() => warmed.delete(url));
}

// Each neighbourhood's look is feature state on its feature id (its index in the region's
// geometry file): c = fill colour (its class k in the palette; grey: no data), g = outlined gap,
// s = selected. A rerun sets
// only the states that changed; nothing is re-tiled.
function syncStates(state, data) {
  const { map } = state;
  const n = data.k.length;
  const gaps = new Set(data.gaps);
  const cur = state.current;
  const fromPython = data.selected === null || data.selected === undefined ? -1 : data.selected;
  // a click's own outline stands until Python sends a different selection (its copy lags a rerun)
  const selected = cur && fromPython === state.pythonSelected ? state.localSelected : fromPython;
  state.pythonSelected = fromPython;
  state.localSelected = selected;
  const next = { k: data.k.slice(), c: new Array(n), g: new Array(n), s: new Array(n) };
  for (let i = 0; i < n; i++) {
    const k = data.k[i];
    const c = k >= 0 && k < data.palette.length ? data.palette[k] : NO_DATA;
    const g = gaps.has(i);
    const s = i === selected;
    next.c[i] = c;
    next.g[i] = g;
    next.s[i] = s;
    if (!cur || cur.c[i] !== c || cur.g[i] !== g || cur.s[i] !== s) {
      map.setFeatureState({ source: "lsoas", id: i }, { c, g, s });
    }
  }
  state.current = next;
}

function select(state, id) {
  // a click outlines its neighbourhood at once; Python's copy of the selection arrives a rerun later
  const cur = state.current;
  if (!cur) return;
  cur.s.forEach((on, i) => {
    if (on && i !== id) {
      cur.s[i] = false;
      state.map.setFeatureState({ source: "lsoas", id: i }, { s: false });
    }
  });
  cur.s[id] = true;
  state.map.setFeatureState({ source: "lsoas", id }, { s: true });
  state.localSelected = id;
}

function apply(state) {
  const { map, lib } = state;
  const data = state.pending;
  const last = state.applied || {};
  const geometryChanged = last.geometry !== data.geometry.lsoas;
  if (geometryChanged) {
    state.awaitingData = true;
    map.removeFeatureState({ source: "lsoas" });
    state.current = null;
    map.getSource("lsoas").setData(data.geometry.lsoas);
    map.getSource("lad").setData(data.geometry.lad);
  }
  if (geometryChanged || JSON.stringify(last.bounds) !== JSON.stringify(data.bounds)) {
    map.fitBounds([[data.bounds[0], data.bounds[1]], [data.bounds[2], data.bounds[3]]], { padding: 12, animate: false });
    setLabels(state, lib, data.labels);
  }
  syncStates(state, data);
  if (JSON.stringify(last.sites) !== JSON.stringify(data.sites)) {
    map.getSource("sites").setData(sitesGeoJSON(data.sites));
  }
  state.legend = data.legend;
  state.applied = { geometry: data.geometry.lsoas, bounds: data.bounds, sites: data.sites };
  state.container.setAttribute("aria-label", data.description);
  state.generation += 1;
  const generation = state.generation;
  map.once("idle", () => {
    if (state.generation === generation) {
      mark("drawn");
      state.container.dataset.rendered = String(generation);
      state.container.dataset.key = data.k_key;
      // the other regions' geometry, for a quick region switch
      (data.prefetch || []).forEach(warm);
    }
  });
  map.triggerRepaint();
}

function build(state, lib, data) {
  const map = new lib.Map({
    container: state.container,
    style: data.style,
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
  map.on("load", () => {
    map.addSource("lsoas", { type: "geojson", data: { type: "FeatureCollection", features: [] } });
    map.addSource("lad", { type: "geojson", data: { type: "FeatureCollection", features: [] } });
    map.addSource("sites", { type: "geojson", data: { type: "FeatureCollection", features: [] } });
    map.addLayer({ id: "lsoa-fill", type: "fill", source: "lsoas", paint: { "fill-color": FILL, "fill-opacity": 0.85 } });
    map.addLayer({ id: "lad-line", type: "line", source: "lad", paint: { "line-color": "#231F20", "line-width": 1.2, "line-opacity": 0.7 } });
    const gap = ["boolean", ["feature-state", "g"], false];
    const sel = ["boolean", ["feature-state", "s"], false];
    map.addLayer({ id: "outline", type: "line", source: "lsoas",
                   paint: { "line-color": ["case", sel, "#003087", "rgb(213,40,27)"],
                            "line-opacity": ["case", ["any", sel, gap], 1, 0],
                            "line-width": ["interpolate", ["linear"], ["zoom"], 7, ["case", sel, 3.5, gap, 1, 0], 11, ["case", sel, 3.5, gap, 2.5, 0]] } });
    map.addLayer({ id: "sites", type: "circle", source: "sites",
                   paint: { "circle-color": ["get", "fill"], "circle-radius": ["get", "r"], "circle-stroke-color": ["get", "line"],
                            "circle-stroke-width": ["get", "w"] } });
    mark("style");
    state.loaded = true;
    apply(state);
  });
  map.on("sourcedata", (e) => {
    if (state.awaitingData && e.sourceId === "lsoas" && e.isSourceLoaded) {
      state.awaitingData = false;
      mark("data");
    }
  });
  const tip = document.createElement("div");
  tip.className = "pair-map-tip";
  tip.setAttribute("role", "status");
  state.container.appendChild(tip);
  map.on("mousemove", "lsoa-fill", (e) => {
    const f = e.features && e.features[0];
    if (!f) return;
    const p = f.properties;
    const k = state.current ? state.current.k[f.id] : undefined;
    const band = k !== undefined && k >= 0 && state.legend ? state.legend.labels[k] : "no data";
    tip.textContent = `${p.n} (${p.c}), ${p.la}\n${state.legend ? state.legend.title : ""}: ${band}\nInfants aged 0: ${p.i}`;
    tip.style.left = `${e.point.x + 12}px`;
    tip.style.top = `${e.point.y + 12}px`;
    tip.style.display = "block";
    map.getCanvas().style.cursor = "pointer";
  });
  map.on("mouseleave", "lsoa-fill", () => {
    tip.style.display = "none";
    map.getCanvas().style.cursor = "";
  });
  map.on("click", "lsoa-fill", (e) => {
    const f = e.features && e.features[0];
    if (!f) return;
    select(state, f.id);
    state.setTrigger("click", f.properties.c);
  });
}

export default function (component) {
  const { data, parentElement, setTriggerValue } = component;
  let state = maps.get(parentElement);
  if (!state) {
    const container = document.createElement("div");
    container.className = "pair-map";
    container.style.height = `${data.height}px`;
    container.setAttribute("role", "region");
    container.dataset.rendered = "0";
    parentElement.appendChild(container);
    state = { container, labels: [], generation: 0, loaded: false };
    maps.set(parentElement, state);
    state.pending = data;
    state.setTrigger = setTriggerValue;
    mark("mount");
    warm(data.geometry.lsoas);  // in parallel with the library and the style
    warm(data.geometry.lad);
    loadLibrary(data.lib).then((lib) => { mark("library"); build(state, lib, data); }).catch((err) => {
      container.textContent = `The map could not be drawn (${err.message}); the table below lists every neighbourhood.`;
    });
  }
  else mark("update");
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
